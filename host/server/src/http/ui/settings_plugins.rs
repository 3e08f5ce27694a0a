//! Settings → Integrations → Install a plugin (admins): the installed plugins with
//! Upgrade and Remove, an upload (multipart: the component and its manifest), and the
//! approval screen showing what the plugin may reach and asks for before it runs.

use super::{Form, Signed, forbidden, page, page_with_status, problem, redirect_with};
use crate::app::AppState;
use crate::auth::session::same_token;
use crate::plugin_install::{self, Capabilities, InstallError};
use crate::plugins::Origin;
use axum::Router;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use tenure_web::Flash;
use tenure_web::pages::settings::plugins::{self as pages, Approval, InstalledPlugin};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings/plugins", get(list))
        .route("/settings/plugins/install", post(upload))
        .route("/settings/plugins/install/{token}/approve", post(approve))
        .route("/settings/plugins/install/{token}/cancel", post(cancel))
        .route("/settings/plugins/{id}/remove", post(remove))
}

const HERE: &str = "/settings/plugins";

fn installed(state: &AppState) -> Vec<InstalledPlugin> {
    state
        .plugins
        .loaded()
        .iter()
        .filter_map(|p| state.plugins.entry(p.id()))
        .filter(|e| matches!(e.origin, Origin::Installed(_)))
        .map(|e| {
            let m = e.plugin.manifest();
            InstalledPlugin {
                id: m.id.clone(),
                name: m.name.clone(),
                version: m.version.clone(),
                world: m.world.to_string(),
                publisher: e.signed.publisher().map(str::to_string),
            }
        })
        .collect()
}

fn list_page(
    signed: &Signed,
    state: &AppState,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    page_with_status(
        signed,
        status,
        pages::page(&signed.chrome(), installed(state), error),
    )
}

async fn list(signed: Signed, State(state): State<AppState>) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "installing plugins");
    }
    page(
        &signed,
        pages::page(&signed.chrome(), installed(&state), None),
    )
}

/// The fields of the upload form.
struct Upload {
    csrf: String,
    wasm: Vec<u8>,
    manifest: Vec<u8>,
}

async fn read_upload(mut form: Multipart) -> Result<Upload, String> {
    let mut up = Upload {
        csrf: String::new(),
        wasm: Vec::new(),
        manifest: Vec::new(),
    };
    let unreadable =
        |e: axum::extract::multipart::MultipartError| format!("the upload could not be read: {e}");
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name().unwrap_or_default() {
            "csrf" => up.csrf = field.text().await.map_err(unreadable)?,
            "wasm" => up.wasm = field.bytes().await.map_err(unreadable)?.to_vec(),
            "manifest" => up.manifest = field.bytes().await.map_err(unreadable)?.to_vec(),
            _ => {}
        }
    }
    Ok(up)
}

fn approval(c: Capabilities) -> Approval {
    Approval {
        token: c.approval,
        id: c.id,
        name: c.name,
        version: c.version,
        world: c.world.to_string(),
        description: c.description,
        publisher: c.publisher,
        allowed_hosts: c.allowed_hosts,
        secrets: c
            .settings
            .iter()
            .filter(|s| s.secret)
            .map(|s| s.key.clone())
            .collect(),
        settings: c
            .settings
            .iter()
            .filter(|s| !s.secret)
            .map(|s| s.key.clone())
            .collect(),
        replaces: c.replaces.map(|r| (r.version, r.allowed_hosts)),
        expires_in_minutes: c.expires_in_secs.div_ceil(60),
    }
}

/// Checks and stages the uploaded plugin, then shows what it asks for.
async fn upload(signed: Signed, State(state): State<AppState>, req: Request) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "installing plugins");
    }
    if !crate::http::guard::same_origin(req.headers()) {
        return problem(
            &signed,
            StatusCode::FORBIDDEN,
            "Refused",
            "The form came from another site.",
        );
    }
    let bad = |e: String| list_page(&signed, &state, StatusCode::BAD_REQUEST, Some(e));
    let form = match Multipart::from_request(req, &state).await {
        Ok(f) => f,
        Err(_) => {
            return bad(
                "Choose the plugin's .wasm file and its manifest, then send the form.".into(),
            );
        }
    };
    let up = match read_upload(form).await {
        Ok(up) => up,
        Err(e) => return bad(e),
    };
    if !same_token(&up.csrf, &signed.user.csrf) {
        return problem(
            &signed,
            StatusCode::FORBIDDEN,
            "Refused",
            "The form's security token did not match your session. Reload the page and try again.",
        );
    }
    if up.wasm.is_empty() || up.manifest.is_empty() {
        return bad("Choose both the .wasm file and its manifest (.toml).".into());
    }
    let Ok(manifest) = String::from_utf8(up.manifest) else {
        return bad("The manifest is not a text (UTF-8) file.".into());
    };
    match plugin_install::stage(&state.plugins, manifest, up.wasm).await {
        Ok(caps) => {
            tracing::info!(plugin = %caps.id, by = %signed.user.name, "plugin staged");
            page(&signed, pages::approval(&signed.chrome(), approval(caps)))
        }
        Err(InstallError::Internal(e)) => super::server_error(&signed, e),
        Err(e) => bad(format!("Not installed: {e}")),
    }
}

async fn approve(State(state): State<AppState>, Path(token): Path<String>, form: Form) -> Response {
    let signed = &form.signed;
    if !signed.user.admin {
        return forbidden(signed, "installing plugins");
    }
    match plugin_install::approve(&state.plugins, &token) {
        Ok(done) => {
            tracing::info!(plugin = %done.id, by = %signed.user.name, "plugin install approved");
            state.engine.jobs_queued().notify_one();
            let text = match &done.replaced {
                Some(old) => format!("{} upgraded from {old} to {}.", done.id, done.version),
                None => format!(
                    "{} {} installed. Fill in its settings.",
                    done.id, done.version
                ),
            };
            redirect_with(
                &format!("/settings/integrations/{}", done.id),
                Flash::Ok(text),
            )
        }
        Err(e) => redirect_with(HERE, Flash::Err(format!("Not installed: {e}"))),
    }
}

async fn cancel(State(state): State<AppState>, Path(token): Path<String>, form: Form) -> Response {
    if !form.signed.user.admin {
        return forbidden(&form.signed, "installing plugins");
    }
    // Gone already is as good as cancelled.
    let _ = plugin_install::cancel(&state.plugins, &token);
    redirect_with(HERE, Flash::Ok("Not installed.".into()))
}

async fn remove(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let signed = &form.signed;
    if !signed.user.admin {
        return forbidden(signed, "removing plugins");
    }
    match plugin_install::remove(&state.plugins, &id) {
        Ok(r) => {
            tracing::info!(plugin = %r.id, by = %signed.user.name, "plugin removed");
            redirect_with(HERE, Flash::Ok(format!("{} {} removed.", r.id, r.version)))
        }
        Err(e) => redirect_with(HERE, Flash::Err(e.to_string())),
    }
}
