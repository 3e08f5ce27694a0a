//! A small company, its catalog, and helpers to run syncs against an in-memory store.
#![allow(dead_code)]

use tenure_domain::jiff::Timestamp;
use tenure_domain::jiff::tz::TimeZone;
use tenure_domain::*;

pub const SOURCE: &str = "merge-hris";

pub fn champion(user: &str, name: &str) -> Champion {
    Champion {
        user: UserId::new(user),
        name: name.into(),
        email: format!("{user}@acme.test"),
    }
}

pub fn app(id: &str, name: &str, connector: Option<&str>, champions: Vec<Champion>) -> Application {
    Application {
        id: AppId::new(id),
        name: name.into(),
        connector: connector.map(PluginId::new),
        champions,
        provisioning: Default::default(),
    }
}

pub fn okta(id: &str) -> ExternalGroup {
    ExternalGroup {
        connector: PluginId("okta".into()),
        id: id.into(),
        name: id.into(),
    }
}

pub fn slack_channel(name: &str) -> ExternalGroup {
    ExternalGroup {
        connector: PluginId("slack".into()),
        id: format!("C-{name}"),
        name: format!("#{name}"),
    }
}

pub fn google(name: &str) -> ExternalGroup {
    ExternalGroup {
        connector: PluginId("google-workspace".into()),
        id: name.into(),
        name: name.into(),
    }
}

/// Engineering gets GitHub and Slack, Design gets Figma and Slack, everyone gets Notion;
/// managers get Lattice.
pub fn catalog() -> Catalog {
    Catalog {
        custom_groups: vec![
            CustomGroup {
                id: GroupId::new("all-staff"),
                name: "All staff".into(),
                members: vec![],
                matches: Some(GroupMatch::default()),
            },
            CustomGroup {
                id: GroupId::new("managers"),
                name: "Managers".into(),
                members: vec![],
                matches: Some(GroupMatch {
                    title_contains: Some("manager".into()),
                    ..GroupMatch::default()
                }),
            },
        ],
        rules: vec![
            Rule {
                group: GroupRef::Department("Engineering".into()),
                applications: vec![AppId::new("github"), AppId::new("slack")],
                external_groups: vec![okta("Engineers"), slack_channel("eng")],
            },
            Rule {
                group: GroupRef::Department("Design".into()),
                applications: vec![AppId::new("figma"), AppId::new("slack")],
                external_groups: vec![slack_channel("design")],
            },
            Rule {
                group: GroupRef::Custom(GroupId::new("all-staff")),
                applications: vec![AppId::new("notion")],
                external_groups: vec![google("everyone@acme.test")],
            },
            Rule {
                group: GroupRef::Custom(GroupId::new("managers")),
                applications: vec![AppId::new("lattice")],
                external_groups: vec![],
            },
        ],
        champions: Champions {
            onboarding: vec![champion("olive", "Olive"), champion("omar", "Omar")],
            hardware: vec![champion("hank", "Hank")],
            default_application: vec![champion("dana", "Dana")],
        },
        applications: vec![
            app("github", "GitHub", Some("github"), vec![]),
            app("slack", "Slack", Some("slack"), vec![]),
            app("figma", "Figma", None, vec![champion("fay", "Fay")]),
            app("notion", "Notion", None, vec![]),
            app("lattice", "Lattice", None, vec![champion("lou", "Lou")]),
        ],
    }
}

/// An HR record for an engineer starting on `start`.
pub fn record(source_id: &str, email: &str, given: &str, family: &str) -> RawHrRecord {
    RawHrRecord {
        source: SOURCE.into(),
        source_id: source_id.into(),
        work_email: Some(email.into()),
        personal_email: None,
        given_name: given.into(),
        family_name: family.into(),
        preferred_name: None,
        department: Some("Engineering".into()),
        groups: vec![],
        title: Some("Engineer".into()),
        manager_source_id: None,
        work_location: None,
        work_time_zone: None,
        work_country: Some("US".into()),
        work_region: None,
        work_city: None,
        status: RawStatus::Pending,
        start_date: Some("2025-03-10".into()),
        termination_date: None,
        deleted: false,
    }
}

pub fn ann() -> RawHrRecord {
    record("100", "ann.lee@acme.test", "Ann", "Lee")
}

pub fn at(instant: &str) -> Timestamp {
    instant.parse().expect("a timestamp")
}

pub fn company_zone() -> TimeZone {
    tenure_domain::dates::zone("America/Chicago").unwrap()
}

/// A store, an id counter, and the company's settings.
pub struct World {
    pub known: InMemoryKnown,
    pub ids: SequentialIds,
    pub guard: MassTerminationGuard,
}

impl World {
    pub fn new() -> Self {
        World {
            known: InMemoryKnown::new(catalog()),
            ids: SequentialIds::default(),
            guard: MassTerminationGuard::default(),
        }
    }

    /// Plans a page at `now` without applying it.
    pub fn plan(&mut self, now: &str, page: &[RawHrRecord]) -> Plan {
        let mut ctx = PlanContext::new(at(now), company_zone(), &mut self.ids);
        ctx.mass_termination = self.guard;
        plan(&self.known, page, &mut ctx)
    }

    /// Plans a page at `now` and applies it.
    pub fn sync(&mut self, now: &str, page: &[RawHrRecord]) -> Plan {
        let plan = self.plan(now, page);
        self.known.apply(&plan);
        plan
    }

    /// The daily run at `now`, applied.
    pub fn due(&mut self, now: &str) -> Plan {
        let mut ctx = PlanContext::new(at(now), company_zone(), &mut self.ids);
        let plan = due(&self.known, &mut ctx);
        self.known.apply(&plan);
        plan
    }

    /// Runs a planner entry point against the store at `now`; does not apply.
    pub fn run<R>(
        &mut self,
        now: &str,
        f: impl FnOnce(&InMemoryKnown, &mut PlanContext<'_>) -> R,
    ) -> R {
        let mut ctx = PlanContext::new(at(now), company_zone(), &mut self.ids);
        ctx.mass_termination = self.guard;
        f(&self.known, &mut ctx)
    }

    /// Confirms every Offboard Employee task `plan` opened (devices kept), applied:
    /// confirming is what revokes.
    pub fn confirm_offboarding(&mut self, now: &str, plan: &Plan) -> Plan {
        let mut all = Plan::default();
        for task in plan.tasks().filter(|t| t.title() == "Offboard Employee") {
            let decision = Decision::Offboard(OffboardDecision {
                retrieval: DeviceRetrieval::Keep,
                mdm: MdmAction::None,
                shipping_address: None,
                note: None,
                devices: Vec::new(),
                origin: None,
                destination: None,
            });
            let p = self
                .run(now, |known, ctx| {
                    decide(known, &task.id, decision, &UserId::new("olive"), ctx)
                })
                .expect("the offboarding is confirmed");
            self.known.apply(&p);
            all.effects.extend(p.effects);
            all.audit.extend(p.audit);
        }
        all
    }

    pub fn employee(&self, source_id: &str) -> Employee {
        self.known
            .by_source(&SourceRef {
                source: PluginId::new(SOURCE),
                source_id: source_id.into(),
            })
            .expect("an employee with this source id")
    }
}

/// The effects as short words, to compare sequences at a glance.
pub fn kinds(plan: &Plan) -> Vec<String> {
    plan.effects
        .iter()
        .map(|effect| match effect {
            Effect::CreateEmployee { .. } => "create employee".to_string(),
            Effect::UpdateEmployee { .. } => "update employee".to_string(),
            Effect::MergePreHire { .. } => "merge pre-hire".to_string(),
            Effect::OpenTask { task } => format!("task {}", task.title()),
            Effect::UpdateTask { task } => format!("update task {}", task.title()),
            Effect::Notify { to, .. } => format!("email {}", to.join(",")),
            Effect::EnqueueJob { job } => format!("{:?} {}", job.action, job.app),
            Effect::ScheduleOffboarding { final_day, .. } => {
                format!("schedule offboarding {final_day}")
            }
            Effect::CancelOffboarding { .. } => "cancel offboarding".to_string(),
            Effect::HoldOffboardings { hold } => format!("hold {}", hold.employees.len()),
            Effect::ResolveHold { .. } => "resolve hold".to_string(),
            Effect::ReleaseQuarantine { .. } => "release quarantine".to_string(),
            Effect::PutAsset { asset } => format!("asset {} {}", asset.id, asset.state.words()),
            Effect::PutShipment { shipment } => format!("return {}", shipment.id),
            Effect::PutOrder { order } => format!("order {}", order.id),
            Effect::PutCommand { command } => format!("{} {}", command.verb(), command.asset),
        })
        .collect()
}

pub fn names(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

pub fn apps(ids: &[&str]) -> std::collections::BTreeSet<AppId> {
    ids.iter().map(|id| AppId::new(*id)).collect()
}

pub fn task_of<'p>(plan: &'p Plan, title: &str) -> &'p Task {
    plan.tasks()
        .find(|t| t.title() == title)
        .unwrap_or_else(|| panic!("no task {title} in {:#?}", kinds(plan)))
}
