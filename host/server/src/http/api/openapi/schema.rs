//! JSON Schemas (2020-12, what OpenAPI 3.1 uses) from the Rust types with `schemars`:
//! every named type lands once in `#/components/schemas`, and a query struct becomes
//! one parameter per field.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value, json};

/// A function that adds a type's schema to the generator and answers a reference to it.
pub type SchemaFn = fn(&mut Schemas) -> Value;

/// The schema (usually a `$ref`) of `T`.
pub fn schema_of<T: JsonSchema>(schemas: &mut Schemas) -> Value {
    schemas.reference::<T>()
}

/// A query struct's fields as OpenAPI parameters.
pub fn params_of<T: JsonSchema>(schemas: &mut Schemas) -> Value {
    Value::Array(schemas.query_parameters::<T>())
}

/// Collects the component schemas while the operations are described.
pub struct Schemas {
    generator: SchemaGenerator,
}

impl Default for Schemas {
    fn default() -> Self {
        let settings = SchemaSettings::draft2020_12().with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        });
        Schemas {
            generator: settings.into_generator(),
        }
    }
}

impl Schemas {
    /// `{"$ref": "#/components/schemas/T"}` for a named type, or the schema itself for
    /// one that is inlined (strings, ids, lists of them).
    pub fn reference<T: JsonSchema>(&mut self) -> Value {
        self.generator.subschema_for::<T>().to_value()
    }

    /// One `in: query` parameter per field of `T` (a struct read with `Query<T>`).
    fn query_parameters<T: JsonSchema>(&mut self) -> Vec<Value> {
        let schema = T::json_schema(&mut self.generator).to_value();
        let required: Vec<&str> = schema["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(properties) = schema["properties"].as_object() else {
            return Vec::new();
        };
        properties
            .iter()
            .map(|(name, property)| {
                let mut property = without_null(property.clone());
                let description = property
                    .as_object_mut()
                    .and_then(|p| p.remove("description"));
                let mut param = json!({
                    "name": name,
                    "in": "query",
                    "required": required.contains(&name.as_str()),
                    "schema": property,
                });
                if let Some(d) = description {
                    param["description"] = d;
                }
                param
            })
            .collect()
    }

    /// Every named schema met so far, for `components.schemas`.
    pub fn into_components(mut self) -> Map<String, Value> {
        let mut definitions = self.generator.take_definitions(true);
        for (name, schema) in definitions.iter_mut() {
            merge_string_constants(schema);
            name_variants(name, schema);
        }
        definitions
    }
}

/// A string variant of an enum: `{"type": "string", "const": ...}` or `"enum": [...]`,
/// with nothing but a description beside.
fn string_constants(variant: &Value) -> Option<(Vec<Value>, Option<&str>)> {
    let v = variant.as_object()?;
    if v.get("type")? != "string"
        || v.keys()
            .any(|k| !matches!(k.as_str(), "type" | "const" | "enum" | "description"))
    {
        return None;
    }
    let values = match (v.get("const"), v.get("enum")) {
        (Some(c), None) => vec![c.clone()],
        (None, Some(Value::Array(e))) => e.clone(),
        _ => return None,
    };
    Some((values, v.get("description").and_then(Value::as_str)))
}

/// Merges the string variants of every `oneOf` (schemars writes a variant with a doc
/// comment apart, to keep its description) into one `enum`, their descriptions into
/// its description: a union of constants is one enum to every client generator.
fn merge_string_constants(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            map.values_mut().for_each(merge_string_constants);
            let Some(Value::Array(variants)) = map.get("oneOf") else {
                return;
            };
            let mut values = Vec::new();
            let mut notes = Vec::new();
            let mut others = Vec::new();
            for variant in variants {
                match string_constants(variant) {
                    Some((vs, note)) => {
                        if let (Some(note), [Value::String(one)]) = (note, vs.as_slice()) {
                            notes.push(format!("`{one}`: {note}"));
                        }
                        values.extend(vs);
                    }
                    None => others.push(variant.clone()),
                }
            }
            if values.len() < 2 || others.len() + 1 == variants.len() {
                return;
            }
            let mut merged = json!({"type": "string", "enum": values});
            if !notes.is_empty() {
                merged["description"] = json!(notes.join(" "));
            }
            if others.is_empty() {
                map.remove("oneOf");
                if !notes.is_empty() && !map.contains_key("description") {
                    map.insert("description".into(), merged["description"].take());
                }
                map.insert("type".into(), json!("string"));
                map.insert("enum".into(), merged["enum"].take());
            } else {
                others.insert(0, merged);
                map.insert("oneOf".into(), Value::Array(others));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(merge_string_constants),
        _ => {}
    }
}

/// Gives each object variant of an enum (`oneOf`) a title: its enum's name and its tag
/// (`TaskActionComplete`), so generated clients name their classes after them rather
/// than after their position.
fn name_variants(name: &str, schema: &mut Value) {
    let Some(variants) = schema.get_mut("oneOf").and_then(Value::as_array_mut) else {
        return;
    };
    for variant in variants {
        if variant.get("title").is_some() || variant["type"] != "object" {
            continue;
        }
        let Some(properties) = variant["properties"].as_object() else {
            continue;
        };
        // Internally tagged: the property whose value is a constant. Externally tagged:
        // the one property.
        let tag = properties
            .values()
            .find_map(|p| p["const"].as_str())
            .or_else(|| match properties.keys().collect::<Vec<_>>().as_slice() {
                [only] => Some(only.as_str()),
                _ => None,
            });
        if let Some(tag) = tag {
            variant["title"] = json!(format!("{name}{}", pascal_case(tag)));
        }
    }
}

/// `ship_to_warehouse` → `ShipToWarehouse`.
fn pascal_case(s: &str) -> String {
    s.split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// A query parameter is absent rather than null: drops `null` from an optional field's
/// schema (`"type": ["string", "null"]`, or `anyOf` with `{"type": "null"}`).
fn without_null(mut schema: Value) -> Value {
    if let Some(types) = schema.get_mut("type").and_then(Value::as_array_mut) {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types[0].clone();
            schema["type"] = only;
        }
        return schema;
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        let rest: Vec<&Value> = any.iter().filter(|s| s["type"] != "null").collect();
        if let [only] = rest.as_slice() {
            return (*only).clone();
        }
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_optional_query_field_is_an_optional_parameter_without_null() {
        #[derive(JsonSchema)]
        #[allow(dead_code)]
        struct Q {
            /// Matches names.
            q: Option<String>,
            limit: usize,
        }
        let mut schemas = Schemas::default();
        let params = schemas.query_parameters::<Q>();
        let param = |name: &str| params.iter().find(|p| p["name"] == name).unwrap();
        assert_eq!(param("q")["in"], "query");
        assert_eq!(param("q")["required"], false);
        assert_eq!(param("q")["schema"]["type"], "string");
        assert_eq!(param("q")["description"], "Matches names.");
        assert_eq!(param("limit")["required"], true);
    }

    #[test]
    fn string_variants_become_one_enum() {
        #[derive(JsonSchema)]
        #[serde(rename_all = "snake_case")]
        #[allow(dead_code)]
        enum Status {
            /// Hired, not started yet.
            Pending,
            Active,
            Terminated,
        }
        let mut schemas = Schemas::default();
        schemas.reference::<Status>();
        let status = &schemas.into_components()["Status"];
        assert_eq!(status["type"], "string");
        assert_eq!(status["enum"], json!(["active", "terminated", "pending"]));
        assert!(status.get("oneOf").is_none(), "{status}");
        assert!(status["description"].as_str().unwrap().contains("Hired"));
    }

    #[test]
    fn enum_variants_are_named_after_their_tag() {
        #[derive(JsonSchema)]
        #[serde(tag = "action", rename_all = "snake_case")]
        #[allow(dead_code)]
        enum Move {
            ShipToSite { site: String },
            Keep,
        }
        let mut schemas = Schemas::default();
        schemas.reference::<Move>();
        let components = schemas.into_components();
        let variants = components["Move"]["oneOf"].as_array().unwrap();
        assert_eq!(variants[0]["title"], "MoveShipToSite");
        assert_eq!(variants[1]["title"], "MoveKeep");
    }
}
