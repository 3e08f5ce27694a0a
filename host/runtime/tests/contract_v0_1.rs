//! Plugins built for contract 0.1 keep running on the 0.2 host: the 0.1 build of the
//! Merge plugin (a fixture) reads the fake Merge exactly as the bundled one does, and a
//! 0.1 app connector (`plugins/testing/app-v0-1`, bound to `wit/v0.1.0` directly)
//! answers the 0.2 calls through the adapter.

mod common;

use common::*;
use std::sync::Arc;
use tenure_fakes::merge::{FakeMerge, MergeEmployee};
use tenure_runtime::types::{
    Capabilities, Credential, CredentialKind, Error, HrPage, LeaverOptions, OffboardCapabilities,
    Operation, OperationState, Person, ProvisionRequest,
};
use tenure_runtime::{CallError, MemoryStateStore, Plugin, PluginStateStore, Runtime};

// ---- hr-source: the 0.1 build of merge-hris ----

const KEY: &str = "test-key";
const ACCOUNT: &str = "test-account";

struct Merge {
    fake: FakeMerge,
    /// The 0.1 build kept in tests/fixtures.
    old: Plugin,
    /// The plugin bundled into this build.
    bundled: Plugin,
    state: Arc<MemoryStateStore>,
    _server: tenure_fakes::ServerHandle,
}

async fn merge(employees: usize) -> Merge {
    let fake = FakeMerge::new(KEY, ACCOUNT).with_employees(employees);
    let (origin, server) = fake.clone().serve(0).await.unwrap();
    let (rt, state) = strict_runtime();
    state.set_setting("merge-hris", "base_url", &origin);
    state.set_secret("merge-hris", "api_key", KEY);
    state.set_secret("merge-hris", "account_token", ACCOUNT);
    let (manifest, wasm) = fixture("merge-hris-0.1.0");
    let old = rt.load(manifest, &wasm).expect("the 0.1 build loads");
    let (manifest, wasm) = bundled("merge-hris");
    let bundled = rt.load(manifest, wasm).unwrap();
    Merge {
        fake,
        old,
        bundled,
        state,
        _server: server,
    }
}

async fn read_all(p: &Plugin, since: Option<&str>) -> Vec<HrPage> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = p.hr_fetch(since, cursor.as_deref()).await.expect("page");
        cursor = page.next_cursor.clone();
        pages.push(page);
        if cursor.is_none() {
            return pages;
        }
        assert!(pages.len() < 100, "paging does not end");
    }
}

#[tokio::test]
async fn merge_built_for_0_1_syncs_like_the_bundled_plugin() {
    let m = merge(250).await;
    assert_eq!(m.old.contract_version().to_string(), "0.1.0");
    m.old.hr_test_connection().await.unwrap();

    let old = read_all(&m.old, None).await;
    assert_eq!(
        old.iter().map(|p| p.employees.len()).collect::<Vec<_>>(),
        vec![100, 100, 50]
    );
    let ids: Vec<String> = old
        .iter()
        .flat_map(|p| p.employees.iter().map(|e| e.source_id.clone()))
        .collect();
    assert_eq!(
        ids,
        m.fake.employee_ids(),
        "every employee, in the source's order"
    );
    // Page for page, record for record what the bundled build reads. (Cursors are
    // opaque, and the same for both: they are Merge's.)
    assert_eq!(old, read_all(&m.bundled, None).await);

    // An incremental read too.
    m.fake.set_now("2026-06-01T12:00:00Z");
    let changed = m.fake.employee_ids()[7].clone();
    m.fake
        .update_employee(&changed, |e| e.last_name = Some("Renamed".into()));
    let new_id = m.fake.add_employee(MergeEmployee {
        first_name: Some("Nia".into()),
        last_name: Some("New".into()),
        work_email: Some("nia.new@example.com".into()),
        employment_status: Some("PENDING".into()),
        start_date: Some("2026-07-01T00:00:00Z".into()),
        ..Default::default()
    });
    let since = Some("2026-06-01T00:00:00Z");
    let old = read_all(&m.old, since).await;
    let mut ids: Vec<&str> = old
        .iter()
        .flat_map(|p| p.employees.iter().map(|e| e.source_id.as_str()))
        .collect();
    ids.sort();
    let mut want = vec![changed.as_str(), new_id.as_str()];
    want.sort();
    assert_eq!(ids, want);
    assert_eq!(old, read_all(&m.bundled, since).await);
}

#[tokio::test]
async fn merge_built_for_0_1_reports_the_same_errors() {
    let m = merge(3).await;
    m.fake.fail_next_with_429(17);
    let err = m.old.hr_fetch(None, None).await.unwrap_err();
    assert!(
        matches!(err, CallError::Plugin(Error::RateLimited(17))),
        "{err:?}"
    );
    assert_eq!(err.retry_after(), Some(17));

    m.state.set_secret("merge-hris", "api_key", "wrong");
    for p in [&m.old, &m.bundled] {
        let err = p.hr_fetch(None, None).await.unwrap_err();
        assert!(
            matches!(err, CallError::Plugin(Error::Unauthorized(_))),
            "{err:?}"
        );
        assert_eq!(err.kind(), "unauthorized");
    }
}

// ---- app-connector: a 0.1 connector through the adapter ----

const APP: &str = "app-v0-1";

fn app(rt: &Arc<Runtime>) -> Plugin {
    let (manifest, wasm) = testing(APP);
    rt.load(manifest, wasm)
        .expect("the 0.1 app connector loads")
}

fn person(email: &str) -> Person {
    Person {
        employee_id: "emp-1".into(),
        work_email: email.into(),
        login: None,
        personal_email: Some("ada@home.example".into()),
        given_name: "Ada".into(),
        family_name: "Lovelace".into(),
        display_name: "Ada Lovelace".into(),
        department: Some("Engineering".into()),
        title: None,
        manager_email: None,
        country: Some("GB".into()),
        time_zone: Some("Europe/London".into()),
        start_date: Some("2026-07-01".into()),
    }
}

fn provision_request(email: &str) -> ProvisionRequest {
    ProvisionRequest {
        who: person(email),
        credential: Credential::None,
        entitlements: vec![],
        idempotency_key: "job-1".into(),
    }
}

fn leaver(disable: bool) -> LeaverOptions {
    LeaverOptions {
        disable,
        revoke_sessions: false,
        remove_entitlements: false,
        transfer_data_to: None,
        forward_mail_to: None,
        auto_reply: None,
    }
}

/// The ids of the accounts the plugin created, from its key-value store.
fn created(state: &MemoryStateStore) -> Vec<String> {
    let list = state.kv_get(APP, "accounts", 0).unwrap_or_default();
    String::from_utf8(list)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn assert_unsupported<T: std::fmt::Debug>(r: Result<T, CallError>) -> String {
    match r {
        Err(CallError::Plugin(Error::Unsupported(m))) => {
            assert!(m.contains("0.1"), "says why: {m}");
            m
        }
        other => panic!("expected unsupported, got {other:?}"),
    }
}

#[tokio::test]
async fn a_0_1_connector_describes_itself_in_0_2_capabilities() {
    let (rt, _) = strict_runtime();
    let p = app(&rt);
    assert_eq!(p.contract_version().to_string(), "0.1.0");
    // Its features: groups, suspend and delete, licences false.
    assert_eq!(
        p.app_describe().await.unwrap(),
        Capabilities {
            find: false,
            provision: true,
            update_profile: false,
            entitlements: false,
            offboard: OffboardCapabilities {
                disable: true,
                revoke_sessions: false,
                remove_entitlements: false,
                transfer_data: false,
                forward_mail: false,
                auto_reply: false,
            },
            reactivate: true,
            delete: true,
            groups: true,
            credentials: vec![CredentialKind::None],
        }
    );
    p.app_test_connection().await.unwrap();
}

#[tokio::test]
async fn provisioning_twice_through_the_adapter_gives_one_account() {
    let (rt, state) = strict_runtime();
    let p = app(&rt);
    let first = p
        .app_provision(&provision_request("Ada@Example.com"))
        .await
        .unwrap();
    assert_eq!(first.account.id, "ada@example.com");
    assert!(first.account.active);
    // 0.1 cannot tell created from found: the adapter never claims it created.
    assert!(!first.created);
    assert_eq!(first.activation_link, None);
    let again = p
        .app_provision(&provision_request("ada@example.com"))
        .await
        .unwrap();
    assert_eq!(again.account.id, first.account.id);
    assert_eq!(created(&state), vec!["ada@example.com"]);
}

#[tokio::test]
async fn what_0_1_cannot_do_is_unsupported_and_nothing_is_called() {
    let (rt, state) = strict_runtime();
    let p = app(&rt);
    let who = person("ada@example.com");

    assert_unsupported(p.app_find_account(&who).await);

    let mut with_password = provision_request("ada@example.com");
    with_password.credential = Credential::TemporaryPassword("Secret-Temp-1".into());
    let msg = assert_unsupported(p.app_provision(&with_password).await);
    assert!(
        !msg.contains("Secret-Temp-1"),
        "the password is never shown"
    );
    let mut invited = provision_request("ada@example.com");
    invited.credential = Credential::Invitation;
    assert_unsupported(p.app_provision(&invited).await);
    let mut licensed = provision_request("ada@example.com");
    licensed.entitlements = vec!["E3".into()];
    assert_unsupported(p.app_provision(&licensed).await);
    assert!(created(&state).is_empty(), "ensure-account was not called");

    let err = p
        .app_update_profile("ada@example.com", &who)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "unsupported");
    assert_eq!(err.retry_after(), None);
    assert_unsupported(p.app_set_entitlements("ada@example.com", &[]).await);
    assert_unsupported(p.app_operation_status("op-1").await);
    assert_unsupported(p.app_list_memberships("ada@example.com", None).await);
    assert_eq!(
        rt.metrics().call_count(APP, "find-account", "unsupported"),
        1
    );
}

#[tokio::test]
async fn offboarding_disables_and_reactivating_restores() {
    let (rt, _) = strict_runtime();
    let p = app(&rt);
    let who = person("ada@example.com");
    let id = p
        .app_provision(&provision_request("ada@example.com"))
        .await
        .unwrap()
        .account
        .id;

    let done = Operation {
        id: None,
        state: OperationState::Done,
    };
    assert_eq!(
        p.app_offboard(&id, &who, &leaver(true)).await.unwrap(),
        done
    );
    let found = p
        .app_provision(&provision_request("ada@example.com"))
        .await
        .unwrap();
    assert!(!found.account.active, "suspended");

    // Any step beyond disabling is unsupported, and then nothing is done.
    p.app_reactivate(&id).await.unwrap();
    let mut more = leaver(true);
    more.transfer_data_to = Some("boss@example.com".into());
    more.revoke_sessions = true;
    let msg = assert_unsupported(p.app_offboard(&id, &who, &more).await);
    assert!(
        msg.contains("revoking sessions") && msg.contains("transferring data"),
        "{msg}"
    );
    let found = p
        .app_provision(&provision_request("ada@example.com"))
        .await
        .unwrap();
    assert!(found.account.active, "reactivated, and not disabled again");

    // Nothing asked: nothing to do.
    assert_eq!(
        p.app_offboard(&id, &who, &leaver(false)).await.unwrap(),
        done
    );

    // 0.1 errors come through with their case.
    let err = p.app_reactivate("nobody@example.com").await.unwrap_err();
    assert!(
        matches!(err, CallError::Plugin(Error::NotFound(_))),
        "{err:?}"
    );
    p.app_delete_account(&id).await.unwrap();
    let err = p.app_offboard(&id, &who, &leaver(true)).await.unwrap_err();
    assert_eq!(err.kind(), "not_found");
}

#[tokio::test]
async fn groups_are_found_by_name_through_the_pages_of_list_groups() {
    let (rt, state) = strict_runtime();
    let p = app(&rt);
    // "Engineering" is on the third page; names match without regard to case.
    let g = p.app_find_group("engineering").await.unwrap().unwrap();
    assert_eq!((g.id.as_str(), g.name.as_str()), ("g24", "Engineering"));
    let g = p.app_find_group("TEAM 03").await.unwrap().unwrap();
    assert_eq!(g.id, "g3");
    assert_eq!(p.app_find_group("Sales").await.unwrap(), None);

    let id = p
        .app_provision(&provision_request("ada@example.com"))
        .await
        .unwrap()
        .account
        .id;
    p.app_add_to_group(&id, "g24").await.unwrap();
    assert!(state.kv_get(APP, "member/ada@example.com/g24", 0).is_some());
    p.app_remove_from_group(&id, "g24").await.unwrap();
    assert!(state.kv_get(APP, "member/ada@example.com/g24", 0).is_none());

    // The group picker reads 0.1's pages, filtered by the prefix; the cursor passes on.
    let page = p.app_list_groups(Some("team 0"), None).await.unwrap();
    assert!(!page.groups.is_empty());
    assert!(
        page.groups.iter().all(|g| g.name.starts_with("Team 0")),
        "{page:?}"
    );
    assert!(page.next_cursor.is_some());

    // Groups that never end: the search stops after 100 pages and says so.
    state.set_setting(APP, "endless_groups", "yes");
    let msg = assert_unsupported(p.app_find_group("Sales").await);
    assert!(msg.contains("100 pages"), "{msg}");
}

#[tokio::test]
async fn a_0_2_connectors_group_directory_export_is_called() {
    let (rt, _state) = strict_runtime();
    let (manifest, wasm) = bundled("microsoft365");
    let p = rt.load(manifest, wasm).unwrap();
    // Built with the SDK, it exports group-directory: the call reaches the connector,
    // which asks for its settings first.
    match p.app_list_groups(Some("eng"), None).await {
        Err(CallError::Plugin(Error::Unauthorized(m))) => assert!(m.contains("tenant_id"), "{m}"),
        other => panic!("expected the connector's own answer, got {other:?}"),
    }
}
