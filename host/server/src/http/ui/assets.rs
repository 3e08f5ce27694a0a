//! The browser bundle, embedded in the binary and served under `/pkg/`: the loader,
//! the wasm-bindgen glue and the WebAssembly module that hydrates the islands.

use crate::app::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

const GLUE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pkg/tenure_web.js"));
const WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pkg/tenure_web_bg.wasm"));

/// Loads the module, starts the reactive runtime, then hydrates every island on the
/// page with the function the module exports under the island's name.
const BOOT: &str = r#"import init, * as bundle from "/pkg/tenure_web.js";
await init({ module_or_path: "/pkg/tenure_web_bg.wasm" });
bundle.hydrate();
for (const island of document.querySelectorAll("leptos-island")) {
  const hydrate = bundle[island.dataset.component];
  if (hydrate) hydrate(island);
}
document.documentElement.dataset.hydrated = "true";
"#;

/// Whether this binary was built with the bundle (see host/server/build.rs).
pub fn available() -> bool {
    !WASM.is_empty()
}

pub fn router() -> Router<AppState> {
    Router::new().route("/pkg/{file}", get(asset))
}

async fn asset(Path(file): Path<String>) -> Response {
    let (body, kind): (&'static [u8], &str) = match file.as_str() {
        "boot.js" if available() => (BOOT.as_bytes(), "text/javascript"),
        "tenure_web.js" if available() => (GLUE, "text/javascript"),
        "tenure_web_bg.wasm" if available() => (WASM, "application/wasm"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(kind).expect("ascii"),
    );
    // The bundle changes with the binary: revalidate, cheaply, by version.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    h.insert(
        header::ETAG,
        HeaderValue::from_static(concat!("\"", env!("CARGO_PKG_VERSION"), "\"")),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
