//! `GET /api/v1/openapi.json`: the API described for people and tools (OpenAPI 3.1).
//! The operations are a table ([`operations`]); every request and answer body's schema
//! is derived from its Rust type ([`schema`]), so the document follows the code.

mod bodies;
pub mod operations;
mod schema;

use crate::app::AppState;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use operations::{Access, Body, Op};
use schema::{Schemas, schema_of};
use serde_json::{Map, Value, json};
use std::sync::LazyLock;

/// Where the API is mounted.
pub const PREFIX: &str = "/api/v1";

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(serve))
}

/// Built once: the document depends only on the code.
static DOCUMENT: LazyLock<String> = LazyLock::new(|| document().to_string());

async fn serve() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}

/// The whole document.
pub fn document() -> Value {
    let mut schemas = Schemas::default();
    let error = schema_of::<bodies::ErrorBody>(&mut schemas);
    let mut paths = Map::new();
    for op in operations::all() {
        let path = format!("{PREFIX}{}", op.path);
        let item = paths.entry(path).or_insert_with(|| json!({}));
        item[op.method] = operation(&op, &mut schemas, &error);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Tenure API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The REST API of Tenure. Every operation but this document takes \
                `Authorization: Bearer <token>`; tokens come from `tenure token create` \
                (`--role viewer` reads, admin tokens also change). Errors are \
                `{\"error\": \"...\"}` with a sentence a person can act on."
        },
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "An API token from `tenure token create`"}
            },
            "schemas": schemas.into_components(),
        },
    })
}

fn json_content(schema: Value) -> Value {
    json!({"application/json": {"schema": schema}})
}

/// One operation object.
fn operation(op: &Op, schemas: &mut Schemas, error: &Value) -> Value {
    let mut parameters = Vec::new();
    for name in path_params(op.path) {
        let schema = match op.path_schemas.iter().find(|(n, _)| *n == name) {
            Some((_, f)) => f(schemas),
            None => json!({"type": "string"}),
        };
        parameters.push(json!({"name": name, "in": "path", "required": true, "schema": schema}));
    }
    if let Some(query) = op.query
        && let Value::Array(more) = query(schemas)
    {
        parameters.extend(more);
    }

    let mut out = json!({
        "operationId": op.id,
        "summary": op.summary,
        "tags": [op.tag],
    });
    if op.access == Access::Admin {
        out["description"] = json!("Needs an admin token; a viewer token gets 403.");
    }
    if !parameters.is_empty() {
        out["parameters"] = Value::Array(parameters);
    }
    match op.body {
        Some(Body::Json(f)) => {
            out["requestBody"] = json!({"required": true, "content": json_content(f(schemas))});
        }
        Some(Body::OptionalJson(f)) => {
            out["requestBody"] = json!({"required": false, "content": json_content(f(schemas))});
        }
        Some(Body::Csv) => {
            out["requestBody"] = json!({"required": true, "content": {
                // The same bytes either way; generated clients send the second.
                "text/csv": {"schema": {"type": "string"}},
                "application/octet-stream": {"schema": {"type": "string", "format": "binary", "contentMediaType": "text/csv"}}
            }});
        }
        None => {}
    }

    let mut responses = Map::new();
    for (status, description, f) in &op.answers {
        let answer = match f {
            Some(f) => json!({"description": description, "content": json_content(f(schemas))}),
            None => json!({"description": description}),
        };
        responses.insert(status.to_string(), answer);
    }
    let mut errors: Vec<(u16, &str)> = Vec::new();
    if op.access != Access::Public {
        if op.method != "get" || op.query.is_some() || op.body.is_some() {
            errors.push((400, "The request was refused; the message says why"));
        }
        errors.push((401, "No bearer token, or one that is not valid"));
        if op.access == Access::Admin {
            errors.push((403, "Not an admin token"));
        }
        if op.path.contains('{') {
            errors.push((404, "Nothing has that id"));
        }
        errors.push((
            500,
            "The appliance failed (the database, a task); the message says how",
        ));
    }
    errors.extend(op.errors.iter().copied());
    for (status, description) in errors {
        responses.insert(
            status.to_string(),
            json!({"description": description, "content": json_content(error.clone())}),
        );
    }
    if matches!(op.body, Some(Body::Json(_) | Body::OptionalJson(_))) {
        responses.insert(
            "422".into(),
            json!({"description": "The JSON body does not have the documented shape", "content": {"text/plain": {"schema": {"type": "string"}}}}),
        );
    }
    out["responses"] = Value::Object(responses);
    if op.access == Access::Public {
        out["security"] = json!([]);
    }
    out
}

/// The `{name}` segments of a path, in order.
fn path_params(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}
