//! Every operation of `/api/v1`, one entry each: method, path, operationId, summary,
//! who may call it, and the Rust types of its query, body and answers. Adding a route
//! means adding its entry here (`tests/openapi.rs` fails on a route without one).

use super::bodies::*;
use super::schema::{SchemaFn, params_of, schema_of};
use crate::http::api::{catalog, employees, hardware, jobs, lifecycle, locations, plugins};
use crate::http::api::{sync, tasks};
use crate::plugin_install as install;
use tenure_domain::hardware::plan::MdmImport;
use tenure_domain::hardware::{HardwareSettings, NewAsset, OrderMove, plan::AssetChange};
use tenure_domain::{
    Application, AuditEntry, Catalog, Champions, CustomGroup, Decision, DryRun, Employee,
    HeldOffboardings, Job, Quarantine, Rule, Task, TaskAction, WhatIf,
};
use tenure_engine::lifecycle::NewPreHire;
use tenure_store::SyncRun;

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without a token.
    Public,
    /// Any API token (viewer or admin).
    Token,
    /// An admin token; a viewer token gets 403.
    Admin,
}

/// What a request carries.
#[derive(Clone, Copy)]
pub enum Body {
    Json(SchemaFn),
    /// A JSON body that may be left out.
    OptionalJson(SchemaFn),
    Csv,
}

/// One operation of the API.
pub struct Op {
    pub method: &'static str,
    /// Below `/api/v1`, with `{name}` for each path parameter.
    pub path: &'static str,
    pub id: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub access: Access,
    pub query: Option<SchemaFn>,
    /// Path parameters with a schema of their own (the rest are strings).
    pub path_schemas: Vec<(&'static str, SchemaFn)>,
    pub body: Option<Body>,
    /// Status, description, schema of the JSON answer (none: an empty answer).
    pub answers: Vec<(u16, &'static str, Option<SchemaFn>)>,
    /// Errors beyond the ones every operation of its kind has (401, 403, 404, 400, 422).
    pub errors: Vec<(u16, &'static str)>,
}

fn op(method: &'static str, tag: &'static str, path: &'static str, id: &'static str) -> Op {
    Op {
        method,
        path,
        id,
        tag,
        summary: "",
        access: Access::Token,
        query: None,
        path_schemas: Vec::new(),
        body: None,
        answers: Vec::new(),
        errors: Vec::new(),
    }
}

impl Op {
    fn says(mut self, summary: &'static str) -> Op {
        self.summary = summary;
        self
    }
    fn admin(mut self) -> Op {
        self.access = Access::Admin;
        self
    }
    fn public(mut self) -> Op {
        self.access = Access::Public;
        self
    }
    fn query<T: schemars::JsonSchema>(mut self) -> Op {
        self.query = Some(params_of::<T>);
        self
    }
    fn path_param<T: schemars::JsonSchema>(mut self, name: &'static str) -> Op {
        self.path_schemas.push((name, schema_of::<T>));
        self
    }
    fn body<T: schemars::JsonSchema>(mut self) -> Op {
        self.body = Some(Body::Json(schema_of::<T>));
        self
    }
    fn optional_body<T: schemars::JsonSchema>(mut self) -> Op {
        self.body = Some(Body::OptionalJson(schema_of::<T>));
        self
    }
    fn csv(mut self) -> Op {
        self.body = Some(Body::Csv);
        self
    }
    fn ok<T: schemars::JsonSchema>(self, description: &'static str) -> Op {
        self.answer::<T>(200, description)
    }
    fn answer<T: schemars::JsonSchema>(mut self, status: u16, description: &'static str) -> Op {
        self.answers
            .push((status, description, Some(schema_of::<T>)));
        self
    }
    fn empty(mut self, status: u16, description: &'static str) -> Op {
        self.answers.push((status, description, None));
        self
    }
    fn or(mut self, status: u16, description: &'static str) -> Op {
        self.errors.push((status, description));
        self
    }
}

const GET: &str = "get";
const POST: &str = "post";
const PUT: &str = "put";
const DELETE: &str = "delete";

/// The whole API.
pub fn all() -> Vec<Op> {
    let mut ops = vec![
        op(GET, "meta", "/openapi.json", "get_openapi")
            .public()
            .says("This document: the API described for people and tools (OpenAPI 3.1)")
            .ok::<serde_json::Map<String, serde_json::Value>>("The OpenAPI document"),
    ];
    ops.extend(plugins());
    ops.extend(sync_ops());
    ops.extend(people());
    ops.extend(task_ops());
    ops.extend(catalog_ops());
    ops.extend(review());
    ops.extend(job_ops());
    ops.extend(hardware_ops());
    ops
}

fn plugins() -> Vec<Op> {
    let t = "plugins";
    vec![
        op(GET, t, "/plugins", "list_plugins")
            .says("Every loaded plugin with its settings (secrets never returned)")
            .ok::<Vec<plugins::PluginView>>("Every loaded plugin"),
        op(GET, t, "/plugins/{id}", "get_plugin")
            .says("One plugin")
            .ok::<plugins::PluginView>("The plugin"),
        op(PUT, t, "/plugins/{id}/settings", "update_plugin_settings")
            .admin()
            .says("Change settings; secrets are stored encrypted and never returned")
            .body::<plugins::SettingsUpdate>()
            .ok::<plugins::PluginView>("The plugin with its settings now"),
        op(POST, t, "/plugins/{id}/test", "test_plugin")
            .admin()
            .says("Test the plugin's connection with its credentials")
            .ok::<plugins::TestResult>("Whether the connection works"),
        op(GET, t, "/plugins/{id}/groups", "list_plugin_groups")
            .admin()
            .says("The app connector's groups whose name starts with `prefix` (the group picker), at most 200")
            .query::<plugins::GroupQuery>()
            .ok::<ConnectorGroups>("The groups found"),
        op(POST, t, "/plugins/install", "stage_plugin")
            .admin()
            .says("Check a plugin (signature, manifest, compilation) and stage it: nothing runs until it is approved")
            .body::<install::Upload>()
            .ok::<install::Capabilities>("What the staged plugin is and asks for, with the approval token"),
        op(GET, t, "/plugins/install/{token}", "get_staged_plugin")
            .admin()
            .says("What a staged plugin is and asks for")
            .ok::<install::Capabilities>("The staged plugin"),
        op(DELETE, t, "/plugins/install/{token}", "cancel_plugin_install")
            .admin()
            .says("Drop a staged plugin without installing it")
            .empty(204, "The staged plugin is gone"),
        op(POST, t, "/plugins/install/{token}/approve", "approve_plugin_install")
            .admin()
            .says("Install (or upgrade to) a staged plugin")
            .ok::<install::Installed>("The plugin now installed"),
        op(DELETE, t, "/plugins/{id}", "remove_plugin")
            .admin()
            .says("Remove an installed plugin")
            .ok::<install::Removed>("The plugin removed"),
    ]
}

fn sync_ops() -> Vec<Op> {
    let t = "sync";
    vec![
        op(GET, t, "/sync", "get_sync_status")
            .says("Where each HR source's sync stands: running now (with counts so far), last run, next incremental start")
            .ok::<Vec<sync::SourceStatus>>("One status per HR source"),
        op(POST, t, "/sync", "start_sync")
            .admin()
            .says("Sync every configured HR source now; `?background=true` answers 202 at once")
            .query::<sync::StartQuery>()
            .ok::<SyncResult>("One report (sync run) per source and the errors")
            .answer::<SyncStarted>(202, "The sync started in the background"),
        op(GET, t, "/sync/runs", "list_sync_runs")
            .says("Recorded sync runs, newest first")
            .query::<sync::RunsQuery>()
            .ok::<Vec<SyncRun>>("Sync runs"),
    ]
}

fn people() -> Vec<Op> {
    let t = "employees";
    vec![
        op(GET, t, "/employees", "list_employees")
            .says("Employees, searched by `q` over name and work email (name order), paged with offset and limit (max 500)")
            .query::<employees::ListQuery>()
            .ok::<lifecycle::Page<Employee>>("One page of employees"),
        op(POST, t, "/employees", "add_pre_hire")
            .admin()
            .says("Add a pre-hire by hand; HR's record merges into it by work email later")
            .body::<NewPreHire>()
            .ok::<lifecycle::Effects>("The plan's effects"),
        op(GET, t, "/employees/{id}", "get_employee")
            .says("One employee with their tasks and work time zone (and where it came from)")
            .ok::<EmployeeDetail>("The employee"),
        op(POST, t, "/employees/{id}/offboard", "offboard_employee")
            .admin()
            .says("Offboard now (a same-day termination)")
            .ok::<lifecycle::Effects>("The plan's effects"),
        op(POST, t, "/employees/{id}/dry-run", "dry_run_employee")
            .says("What a change to this employee's HR record would cause (nothing is changed)")
            .body::<WhatIf>()
            .ok::<DryRun>("Steps, tasks, grants and revocations"),
        op(POST, t, "/dry-run", "dry_run_new_hire")
            .says("What a new HR record would cause (nothing is changed)")
            .body::<WhatIf>()
            .ok::<DryRun>("Steps, tasks, grants and revocations"),
        op(GET, t, "/employees/{id}/access", "get_employee_access")
            .says("Per application, what actually happened: requested, being created, active, failed (why), being revoked, revoked, waiting for a person, done by hand")
            .ok::<EmployeeAccess>("The employee's access records"),
        op(GET, "locations", "/locations", "list_locations")
            .says("Employees' work locations, most people first (at most 1,000), with the zone in use and the admin's zone")
            .ok::<locations::Locations>("The work locations"),
        op(PUT, "locations", "/locations/zone", "set_location_zone")
            .admin()
            .says("Set the zone of a work location: final days there end at midnight in it; `zone: null` clears it")
            .body::<locations::SetZone>()
            .ok::<Option<locations::Location>>("The location as it is now (null when nobody is there and no zone is set)"),
    ]
}

fn task_ops() -> Vec<Op> {
    let t = "tasks";
    vec![
        op(GET, t, "/tasks", "list_tasks")
            .says("Tasks, newest first, filtered by state, assignee, employee or kind and paged")
            .query::<tasks::TaskQuery>()
            .ok::<lifecycle::Page<Task>>("One page of tasks"),
        op(GET, t, "/tasks/{id}", "get_task")
            .says("One task")
            .ok::<Task>("The task"),
        op(POST, t, "/tasks/{id}/actions", "task_action")
            .admin()
            .says("Act on an open task: complete, cancel or reassign")
            .body::<TaskAction>()
            .ok::<Task>("The task as it is now"),
        op(POST, t, "/tasks/{id}/decision", "task_decision")
            .admin()
            .says("Record a champion's decision and close the task: Complete IT Setup, Group Change or Offboard Employee")
            .body::<Decision>()
            .ok::<Task>("The closed task with its decision"),
    ]
}

fn catalog_ops() -> Vec<Op> {
    let t = "catalog";
    let effects = "What re-applying the rules changed";
    vec![
        op(GET, t, "/catalog", "get_catalog")
            .says("Groups, rules, champions and applications")
            .ok::<Catalog>("The catalog"),
        op(PUT, t, "/catalog", "put_catalog")
            .admin()
            .says("Replace the catalog and re-apply it to everyone employed")
            .body::<Catalog>()
            .ok::<lifecycle::Effects>(effects),
        op(GET, t, "/groups", "list_groups")
            .says("Departments from HR (with employed counts) and custom groups")
            .ok::<catalog::Groups>("The groups"),
        op(PUT, t, "/groups", "put_groups")
            .admin()
            .says("Replace the custom groups and re-apply the rules")
            .body::<Vec<CustomGroup>>()
            .ok::<lifecycle::Effects>(effects),
        op(GET, t, "/rules", "list_rules")
            .says("What each group grants: applications and external groups")
            .ok::<Vec<Rule>>("The rules"),
        op(PUT, t, "/rules", "put_rules")
            .admin()
            .says("Replace the rules and re-apply them")
            .body::<Vec<Rule>>()
            .ok::<lifecycle::Effects>(effects),
        op(GET, t, "/applications", "list_applications")
            .says("Applications, their connector and champions")
            .ok::<Vec<Application>>("The applications"),
        op(PUT, t, "/applications", "put_applications")
            .admin()
            .says("Replace the applications and re-apply the rules")
            .body::<Vec<Application>>()
            .ok::<lifecycle::Effects>(effects),
        op(GET, t, "/champions", "get_champions")
            .says("Onboarding, hardware and default application champions")
            .ok::<Champions>("The champions"),
        op(PUT, t, "/champions", "put_champions")
            .admin()
            .says("Replace the champions")
            .body::<Champions>()
            .ok::<lifecycle::Effects>(effects),
    ]
}

fn review() -> Vec<Op> {
    let t = "review";
    vec![
        op(GET, t, "/holds", "list_holds")
            .says("Offboardings held by the mass-termination guard")
            .ok::<Vec<HeldOffboardings>>("The holds"),
        op(POST, t, "/holds/{id}/{decision}", "decide_hold")
            .admin()
            .says("Approve or reject a held batch of offboardings")
            .path_param::<HoldDecision>("decision")
            .ok::<lifecycle::Effects>("The plan's effects"),
        op(GET, t, "/quarantine", "list_quarantine")
            .says("HR records not applied, with their reasons")
            .ok::<Vec<Quarantine>>("Quarantined records"),
        op(GET, t, "/audit", "list_audit")
            .says("The audit log, newest first")
            .query::<lifecycle::AuditQuery>()
            .ok::<Vec<AuditEntry>>("Audit entries"),
    ]
}

fn job_ops() -> Vec<Op> {
    let t = "jobs";
    vec![
        op(GET, t, "/jobs", "list_jobs")
            .says("Jobs that call app connectors, newest first, with the paused connectors and why")
            .query::<jobs::ListQuery>()
            .ok::<JobList>("Jobs and paused connectors"),
        op(POST, t, "/jobs/{id}/retry", "retry_job")
            .admin()
            .says("Queue a failed, cancelled or waiting job again at once, with fresh attempts")
            .ok::<Job>("The job")
            .or(409, "The job is running, done or does not exist"),
        op(POST, t, "/jobs/{id}/cancel", "cancel_job")
            .admin()
            .says("Cancel a job that has not finished; its access record says so")
            .ok::<Job>("The job")
            .or(409, "The job is running, has finished or does not exist"),
    ]
}

fn hardware_ops() -> Vec<Op> {
    let t = "hardware";
    vec![
        op(GET, t, "/hardware/settings", "get_hardware_settings")
            .admin()
            .says("The warehouse and company sites devices go back to, parcel weight, currency")
            .ok::<HardwareSettings>("The hardware settings"),
        op(PUT, t, "/hardware/settings", "put_hardware_settings")
            .admin()
            .says("Replace the hardware settings; each address is checked")
            .body::<HardwareSettings>()
            .ok::<HardwareSettings>("The settings saved"),
        op(GET, t, "/assets", "list_assets")
            .admin()
            .says("Company assets, searched and filtered (at most 1,000)")
            .query::<hardware::ListQuery>()
            .ok::<AssetList>("The assets"),
        op(POST, t, "/assets", "add_asset")
            .admin()
            .says("Add an asset; a serial or tag already in inventory is refused (409)")
            .body::<NewAsset>()
            .answer::<AssetCreated>(201, "The asset was added")
            .or(409, "The serial or tag is already in inventory"),
        op(POST, t, "/assets/import", "import_assets_csv")
            .admin()
            .says("Import a CSV (header: model, serial, tag, purchase_date, cost, warranty_end, location); any bad row refuses the whole file with each row's reason (400), unless `skip_bad_rows=true`")
            .query::<hardware::ImportQuery>()
            .csv()
            .ok::<AssetImport>("What was imported and skipped"),
        op(POST, t, "/assets/import-mdm", "import_assets_from_mdm")
            .admin()
            .says("Import the devices the MDMs know: serials already in inventory are linked, new ones added")
            .ok::<MdmImport>("What was added and linked"),
        op(GET, t, "/assets/{id}", "get_asset")
            .admin()
            .says("One asset with its history and MDM commands")
            .ok::<AssetDetail>("The asset"),
        op(POST, t, "/assets/{id}/actions", "asset_action")
            .admin()
            .says("Move an asset: assign, restock, receive, repair or retire")
            .body::<AssetChange>()
            .ok::<AssetDetail>("The asset as it is now"),
        op(POST, t, "/returns/{id}/void", "void_return")
            .admin()
            .says("Void a booked return with the carrier; its devices can get a new one")
            .ok::<ReturnView>("The return"),
        op(POST, t, "/returns/{id}/rebook", "rebook_return")
            .admin()
            .says("Book a voided return again with the addresses given (each defaults to the voided one's); the employee gets the new code")
            .optional_body::<hardware::Rebook>()
            .ok::<ReturnView>("The new return"),
        op(GET, t, "/employees/{id}/hardware", "get_employee_hardware")
            .admin()
            .says("The employee's devices, returns (with tracking) and MDM commands")
            .ok::<EmployeeHardware>("The employee's hardware"),
        op(GET, t, "/orders", "list_orders")
            .admin()
            .says("Store orders, newest first")
            .ok::<OrderList>("The orders"),
        op(POST, t, "/orders", "place_order")
            .admin()
            .says("Order a store product for an employee; the supplier gets a purchase request by email")
            .body::<hardware::PlaceOrder>()
            .answer::<OrderView>(201, "The order was placed"),
        op(POST, t, "/orders/{id}/actions", "order_action")
            .admin()
            .says("Move an order: shipped, delivered (the device becomes an asset assigned to the employee) or cancelled")
            .body::<OrderMove>()
            .ok::<OrderView>("The order as it is now"),
    ]
}
