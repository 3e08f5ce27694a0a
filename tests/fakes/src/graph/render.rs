//! Graph's JSON for the fake's objects.

use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::macros::format_description;

use super::errors::GraphError;
use super::state::State;
use super::{GraphGroup, GraphMessageRule, GraphSku, GraphUser};

/// What `GET /users/{id}` returns without `$select`.
pub(crate) const USER_DEFAULT: &[&str] = &[
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
];

/// `2024-05-01T12:34:56Z`.
pub(crate) fn datetime(t: OffsetDateTime) -> String {
    t.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap_or_default()
}

fn opt(v: &Option<String>) -> Value {
    v.as_ref().map_or(Value::Null, |s| Value::String(s.clone()))
}

/// Every property of a user the fake knows, as Graph names them.
pub(crate) fn user_all(u: &GraphUser) -> Map<String, Value> {
    let v = json!({
        "id": u.id,
        "businessPhones": u.business_phones,
        "displayName": u.display_name,
        "givenName": opt(&u.given_name),
        "jobTitle": opt(&u.job_title),
        "mail": opt(&u.mail),
        "mobilePhone": opt(&u.mobile_phone),
        "officeLocation": opt(&u.office_location),
        "preferredLanguage": Value::Null,
        "surname": opt(&u.surname),
        "userPrincipalName": u.user_principal_name,
        "accountEnabled": u.account_enabled,
        "mailNickname": u.mail_nickname,
        "department": opt(&u.department),
        "employeeId": opt(&u.employee_id),
        "companyName": opt(&u.company_name),
        "otherMails": u.other_mails,
        "usageLocation": opt(&u.usage_location),
        "userType": "Member",
        "createdDateTime": u.created_date_time,
        "passwordProfile": Value::Null,
        "assignedLicenses": u.licenses.iter().map(|l| json!({
            "disabledPlans": l.disabled_plans,
            "skuId": l.sku_id,
        })).collect::<Vec<_>>(),
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The properties a `$select` (or the default set) names; `id` always. An unknown name
/// gives 400.
pub(crate) fn select(
    all: Map<String, Value>,
    select: Option<&[String]>,
    default: &[&str],
    type_name: &str,
) -> Result<Map<String, Value>, GraphError> {
    let mut out = Map::new();
    match select {
        None => {
            for k in default {
                if let Some(v) = all.get(*k) {
                    out.insert(k.to_string(), v.clone());
                }
            }
        }
        Some(names) => {
            if let Some(id) = all.get("id") {
                out.insert("id".into(), id.clone());
            }
            for n in names {
                let key = all.keys().find(|k| k.eq_ignore_ascii_case(n));
                match key {
                    Some(k) => {
                        out.insert(k.clone(), all[k].clone());
                    }
                    None => {
                        return Err(GraphError::bad_request(format!(
                            "Could not find a property named '{n}' on type 'microsoft.graph.{type_name}'."
                        )));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// A user as `GET /users/{id}` shows it.
pub(crate) fn user(u: &GraphUser, sel: Option<&[String]>) -> Result<Value, GraphError> {
    select(user_all(u), sel, USER_DEFAULT, "user").map(Value::Object)
}

pub(crate) fn group_all(g: &GraphGroup) -> Map<String, Value> {
    let v = json!({
        "id": g.id,
        "displayName": g.display_name,
        "description": opt(&g.description),
        "mailNickname": g.mail_nickname,
        "mail": if g.mail_enabled { Value::String(format!("{}@{}", g.mail_nickname, super::DEFAULT_DOMAIN)) } else { Value::Null },
        "mailEnabled": g.mail_enabled,
        "securityEnabled": g.security_enabled,
        "groupTypes": g.group_types,
        "membershipRule": opt(&g.membership_rule),
        "membershipRuleProcessingState": if g.is_dynamic() { Value::String("On".into()) } else { Value::Null },
        "isAssignableToRole": g.is_assignable_to_role,
        "visibility": Value::Null,
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

pub(crate) fn group(g: &GraphGroup, sel: Option<&[String]>) -> Result<Value, GraphError> {
    let all = group_all(g);
    let keys: Vec<&str> = all.keys().map(String::as_str).collect();
    select(all.clone(), sel, &keys, "group").map(Value::Object)
}

pub(crate) fn service_plans(s: &GraphSku) -> Vec<Value> {
    s.service_plans
        .iter()
        .map(|(id, name)| {
            json!({
                "servicePlanId": id,
                "servicePlanName": name,
                "provisioningStatus": "Success",
                "appliesTo": "User",
            })
        })
        .collect()
}

/// One entry of `GET /subscribedSkus`.
pub(crate) fn subscribed_sku(st: &State, tenant_id: &str, s: &GraphSku) -> Value {
    json!({
        "accountName": "Tenure Demo",
        "appliesTo": "User",
        "capabilityStatus": "Enabled",
        "consumedUnits": st.consumed(&s.sku_id),
        "id": format!("{tenant_id}_{}", s.sku_id),
        "skuId": s.sku_id,
        "skuPartNumber": s.sku_part_number,
        "subscriptionIds": [],
        "prepaidUnits": { "enabled": s.enabled, "suspended": 0, "warning": 0, "lockedOut": 0 },
        "servicePlans": service_plans(s),
    })
}

pub(crate) fn message_rule(r: &GraphMessageRule) -> Value {
    json!({
        "id": r.id,
        "displayName": r.display_name,
        "sequence": r.sequence,
        "isEnabled": r.is_enabled,
        "hasError": false,
        "isReadOnly": false,
        "conditions": r.conditions,
        "actions": r.actions,
    })
}

/// A new mailbox's settings: automatic replies off.
pub(crate) fn default_mailbox_settings() -> Map<String, Value> {
    let v = json!({
        "archiveFolder": Value::Null,
        "timeZone": "UTC",
        "language": { "locale": "en-US", "displayName": "English (United States)" },
        "automaticRepliesSetting": {
            "status": "disabled",
            "externalAudience": "all",
            "internalReplyMessage": "",
            "externalReplyMessage": "",
            "scheduledStartDateTime": { "dateTime": "2024-01-01T00:00:00.0000000", "timeZone": "UTC" },
            "scheduledEndDateTime": { "dateTime": "2024-01-02T00:00:00.0000000", "timeZone": "UTC" },
        },
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}
