//! `/api/v1/openapi.json` describes the API as it is: a 3.1 document whose every `$ref`
//! resolves and whose every body has a schema, every API route in the source is in it
//! (a route added without its entry in `openapi/operations.rs` fails here), and real
//! answers of a synced appliance validate against the documented schemas.

mod common;

use common::InProcess;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use tenure::http::admin::{TokenCreate, create_token};
use tenure::http::api::Role;
use tenure::http::api::openapi::document;
use tenure_fakes::FakeMerge;

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// `(METHOD, path)` of every operation in the document.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS {
            if item.get(m).is_some() {
                out.insert((m.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

/// `(METHOD, path)` of every `.route(...)` in `src/http/api`.
fn api_routes_in_source() -> BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http/api");
    let mut out = BTreeSet::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = match std::fs::read_to_string(&path) {
                Ok(t) if path.extension().is_some_and(|x| x == "rs") => t,
                _ => continue,
            };
            for chunk in text.split(".route(").skip(1) {
                let Some(chunk) = chunk.trim_start().strip_prefix('"') else {
                    continue;
                };
                let (route, rest) = chunk.split_once('"').unwrap();
                // The handlers, up to the `)` that closes `.route(`.
                let mut depth = 1;
                let end = rest
                    .char_indices()
                    .find(|(_, c)| {
                        match c {
                            '(' => depth += 1,
                            ')' => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })
                    .map_or(rest.len(), |(i, _)| i);
                let call = &rest[..end];
                for m in METHODS {
                    let word = format!("{m}(");
                    let found = call
                        .match_indices(&word)
                        .any(|(i, _)| i == 0 || !call.as_bytes()[i - 1].is_ascii_alphanumeric());
                    if found {
                        out.insert((m.to_uppercase(), format!("/api/v1{route}")));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_api_route_is_documented_and_every_documented_route_is_served() {
    let doc = document();
    let source = api_routes_in_source();
    assert!(source.len() > 40, "found only {source:?}");
    let documented = documented(&doc);
    let missing: Vec<_> = source.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes without an entry in host/server/src/http/api/openapi/operations.rs: {missing:?}"
    );
    let extra: Vec<_> = documented.difference(&source).collect();
    assert!(extra.is_empty(), "documented but not served: {extra:?}");
}

/// The API rows of the route × role table in `tests/routes.rs`: method, path, and
/// whether a viewer token is refused (403).
fn viewer_refused_in_role_table() -> Vec<(String, String, bool)> {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/routes.rs");
    let text = std::fs::read_to_string(file).unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let table = flat
        .split_once("const API:")
        .and_then(|(_, rest)| rest.split_once("];"))
        .map(|(rows, _)| rows)
        .expect("tests/routes.rs has its API table");
    table
        .split("(\"")
        .skip(1)
        .filter_map(|row| {
            let (method, rest) = row.split_once('"')?;
            let path = rest.split('"').nth(1)?;
            let roles = rest.split_once('[')?.1.split_once(']')?.0;
            let viewer = roles.split(',').nth(1)?.trim();
            Some((method.to_string(), path.to_string(), viewer == "Deny"))
        })
        .collect()
}

#[test]
fn admin_only_operations_are_the_ones_the_role_table_refuses_viewers() {
    let doc = document();
    let rows = viewer_refused_in_role_table();
    assert!(rows.len() > 40, "read only {rows:?}");
    for (method, path, refused) in rows {
        let op = &doc["paths"][&path][method.to_lowercase()];
        assert!(op.is_object(), "{method} {path} is not documented");
        assert_eq!(
            op["responses"].get("403").is_some(),
            refused,
            "{method} {path}: the document and tests/routes.rs disagree on whether a viewer token is refused"
        );
    }
}

/// Every `{"$ref": ...}` in `v`.
fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r);
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

#[test]
fn the_document_is_openapi_3_1_with_a_schema_for_every_body() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearerAuth"]["scheme"],
        "bearer"
    );
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 50, "too few references: {}", all.len());
    for r in all {
        assert!(
            r.starts_with("#/components/schemas/") && resolve(&doc, r).is_some(),
            "{r} does not resolve"
        );
    }
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            let what = format!("{method} {path} ({id})");
            assert!(ids.insert(id.to_string()), "operationId {id} twice");
            assert!(
                !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{what}: operationId is not snake_case"
            );
            assert!(
                !op["summary"].as_str().unwrap_or("").is_empty(),
                "{what}: no summary"
            );
            let mut bodies: Vec<&Value> = op["responses"]
                .as_object()
                .unwrap()
                .values()
                .filter_map(|r| r["content"].get("application/json"))
                .collect();
            bodies.extend(op["requestBody"]["content"].get("application/json"));
            assert!(
                op["responses"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .any(|s| s.starts_with('2')),
                "{what}: no success answer"
            );
            for body in bodies {
                let schema = &body["schema"];
                assert!(
                    schema.as_object().is_some_and(|s| !s.is_empty()),
                    "{what}: a JSON body without a schema: {schema}"
                );
            }
            for param in op["parameters"].as_array().into_iter().flatten() {
                let name = param["name"].as_str().unwrap();
                if param["in"] == "path" {
                    assert!(path.contains(&format!("{{{name}}}")), "{what}: {name}");
                }
                assert!(param["schema"].is_object(), "{what}: {name} has no schema");
            }
            let secured = op.get("security") != Some(&json!([]));
            assert_eq!(
                secured,
                path != "/api/v1/openapi.json",
                "{what}: only the document is public"
            );
        }
    }
    // The types the clients lean on are components of their own.
    for name in ["Employee", "Profile", "Task", "TaskAction", "Error", "Job"] {
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "{name} is not a component"
        );
    }
}

/// Checks `value` against a JSON Schema of the document (the parts schemars writes):
/// `$ref`, `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`,
/// `const`, `oneOf` (exactly one), `anyOf`, `allOf`.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let Some(s) = schema.as_object() else {
        return match schema {
            Value::Bool(false) => Err(format!("{at}: nothing is allowed here")),
            _ => Ok(()),
        };
    };
    if let Some(Value::String(r)) = s.get("$ref") {
        let target = resolve(doc, r).ok_or_else(|| format!("{at}: {r} does not resolve"))?;
        check(doc, target, value, at)?;
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let fits = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        });
        if !fits {
            return Err(format!("{at}: {value} is not {types:?}"));
        }
    }
    if let Some(Value::Array(options)) = s.get("enum")
        && !options.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {options:?}"));
    }
    if let Some(c) = s.get("const")
        && c != value
    {
        return Err(format!("{at}: {value} is not {c}"));
    }
    if let Some(obj) = value.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        for req in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = req.as_str().unwrap_or_default();
            if !obj.contains_key(key) {
                return Err(format!("{at}: `{key}` is required but missing"));
            }
        }
        for (key, v) in obj {
            let here = format!("{at}.{key}");
            match props.and_then(|p| p.get(key)) {
                Some(p) => check(doc, p, v, &here)?,
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        return Err(format!("{here}: not in the schema"));
                    }
                    Some(extra) => check(doc, extra, v, &here)?,
                    None => {}
                },
            }
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            check(doc, items, v, &format!("{at}[{i}]"))?;
        }
    }
    if let Some(Value::Array(all)) = s.get("allOf") {
        for sub in all {
            check(doc, sub, value, at)?;
        }
    }
    if let Some(Value::Array(any)) = s.get("anyOf") {
        let errors: Vec<String> = any
            .iter()
            .filter_map(|sub| check(doc, sub, value, at).err())
            .collect();
        if errors.len() == any.len() {
            return Err(format!("{at}: matches none of anyOf: {errors:?}"));
        }
    }
    if let Some(Value::Array(one)) = s.get("oneOf") {
        let errors: Vec<String> = one
            .iter()
            .filter_map(|sub| check(doc, sub, value, at).err())
            .collect();
        if errors.len() + 1 != one.len() {
            return Err(format!(
                "{at}: matches {} of oneOf, not exactly one: {errors:?}",
                one.len() - errors.len()
            ));
        }
    }
    Ok(())
}

struct Api {
    base: String,
    http: reqwest::Client,
    token: String,
    doc: Value,
}

impl Api {
    /// Calls the API as an admin and checks the answer against the documented schema
    /// of its status (the operation's path is the template `route`).
    async fn call(
        &self,
        method: &str,
        route: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        let value: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path}: {status} is not JSON ({e}): {text}"));
        let op = &self.doc["paths"][route][method.to_lowercase()];
        let answer = &op["responses"][status.to_string()];
        let schema = &answer["content"]["application/json"]["schema"];
        assert!(
            schema.is_object(),
            "{method} {path}: status {status} is not documented: {value}"
        );
        if let Err(e) = check(&self.doc, schema, &value, "body") {
            panic!("{method} {path} ({status}) does not match its schema: {e}\n{value:#}");
        }
        (status, value)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn real_answers_match_the_documented_schemas() {
    let server = InProcess::start().await;
    let token = create_token(
        &server.state.store,
        &TokenCreate {
            name: "docs".into(),
            role: Role::Admin,
        },
    )
    .unwrap()
    .token;
    let api = Api {
        base: server.base.clone(),
        http: reqwest::Client::new(),
        token,
        doc: document(),
    };
    let fake = FakeMerge::new("k-1", "acct").with_employees(5);
    let (origin, _merge) = fake.serve(0).await.unwrap();
    let settings =
        json!({"settings": {"base_url": origin, "api_key": "k-1", "account_token": "acct"}});
    let plugin = "/api/v1/plugins/{id}/settings";
    let (status, _) = api
        .call(
            "PUT",
            plugin,
            "/api/v1/plugins/merge-hris/settings",
            Some(settings),
        )
        .await;
    assert_eq!(status, 200);
    let (status, synced) = api.call("POST", "/api/v1/sync", "/api/v1/sync", None).await;
    assert_eq!(status, 200, "{synced}");

    let hire = json!({"given_name": "Ada", "family_name": "Byron", "work_email": "ada@example.com", "start_date": "2031-01-06"});
    let (status, _) = api
        .call("POST", "/api/v1/employees", "/api/v1/employees", Some(hire))
        .await;
    assert_eq!(status, 200);
    let asset = json!({"model": "MacBook Air", "serial": "C02-DOCS-1"});
    let (status, created) = api
        .call("POST", "/api/v1/assets", "/api/v1/assets", Some(asset))
        .await;
    assert_eq!(status, 201);

    // Every list the API has, with the data a sync leaves.
    let lists: Vec<String> = api.doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, item)| item.get("get").is_some() && !path.contains('{'))
        .map(|(path, _)| path.clone())
        .collect();
    assert!(lists.len() > 15, "{lists:?}");
    for path in &lists {
        if path.ends_with("openapi.json") {
            continue;
        }
        let (status, body) = api.call("GET", path, path, None).await;
        assert_eq!(status, 200, "GET {path}: {body}");
    }

    let (_, employees) = api
        .call(
            "GET",
            "/api/v1/employees",
            "/api/v1/employees?limit=10",
            None,
        )
        .await;
    assert!(employees["total"].as_u64().unwrap() >= 6, "{employees}");
    let employee = employees["items"][0]["id"].as_str().unwrap().to_string();
    for route in [
        "/api/v1/employees/{id}",
        "/api/v1/employees/{id}/access",
        "/api/v1/employees/{id}/hardware",
    ] {
        let path = route.replace("{id}", &employee);
        let (status, body) = api.call("GET", route, &path, None).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
    let asset = created["id"].as_str().unwrap();
    let (status, _) = api
        .call(
            "GET",
            "/api/v1/assets/{id}",
            &format!("/api/v1/assets/{asset}"),
            None,
        )
        .await;
    assert_eq!(status, 200);

    let (_, tasks) = api
        .call("GET", "/api/v1/tasks", "/api/v1/tasks?state=open", None)
        .await;
    let task = tasks["items"][0]["id"]
        .as_str()
        .expect("an open task")
        .to_string();
    let (status, done) = api
        .call(
            "POST",
            "/api/v1/tasks/{id}/actions",
            &format!("/api/v1/tasks/{task}/actions"),
            Some(json!({"action": "complete", "note": "done by the docs test"})),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    let (status, again) = api
        .call(
            "GET",
            "/api/v1/tasks/{id}",
            &format!("/api/v1/tasks/{task}"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(again["id"], task.as_str());

    // Errors have the documented shape too.
    let (status, _) = api
        .call("GET", "/api/v1/tasks/{id}", "/api/v1/tasks/T-none", None)
        .await;
    assert_eq!(status, 404);
}

#[test]
fn a_wrong_answer_fails_the_check() {
    let doc = document();
    let task = json!({"$ref": "#/components/schemas/Task"});
    assert!(check(&doc, &task, &json!({"id": "T-1"}), "body").is_err());
    let error = json!({"$ref": "#/components/schemas/Error"});
    assert!(check(&doc, &error, &json!({"error": "no"}), "body").is_ok());
    assert!(check(&doc, &error, &json!({"error": 1}), "body").is_err());
}
