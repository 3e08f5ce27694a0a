//! From the identity provider's groups to Tenure's roles: admin (on the account) and
//! the onboarding, hardware and default application champion lists (the catalog's).

use super::config::OidcConfig;
use serde_json::Value;

/// The roles a person's groups give.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles {
    pub admin: bool,
    pub onboarding: bool,
    pub hardware: bool,
    pub default_application: bool,
}

impl Roles {
    pub fn any(self) -> bool {
        self.admin || self.onboarding || self.hardware || self.default_application
    }
}

/// The most groups read from one token.
const MAX_GROUPS: usize = 1_000;

/// The groups in `claim`: a list of strings (Okta, Entra) or one string.
pub fn groups_of(claims: &serde_json::Map<String, Value>, claim: &str) -> Vec<String> {
    match claims.get(claim) {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .take(MAX_GROUPS)
            .map(str::to_string)
            .collect(),
        Some(Value::String(one)) => vec![one.clone()],
        _ => Vec::new(),
    }
}

/// Entra ID leaves `groups` out and points elsewhere when someone is in more than 200
/// groups ("groups overage").
pub fn groups_overflowed(claims: &serde_json::Map<String, Value>, claim: &str) -> bool {
    !claims.contains_key(claim)
        && claims
            .get("_claim_names")
            .and_then(Value::as_object)
            .is_some_and(|names| names.contains_key(claim))
}

/// The roles `groups` give under `config`'s mapping. Group names compare without
/// regard to case (Entra's object ids are lower-case GUIDs, Okta's names are as typed).
pub fn roles_for(config: &OidcConfig, groups: &[String]) -> Roles {
    let member = |mapped: &[String]| {
        mapped.iter().any(|m| {
            groups
                .iter()
                .any(|g| g.trim().eq_ignore_ascii_case(m.trim()))
        })
    };
    Roles {
        admin: member(&config.admin_groups),
        onboarding: member(&config.onboarding_champion_groups),
        hardware: member(&config.hardware_champion_groups),
        default_application: member(&config.app_champion_groups),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn groups_map_to_roles() {
        let config = OidcConfig {
            admin_groups: vec!["Tenure Admins".into()],
            hardware_champion_groups: vec!["it-hardware".into(), "it-all".into()],
            onboarding_champion_groups: vec!["it-all".into()],
            app_champion_groups: vec!["apps".into()],
            ..OidcConfig::default()
        };
        let r = roles_for(&config, &["tenure admins".into()]);
        assert_eq!(
            r,
            Roles {
                admin: true,
                ..Roles::default()
            }
        );
        let r = roles_for(&config, &["it-all".into(), "other".into()]);
        assert!(r.hardware && r.onboarding && !r.admin && !r.default_application);
        assert!(!roles_for(&config, &["nobody".into()]).any());
        assert!(!roles_for(&config, &[]).any());
    }

    #[test]
    fn groups_are_read_from_the_configured_claim() {
        let claims = json!({"groups": ["a", "b", 7], "roles": "Tenure.Admin"});
        let claims = claims.as_object().unwrap();
        assert_eq!(groups_of(claims, "groups"), ["a", "b"]);
        assert_eq!(groups_of(claims, "roles"), ["Tenure.Admin"]);
        assert!(groups_of(claims, "missing").is_empty());
        let overage = json!({"_claim_names": {"groups": "src1"}});
        assert!(groups_overflowed(overage.as_object().unwrap(), "groups"));
        assert!(!groups_overflowed(claims, "groups"));
    }
}
