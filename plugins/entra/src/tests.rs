//! Unit tests against the SDK's fake host: Graph's answers scripted as Microsoft
//! documents them (and as the Graph fake in `tests/fakes/src/graph` serves them).

use super::*;
use graph_client::testing::{
    API, already_a_member, api_calls, denied, graph_error, memberships_url, not_found, throttled,
    values,
};
use serde_json::json;
use tenure_sdk::testing::{self, FakeHost, Method, Reply};

const SECRET: &str = "entra-secret~7";

/// A fake host with the manifest, the three required settings and a token endpoint.
fn host() -> FakeHost {
    graph_client::testing::host(
        include_str!("../manifest.toml"),
        "app-entra",
        SECRET,
        "tok-e",
    )
}

fn group(id: &str, name: &str) -> Group {
    Group {
        id: id.into(),
        name: name.into(),
    }
}

#[test]
fn describe_matches_the_methods_implemented() {
    testing::assert_capabilities_match::<Entra>();
    let caps = Entra::describe();
    assert!(caps.find && caps.groups);
    assert!(!caps.provision && !caps.offboard.any() && !caps.delete && !caps.reactivate);
}

#[test]
fn missing_settings_are_unauthorized_and_send_nothing() {
    let host = FakeHost::new().with_manifest(include_str!("../manifest.toml"));
    let e = Entra::find_group("Engineering".into()).unwrap_err();
    assert!(
        matches!(&e, Error::Unauthorized(m) if m.contains("tenant_id")),
        "{e:?}"
    );
    assert!(host.requests().is_empty());
}

#[test]
fn test_connection_reads_a_group_and_a_user_with_a_client_credentials_token() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/groups?"))
        .reply(Reply::json(200, &json!({"value": [{"id": "g1"}]})));
    host.on_prefix(Method::Get, &format!("{API}/users?"))
        .reply(values(json!([])));
    Entra::test_connection().unwrap();
    let token = &host.requests()[0];
    assert_eq!(
        token.form("grant_type").as_deref(),
        Some("client_credentials")
    );
    assert_eq!(token.form("client_id").as_deref(), Some("app-entra"));
    assert_eq!(
        token.form("scope").as_deref(),
        Some("https://graph.microsoft.com/.default")
    );
    assert_eq!(api_calls(&host).len(), 2);
    assert_eq!(
        host.last_request().header("authorization"),
        Some("Bearer tok-e")
    );
}

#[test]
fn a_403_names_the_permission_to_grant() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/groups?"))
        .reply(denied());
    let e = Entra::test_connection().unwrap_err();
    assert!(
        matches!(&e, Error::Unauthorized(m) if m.contains("GroupMember.ReadWrite.All")),
        "{e:?}"
    );
}

#[test]
fn find_account_by_upn_then_by_mail_and_none_when_nobody_matches() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/users/ada%40contoso.com?"))
        .once()
        .reply(Reply::json(
            200,
            &json!({"id": "u-ada", "userPrincipalName": "ada@contoso.com", "accountEnabled": false}),
        ));
    let found = Entra::find_account(testing::person("ada@contoso.com"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.id.as_str(), found.login.as_str(), found.active),
        ("u-ada", "ada@contoso.com", false)
    );

    host.on_prefix(Method::Get, &format!("{API}/users/ada%40contoso.com?"))
        .reply(not_found("ada@contoso.com"));
    host.on_prefix(Method::Get, &format!("{API}/users?%24filter="))
        .once()
        .reply(Reply::json(
            200,
            &json!({"value": [{"id": "u-2", "userPrincipalName": "ada.l@contoso.onmicrosoft.com", "accountEnabled": true}]}),
        ));
    let by_mail = Entra::find_account(testing::person("ada@contoso.com"))
        .unwrap()
        .unwrap();
    assert_eq!(by_mail.id, "u-2");
    assert_eq!(
        host.last_request().query("$filter").as_deref(),
        Some("mail eq 'ada@contoso.com'")
    );

    host.on_prefix(Method::Get, &format!("{API}/users?%24filter="))
        .reply(values(json!([])));
    assert_eq!(
        Entra::find_account(testing::person("ada@contoso.com")),
        Ok(None)
    );
}

#[test]
fn provision_is_not_offered() {
    let _host = host();
    let e =
        Entra::provision(testing::provision_request(testing::person("a@contoso.com"))).unwrap_err();
    assert!(
        matches!(&e, Error::Unsupported(m) if m.contains("Microsoft 365")),
        "{e:?}"
    );
}

#[test]
fn find_group_filters_by_display_name_with_quotes_escaped() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/groups?"))
        .reply(Reply::json(
            200,
            &json!({"value": [{"id": "g1", "displayName": "O'Brien's team", "groupTypes": [],
                "mailEnabled": false, "securityEnabled": true}]}),
        ));
    assert_eq!(
        Entra::find_group("O'Brien's team".into()),
        Ok(Some(group("g1", "O'Brien's team")))
    );
    let sent = host.last_request();
    assert_eq!(
        sent.query("$filter").as_deref(),
        Some("displayName eq 'O''Brien''s team'")
    );
    assert!(sent.query("$select").unwrap().contains("groupTypes"));
}

#[test]
fn find_group_none_exact_among_several_and_a_conflict_naming_the_count() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/groups?"))
        .once()
        .reply(values(json!([])));
    host.on_prefix(Method::Get, &format!("{API}/groups?"))
        .reply(Reply::json(
            200,
            &json!({"value": [
                {"id": "g1", "displayName": "sales"},
                {"id": "g2", "displayName": "SALES"},
                {"id": "g3", "displayName": "Sales "},
            ]}),
        ));
    assert_eq!(Entra::find_group("Sales".into()), Ok(None));
    let e = Entra::find_group("Sales".into()).unwrap_err();
    assert!(
        matches!(&e, Error::Conflict(m) if m.starts_with("3 groups")),
        "{e:?}"
    );
    assert_eq!(Entra::find_group("SALES".into()).unwrap().unwrap().id, "g2");
}

#[test]
fn find_group_refuses_a_dynamic_group_and_a_distribution_list() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/groups?"))
        .once()
        .reply(Reply::json(
            200,
            &json!({"value": [{"id": "g1", "displayName": "All engineers",
                "groupTypes": ["DynamicMembership"], "securityEnabled": true, "mailEnabled": false,
                "membershipRule": "user.department -eq \"Engineering\""}]}),
        ));
    host.on_prefix(Method::Get, &format!("{API}/groups?"))
        .reply(Reply::json(
            200,
            &json!({"value": [{"id": "g2", "displayName": "news", "groupTypes": [],
                "securityEnabled": false, "mailEnabled": true}]}),
        ));
    let e = Entra::find_group("All engineers".into()).unwrap_err();
    assert!(
        matches!(&e, Error::Unsupported(m) if m.contains("dynamic") && m.contains("user.department")),
        "{e:?}"
    );
    let e = Entra::find_group("news".into()).unwrap_err();
    assert!(
        matches!(&e, Error::Unsupported(m) if m.contains("Exchange Online")),
        "{e:?}"
    );
}

#[test]
fn a_microsoft_365_group_is_mail_enabled_and_still_found() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/groups?"))
        .reply(Reply::json(
            200,
            &json!({"value": [{"id": "g1", "displayName": "Project X", "groupTypes": ["Unified"],
                "securityEnabled": false, "mailEnabled": true}]}),
        ));
    assert_eq!(
        Entra::find_group("Project X".into()),
        Ok(Some(group("g1", "Project X")))
    );
}

#[test]
fn memberships_are_cast_to_groups_and_page_by_the_next_link() {
    let host = host();
    let first = memberships_url("u1");
    let next = format!("{first}&%24skiptoken=X1");
    host.on(Method::Get, &first).reply(Reply::json(
        200,
        &json!({"@odata.nextLink": next, "value": [
            {"@odata.type": "#microsoft.graph.group", "id": "g1", "displayName": "Engineering"},
        ]}),
    ));
    host.on(Method::Get, &next).reply(Reply::json(
        200,
        &json!({"value": [{"@odata.type": "#microsoft.graph.group", "id": "g2", "displayName": "All staff"}]}),
    ));
    let page = Entra::list_memberships("u1".into(), None).unwrap();
    assert_eq!(page.groups, [group("g1", "Engineering")]);
    assert_eq!(page.next_cursor.as_deref(), Some(next.as_str()));
    let last = Entra::list_memberships("u1".into(), page.next_cursor).unwrap();
    assert_eq!(last.groups, [group("g2", "All staff")]);
    assert_eq!(last.next_cursor, None);
}

#[test]
fn a_cursor_off_this_graph_is_refused_before_the_token_goes_anywhere() {
    let host = host();
    for cursor in [
        "https://graph.microsoft.com.evil.example/v1.0/users/u1/memberOf",
        "https://evil.example/v1.0/groups",
        "https://graph.microsoft.com/v1.0@evil.example/groups",
    ] {
        let e = Entra::list_memberships("u1".into(), Some(cursor.into())).unwrap_err();
        assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");
        let e = Entra::list_groups(None, Some(cursor.into())).unwrap_err();
        assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");
    }
    assert!(host.requests().is_empty());
    host.on_prefix(Method::Get, &format!("{API}/groups?"))
        .reply(Reply::json(
            200,
            &json!({"@odata.nextLink": "https://elsewhere.example/v1.0/groups?x", "value": []}),
        ));
    assert!(matches!(
        Entra::list_groups(None, None),
        Err(Error::Other(_))
    ));
}

#[test]
fn adding_is_a_ref_to_the_directory_object_and_twice_is_success() {
    let host = host();
    let url = format!("{API}/groups/g1/members/$ref");
    host.on(Method::Post, &url).once().reply(Reply::status(204));
    host.on(Method::Post, &url).reply(already_a_member());
    Entra::add_to_group("u1".into(), "g1".into()).unwrap();
    Entra::add_to_group("u1".into(), "g1".into()).unwrap();
    graph_client::testing::assert_added_by_ref(&host, "u1");
    assert_eq!(
        api_calls(&host).len(),
        2,
        "no group lookup for a member already"
    );
}

#[test]
fn adding_to_a_dynamic_group_is_unsupported_saying_so() {
    let host = host();
    host.on(Method::Post, &format!("{API}/groups/g-dyn/members/$ref"))
        .reply(graph_error(
            400,
            "Request_BadRequest",
            "Insufficient privileges to complete the operation.",
        ));
    host.on_prefix(Method::Get, &format!("{API}/groups/g-dyn?"))
        .reply(Reply::json(
            200,
            &json!({"id": "g-dyn", "displayName": "Everyone in Sales",
                "groupTypes": ["DynamicMembership"], "membershipRule": "user.department -eq \"Sales\""}),
        ));
    let e = Entra::add_to_group("u1".into(), "g-dyn".into()).unwrap_err();
    assert!(
        matches!(&e, Error::Unsupported(m) if m.contains("`Everyone in Sales` is dynamic")),
        "{e:?}"
    );
    // Removing is refused the same way (a 403 here), and never parks the connector.
    host.on(
        Method::Delete,
        &format!("{API}/groups/g-dyn/members/u1/$ref"),
    )
    .reply(denied());
    let e = Entra::remove_from_group("u1".into(), "g-dyn".into()).unwrap_err();
    assert!(
        matches!(&e, Error::Unsupported(m) if m.contains("dynamic")),
        "{e:?}"
    );
}

#[test]
fn a_403_on_an_assigned_group_is_unauthorized_and_a_role_assignable_one_unsupported() {
    let host = host();
    host.on(Method::Post, &format!("{API}/groups/g1/members/$ref"))
        .reply(denied());
    host.on_prefix(Method::Get, &format!("{API}/groups/g1?"))
        .reply(Reply::json(
            200,
            &json!({"id": "g1", "displayName": "Engineering", "groupTypes": [], "securityEnabled": true}),
        ));
    host.on(Method::Post, &format!("{API}/groups/g2/members/$ref"))
        .reply(denied());
    host.on_prefix(Method::Get, &format!("{API}/groups/g2?"))
        .reply(Reply::json(
            200,
            &json!({"id": "g2", "displayName": "Helpdesk admins", "groupTypes": [],
                "securityEnabled": true, "isAssignableToRole": true}),
        ));
    let e = Entra::add_to_group("u1".into(), "g1".into()).unwrap_err();
    assert!(
        matches!(&e, Error::Unauthorized(m) if m.contains("GroupMember.ReadWrite.All")),
        "{e:?}"
    );
    let e = Entra::add_to_group("u1".into(), "g2".into()).unwrap_err();
    assert!(
        matches!(&e, Error::Unsupported(m) if m.contains("RoleManagement.ReadWrite.Directory")),
        "{e:?}"
    );
}

#[test]
fn a_group_that_is_gone_is_not_found_and_removing_a_non_member_is_success() {
    let host = host();
    graph_client::testing::gone_group_and_non_member(&host);
    assert!(matches!(
        Entra::add_to_group("u1".into(), "g9".into()),
        Err(Error::NotFound(_))
    ));
    assert_eq!(Entra::remove_from_group("u1".into(), "g1".into()), Ok(()));
}

#[test]
fn throttling_is_rate_limited_for_the_seconds_graph_asks() {
    let host = host();
    host.on(Method::Post, &format!("{API}/groups/g1/members/$ref"))
        .reply(throttled("17"));
    host.on(Method::Delete, &format!("{API}/groups/g1/members/u1/$ref"))
        .reply(graph_error(503, "ServiceUnavailable", "Try later.").header("retry-after", "2"));
    assert_eq!(
        Entra::add_to_group("u1".into(), "g1".into()),
        Err(Error::RateLimited(17))
    );
    assert!(matches!(
        Entra::remove_from_group("u1".into(), "g1".into()),
        Err(Error::Unavailable(_))
    ));
}

#[test]
fn the_picker_filters_by_prefix_pages_by_the_next_link_and_skips_what_cannot_take_members() {
    let host = host();
    let next = format!("{API}/groups?%24filter=x&%24skiptoken=P2");
    host.on_prefix(Method::Get, &format!("{API}/groups?%24filter=startswith"))
        .reply(Reply::json(
            200,
            &json!({"@odata.nextLink": next, "value": [
                {"id": "g1", "displayName": "Eng Berlin", "groupTypes": []},
                {"id": "g2", "displayName": "Eng (all)", "groupTypes": ["DynamicMembership"]},
                {"id": "g3", "displayName": "Eng news", "groupTypes": [], "mailEnabled": true},
                {"id": "g4", "displayName": "Eng team", "groupTypes": ["Unified"], "mailEnabled": true},
            ]}),
        ));
    host.on(Method::Get, &next).reply(Reply::json(
        200,
        &json!({"value": [{"id": "g5", "displayName": "eng-it"}]}),
    ));
    let page = Entra::list_groups(Some(" Eng' ".into()), None).unwrap();
    assert_eq!(
        page.groups,
        [group("g1", "Eng Berlin"), group("g4", "Eng team")]
    );
    let sent = host.last_request();
    assert_eq!(
        sent.query("$filter").as_deref(),
        Some("startswith(displayName,'Eng''')")
    );
    assert_eq!(sent.query("$top").as_deref(), Some("100"));
    assert_eq!(page.next_cursor.as_deref(), Some(next.as_str()));
    let last = Entra::list_groups(Some("ignored with a cursor".into()), page.next_cursor).unwrap();
    assert_eq!(last.groups, [group("g5", "eng-it")]);
    assert_eq!(last.next_cursor, None);
}

#[test]
fn the_picker_without_a_prefix_lists_every_group() {
    let host = host();
    host.on(
        Method::Get,
        &format!("{API}/groups?%24select=id%2CdisplayName%2CgroupTypes%2CmailEnabled%2CsecurityEnabled%2CmembershipRule%2CisAssignableToRole&%24top=100"),
    )
    .reply(Reply::json(200, &json!({"value": [{"id": "g1", "displayName": "A"}]})));
    assert_eq!(
        Entra::list_groups(Some("  ".into()), None).unwrap().groups,
        [group("g1", "A")]
    );
}

#[test]
fn the_secret_and_the_token_never_reach_the_log() {
    let host = host();
    host.on(Method::Post, &format!("{API}/groups/g1/members/$ref"))
        .reply(already_a_member());
    Entra::add_to_group("u1".into(), "g1".into()).unwrap();
    assert!(!host.logs().is_empty());
    for (_, line) in host.logs() {
        assert!(!line.contains(SECRET) && !line.contains("tok-e"), "{line}");
    }
}
