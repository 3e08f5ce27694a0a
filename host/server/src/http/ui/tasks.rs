//! My tasks, and each task's workflow: Complete IT Setup, Group Change, Offboard
//! Employee, or done / cancelled for the rest.

use super::{Form, Signed, forbidden, not_found, page, redirect_with, server_error};
use crate::app::AppState;
use crate::lifecycle::ActError;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;
use tenure_domain::hardware::{AssetState, DeviceChoice, PostalAddress};
use tenure_domain::{
    AppChoice, AppId, Decision, DeviceRetrieval, Disposition, EquipDecision, GroupChangeDecision,
    MdmAction, OffboardDecision, ReceiveDecision, SetupDecision, Task, TaskAction, TaskId,
    TaskKind,
};
use tenure_web::Flash;
use tenure_web::pages::task_forms::hardware::HardwareView;
use tenure_web::pages::task_forms::{TaskPage, task_page};
use tenure_web::pages::tasks::{Scope, TaskList, my_tasks};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tasks", get(list))
        .route("/tasks/{id}", get(one))
        .route("/tasks/{id}/setup", post(setup))
        .route("/tasks/{id}/group-change", post(group_change))
        .route("/tasks/{id}/offboard", post(offboard))
        .route("/tasks/{id}/equip", post(equip))
        .route("/tasks/{id}/receive", post(receive))
        .route("/tasks/{id}/complete", post(complete))
        .route("/tasks/{id}/cancel", post(cancel))
}

const PER_PAGE: usize = 50;

#[derive(serde::Deserialize)]
struct ListQuery {
    scope: Option<String>,
    #[serde(default)]
    page: usize,
}

async fn list(
    signed: Signed,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Response {
    let scope = match q.scope.as_deref() {
        Some("all") if signed.user.admin => Scope::All,
        _ => Scope::Mine,
    };
    let me = signed.user.user_id();
    let admin = signed.user.admin;
    let skip = q.page.saturating_mul(PER_PAGE);
    let (total, tasks) = state
        .engine
        .read(|k| {
            // Mine: assigned to me; an admin also sees the unassigned ones.
            let mine = [Some(me.clone()), None];
            let owners = match scope {
                Scope::All => None,
                Scope::Mine if admin => Some(&mine[..]),
                Scope::Mine => Some(&mine[..1]),
            };
            let (total, page) = k.tasks.open_page(owners, skip, PER_PAGE);
            (total, page.into_iter().cloned().collect())
        })
        .await;
    let list = TaskList {
        scope,
        page: q.page,
        per_page: PER_PAGE,
        total,
        tasks,
    };
    page(&signed, my_tasks(&signed.chrome(), list))
}

/// The task's page data, or the response that says why not.
async fn load(
    signed: &Signed,
    state: &AppState,
    id: &TaskId,
    error: Option<String>,
) -> Result<TaskPage, Response> {
    let found = state
        .engine
        .read(|k| {
            let task = k.tasks.get(id)?.clone();
            let employee = k.employees.get(&task.employee.id)?.clone();
            let mut related: Vec<Task> = k
                .tasks
                .of_employee(&employee.id)
                .filter(|t| t.id != task.id)
                .cloned()
                .collect();
            related.sort_by_key(|t| std::cmp::Reverse(t.opened_at));
            let show_addresses = signed
                .user
                .sees_addresses(related.iter().chain(std::iter::once(&task)));
            let hardware = hardware_view(k, &task, &employee.id);
            Some(TaskPage {
                task,
                employee,
                catalog: k.catalog.clone(),
                related,
                error,
                show_addresses,
                access: Vec::new(),
                connectors: Default::default(),
                hardware,
                prefill: Default::default(),
            })
        })
        .await;
    let Some(mut found) = found else {
        return Err(not_found(signed, &format!("There is no task {id}.")));
    };
    found.hardware.carrier = state.carrier().map(|p| p.manifest().name.clone());
    if found.show_addresses {
        home_address(state, &mut found).await;
    }
    let (store, plugins, who) = (
        state.store.clone(),
        state.plugins.clone(),
        found.employee.id.0.clone(),
    );
    if let Ok((access, connectors)) = tokio::task::spawn_blocking(move || {
        (
            store.access_of(&who).unwrap_or_default(),
            crate::plugins::connector_states(&store, &plugins),
        )
    })
    .await
    {
        found.access = access;
        found.connectors = connectors;
    }
    if !signed.user.may_work(&found.task) {
        return Err(forbidden(signed, "working on this task"));
    }
    Ok(found)
}

async fn one(signed: Signed, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    match load(&signed, &state, &TaskId(id), None).await {
        Ok(p) => page(&signed, task_page(&signed.chrome(), p)),
        Err(r) => r,
    }
}

/// Runs the decision; on refusal shows the task again with the reason.
async fn finish(
    form: &Form,
    state: &AppState,
    id: TaskId,
    decided: Result<Decision, String>,
    done: &str,
) -> Response {
    let signed = &form.signed;
    let page_data = match load(signed, state, &id, None).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let result = match decided {
        Ok(decision) => state.decide(&id, decision, signed.user.user_id()).await,
        Err(e) => Err(ActError::Refused(e)),
    };
    match result {
        Ok(plan) => {
            // A champion who also equips new hires goes straight on to Equip New Hire.
            let me = signed.user.user_id();
            let equip = plan.tasks().find(|t| {
                matches!(t.kind, TaskKind::EquipNewHire { .. }) && t.assignees.contains(&me)
            });
            match equip {
                Some(t) => redirect_with(
                    &format!("/tasks/{}", t.id),
                    Flash::Ok(format!("{done} Now equip the new hire.")),
                ),
                None => redirect_with(
                    &format!("/employees/{}", page_data.employee.id),
                    Flash::Ok(done.to_string()),
                ),
            }
        }
        Err(ActError::Refused(reason)) => {
            let mut p = page_data;
            p.error = Some(reason);
            p.prefill = form
                .pairs()
                .filter(|(k, _)| *k != "csrf")
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            super::page_with_status(
                signed,
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                task_page(&signed.chrome(), p),
            )
        }
        Err(e) => server_error(signed, e),
    }
}

async fn setup(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let hardware = match form.get("needs_hardware").as_str() {
        "no" => None,
        _ => Some(
            form.opt("hardware")
                .unwrap_or_else(|| "standard kit".into()),
        ),
    };
    let decision = Decision::Setup(SetupDecision {
        applications: form.all("app").into_iter().map(AppId).collect(),
        hardware,
        note: form.opt("note"),
        accounts_now: form.opt("accounts_now").is_some(),
    });
    finish(
        &form,
        &state,
        TaskId(id),
        Ok(decision),
        "IT setup confirmed.",
    )
    .await
}

fn parse_choice(value: &str) -> Result<AppChoice, String> {
    match value {
        "keep" => Ok(AppChoice::Keep),
        "remove" => Ok(AppChoice::Remove),
        "grant" => Ok(AppChoice::Grant),
        "skip" => Ok(AppChoice::Skip),
        other => Err(format!(
            "`{other}` is not a choice (keep, remove, grant, skip)"
        )),
    }
}

async fn group_change(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let choices: Result<BTreeMap<AppId, AppChoice>, String> = form
        .prefixed("choice.")
        .map(|(app, v)| Ok((AppId(app.to_string()), parse_choice(v)?)))
        .collect();
    let mine = |applications: BTreeMap<AppId, AppChoice>| {
        form.signed
            .user
            .may_decide_apps(applications.keys())
            .map(|()| applications)
            .map_err(|app| {
                format!(
                    "You champion other applications than `{app}`: its access is decided by \
                     its own champions or the default application champions."
                )
            })
    };
    let groups: Result<BTreeMap<String, AppChoice>, String> = form
        .prefixed("group.")
        .map(|(key, v)| Ok((key.to_string(), parse_choice(v)?)))
        .collect();
    let decision = choices.and_then(mine).and_then(|applications| {
        Ok(Decision::GroupChange(GroupChangeDecision {
            applications,
            external_groups: groups?,
            note: form.opt("note"),
        }))
    });
    finish(&form, &state, TaskId(id), decision, "Group change applied.").await
}

async fn offboard(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let devices: Result<Vec<DeviceChoice>, String> = form
        .prefixed("device.")
        .map(|(asset, v)| {
            let retrieval = parse_retrieval(v, "")?;
            let mdm = match form.get(&format!("mdm.{asset}")).as_str() {
                "lock" => MdmAction::Lock,
                "wipe" => MdmAction::Wipe,
                _ => MdmAction::None,
            };
            Ok(DeviceChoice {
                asset: tenure_domain::AssetId(asset.to_string()),
                retrieval,
                mdm,
            })
        })
        .collect();
    let retrieval = if form.opt("retrieval").is_none() {
        Ok(DeviceRetrieval::Keep)
    } else {
        parse_retrieval(&form.get("retrieval"), &form.get("site"))
    };
    let mdm = match form.get("mdm").as_str() {
        "lock" => MdmAction::Lock,
        "wipe" => MdmAction::Wipe,
        _ => MdmAction::None,
    };
    let decision = retrieval.and_then(|retrieval| {
        Ok(Decision::Offboard(OffboardDecision {
            retrieval,
            mdm,
            shipping_address: form.opt("address"),
            note: form.opt("note"),
            devices: devices?,
            origin: address(&form, "origin"),
            destination: address(&form, "destination"),
        }))
    });
    finish(
        &form,
        &state,
        TaskId(id),
        decision,
        "Offboarding confirmed.",
    )
    .await
}

async fn simple(
    state: &AppState,
    id: TaskId,
    form: &Form,
    action: TaskAction,
    done: &str,
) -> Response {
    let signed = &form.signed;
    let p = match load(signed, state, &id, None).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let by = signed.user.user_id();
    match state
        .engine
        .act(|known, ctx| tenure_domain::act_on_task(known, &id, action, &by, ctx))
        .await
    {
        Ok(_) => redirect_with("/tasks", Flash::Ok(done.to_string())),
        Err(ActError::Refused(reason)) => {
            redirect_with(&format!("/tasks/{}", p.task.id), Flash::Err(reason))
        }
        Err(e) => server_error(signed, e),
    }
}

async fn complete(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let note = form.opt("note");
    simple(
        &state,
        TaskId(id),
        &form,
        TaskAction::Complete { note },
        "Task done.",
    )
    .await
}

async fn cancel(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let reason = form.get("reason");
    simple(
        &state,
        TaskId(id),
        &form,
        TaskAction::Cancel { reason },
        "Task cancelled.",
    )
    .await
}

/// `ship_to_warehouse`, `ship_to_site` (with `site`) or `ship_to_site:<key>`,
/// `in_person`, `keep`.
fn parse_retrieval(value: &str, site: &str) -> Result<DeviceRetrieval, String> {
    match value {
        "ship_to_warehouse" => Ok(DeviceRetrieval::ShipToWarehouse),
        "ship_to_site" => Ok(DeviceRetrieval::ShipToSite { site: site.into() }),
        v if v.starts_with("ship_to_site:") => Ok(DeviceRetrieval::ShipToSite {
            site: v["ship_to_site:".len()..].into(),
        }),
        "in_person" => Ok(DeviceRetrieval::InPerson),
        "keep" => Ok(DeviceRetrieval::Keep),
        _ => Err("choose how the devices come back".to_string()),
    }
}

/// The address fields under `prefix.` (`None` when all are empty).
pub(super) fn address(form: &Form, prefix: &str) -> Option<PostalAddress> {
    let f = |k: &str| form.get(&format!("{prefix}.{k}"));
    let street: Vec<String> = f("street")
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let empty = street.is_empty()
        && ["city", "postal_code", "country", "region"]
            .iter()
            .all(|k| f(k).is_empty());
    if empty {
        return None;
    }
    Some(PostalAddress {
        name: f("name"),
        street,
        city: f("city"),
        region: Some(f("region")).filter(|r| !r.is_empty()),
        postal_code: f("postal_code"),
        country: f("country"),
        phone: Some(f("phone")).filter(|r| !r.is_empty()),
    })
}

async fn equip(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let order = form
        .opt("product")
        .map(|product| tenure_domain::StoreCheckout {
            product,
            ship_to: address(&form, "ship").unwrap_or_default(),
        });
    let decision = Decision::Equip(EquipDecision {
        assets: form
            .all("asset")
            .into_iter()
            .map(tenure_domain::AssetId)
            .collect(),
        order,
        note: form.opt("note"),
    });
    finish(
        &form,
        &state,
        TaskId(id),
        Ok(decision),
        "New hire equipped.",
    )
    .await
}

async fn receive(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let devices: Result<BTreeMap<tenure_domain::AssetId, Disposition>, String> = form
        .prefixed("to.")
        .map(|(asset, v)| {
            let location = form.opt(&format!("location.{asset}"));
            let to = match v {
                "stock" => Disposition::Stock { location },
                "repair" => Disposition::Repair,
                "retire" => Disposition::Retire {
                    reason: form.get(&format!("reason.{asset}")),
                },
                other => return Err(format!("`{other}` is not a choice (stock, repair, retire)")),
            };
            Ok((tenure_domain::AssetId(asset.to_string()), to))
        })
        .collect();
    let decision = devices.map(|devices| {
        Decision::Receive(ReceiveDecision {
            devices,
            note: form.opt("note"),
        })
    });
    finish(&form, &state, TaskId(id), decision, "Devices received.").await
}

/// What the task page shows of hardware (the carrier's name is added by the caller).
fn hardware_view(
    k: &tenure_domain::InMemoryKnown,
    task: &Task,
    employee: &tenure_domain::EmployeeId,
) -> HardwareView {
    let hw = &k.hardware;
    let in_stock = if matches!(task.kind, TaskKind::EquipNewHire { .. }) {
        hw.assets()
            .filter(|a| matches!(a.state, AssetState::InStock | AssetState::Received))
            .take(500)
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let task_assets = match &task.kind {
        TaskKind::ReceiveDevices { assets, .. } => {
            assets.iter().filter_map(|a| hw.asset(a).cloned()).collect()
        }
        _ => Vec::new(),
    };
    let mut returns: Vec<_> = hw.shipments_for(employee).into_iter().cloned().collect();
    returns.sort_by_key(|x| std::cmp::Reverse(x.created_at));
    HardwareView {
        held: hw.assigned_to(employee).into_iter().cloned().collect(),
        in_stock,
        task_assets,
        settings: hw.settings.clone(),
        returns,
        carrier: None,
        origin_from: None,
    }
}

/// On an open Offboard task with devices to return, the home address the employee's HR
/// source has (read now, not synced), to confirm in the form.
async fn home_address(state: &AppState, page: &mut TaskPage) {
    let wanted = page.task.is_open()
        && matches!(page.task.kind, TaskKind::OffboardEmployee { .. })
        && !page.hardware.held.is_empty();
    let Some(source) = page.employee.source.clone().filter(|_| wanted) else {
        return;
    };
    let Some(plugin) = state.plugins.get(source.source.as_str()) else {
        return;
    };
    match plugin.hr_home_address(&source.source_id).await {
        Ok(Some(a)) => {
            let mut put = |k: &str, v: String| {
                page.prefill.insert(format!("origin.{k}"), v);
            };
            put("name", a.name);
            put("street", a.street.join("\n"));
            put("city", a.city);
            put("region", a.region.unwrap_or_default());
            put("postal_code", a.postal_code);
            put("country", a.country);
            put("phone", a.phone.unwrap_or_default());
            page.hardware.origin_from = Some(plugin.manifest().name.clone());
        }
        Ok(None) => {}
        Err(e) => tracing::debug!(plugin = plugin.id(), "no home address from HR: {e}"),
    }
}
