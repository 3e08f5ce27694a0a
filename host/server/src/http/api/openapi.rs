//! `GET /api/v1/openapi.json`: the API described for people and tools.

use crate::app::AppState;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(document()) }))
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}

fn ok_json(description: &str) -> Value {
    json!({
        "200": {"description": description, "content": {"application/json": {"schema": {}}}},
        "400": error_response("The request was refused; the message says why"),
        "401": error_response("No or invalid bearer token"),
        "403": error_response("Not an admin token")
    })
}

/// Sync, employees and tasks.
fn work_paths(id_param: &Value) -> Value {
    json!({
        "/api/v1/sync": {
            "get": {"summary": "Where each HR source's sync stands: running now (with counts so far), last run, next incremental start", "responses": ok_json("One status per HR source")},
            "post": {"summary": "Sync every configured HR source now (admin); ?background=true answers 202 at once",
                "parameters": [{"name": "background", "in": "query", "schema": {"type": "boolean"}}],
                "responses": ok_json("One report (sync run) per source and the errors")}
        },
        "/api/v1/sync/runs": {"get": {"summary": "Recorded sync runs, newest first: started, finished, pages, records, created, changed, quarantined, error",
            "parameters": [{"name": "source", "in": "query", "schema": {"type": "string"}}, {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
            "responses": ok_json("Sync runs")}},
        "/api/v1/employees": {
            "get": {"summary": "Employees, searched by ?q= over name and work email, paged with offset and limit (max 500)",
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {"name": "offset", "in": "query", "schema": {"type": "integer"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}}
                ],
                "responses": ok_json("{total, offset, items}")},
            "post": {"summary": "Add a pre-hire by hand (admin); HR's record merges into it by work email later",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
                    "required": ["given_name", "family_name", "work_email"],
                    "properties": {"given_name": {"type": "string"}, "family_name": {"type": "string"},
                        "work_email": {"type": "string"}, "personal_email": {"type": "string"},
                        "department": {"type": "string"}, "title": {"type": "string"},
                        "start_date": {"type": "string", "format": "date"}}}}}},
                "responses": ok_json("The plan's effects")}
        },
        "/api/v1/employees/{id}": {"get": {"summary": "One employee with their tasks and work time zone (the zone their final day ends in, and where it came from: location, hr, {derived: city|region|country} or company)", "parameters": [id_param], "responses": ok_json("{employee, tasks, work_zone: {name, source}}")}},
        "/api/v1/employees/{id}/offboard": {"post": {"summary": "Offboard now (same-day termination, admin)", "parameters": [id_param], "responses": ok_json("The plan's effects")}},
        "/api/v1/employees/{id}/dry-run": {"post": {"summary": "What would happen to this employee (nothing is changed)", "parameters": [id_param], "responses": ok_json("Steps, tasks, grants and revocations")}},
        "/api/v1/dry-run": {"post": {"summary": "What a new HR record would cause (nothing is changed)", "responses": ok_json("Steps, tasks, grants and revocations")}},
        "/api/v1/tasks": {"get": {"summary": "Tasks, newest first, filtered and paged",
            "parameters": [
                {"name": "state", "in": "query", "schema": {"enum": ["open", "done", "cancelled", "all"]}},
                {"name": "assignee", "in": "query", "description": "A user id, or `none` for unassigned tasks", "schema": {"type": "string"}},
                {"name": "employee", "in": "query", "schema": {"type": "string"}},
                {"name": "kind", "in": "query", "schema": {"enum": ["complete_it_setup", "equip_new_hire", "group_change", "offboard_employee", "manual_app", "receive_devices"]}},
                {"name": "offset", "in": "query", "schema": {"type": "integer"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer"}}
            ],
            "responses": ok_json("{total, offset, items}")}},
        "/api/v1/tasks/{id}": {"get": {"summary": "One task", "parameters": [id_param], "responses": ok_json("The task")}},
        "/api/v1/tasks/{id}/actions": {"post": {"summary": "Act on an open task (admin): complete, cancel or reassign",
            "parameters": [id_param],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"oneOf": [
                {"type": "object", "required": ["action"], "properties": {"action": {"const": "complete"}, "note": {"type": "string"}}},
                {"type": "object", "required": ["action", "reason"], "properties": {"action": {"const": "cancel"}, "reason": {"type": "string"}}},
                {"type": "object", "required": ["action", "assignees"], "properties": {"action": {"const": "assign"}, "assignees": {"type": "array", "items": {"type": "string"}}}}
            ]}}}},
            "responses": ok_json("The task as it is now")}},
        "/api/v1/tasks/{id}/decision": {"post": {"summary": "Record a champion's decision and close the task (admin): Complete IT Setup (apps, hardware), Group Change (keep/remove/grant/skip per app), Offboard Employee (device retrieval, MDM, shipping address)",
            "parameters": [id_param],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"oneOf": [
                {"type": "object", "required": ["decision", "applications"], "properties": {"decision": {"const": "setup"}, "applications": {"type": "array", "items": {"type": "string"}}, "hardware": {"type": "string"}, "note": {"type": "string"}}},
                {"type": "object", "required": ["decision", "applications"], "properties": {"decision": {"const": "group_change"}, "applications": {"type": "object", "additionalProperties": {"enum": ["keep", "remove", "grant", "skip"]}}, "note": {"type": "string"}}},
                {"type": "object", "required": ["decision", "retrieval"], "properties": {"decision": {"const": "offboard"}, "retrieval": {"type": "object", "required": ["method"], "properties": {"method": {"enum": ["ship_to_warehouse", "ship_to_site", "in_person", "keep"]}, "site": {"type": "string"}}}, "mdm": {"enum": ["none", "lock", "wipe"]}, "shipping_address": {"type": "string"}, "note": {"type": "string"}}}
            ]}}}},
            "responses": ok_json("The closed task with its decision")}}
    })
}

/// What the lifecycle leaves to review, and the catalog.
/// The job queue and access records.
fn jobs_paths(id_param: &Value) -> Value {
    json!({
        "/api/v1/jobs": {"get": {"summary": "Jobs that call app connectors: ?state=unfinished (queued or running, default) | failed | all, newest first, ?limit (max 1000); with the paused (parked) connectors and why",
            "parameters": [{"name": "state", "in": "query", "schema": {"type": "string"}}, {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
            "responses": ok_json("{jobs, parked}")}},
        "/api/v1/jobs/{id}/retry": {"post": {"summary": "Queue a failed, cancelled or waiting job again at once, with fresh attempts (admin)",
            "parameters": [id_param], "responses": ok_json("The job")}},
        "/api/v1/jobs/{id}/cancel": {"post": {"summary": "Cancel a job that has not finished (admin); its access record says so",
            "parameters": [id_param], "responses": ok_json("The job")}},
        "/api/v1/employees/{id}/access": {"get": {"summary": "Per application, what actually happened: requested, being created, active, failed (why), being revoked, revoked, waiting for a person, done by hand; with the account id and history",
            "parameters": [id_param], "responses": ok_json("{access, pending, provisioning}")}}
    })
}

/// Assets, returns and the hardware settings (admin).
fn hardware_paths(id_param: &Value) -> Value {
    json!({
        "/api/v1/hardware/settings": {
            "get": {"summary": "The warehouse and company sites devices go back to, parcel weight, currency (admin)", "responses": ok_json("Hardware settings")},
            "put": {"summary": "Replace the hardware settings; each address is checked (admin)", "responses": ok_json("The settings saved")}
        },
        "/api/v1/assets": {
            "get": {"summary": "Company assets: ?q (model, serial, tag, assignee), ?state (in_stock, assigned, in_transit, received, in_repair, retired), ?location, ?limit (max 1000) (admin)",
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}, {"name": "state", "in": "query", "schema": {"type": "string"}}, {"name": "location", "in": "query", "schema": {"type": "string"}}, {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                "responses": ok_json("{assets}")},
            "post": {"summary": "Add an asset {model, serial, tag?, purchase_date?, cost_cents?, warranty_end?, location?} (admin); a serial already in inventory is refused (409)", "responses": {"201": {"description": "{id}", "content": {"application/json": {"schema": {}}}}}}
        },
        "/api/v1/assets/import": {"post": {"summary": "Import a CSV (header: model, serial, tag, purchase_date, cost, warranty_end, location); any bad row refuses the whole file with each row's reason (400), unless ?skip_bad_rows=true (admin)",
            "parameters": [{"name": "skip_bad_rows", "in": "query", "schema": {"type": "boolean"}}],
            "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string"}}}},
            "responses": ok_json("{imported, skipped}")}},
        "/api/v1/assets/import-mdm": {"post": {"summary": "Import the devices the MDMs know: serials already in inventory are linked to their device, new ones added (assigned to the employee the MDM names) (admin)", "responses": ok_json("{added, linked}")}},
        "/api/v1/assets/{id}": {"get": {"summary": "One asset with its history and MDM commands (admin)", "parameters": [id_param], "responses": ok_json("{asset, commands}")}},
        "/api/v1/assets/{id}/actions": {"post": {"summary": "Move an asset: {action: assign, employee} | {action: restock, location?} | {action: receive, location?} | {action: repair} | {action: retire, reason} (admin)", "parameters": [id_param], "responses": ok_json("{asset, commands}")}},
        "/api/v1/returns/{id}/void": {"post": {"summary": "Void a booked return with the carrier; its devices can get a new one (admin)", "parameters": [id_param], "responses": ok_json("{return}")}},
        "/api/v1/returns/{id}/rebook": {"post": {"summary": "Book a voided return again, with the addresses given {origin, destination?} (admin); the employee gets the new code", "parameters": [id_param], "responses": ok_json("{return}")}},
        "/api/v1/orders": {
            "get": {"summary": "Store orders, newest first (admin)", "responses": ok_json("{orders}")},
            "post": {"summary": "Order a store product for an employee {employee, product, ship_to} (admin); the supplier gets a purchase request by email", "responses": {"201": {"description": "{order}", "content": {"application/json": {"schema": {}}}}}}
        },
        "/api/v1/orders/{id}/actions": {"post": {"summary": "Move an order: {action: shipped, tracking?} | {action: delivered, serial, tag?} (the device becomes an asset assigned to the employee) | {action: cancel, reason} (admin)", "parameters": [id_param], "responses": ok_json("{order}")}},
        "/api/v1/employees/{id}/hardware": {"get": {"summary": "The employee's devices, returns (with tracking) and MDM commands (admin)", "parameters": [id_param], "responses": ok_json("{assets, returns, commands}")}}
    })
}

/// Work locations and the zones their final days are counted in.
fn location_paths() -> Value {
    json!({
        "/api/v1/locations": {"get": {"summary": "Employees' work locations, most people first (at most 1,000): label, employees, the zone in use {name, source} and the admin's zone (override, or null); with the total, employees without a location and the company's zone",
            "responses": ok_json("{locations, total, without_location, company_time_zone}")}},
        "/api/v1/locations/zone": {"put": {"summary": "Set the zone of a work location (admin): final days there end at midnight in it; `zone: null` clears it. An unknown zone name is refused (400)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["location"],
                "properties": {"location": {"type": "string", "description": "A label from GET /api/v1/locations"},
                    "zone": {"type": ["string", "null"], "description": "An IANA name such as Australia/Sydney"}}}}}},
            "responses": ok_json("The location as it is now (null when nobody is there and no zone is set)")}}
    })
}

fn review_paths(id_param: &Value) -> Value {
    json!({
        "/api/v1/quarantine": {"get": {"summary": "HR records not applied, with their reasons", "responses": ok_json("Quarantined records")}},
        "/api/v1/audit": {"get": {"summary": "The audit log, newest first", "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}], "responses": ok_json("Audit entries")}},
        "/api/v1/catalog": {
            "get": {"summary": "Groups, rules, champions and applications", "responses": ok_json("The catalog")},
            "put": {"summary": "Replace the catalog and re-apply it to everyone employed (admin)", "responses": ok_json("The plan's effects")}
        },
        "/api/v1/groups": {
            "get": {"summary": "Departments from HR (with employed counts) and custom groups", "responses": ok_json("{departments, custom}")},
            "put": {"summary": "Replace the custom groups and re-apply the rules (admin)", "responses": ok_json("The plan's effects")}
        },
        "/api/v1/rules": {
            "get": {"summary": "What each group grants: applications and external groups (Okta, Entra, Slack channels)", "responses": ok_json("Rules")},
            "put": {"summary": "Replace the rules and re-apply them (admin)", "responses": ok_json("The plan's effects")}
        },
        "/api/v1/applications": {
            "get": {"summary": "Applications, their connector and champions", "responses": ok_json("Applications")},
            "put": {"summary": "Replace the applications and re-apply the rules (admin)", "responses": ok_json("The plan's effects")}
        },
        "/api/v1/champions": {
            "get": {"summary": "Onboarding, hardware and default application champions", "responses": ok_json("Champions")},
            "put": {"summary": "Replace the champions (admin)", "responses": ok_json("The plan's effects")}
        },
        "/api/v1/holds": {"get": {"summary": "Offboardings held by the mass-termination guard", "responses": ok_json("Holds")}},
        "/api/v1/holds/{id}/{decision}": {"post": {"summary": "Approve or reject a hold (admin); decision is `approve` or `reject`", "parameters": [id_param, {"name": "decision", "in": "path", "required": true, "schema": {"enum": ["approve", "reject"]}}], "responses": ok_json("The plan's effects")}}
    })
}

pub fn document() -> Value {
    let id_param =
        json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}});
    let std_errors = json!({
        "401": error_response("No or invalid bearer token"),
        "404": error_response("No such plugin"),
    });
    let mut ok_plugin = std_errors.clone();
    ok_plugin["200"] = json!({"description": "The plugin", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Plugin"}}}});
    let mut ok_list = json!({"401": error_response("No or invalid bearer token")});
    ok_list["200"] = json!({"description": "Every loaded plugin", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Plugin"}}}}});
    let mut ok_update = ok_plugin.clone();
    ok_update["400"] = error_response("Unknown setting or bad value");
    ok_update["403"] = error_response("Not an admin token");
    let mut ok_test = std_errors.clone();
    ok_test["200"] = json!({"description": "Whether the connection works", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TestResult"}}}});

    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Tenure API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Bearer tokens come from `tenure token create`. Errors are `{\"error\": \"...\"}`."
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
                "Setting": {"type": "object", "properties": {
                    "key": {"type": "string"}, "label": {"type": "string"},
                    "kind": {"enum": ["text", "url", "number", "bool", "secret", "signing-key"], "description": "`signing-key`: a private key (PEM or service-account JSON) the host signs with; stored and shown like a secret"},
                    "required": {"type": "boolean"}, "help": {"type": ["string", "null"]},
                    "default": {"type": ["string", "null"]},
                    "value": {"type": ["string", "null"], "description": "Always null for secrets and signing keys"},
                    "is_set": {"type": "boolean"}
                }},
                "Plugin": {"type": "object", "properties": {
                    "id": {"type": "string"}, "name": {"type": "string"}, "version": {"type": "string"},
                    "world": {"enum": ["hr-source", "app-connector", "device-manager", "shipping"]},
                    "description": {"type": ["string", "null"]},
                    "allowed_hosts": {"type": "array", "items": {"type": "string"}},
                    "contract_version": {"type": "string"}, "configured": {"type": "boolean"},
                    "settings": {"type": "array", "items": {"$ref": "#/components/schemas/Setting"}}
                }},
                "SettingsUpdate": {"type": "object", "required": ["settings"], "properties": {
                    "settings": {"type": "object", "additionalProperties": {"type": "string"},
                        "description": "Key to new value; an empty string removes a secret or signing key"}
                }},
                "TestResult": {"type": "object", "properties": {"ok": {"type": "boolean"}, "error": {"type": ["string", "null"]}}}
            }
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/plugins": {"get": {"summary": "List plugins", "responses": ok_list}},
            "/api/v1/plugins/{id}": {"get": {"summary": "One plugin", "parameters": [id_param], "responses": ok_plugin}},
            "/api/v1/plugins/{id}/settings": {"put": {
                "summary": "Change settings (admin); secrets are stored encrypted and never returned",
                "parameters": [id_param],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SettingsUpdate"}}}},
                "responses": ok_update
            }},
            "/api/v1/plugins/{id}/test": {"post": {"summary": "Test the plugin's connection", "parameters": [id_param], "responses": ok_test}},
            "/api/v1/plugins/{id}/groups": {"get": {
                "summary": "The app connector's groups whose name starts with `prefix` (admin; the group picker): {groups: [{id, name}]}, at most 200",
                "parameters": [id_param, {"name": "prefix", "in": "query", "required": false, "schema": {"type": "string", "maxLength": 200}}],
                "responses": {"200": {"description": "The groups found", "content": {"application/json": {"schema": {}}}}, "400": {"description": "The connector cannot be asked or cannot list its groups"}}
            }}
        }
    });
    // Each resource's paths are their own `json!`: one literal for all of them is deeper
    // than the macro's recursion limit.
    for part in [
        work_paths(&id_param),
        jobs_paths(&id_param),
        review_paths(&id_param),
        hardware_paths(&id_param),
        location_paths(),
    ] {
        if let (Some(paths), Value::Object(more)) = (doc["paths"].as_object_mut(), part) {
            paths.extend(more);
        }
    }
    doc
}
