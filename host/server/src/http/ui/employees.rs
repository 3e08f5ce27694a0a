//! Employees: the list (searchable, paged, fast at 100,000), Add Employee (pre-hire,
//! straight on to Complete IT Setup), the profile (with the time zone their final day
//! ends in), and offboarding now.

use super::{Form, Signed, forbidden, not_found, page, redirect_with, server_error};
use crate::app::AppState;
use crate::lifecycle::{ActError, NewPreHire};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use tenure_domain::{Effect, EmployeeId, Subject, Task};
use tenure_web::Flash;
use tenure_web::pages::employees::{self, EmployeeList, NewEmployeeForm};
use tenure_web::pages::profile::{ProfilePage, profile};

const PER_PAGE: usize = 50;
/// How many entries of a person's history the profile shows (newest first).
const HISTORY_SHOWN: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/employees", get(list).post(add))
        .route("/employees/new", get(add_page))
        .route("/employees/{id}", get(one))
        .route("/employees/{id}/offboard", post(offboard))
}

#[derive(serde::Deserialize)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: usize,
}

async fn list(
    signed: Signed,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Response {
    if !signed.user.sees_employees() {
        return forbidden(&signed, "seeing employees");
    }
    let needle = q.q.trim().to_lowercase();
    let skip = q.page.saturating_mul(PER_PAGE);
    let (total, rows) = state
        .engine
        .read(|k| {
            let (total, page) = k.employees.page_by_name(&needle, skip, PER_PAGE);
            (total, page.into_iter().cloned().collect())
        })
        .await;
    let html = employees::list(
        &signed.chrome(),
        EmployeeList {
            query: q.q.trim().to_string(),
            page: q.page,
            per_page: PER_PAGE,
            total,
            rows,
            can_add: signed.user.manages_lifecycle(),
        },
    );
    page(&signed, html)
}

async fn add_page(signed: Signed) -> Response {
    if !signed.user.manages_lifecycle() {
        return forbidden(&signed, "adding employees");
    }
    page(
        &signed,
        employees::add(&signed.chrome(), NewEmployeeForm::default(), None),
    )
}

async fn add(State(state): State<AppState>, form: Form) -> Response {
    let signed = &form.signed;
    if !signed.user.manages_lifecycle() {
        return forbidden(signed, "adding employees");
    }
    let kept = NewEmployeeForm {
        given_name: form.get("given_name"),
        family_name: form.get("family_name"),
        work_email: form.get("work_email"),
        personal_email: form.get("personal_email"),
        department: form.get("department"),
        title: form.get("title"),
        start_date: form.get("start_date"),
    };
    let again = |msg: String| {
        super::page_with_status(
            signed,
            StatusCode::UNPROCESSABLE_ENTITY,
            employees::add(&signed.chrome(), kept.clone(), Some(msg)),
        )
    };
    let start_date = match form.opt("start_date").map(|d| d.parse()) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => return again("The start date must be a date (YYYY-MM-DD).".into()),
    };
    let body = NewPreHire {
        given_name: kept.given_name.clone(),
        family_name: kept.family_name.clone(),
        work_email: kept.work_email.clone(),
        personal_email: form.opt("personal_email"),
        department: form.opt("department"),
        title: form.opt("title"),
        start_date,
    };
    match state.engine.add_pre_hire(body, signed.user.user_id()).await {
        Ok(plan) => {
            let setup = plan.effects.iter().find_map(|e| match e {
                Effect::OpenTask { task } if task.kind_name() == "complete_it_setup" => {
                    Some(task.id.clone())
                }
                _ => None,
            });
            match setup {
                Some(task) => redirect_with(
                    &format!("/tasks/{task}"),
                    Flash::Ok("Employee added. Now complete their IT setup.".into()),
                ),
                None => redirect_with("/employees", Flash::Ok("Employee added.".into())),
            }
        }
        Err(ActError::Refused(reason)) => again(reason),
        Err(e) => server_error(signed, e),
    }
}

async fn one(signed: Signed, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    if !signed.user.sees_employees() {
        return forbidden(&signed, "seeing employees");
    }
    let id = EmployeeId(id);
    let found = state
        .engine
        .read(|k| {
            let employee = k.employees.get(&id)?.clone();
            let mut tasks: Vec<Task> = k.tasks.of_employee(&id).cloned().collect();
            tasks.sort_by(|a, b| b.opened_at.cmp(&a.opened_at).then(b.id.cmp(&a.id)));
            let hw = &k.hardware;
            let devices: Vec<_> = hw.assigned_to(&id).into_iter().cloned().collect();
            let mut returns: Vec<_> = hw.shipments_for(&id).into_iter().cloned().collect();
            returns.sort_by_key(|x| std::cmp::Reverse(x.created_at));
            let commands: Vec<_> = hw
                .commands
                .values()
                .filter(|c| c.employee.id == id)
                .cloned()
                .collect();
            Some((
                employee,
                tasks,
                k.catalog.clone(),
                (devices, returns, commands),
            ))
        })
        .await;
    let Some((employee, tasks, catalog, (devices, returns, commands))) = found else {
        return not_found(&signed, &format!("There is no employee {id}."));
    };
    let show_addresses = signed.user.sees_addresses(&tasks);
    let work_place = tenure_domain::work_zone::place_label(&employee.profile);
    let work_zone = state.engine.work_zone_of(&employee.profile);
    let store = state.store.clone();
    let mut subjects = vec![Subject::Employee { id: id.clone() }];
    subjects.extend(tasks.iter().map(|t| Subject::Task { id: t.id.clone() }));
    subjects.extend(
        returns
            .iter()
            .map(|r| Subject::Shipment { id: r.id.clone() }),
    );
    let history = tokio::task::spawn_blocking(move || store.history(&subjects, HISTORY_SHOWN))
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let store = state.store.clone();
    let key = id.0.clone();
    let access = tokio::task::spawn_blocking(move || store.access_of(&key))
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let html = profile(
        &signed.chrome(),
        ProfilePage {
            employee,
            catalog,
            tasks,
            history,
            can_offboard: signed.user.manages_lifecycle(),
            show_addresses,
            access,
            devices,
            returns,
            commands,
            work_place,
            work_zone,
        },
    );
    page(&signed, html)
}

async fn offboard(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let signed = &form.signed;
    if !signed.user.manages_lifecycle() {
        return forbidden(signed, "offboarding employees");
    }
    let id = EmployeeId(id);
    let by = signed.user.user_id();
    match state
        .engine
        .act(|known, ctx| tenure_domain::offboard_now(known, &id, &by, ctx))
        .await
    {
        Ok(plan) => {
            let task = plan.tasks().find(|t| t.kind_name() == "offboard_employee");
            match task {
                Some(t) => redirect_with(
                    &format!("/tasks/{}", t.id),
                    Flash::Ok("Offboarding opened: confirming the task revokes access.".into()),
                ),
                None => redirect_with(&format!("/employees/{id}"), Flash::Ok("Offboarded.".into())),
            }
        }
        Err(ActError::Refused(reason)) => {
            redirect_with(&format!("/employees/{id}"), Flash::Err(reason))
        }
        Err(e) => server_error(signed, e),
    }
}
