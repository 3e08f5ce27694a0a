//! Settings → Jobs (admins): queued, running, failed and done jobs, paused connectors,
//! retry and cancel.

use super::{Form, Signed, forbidden, page, redirect_with};
use crate::app::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use tenure_domain::JobState;
use tenure_domain::jiff::Timestamp;
use tenure_store::JobFilter;
use tenure_web::Flash;
use tenure_web::pages::settings::jobs::{JobRow, JobsPage, jobs};

/// Rows per table.
const SHOWN: usize = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings/jobs", get(list))
        .route("/settings/jobs/{id}/retry", post(retry))
        .route("/settings/jobs/{id}/cancel", post(cancel))
}

/// The jobs page's data (also the API's).
pub async fn collect(state: &AppState) -> JobsPage {
    let store = state.store.clone();
    let lists = tokio::task::spawn_blocking(move || {
        let unfinished = store.list_jobs(&JobFilter {
            unfinished: true,
            limit: SHOWN,
            ..JobFilter::default()
        })?;
        let recent = store.list_jobs(&JobFilter {
            limit: SHOWN * 5,
            ..JobFilter::default()
        })?;
        Ok::<_, tenure_store::StoreError>((unfinished, recent, store.parked()?))
    })
    .await
    .ok()
    .and_then(Result::ok);
    let Some((unfinished, recent, parked)) = lists else {
        return JobsPage::default();
    };
    let catalog = state.engine.read(|k| k.catalog.clone()).await;
    let row = |job: tenure_domain::Job| JobRow {
        app_name: job.intent.target(&catalog),
        job,
    };
    let running = unfinished
        .iter()
        .filter(|j| matches!(j.state, JobState::Running { .. }))
        .count();
    let (mut failed, mut done) = (Vec::new(), Vec::new());
    for job in recent {
        match job.state {
            JobState::Failed { .. } | JobState::Cancelled { .. } if failed.len() < SHOWN => {
                failed.push(row(job))
            }
            JobState::Done { .. } if done.len() < SHOWN => done.push(row(job)),
            _ => {}
        }
    }
    JobsPage {
        unfinished: unfinished.into_iter().map(row).collect(),
        failed,
        done,
        parked,
        running,
    }
}

async fn list(signed: Signed, State(state): State<AppState>) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "seeing jobs");
    }
    let data = collect(&state).await;
    page(&signed, jobs(&signed.chrome(), data))
}

async fn retry(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    if !form.signed.user.admin {
        return forbidden(&form.signed, "retrying jobs");
    }
    let store = state.store.clone();
    let result = tokio::task::spawn_blocking(move || store.retry_job(&id, Timestamp::now())).await;
    match result {
        Ok(Ok(Some(_))) => {
            state.engine.jobs_queued().notify_one();
            redirect_with("/settings/jobs", Flash::Ok("Queued again.".into()))
        }
        Ok(Ok(None)) => redirect_with(
            "/settings/jobs",
            Flash::Err("That job is running, done or gone; nothing to retry.".into()),
        ),
        _ => redirect_with("/settings/jobs", Flash::Err("The database failed.".into())),
    }
}

async fn cancel(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    if !form.signed.user.admin {
        return forbidden(&form.signed, "cancelling jobs");
    }
    let by = form.signed.user.user_id().to_string();
    let store = state.store.clone();
    let result =
        tokio::task::spawn_blocking(move || store.cancel_job(&id, &by, Timestamp::now())).await;
    match result {
        Ok(Ok(Some(_))) => redirect_with(
            "/settings/jobs",
            Flash::Ok("Cancelled. Its application is marked failed on the employee's page.".into()),
        ),
        Ok(Ok(None)) => redirect_with(
            "/settings/jobs",
            Flash::Err("That job is running or has finished.".into()),
        ),
        _ => redirect_with("/settings/jobs", Flash::Err("The database failed.".into())),
    }
}
