//! The job queue as the runner sees it: leases, order per employee and app, expiry,
//! parking, giving up, and the access records they move.

use tenure_domain::jiff::{SignedDuration, Timestamp};
use tenure_domain::{
    AccessState, AppId, Effect, EmployeeId, EmployeeRef, Job, JobAction, JobIntent, JobState, Plan,
    PluginId, SequentialIds,
};

use crate::{JobFinish, SecretKey, Store};

fn store(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("t.redb"), SecretKey::from_bytes([1; 32])).unwrap()
}

fn intent(employee: &str, app: &str, connector: &str, action: JobAction) -> JobIntent {
    JobIntent {
        action,
        app: AppId::new(app),
        group: None,
        connector: PluginId::new(connector),
        employee: EmployeeRef {
            id: EmployeeId::new(employee),
            name: employee.to_string(),
        },
        not_before: None,
    }
}

fn enqueue(store: &Store, intents: Vec<JobIntent>) {
    let plan = Plan {
        effects: intents
            .into_iter()
            .map(|job| Effect::EnqueueJob { job })
            .collect(),
        ..Plan::default()
    };
    store
        .commit_plan(&plan, &SequentialIds::default(), None)
        .unwrap();
}

fn lease(store: &Store, now: Timestamp, free: usize) -> Vec<Job> {
    static TOKENS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    store
        .lease_jobs(
            now,
            now + SignedDuration::from_secs(60),
            100,
            |_| free,
            || {
                let n = TOKENS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                format!("t{n}")
            },
        )
        .unwrap()
}

fn token(job: &Job) -> String {
    match &job.state {
        JobState::Running { token, .. } => token.clone(),
        other => panic!("not running: {other:?}"),
    }
}

fn done(account: &str) -> JobFinish {
    JobFinish::Done {
        note: "created".into(),
        access: AccessState::Active,
        account_id: Some(account.into()),
        notify: None,
    }
}

#[test]
fn steps_of_one_employee_and_app_run_in_order_and_move_the_access_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let now = Timestamp::now() + SignedDuration::from_secs(1);
    enqueue(
        &store,
        vec![
            intent("E-1", "m365", "microsoft365", JobAction::Provision),
            intent("E-1", "m365", "microsoft365", JobAction::Revoke),
            intent("E-2", "m365", "microsoft365", JobAction::Provision),
        ],
    );
    let access = store.access("E-1", "m365").unwrap().unwrap();
    assert_eq!(access.state, AccessState::Revoking, "the newest intent");
    let of_e1 = store.access_of("E-1").unwrap();
    assert_eq!(of_e1.len(), 1, "E-1's records, not E-2's");
    assert_eq!(of_e1[0].app.0, "m365");
    assert_eq!(store.unfinished_jobs().unwrap(), 3);

    let first = lease(&store, now, 10);
    let who: Vec<_> = first
        .iter()
        .map(|j| (j.intent.employee.id.0.as_str(), j.intent.action))
        .collect();
    assert_eq!(
        who,
        vec![("E-1", JobAction::Provision), ("E-2", JobAction::Provision)],
        "E-1's revocation waits for its provisioning"
    );
    assert_eq!(
        store.access("E-1", "m365").unwrap().unwrap().state,
        AccessState::Provisioning
    );
    assert!(
        lease(&store, now, 10).is_empty(),
        "leased jobs are not leased twice"
    );

    let p = &first[0];
    assert!(
        store
            .finish_job(&p.id, &token(p), done("acc-1"), now)
            .unwrap()
    );
    let access = store.access("E-1", "m365").unwrap().unwrap();
    assert_eq!(access.state, AccessState::Active);
    assert_eq!(access.account_id.as_deref(), Some("acc-1"));
    assert!(access.history.len() >= 3);

    let next = lease(&store, now, 10);
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].intent.action, JobAction::Revoke);
    assert_eq!(store.unfinished_jobs().unwrap(), 2);
}

#[test]
fn an_expired_lease_runs_again_and_the_old_holder_cannot_finish() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let now = Timestamp::now() + SignedDuration::from_secs(1);
    enqueue(
        &store,
        vec![intent("E-1", "g", "google-workspace", JobAction::Provision)],
    );
    let first = lease(&store, now, 1).remove(0);
    assert!(
        store.retry_job(&first.id, now).unwrap().is_none(),
        "its worker holds it"
    );
    assert!(store.cancel_job(&first.id, "ada", now).unwrap().is_none());
    assert!(lease(&store, now + SignedDuration::from_secs(59), 1).is_empty());
    let again = lease(&store, now + SignedDuration::from_secs(61), 1).remove(0);
    assert_eq!(again.id, first.id);
    assert_ne!(token(&again), token(&first), "{first:?} {again:?}");
    assert!(
        !store
            .finish_job(&first.id, &token(&first), done("x"), now)
            .unwrap()
    );
    // At start-up, whatever a worker held belongs to a process that is gone.
    assert_eq!(store.requeue_running(now).unwrap(), 1);
    let again = lease(&store, now, 1).remove(0);
    assert!(
        store
            .finish_job(&again.id, &token(&again), done("x"), now)
            .unwrap()
    );
    assert_eq!(store.unfinished_jobs().unwrap(), 0);
}

#[test]
fn per_connector_limits_and_parking() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let now = Timestamp::now() + SignedDuration::from_secs(1);
    enqueue(
        &store,
        (1..=5)
            .map(|n| {
                intent(
                    &format!("E-{n}"),
                    "m365",
                    "microsoft365",
                    JobAction::Provision,
                )
            })
            .collect(),
    );
    let leased = lease(&store, now, 2);
    assert_eq!(leased.len(), 2, "two free slots for the connector");
    let j = &leased[0];
    let mut parked_job = j.clone();
    parked_job.last_error = Some("401".into());
    let finish = JobFinish::Park {
        job: parked_job,
        reason: "the client secret is wrong".into(),
        alert: None,
    };
    assert!(store.finish_job(&j.id, &token(j), finish, now).unwrap());
    let parked = store.parked().unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].reason, "the client secret is wrong");
    let later = now + SignedDuration::from_secs(120);
    assert!(
        lease(&store, later, 10).is_empty(),
        "a parked connector runs nothing"
    );
    assert!(store.unpark("microsoft365").unwrap());
    assert_eq!(
        lease(&store, later, 10).len(),
        5,
        "resumed, the parked job included"
    );
}

#[test]
fn giving_up_fails_the_job_and_commits_the_manual_task_plan_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let now = Timestamp::now() + SignedDuration::from_secs(1);
    enqueue(
        &store,
        vec![intent("E-1", "m365", "microsoft365", JobAction::Provision)],
    );
    let j = lease(&store, now, 1).remove(0);
    let ids = SequentialIds::default();
    let finish = JobFinish::GiveUp {
        job: j.clone(),
        reason: "no licence left".into(),
        plan: Plan::default(),
        ids,
    };
    assert!(store.finish_job(&j.id, &token(&j), finish, now).unwrap());
    let failed = store
        .list_jobs(&crate::JobFilter {
            failed: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert!(
        matches!(&failed[0].state, JobState::Failed { reason, .. } if reason == "no licence left")
    );
    assert!(matches!(
        store.access("E-1", "m365").unwrap().unwrap().state,
        AccessState::Failed { .. }
    ));
    // An admin retries it: queued again with fresh attempts.
    let retried = store.retry_job(&j.id, now).unwrap().unwrap();
    assert_eq!((retried.state, retried.attempts), (JobState::Queued, 0));
    assert_eq!(lease(&store, now, 1).len(), 1);
}

#[test]
fn cancel_ends_an_unfinished_job_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let now = Timestamp::now() + SignedDuration::from_secs(1);
    enqueue(
        &store,
        vec![intent("E-1", "m365", "microsoft365", JobAction::Provision)],
    );
    let id = store.jobs().unwrap()[0].0.clone();
    assert!(store.cancel_job(&id, "admin", now).unwrap().is_some());
    assert!(store.cancel_job(&id, "admin", now).unwrap().is_none());
    assert!(lease(&store, now, 1).is_empty());
}

#[test]
fn schema_5_jobs_become_queued_jobs() {
    use redb::ReadableDatabase;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.redb");
    {
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let schema_5 = &crate::migrations::MIGRATIONS[..5];
        assert_eq!(crate::migrations::migrate(&txn, schema_5).unwrap(), 5);
        crate::codec::put_json(
            &mut txn.open_table(crate::tables::JOBS).unwrap(),
            "00000000000000000001",
            &intent("E-9", "m365", "microsoft365", JobAction::Provision),
        )
        .unwrap();
        txn.commit().unwrap();
        assert!(
            db.begin_read()
                .unwrap()
                .open_table(crate::tables::JOB_QUEUE)
                .is_err()
        );
    }
    let store = Store::open(&path, SecretKey::from_bytes([1; 32])).unwrap();
    let jobs = store.jobs().unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].1.state, JobState::Queued);
    assert_eq!(jobs[0].1.intent.employee.id.0, "E-9");
    assert_eq!(lease(&store, Timestamp::now(), 1).len(), 1);
}

#[test]
fn a_group_join_waits_for_the_jobs_creating_the_persons_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let now = Timestamp::now() + SignedDuration::from_secs(1);
    let join = |employee: &str| JobIntent {
        app: AppId::new("group:okta:00g1"),
        ..intent(employee, "group:okta:00g1", "okta", JobAction::Join)
    };
    enqueue(
        &store,
        vec![
            intent("E-1", "m365", "microsoft365", JobAction::Provision),
            join("E-1"),
            // Another person's join has no account being made: it runs at once.
            join("E-2"),
        ],
    );
    let first = lease(&store, now, 10);
    let who: Vec<(&str, JobAction)> = first
        .iter()
        .map(|j| (j.intent.employee.id.0.as_str(), j.intent.action))
        .collect();
    assert_eq!(
        who,
        [("E-1", JobAction::Provision), ("E-2", JobAction::Join)]
    );
    assert!(lease(&store, now, 10).is_empty(), "E-1's join still waits");
    // A paused connector's account creation holds no join back.
    let provision = &first[0];
    let finish = JobFinish::Park {
        job: provision.clone(),
        reason: "the client secret is wrong".into(),
        alert: None,
    };
    assert!(
        store
            .finish_job(&provision.id, &token(provision), finish, now)
            .unwrap()
    );
    let next = lease(&store, now, 10);
    assert_eq!(next.len(), 1, "{next:?}");
    assert_eq!(next[0].intent.action, JobAction::Join);
}

#[test]
fn a_group_join_runs_once_the_account_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let now = Timestamp::now() + SignedDuration::from_secs(1);
    enqueue(
        &store,
        vec![
            intent("E-1", "m365", "microsoft365", JobAction::Provision),
            JobIntent {
                app: AppId::new("group:entra:g1"),
                ..intent("E-1", "group:entra:g1", "entra", JobAction::Join)
            },
        ],
    );
    let first = lease(&store, now, 10);
    assert_eq!(first.len(), 1);
    let provision = &first[0];
    assert!(
        store
            .finish_job(&provision.id, &token(provision), done("00u1"), now)
            .unwrap()
    );
    let next = lease(&store, now, 10);
    assert_eq!(next.len(), 1);
    assert_eq!(
        (next[0].intent.employee.id.0.as_str(), next[0].intent.action),
        ("E-1", JobAction::Join)
    );
}
