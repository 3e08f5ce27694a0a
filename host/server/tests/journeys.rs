//! The lifecycle end to end through the real `tenure` binary, once against the fake
//! TriNet and once against the fake Merge: a pre-hire added with `tenure employee add`
//! and merged by email, a hire, a bad record, a department change, terminations (future,
//! today, late), a rehire and a mass-termination hold, each checked through the REST
//! API and the email a real SMTP server received.

mod common;

use common::running::Tenure;
use common::{BIN, Smtp, delivered, start_smtp};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tenure_domain::jiff::civil::Date;
use tenure_domain::jiff::{Timestamp, ToSpan, tz::TimeZone};
use tenure_fakes::merge::{FakeMerge, MergeEmployee, MergeGroup};
use tenure_fakes::trinet::{FakeTriNet, TriNetDepartment, TriNetEmployee, TriNetName};

/// A person as HR has them.
#[derive(Debug, Clone)]
struct Person {
    given: String,
    family: String,
    email: Option<String>,
    department: String,
    start: Date,
    end: Option<Date>,
}

impl Person {
    fn new(given: &str, family: &str, department: &str, start: Date) -> Person {
        Person {
            given: given.into(),
            family: family.into(),
            email: Some(format!("{}.{}@acme.test", given, family).to_lowercase()),
            department: department.into(),
            start,
            end: None,
        }
    }
}

fn today() -> Date {
    Timestamp::now().to_zoned(TimeZone::UTC).date()
}

fn day(offset: i64) -> Date {
    today().checked_add(offset.days()).unwrap()
}

/// An HR system the test edits, as its admins would.
trait Hr: Send + Sync {
    /// The `[integrations.<id>]` section connecting Tenure to it.
    fn integration(&self, origin: &str) -> String;
    fn add(&self, p: &Person) -> String;
    fn update(&self, id: &str, p: &Person);
}

struct TriNet {
    fake: FakeTriNet,
}

impl TriNet {
    fn record(&self, p: &Person) -> TriNetEmployee {
        let dept = format!("D-{}", p.department.to_uppercase());
        if self.fake.department(&dept).is_none() {
            self.fake.add_department(TriNetDepartment {
                id: dept.clone(),
                name: p.department.clone(),
            });
        }
        let left = p.end.is_some_and(|e| e <= today());
        TriNetEmployee {
            names: vec![TriNetName {
                first_name: p.given.clone(),
                last_name: p.family.clone(),
                name_type: "PRI".into(),
                ..TriNetName::default()
            }],
            employment_status: if left { "T" } else { "A" }.into(),
            work_email: p.email.clone(),
            department_id: Some(dept),
            service_date: Some(p.start.to_string()),
            termination_date: p.end.map(|d| d.to_string()),
            ..TriNetEmployee::default()
        }
    }
}

impl Hr for TriNet {
    fn integration(&self, origin: &str) -> String {
        format!(
            "[integrations.trinet]\nbase_url = \"{origin}\"\ncompany_id = \"ACME\"\n\
             client_id = \"cid\"\nclient_secret = \"csecret\"\n"
        )
    }

    fn add(&self, p: &Person) -> String {
        self.fake.add_employee(self.record(p))
    }

    fn update(&self, id: &str, p: &Person) {
        let record = self.record(p);
        assert!(self.fake.update_employee(id, |e| {
            *e = TriNetEmployee {
                employee_id: e.employee_id.clone(),
                ..record
            }
        }));
    }
}

struct Merge {
    fake: FakeMerge,
    groups: Mutex<BTreeMap<String, String>>,
}

impl Merge {
    fn record(&self, p: &Person) -> MergeEmployee {
        let group = self
            .groups
            .lock()
            .unwrap()
            .entry(p.department.clone())
            .or_insert_with(|| {
                self.fake.add_group(MergeGroup {
                    name: Some(p.department.clone()),
                    group_type: Some("DEPARTMENT".into()),
                    ..MergeGroup::default()
                })
            })
            .clone();
        let status = if p.end.is_some_and(|e| e <= today()) {
            "INACTIVE"
        } else if p.start > today() {
            "PENDING"
        } else {
            "ACTIVE"
        };
        let at_midnight = |d: Date| format!("{d}T00:00:00Z");
        MergeEmployee {
            first_name: Some(p.given.clone()),
            last_name: Some(p.family.clone()),
            work_email: p.email.clone(),
            groups: vec![group],
            employment_status: Some(status.into()),
            start_date: Some(at_midnight(p.start)),
            termination_date: p.end.map(at_midnight),
            ..MergeEmployee::default()
        }
    }
}

impl Hr for Merge {
    fn integration(&self, origin: &str) -> String {
        format!(
            "[integrations.merge-hris]\nbase_url = \"{origin}\"\napi_key = \"key\"\n\
             account_token = \"acct\"\n"
        )
    }

    fn add(&self, p: &Person) -> String {
        self.fake.add_employee(self.record(p))
    }

    fn update(&self, id: &str, p: &Person) {
        let record = self.record(p);
        assert!(self.fake.update_employee(id, |e| {
            e.first_name = record.first_name;
            e.last_name = record.last_name;
            e.work_email = record.work_email;
            e.groups = record.groups;
            e.employment_status = record.employment_status;
            e.start_date = record.start_date;
            e.termination_date = record.termination_date;
        }));
    }
}

/// Waits until a delivered message contains every needle; returns it.
fn mail_with(smtp: &Smtp, needles: &[&str]) -> String {
    let started = Instant::now();
    loop {
        if let Some(m) = delivered(smtp)
            .into_iter()
            .find(|m| needles.iter().all(|n| m.contains(n)))
        {
            return m;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no email with {needles:?}; got {:#?}",
            delivered(smtp)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn catalog() -> Value {
    let champion =
        |user: &str| json!({"user": user, "name": user, "email": format!("{user}@acme.test")});
    json!({
        "champions": {
            "onboarding": [champion("ona")],
            "hardware": [],
            "default_application": [champion("dana")]
        },
        "applications": [{"id": "github", "name": "GitHub", "connector": null}],
        "rules": [{
            "group": {"kind": "department", "name": "Engineering"},
            "applications": ["github"]
        }]
    })
}

async fn journeys(hr: &dyn Hr, origin: &str) {
    let smtp = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let t = Tenure::start(dir.path(), &hr.integration(origin), &smtp);
    t.call("PUT", "/catalog", Some(catalog())).await;

    // A pre-hire, by the CLI while the server runs (through its admin socket).
    let out = Command::new(BIN)
        .args([
            "employee",
            "add",
            "--given-name",
            "Pat",
            "--family-name",
            "Pre",
        ])
        .args([
            "--work-email",
            "pat.pre@acme.test",
            "--department",
            "Engineering",
        ])
        .args(["--start-date", &day(10).to_string(), "--data-dir"])
        .arg(&t.data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.contains("added pre-hire E-"), "{printed}");
    let pat_id = t.find("pat.pre").await["id"].as_str().unwrap().to_string();
    mail_with(
        &smtp,
        &["To: ona@acme.test", "Complete IT Setup for Pat Pre"],
    );
    let pat_tasks = t.tasks(&format!("employee={pat_id}")).await.len();
    assert_eq!(
        pat_tasks, 1,
        "Complete IT Setup; its apps wait for its decision"
    );

    // HR: thirty engineers of long standing, a former employee, a new hire, the
    // pre-hire (email in other case), and a record without work email.
    let long_ago = day(-700);
    let mut staff = Vec::new();
    for n in 0..30 {
        let p = Person::new("Eng", &format!("Staff{n:02}"), "Engineering", long_ago);
        staff.push((hr.add(&p), p));
    }
    let mut rita = Person::new("Rita", "Return", "Engineering", day(-1100));
    rita.end = Some(day(-400));
    let rita_id = hr.add(&rita);
    hr.add(&Person::new("Nia", "New", "Engineering", day(14)));
    let mut pat = Person::new("Pat", "Pre", "Engineering", day(10));
    pat.email = Some("PAT.PRE@acme.test".into());
    hr.add(&pat);
    let mut nobody = Person::new("No", "Email", "Engineering", long_ago);
    nobody.email = None;
    hr.add(&nobody);

    let r = t.sync().await;
    assert_eq!(r["records"], 34, "{r}");
    assert_eq!(r["created"], 32, "30 staff, Rita, Nia: {r}");
    assert_eq!(r["quarantined"], 1, "{r}");
    assert_eq!(r["mode"], "full");
    let quarantine = t.get("/quarantine").await;
    assert_eq!(quarantine.as_array().unwrap().len(), 1);
    let reason = quarantine[0]["reason"].to_string();
    assert!(reason.contains("email"), "{reason}");

    let nia = t.find("nia.new").await;
    assert_eq!(nia["status"], "pending");
    let nia_setup = t
        .tasks(&format!(
            "employee={}&kind=complete_it_setup",
            nia["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(nia_setup.len(), 1);
    assert_eq!(nia_setup[0]["kind"]["kind"], "complete_it_setup");
    assert_eq!(nia_setup[0]["assignees"], json!(["ona"]));
    let nia_mail = mail_with(&smtp, &["Complete IT Setup for Nia New"]);
    assert!(
        nia_mail.contains("https://tenure.acme.test/tasks/"),
        "{nia_mail}"
    );

    let pat_now = t.find("pat.pre").await;
    assert_eq!(pat_now["id"], pat_id.as_str(), "merged into the pre-hire");
    assert!(pat_now["source"].is_object(), "now known to HR: {pat_now}");
    assert_eq!(
        t.tasks(&format!("employee={pat_id}")).await.len(),
        pat_tasks,
        "its task kept, none added"
    );

    let first = t.find("staff00").await;
    assert_eq!(first["status"], "active");
    let first_id = first["id"].as_str().unwrap().to_string();
    assert!(
        t.tasks(&format!("employee={first_id}")).await.is_empty(),
        "imported without tasks"
    );

    // A department change.
    let (id, mut p) = staff[0].clone();
    p.department = "Sales".into();
    hr.update(&id, &p);
    let r = t.sync().await;
    assert_eq!(r["mode"], "incremental");
    assert_eq!(r["changed"], 1, "{r}");
    let change = t
        .tasks(&format!("employee={first_id}&kind=group_change&state=open"))
        .await;
    assert_eq!(change.len(), 1);
    assert_eq!(change[0]["assignees"], json!(["dana"]));
    let c = &change[0]["kind"]["change"];
    assert_eq!(c["to_remove"]["applications"], json!(["github"]), "{c}");
    mail_with(&smtp, &["To: dana@acme.test", "Group Change: Eng Staff00"]);

    // A termination in a week, one today.
    let (future_id, mut future) = staff[1].clone();
    future.end = Some(day(7));
    hr.update(&future_id, &future);
    let (today_id, mut leaving) = staff[2].clone();
    leaving.end = Some(today());
    hr.update(&today_id, &leaving);
    t.sync().await;
    let future_emp = t.find("staff01").await;
    assert_eq!(future_emp["termination"]["final_day"], day(7).to_string());
    assert_eq!(
        future_emp["termination"]["offboarding"]["state"],
        "scheduled"
    );
    let fid = future_emp["id"].as_str().unwrap();
    assert!(
        t.tasks(&format!("employee={fid}&kind=offboard_employee"))
            .await
            .is_empty()
    );
    let gone = t.find("staff02").await;
    let gid = gone["id"].as_str().unwrap();
    let off = t
        .tasks(&format!("employee={gid}&kind=offboard_employee"))
        .await;
    assert_eq!(off.len(), 1, "opens on the final day");
    assert_eq!(off[0]["kind"]["late"], false);
    mail_with(&smtp, &["Offboard Employee: Eng Staff02"]);

    // A termination HR posts after the final day.
    let (late_id, mut late) = staff[3].clone();
    late.end = Some(day(-10));
    hr.update(&late_id, &late);
    t.sync().await;
    let late_emp = t.find("staff03").await;
    let lid = late_emp["id"].as_str().unwrap();
    let off = t
        .tasks(&format!("employee={lid}&kind=offboard_employee"))
        .await;
    assert_eq!(off.len(), 1);
    assert_eq!(off[0]["kind"]["late"], true);
    assert_eq!(off[0]["kind"]["days_late"], 10);

    // Rita comes back.
    let rita_before = t.find("rita.return").await;
    assert_eq!(rita_before["status"], "terminated");
    rita.start = day(7);
    rita.end = None;
    hr.update(&rita_id, &rita);
    t.sync().await;
    let rita_after = t.find("rita.return").await;
    assert_eq!(
        rita_after["id"], rita_before["id"],
        "the same record, never a duplicate"
    );
    assert_eq!(rita_after["status"], "pending");
    let rid = rita_after["id"].as_str().unwrap();
    let setup = t
        .tasks(&format!("employee={rid}&kind=complete_it_setup"))
        .await;
    assert_eq!(setup.len(), 1);
    assert_eq!(setup[0]["kind"]["rehire"], true);
    mail_with(&smtp, &["Rita Return"]);

    // Five leave at once: held for an admin.
    for (id, p) in &staff[10..15] {
        let mut p = p.clone();
        p.end = Some(day(-1));
        hr.update(id, &p);
    }
    t.sync().await;
    let holds = t.get("/holds").await;
    assert_eq!(holds.as_array().unwrap().len(), 1, "{holds}");
    let hold = &holds[0];
    assert_eq!(hold["employees"].as_array().unwrap().len(), 5);
    assert!(hold["resolution"].is_null());
    assert!(
        t.tasks("kind=offboard_employee&state=open").await.len() == 2,
        "none opened while held"
    );
    mail_with(
        &smtp,
        &["To: ona@acme.test", "5 offboardings held for approval"],
    );
    let hold_id = hold["id"].as_str().unwrap();
    t.call("POST", &format!("/holds/{hold_id}/approve"), None)
        .await;
    assert_eq!(t.tasks("kind=offboard_employee&state=open").await.len(), 7);

    // A champion finishes Nia's setup.
    let nia_task = nia_setup[0]["id"].as_str().unwrap();
    let done = t
        .call(
            "POST",
            &format!("/tasks/{nia_task}/actions"),
            Some(json!({"action": "complete", "note": "accounts ready"})),
        )
        .await;
    assert_eq!(done["state"]["state"], "done");
    assert_eq!(done["state"]["note"], "accounts ready");
    let audit = t.get("/audit?limit=5").await;
    assert_eq!(audit[0]["action"], "task_completed", "{audit}");

    // Every run is recorded.
    let runs = t.get("/sync/runs").await;
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 6);
    assert!(
        runs.iter()
            .all(|r| r["finished"].is_string() && r["error"].is_null())
    );
    let status = t.get("/sync").await;
    let source = status
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["configured"] == true)
        .unwrap();
    assert_eq!(source["last_run"]["id"], runs[0]["id"]);
    assert!(source["running"].is_null());
}

#[tokio::test(flavor = "multi_thread")]
async fn trinet_hr_plus_journeys() {
    tenure_runtime::install_crypto_provider();
    let fake = FakeTriNet::new("ACME", "cid", "csecret");
    let (origin, _server) = fake.clone().serve(0).await.unwrap();
    journeys(&TriNet { fake }, &origin).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn merge_hris_journeys() {
    tenure_runtime::install_crypto_provider();
    let fake = FakeMerge::new("key", "acct");
    let (origin, _server) = fake.clone().serve(0).await.unwrap();
    journeys(
        &Merge {
            fake,
            groups: Mutex::new(BTreeMap::new()),
        },
        &origin,
    )
    .await;
}
