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

    json!({
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
                    "kind": {"enum": ["text", "url", "number", "bool", "secret"]},
                    "required": {"type": "boolean"}, "help": {"type": ["string", "null"]},
                    "default": {"type": ["string", "null"]},
                    "value": {"type": ["string", "null"], "description": "Always null for secrets"},
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
                        "description": "Key to new value; an empty string removes a secret"}
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
            "/api/v1/plugins/{id}/test": {"post": {"summary": "Test the plugin's connection", "parameters": [id_param], "responses": ok_test}}
        }
    })
}
