//! The job runner against an in-memory app connector: decisions become accounts exactly
//! once, through retries, rate limits, parked credentials, lost leases and permanent
//! failures; offboarding revokes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tenure_domain::jiff::{SignedDuration, Timestamp};
use tenure_domain::{
    AccessState, AppId, Application, Catalog, Champion, Champions, Decision, DeviceRetrieval,
    JobState, MdmAction, OffboardDecision, PluginId, Provisioning, SetupDecision, TaskKind, UserId,
};
use tenure_engine::email::{EmailConfig, Mailer};
use tenure_engine::jobs::connector::{
    Account, BoxFuture, Caps, CredentialKind, Leaver, OffboardCaps, OpState, Operation,
    ProvisionRequest, Provisioned, Who,
};
use tenure_engine::jobs::{AppConnector, ConnectorError, Connectors, JobsConfig, Missing, Runner};
use tenure_engine::lifecycle::{Engine, LifecycleConfig, NewPreHire};
use tenure_store::{SecretKey, Store};

/// Accounts by work email, and what was asked.
#[derive(Default)]
struct State {
    accounts: HashMap<String, (String, bool)>,
    offboarded: Vec<(String, Leaver)>,
    passwords: Vec<String>,
    calls: usize,
    /// Every n-th call fails with this (n, error); 0 = never.
    every: usize,
    fault: Option<ConnectorError>,
    /// Fails every call while set.
    refuse: Option<ConnectorError>,
    /// (account id, group id) memberships.
    members: std::collections::BTreeSet<(String, String)>,
}

#[derive(Clone, Default)]
struct FakeApp(Arc<Mutex<State>>);

impl FakeApp {
    fn check(&self) -> Result<(), ConnectorError> {
        let mut s = self.0.lock().unwrap();
        s.calls += 1;
        if let Some(e) = &s.refuse {
            return Err(e.clone());
        }
        if s.every > 0 && s.calls.is_multiple_of(s.every) {
            return Err(s.fault.clone().unwrap());
        }
        Ok(())
    }
    fn accounts(&self) -> usize {
        self.0.lock().unwrap().accounts.len()
    }
    fn active(&self, email: &str) -> Option<bool> {
        self.0.lock().unwrap().accounts.get(email).map(|a| a.1)
    }
}

impl AppConnector for FakeApp {
    fn describe(&self) -> BoxFuture<'_, Result<Caps, ConnectorError>> {
        Box::pin(async {
            Ok(Caps {
                find: true,
                provision: true,
                entitlements: true,
                reactivate: true,
                groups: true,
                offboard: OffboardCaps {
                    disable: true,
                    revoke_sessions: true,
                    remove_entitlements: true,
                    transfer_data: true,
                    ..OffboardCaps::default()
                },
                credentials: vec![CredentialKind::None, CredentialKind::TemporaryPassword],
            })
        })
    }
    fn find_account<'a>(
        &'a self,
        who: &'a Who,
    ) -> BoxFuture<'a, Result<Option<Account>, ConnectorError>> {
        Box::pin(async move {
            self.check()?;
            let s = self.0.lock().unwrap();
            Ok(s.accounts.get(&who.work_email).map(|(id, active)| Account {
                id: id.clone(),
                login: who.work_email.clone(),
                active: *active,
            }))
        })
    }
    fn provision<'a>(
        &'a self,
        r: &'a ProvisionRequest,
    ) -> BoxFuture<'a, Result<Provisioned, ConnectorError>> {
        Box::pin(async move {
            self.check()?;
            let mut s = self.0.lock().unwrap();
            if let tenure_engine::jobs::connector::Credential::TemporaryPassword(p) = &r.credential
            {
                s.passwords.push(p.clone());
            }
            let n = s.accounts.len() + 1;
            let created = !s.accounts.contains_key(&r.who.work_email);
            let (id, active) = s
                .accounts
                .entry(r.who.work_email.clone())
                .or_insert_with(|| (format!("acc-{n}"), true))
                .clone();
            Ok(Provisioned {
                account: Account {
                    id,
                    login: r.who.work_email.clone(),
                    active,
                },
                created,
                activation_link: None,
            })
        })
    }
    fn reactivate<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(async move {
            self.check()?;
            for a in self.0.lock().unwrap().accounts.values_mut() {
                if a.0 == id {
                    a.1 = true;
                }
            }
            Ok(())
        })
    }
    fn set_entitlements<'a>(
        &'a self,
        _id: &'a str,
        _e: &'a [String],
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(async move { self.check() })
    }
    fn offboard<'a>(
        &'a self,
        id: &'a str,
        _who: &'a Who,
        options: &'a Leaver,
    ) -> BoxFuture<'a, Result<Operation, ConnectorError>> {
        Box::pin(async move {
            self.check()?;
            let mut s = self.0.lock().unwrap();
            for a in s.accounts.values_mut() {
                if a.0 == id {
                    a.1 = false;
                }
            }
            s.offboarded.push((id.to_string(), options.clone()));
            Ok(Operation {
                id: Some("op-1".into()),
                state: OpState::InProgress,
            })
        })
    }
    fn operation_status<'a>(
        &'a self,
        _id: &'a str,
    ) -> BoxFuture<'a, Result<Operation, ConnectorError>> {
        Box::pin(async {
            Ok(Operation {
                id: None,
                state: OpState::Done,
            })
        })
    }
    fn add_to_group<'a>(
        &'a self,
        account: &'a str,
        group: &'a str,
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(async move {
            self.check()?;
            let mut s = self.0.lock().unwrap();
            s.members.insert((account.to_string(), group.to_string()));
            Ok(())
        })
    }
    fn remove_from_group<'a>(
        &'a self,
        account: &'a str,
        group: &'a str,
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(async move {
            self.check()?;
            let mut s = self.0.lock().unwrap();
            s.members.remove(&(account.to_string(), group.to_string()));
            Ok(())
        })
    }
}

struct One(FakeApp);
impl Connectors for One {
    fn app(&self, id: &str) -> Result<Arc<dyn AppConnector>, Missing> {
        match id {
            "fake" => Ok(Arc::new(self.0.clone())),
            _ => Err(Missing::NotInstalled),
        }
    }
}

struct World {
    _dir: tempfile::TempDir,
    store: Arc<Store>,
    engine: Arc<Engine>,
    runner: Arc<Runner>,
    app: FakeApp,
}

fn admin() -> UserId {
    UserId::new("admin")
}

async fn world(provisioning: Provisioning, jobs: JobsConfig) -> World {
    let dir = tempfile::tempdir().unwrap();
    let store =
        Arc::new(Store::open(&dir.path().join("t.redb"), SecretKey::from_bytes([3; 32])).unwrap());
    let mailer = Mailer::new(EmailConfig::default()).unwrap();
    let engine =
        Arc::new(Engine::load(store.clone(), &LifecycleConfig::default(), mailer).unwrap());
    let champion = Champion {
        user: admin(),
        name: "Admin".into(),
        email: "admin@acme.test".into(),
    };
    let catalog = Catalog {
        champions: Champions {
            onboarding: vec![champion.clone()],
            hardware: vec![champion.clone()],
            default_application: vec![champion.clone()],
        },
        applications: vec![Application {
            id: AppId::new("mail"),
            name: "Work email".into(),
            connector: Some(PluginId::new("fake")),
            champions: vec![],
            provisioning,
        }],
        ..Catalog::default()
    };
    engine.set_catalog(catalog, admin()).await.unwrap();
    let app = FakeApp::default();
    let runner = Runner::new(
        engine.clone(),
        store.clone(),
        Arc::new(One(app.clone())),
        jobs,
    );
    World {
        _dir: dir,
        store,
        engine,
        runner,
        app,
    }
}

fn quick() -> JobsConfig {
    JobsConfig {
        first_backoff_secs: 0,
        poll_millis: 50,
        max_attempts: 50,
        ..JobsConfig::default()
    }
}

/// Hires `n` people and confirms each one's Complete IT Setup with the app, now.
async fn hire(w: &World, n: usize) -> Vec<String> {
    let mut emails = Vec::new();
    for i in 0..n {
        let email = format!("p{i}@acme.test");
        let plan = w
            .engine
            .add_pre_hire(
                NewPreHire {
                    given_name: format!("P{i}"),
                    family_name: "Test".into(),
                    work_email: email.clone(),
                    personal_email: Some(format!("p{i}@home.test")),
                    department: None,
                    title: None,
                    start_date: None,
                },
                admin(),
            )
            .await
            .unwrap();
        let task = plan
            .tasks()
            .find(|t| matches!(t.kind, TaskKind::CompleteItSetup { .. }))
            .unwrap()
            .id
            .clone();
        w.engine
            .decide(
                &task,
                Decision::Setup(SetupDecision {
                    applications: [AppId::new("mail")].into(),
                    accounts_now: true,
                    ..SetupDecision::default()
                }),
                admin(),
            )
            .await
            .unwrap();
        emails.push(email);
    }
    emails
}

/// Runs the runner until nothing is queued or running (or 20 s pass).
async fn drain(w: &World) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        w.runner.tick().await.unwrap();
        if w.store.unfinished_jobs().unwrap() == 0 && w.runner.running() == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "jobs did not finish: {:?}",
            w.store.list_jobs(&Default::default()).unwrap()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn employee_of(w: &World, email: &str) -> String {
    let known = futures_lite(w.engine.snapshot());
    known
        .employees
        .iter()
        .find(|(_, e)| e.profile.work_email == email)
        .unwrap()
        .1
        .id
        .0
        .clone()
}

/// Offboards the employee now; returns the Offboard Employee task.
async fn offboard_now(w: &World, id: &tenure_domain::EmployeeId) -> tenure_domain::TaskId {
    let plan = w
        .engine
        .act(|known, ctx| tenure_domain::offboard_now(known, id, &admin(), ctx))
        .await
        .unwrap();
    plan.tasks()
        .find(|t| matches!(t.kind, TaskKind::OffboardEmployee { .. }))
        .unwrap()
        .id
        .clone()
}

/// Confirms an Offboard Employee task, devices kept: what revokes.
async fn confirm_offboarding(w: &World, task: &tenure_domain::TaskId) {
    w.engine
        .decide(
            task,
            Decision::Offboard(OffboardDecision {
                retrieval: DeviceRetrieval::Keep,
                mdm: MdmAction::None,
                shipping_address: None,
                note: None,
                devices: Vec::new(),
                origin: None,
                destination: None,
            }),
            admin(),
        )
        .await
        .unwrap();
}

fn futures_lite<F: std::future::Future>(f: F) -> F::Output {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(f))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_setup_decision_creates_each_account_once_and_the_access_record_says_so() {
    let w = world(Provisioning::default(), quick()).await;
    let emails = hire(&w, 3).await;
    assert_eq!(w.app.accounts(), 0, "nothing runs before the runner");
    drain(&w).await;
    assert_eq!(w.app.accounts(), 3);
    let id = employee_of(&w, &emails[0]);
    let access = w.store.access(&id, "mail").unwrap().unwrap();
    assert_eq!(access.state, AccessState::Active);
    assert!(access.account_id.is_some());
    let states: Vec<String> = access.history.iter().map(|h| h.state.label()).collect();
    assert_eq!(states, vec!["requested", "being created", "active"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_and_outages_on_every_third_call_still_converge_to_one_account_each() {
    for fault in [
        ConnectorError::RateLimited(0),
        ConnectorError::Unavailable("503".into()),
    ] {
        let w = world(Provisioning::default(), quick()).await;
        {
            let mut s = w.app.0.lock().unwrap();
            s.every = 3;
            s.fault = Some(fault.clone());
        }
        hire(&w, 10).await;
        drain(&w).await;
        assert_eq!(w.app.accounts(), 10, "{fault:?}");
        let jobs = w.store.jobs().unwrap();
        assert!(
            jobs.iter()
                .all(|(_, j)| matches!(j.state, JobState::Done { .. })),
            "{jobs:?}"
        );
        if matches!(fault, ConnectorError::Unavailable(_)) {
            assert!(jobs.iter().any(|(_, j)| j.attempts > 0), "some retried");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_park_the_connector_and_alert_until_its_settings_change() {
    let w = world(Provisioning::default(), quick()).await;
    w.store
        .create_user(&tenure_store::UserRecord {
            id: "admin".into(),
            name: "Admin".into(),
            email: "admin@acme.test".into(),
            admin: true,
            password_hash: "x".into(),
            created_at: 0,
            disabled: false,
            oidc_subject: None,
        })
        .unwrap();
    w.app.0.lock().unwrap().refuse = Some(ConnectorError::Unauthorized("invalid_client".into()));
    hire(&w, 2).await;
    for _ in 0..5 {
        w.runner.tick().await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let parked = w.store.parked().unwrap();
    assert_eq!(parked.len(), 1);
    assert!(parked[0].reason.contains("invalid_client"));
    assert_eq!(
        w.store.unfinished_jobs().unwrap(),
        2,
        "both wait, none failed"
    );
    let alerts: Vec<_> = w
        .store
        .outbox()
        .unwrap()
        .into_iter()
        .filter(|(_, e)| {
            matches!(
                e.message,
                tenure_domain::NotificationKind::ConnectorParked { .. }
            )
        })
        .collect();
    assert_eq!(alerts.len(), 1, "one alert, not one per job");
    assert_eq!(alerts[0].1.to, vec!["admin@acme.test".to_string()]);

    // An admin fixes the settings: the connector resumes and the jobs finish.
    w.app.0.lock().unwrap().refuse = None;
    assert!(w.store.unpark("fake").unwrap());
    drain(&w).await;
    assert_eq!(w.app.accounts(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_failure_opens_a_manual_task_with_the_reason() {
    let w = world(Provisioning::default(), quick()).await;
    w.app.0.lock().unwrap().refuse = Some(ConnectorError::InvalidInput("no licences left".into()));
    let emails = hire(&w, 1).await;
    drain(&w).await;
    assert_eq!(w.app.accounts(), 0);
    let known = w.engine.snapshot().await;
    let task = known
        .tasks
        .values()
        .find(|t| matches!(t.kind, TaskKind::ManualApp { .. }) && t.is_open())
        .expect("a manual task");
    let TaskKind::ManualApp { app_task } = &task.kind else {
        unreachable!()
    };
    assert!(
        app_task
            .reason
            .as_deref()
            .unwrap()
            .contains("no licences left"),
        "{app_task:?}"
    );
    let id = employee_of(&w, &emails[0]);
    let access = w.store.access(&id, "mail").unwrap().unwrap();
    assert!(
        matches!(access.state, AccessState::ManualPending { .. }),
        "{access:?}"
    );
    assert!(access.history.iter().any(|h| matches!(&h.state, AccessState::Failed { reason } if reason.contains("no licences left"))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_whose_worker_died_runs_again_and_finds_the_account_it_made() {
    let w = world(
        Provisioning::default(),
        JobsConfig {
            lease_secs: 1,
            ..quick()
        },
    )
    .await;
    let emails = hire(&w, 1).await;
    // A worker leases the job, creates the account, and dies before recording it.
    let now = Timestamp::now() + SignedDuration::from_secs(1);
    let leased = w
        .store
        .lease_jobs(
            now,
            now + SignedDuration::from_secs(1),
            10,
            |_| 10,
            || "dead".into(),
        )
        .unwrap();
    assert_eq!(leased.len(), 1);
    w.app
        .0
        .lock()
        .unwrap()
        .accounts
        .insert(emails[0].clone(), ("acc-1".into(), true));
    tokio::time::sleep(Duration::from_millis(2100)).await;
    drain(&w).await;
    assert_eq!(w.app.accounts(), 1);
    let id = employee_of(&w, &emails[0]);
    let access = w.store.access(&id, "mail").unwrap().unwrap();
    assert_eq!(access.account_id.as_deref(), Some("acc-1"));
    assert!(
        access
            .history
            .last()
            .unwrap()
            .note
            .contains("found the existing account")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirming_an_offboarding_revokes_sessions_hands_files_over_and_disables() {
    let w = world(
        Provisioning {
            transfer_data_to_manager: true,
            remove_entitlements: true,
            ..Provisioning::default()
        },
        quick(),
    )
    .await;
    let emails = hire(&w, 1).await;
    drain(&w).await;
    let id = tenure_domain::EmployeeId::new(employee_of(&w, &emails[0]));
    let task = offboard_now(&w, &id).await;
    drain(&w).await;
    assert_eq!(
        w.app.active(&emails[0]),
        Some(true),
        "nothing revoked before confirming"
    );
    confirm_offboarding(&w, &task).await;
    drain(&w).await;
    assert_eq!(w.app.active(&emails[0]), Some(false));
    let (_, options) = w.app.0.lock().unwrap().offboarded[0].clone();
    assert!(options.disable && options.revoke_sessions && options.remove_entitlements);
    assert_eq!(options.transfer_data_to, None, "no manager known");
    let access = w.store.access(&id.0, "mail").unwrap().unwrap();
    assert_eq!(access.state, AccessState::Revoked);
    assert!(
        access
            .history
            .last()
            .unwrap()
            .note
            .contains("signed out everywhere")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_password_goes_out_sealed_and_no_plaintext_stays() {
    let w = world(
        Provisioning {
            credential: tenure_domain::FirstCredential::TemporaryPassword,
            ..Provisioning::default()
        },
        quick(),
    )
    .await;
    hire(&w, 1).await;
    drain(&w).await;
    let password = w.app.0.lock().unwrap().passwords[0].clone();
    assert_eq!(password.len(), 20);
    assert!(password.chars().any(|c| c.is_ascii_uppercase()));
    assert!(password.chars().any(|c| c.is_ascii_digit()));
    let outbox = w.store.outbox().unwrap();
    let (job, sealed, to) = outbox
        .iter()
        .find_map(|(_, e)| match &e.message {
            tenure_domain::NotificationKind::Credential {
                job,
                sealed_password,
                ..
            } => Some((job.clone(), sealed_password.clone(), e.to.clone())),
            _ => None,
        })
        .expect("a credential email in the outbox");
    assert_eq!(
        to,
        vec!["p0@home.test".to_string()],
        "to the personal address"
    );
    assert!(!sealed.contains(&password));
    assert_eq!(
        w.store
            .open_note(&tenure_engine::jobs::credential_purpose(&job), &sealed)
            .unwrap(),
        password
    );
    assert!(
        w.store
            .open_note(&tenure_engine::jobs::credential_purpose("another"), &sealed)
            .is_err(),
        "bound to its job"
    );
    let file = std::fs::read(w._dir.path().join("t.redb")).unwrap();
    assert!(
        !file
            .windows(password.len())
            .any(|win| win == password.as_bytes()),
        "the password is nowhere in the database file"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_the_rules_give_are_joined_with_the_accounts_and_left_on_offboarding() {
    let w = world(Provisioning::default(), quick()).await;
    // Everyone joins the connector's group "Team" (id G1); the account comes from the
    // mail app's job, which may run after the join's first attempt.
    let mut catalog = w.engine.read(|k| k.catalog.clone()).await;
    catalog.custom_groups.push(tenure_domain::CustomGroup {
        id: tenure_domain::GroupId::new("all"),
        name: "All staff".into(),
        members: vec![],
        matches: Some(tenure_domain::GroupMatch::default()),
    });
    let team = tenure_domain::ExternalGroup {
        connector: PluginId::new("fake"),
        id: "G1".into(),
        name: "Team".into(),
    };
    catalog.rules.push(tenure_domain::Rule {
        group: tenure_domain::GroupRef::Custom(tenure_domain::GroupId::new("all")),
        applications: vec![],
        external_groups: vec![team.clone()],
    });
    w.engine.set_catalog(catalog, admin()).await.unwrap();
    let emails = hire(&w, 2).await;
    drain(&w).await;
    let members = w.app.0.lock().unwrap().members.clone();
    assert_eq!(members.len(), 2, "{members:?}");
    let id = tenure_domain::EmployeeId::new(employee_of(&w, &emails[0]));
    let record = w.store.access(&id.0, &team.key().0).unwrap().unwrap();
    assert_eq!(record.state, AccessState::Active);
    assert_eq!(record.state.group_label(), "member");
    assert_eq!(record.group.as_ref(), Some(&team));

    let task = offboard_now(&w, &id).await;
    confirm_offboarding(&w, &task).await;
    drain(&w).await;
    let members = w.app.0.lock().unwrap().members.clone();
    assert_eq!(members.len(), 1, "only the one who stays: {members:?}");
    let record = w.store.access(&id.0, &team.key().0).unwrap().unwrap();
    assert_eq!(record.state, AccessState::Revoked);
    assert_eq!(record.state.group_label(), "left");
}
