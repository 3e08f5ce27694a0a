//! What the store knows, as the planner reads it, and an in-memory version of it.

use std::collections::BTreeMap;

use crate::audit::AuditEntry;
use crate::effect::{Effect, JobIntent, NotificationKind, Plan};
use crate::employee::{Employee, SourceRef};
use crate::employees::Employees;
use crate::groups::Catalog;
use crate::guard::HeldOffboardings;
use crate::hr_record::Quarantine;
use crate::ids::{EmployeeId, HoldId, TaskId};
use crate::task::Task;

/// A read-only view of the store. Lookups return owned values: a store decodes them
/// anyway.
pub trait Known {
    /// The employee HR knows by this source and id.
    fn by_source(&self, source: &SourceRef) -> Option<Employee>;
    /// Every employee, terminated ones included, whose work email lower-cases to `email_key`.
    fn by_work_email(&self, email_key: &str) -> Vec<Employee>;
    /// The ids of [`Known::by_work_email`], without reading the employees.
    fn ids_by_work_email(&self, email_key: &str) -> Vec<EmployeeId>;
    fn employee(&self, id: &EmployeeId) -> Option<Employee>;
    /// Every employee; for re-applying the rules.
    fn employees(&self) -> Vec<Employee>;
    /// Employees the calendar can change by `until`: pending ones whose start date and
    /// those whose scheduled final day is on or before it. For the `due` run.
    fn awaiting_dates(&self, until: jiff::civil::Date) -> Vec<Employee>;
    fn task(&self, id: &TaskId) -> Option<Task>;
    /// Employees pending or active (pre-hires included), for the mass-termination guard.
    fn active_employee_count(&self) -> usize;
    /// Groups, rules, champions and apps.
    fn catalog(&self) -> &Catalog;
    /// Whether this record sits in quarantine.
    fn is_quarantined(&self, source: &SourceRef) -> bool;
    fn hold(&self, id: &HoldId) -> Option<HeldOffboardings>;
    /// Assets, returns, MDM commands and the hardware settings.
    fn hardware(&self) -> &crate::hardware::Hardware;
}

/// Everything in memory: the planner's tests use it, and `apply` shows how a store
/// applies a plan.
#[derive(Debug, Clone, Default)]
pub struct InMemoryKnown {
    pub catalog: Catalog,
    pub employees: Employees,
    pub tasks: crate::tasks::Tasks,
    pub holds: BTreeMap<HoldId, HeldOffboardings>,
    pub quarantine: Vec<Quarantine>,
    pub jobs: Vec<JobIntent>,
    pub outbox: Vec<(Vec<String>, NotificationKind)>,
    pub audit: Vec<AuditEntry>,
    pub hardware: crate::hardware::Hardware,
}

impl InMemoryKnown {
    pub fn new(catalog: Catalog) -> Self {
        Self {
            catalog,
            ..Self::default()
        }
    }

    pub fn with_employee(mut self, employee: Employee) -> Self {
        self.employees.insert(employee);
        self
    }

    /// Drops the audit entries, jobs and emails applied so far: a shell that keeps those
    /// on disk calls it after each `apply` so that memory holds only the state.
    pub fn forget_logs(&mut self) {
        self.audit.clear();
        self.jobs.clear();
        self.outbox.clear();
    }

    /// Applies a plan the way a store does (in one transaction there).
    pub fn apply(&mut self, plan: &Plan) {
        for effect in &plan.effects {
            match effect {
                Effect::CreateEmployee { employee }
                | Effect::UpdateEmployee { employee, .. }
                | Effect::MergePreHire { employee, .. } => {
                    self.employees.insert(employee.clone());
                }
                Effect::OpenTask { task } | Effect::UpdateTask { task } => {
                    self.tasks.insert(task.clone());
                }
                Effect::Notify { to, message } => self.outbox.push((to.clone(), message.clone())),
                Effect::EnqueueJob { job } => self.jobs.push(job.clone()),
                // The schedule lives on the employee; a store may also index it by date.
                Effect::ScheduleOffboarding { .. } | Effect::CancelOffboarding { .. } => {}
                Effect::HoldOffboardings { hold } => {
                    self.holds.insert(hold.id.clone(), hold.clone());
                }
                Effect::ResolveHold { hold, resolution } => {
                    if let Some(stored) = self.holds.get_mut(hold) {
                        stored.resolution = Some(resolution.clone());
                    }
                }
                Effect::ReleaseQuarantine { source, source_id } => self
                    .quarantine
                    .retain(|q| !(&q.source == source && &q.source_id == source_id)),
                Effect::PutAsset { asset } => self.hardware.put_asset(asset.clone()),
                Effect::PutShipment { shipment } => {
                    self.hardware
                        .shipments
                        .insert(shipment.id.clone(), shipment.clone());
                }
                Effect::PutOrder { order } => {
                    self.hardware.orders.insert(order.id.clone(), order.clone());
                }
                Effect::PutCommand { command } => {
                    self.hardware
                        .commands
                        .insert(command.id.clone(), command.clone());
                }
            }
        }
        for q in &plan.quarantined {
            self.quarantine
                .retain(|old| !(old.source == q.source && old.source_id == q.source_id));
            self.quarantine.push(q.clone());
        }
        self.audit.extend(plan.audit.iter().cloned());
    }
}

impl Known for InMemoryKnown {
    fn by_source(&self, source: &SourceRef) -> Option<Employee> {
        self.employees.by_source(source).cloned()
    }

    fn by_work_email(&self, key: &str) -> Vec<Employee> {
        self.employees.by_email_key(key).cloned().collect()
    }

    fn ids_by_work_email(&self, key: &str) -> Vec<EmployeeId> {
        self.employees
            .by_email_key(key)
            .map(|e| e.id.clone())
            .collect()
    }

    fn employee(&self, id: &EmployeeId) -> Option<Employee> {
        self.employees.get(id).cloned()
    }

    fn employees(&self) -> Vec<Employee> {
        self.employees.values().cloned().collect()
    }

    fn awaiting_dates(&self, until: jiff::civil::Date) -> Vec<Employee> {
        self.employees.awaiting_dates(until).cloned().collect()
    }

    fn task(&self, id: &TaskId) -> Option<Task> {
        self.tasks.get(id).cloned()
    }

    fn active_employee_count(&self) -> usize {
        self.employees.employed()
    }

    fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    fn is_quarantined(&self, source: &SourceRef) -> bool {
        self.quarantine
            .iter()
            .any(|q| q.source == source.source && q.source_id == source.source_id)
    }

    fn hardware(&self) -> &crate::hardware::Hardware {
        &self.hardware
    }

    fn hold(&self, id: &HoldId) -> Option<HeldOffboardings> {
        self.holds.get(id).cloned()
    }
}
