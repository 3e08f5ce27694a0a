//! OData query options as Graph takes them: `$filter`, `$select`, `$top`, `$skiptoken`,
//! and the `@odata.nextLink` that carries a list on.

use axum::http::HeaderMap;
use serde_json::{Map, Value};

use super::errors::GraphError;
use super::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::ids;

/// The query of one request.
pub(crate) struct OData {
    /// Every parameter as sent (decoded), in order.
    pub pairs: Vec<(String, String)>,
}

impl OData {
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        Self { pairs }
    }

    /// The last value of `$name` (also accepted without the `$`, as Graph does).
    pub fn get(&self, name: &str) -> Option<&str> {
        let bare = name.trim_start_matches('$');
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k.trim_start_matches('$').eq_ignore_ascii_case(bare))
            .map(|(_, v)| v.as_str())
    }

    pub fn select(&self) -> Option<Vec<String>> {
        self.get("$select").map(|s| {
            s.split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect()
        })
    }

    /// `$top`: 1–999, default 100.
    pub fn top(&self) -> Result<usize, GraphError> {
        match self.get("$top") {
            None => Ok(DEFAULT_PAGE_SIZE),
            Some(v) => match v.trim().parse::<usize>() {
                Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
                _ => Err(GraphError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "Request_UnsupportedQuery",
                    format!(
                        "Invalid page size specified: '{v}'. Must be between 1 and {MAX_PAGE_SIZE} inclusive."
                    ),
                )),
            },
        }
    }

    /// The list position a `$skiptoken` points after (a sequence number).
    pub fn after(&self, list: &str) -> Result<Option<u64>, GraphError> {
        match self.get("$skiptoken") {
            None => Ok(None),
            Some(t) => ids::page_position(list, t)
                .and_then(|p| p.parse().ok())
                .map(Some)
                .ok_or_else(|| GraphError::bad_request("Invalid $skiptoken.")),
        }
    }

    pub fn filter(&self) -> Result<Option<Filter>, GraphError> {
        self.get("$filter").map(Filter::parse).transpose()
    }

    /// The absolute `@odata.nextLink` for the page after `position`.
    pub fn next_link(&self, headers: &HeaderMap, path: &str, list: &str, position: u64) -> String {
        let mut pairs: Vec<(String, String)> = self
            .pairs
            .iter()
            .filter(|(k, _)| !k.trim_start_matches('$').eq_ignore_ascii_case("skiptoken"))
            .cloned()
            .collect();
        pairs.push((
            "$skiptoken".into(),
            ids::page_token(list, &position.to_string()),
        ));
        format!(
            "{}{path}?{}",
            ids::origin(headers),
            ids::query_string(&pairs)
        )
    }
}

/// `http://<Host>/v1.0`.
pub(crate) fn base(headers: &HeaderMap) -> String {
    format!("{}/v1.0", ids::origin(headers))
}

/// One page of a list whose items are keyed by sequence number.
pub(crate) struct Page {
    pub items: Vec<Value>,
    /// Where the next page starts after, if there is one.
    pub next: Option<u64>,
}

pub(crate) fn page(
    items: impl Iterator<Item = (u64, Value)>,
    after: Option<u64>,
    top: usize,
) -> Page {
    let mut rest = items.skip_while(|(k, _)| after.is_some_and(|a| *k <= a));
    let chunk: Vec<(u64, Value)> = rest.by_ref().take(top).collect();
    let more = rest.next().is_some();
    Page {
        next: if more {
            chunk.last().map(|(k, _)| *k)
        } else {
            None
        },
        items: chunk.into_iter().map(|(_, v)| v).collect(),
    }
}

/// The list response: `@odata.context`, `value`, and `@odata.nextLink` when there is more.
pub(crate) fn list_body(
    q: &OData,
    headers: &HeaderMap,
    path: &str,
    list: &str,
    context: &str,
    p: Page,
) -> Value {
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        Value::String(format!("{}/$metadata#{context}", base(headers))),
    );
    if let Some(pos) = p.next {
        body.insert(
            "@odata.nextLink".into(),
            Value::String(q.next_link(headers, path, list, pos)),
        );
    }
    body.insert("value".into(), Value::Array(p.items));
    Value::Object(body)
}

#[derive(Debug, Clone, PartialEq)]
enum Op {
    Eq,
    StartsWith,
}

#[derive(Debug, Clone, PartialEq)]
struct Clause {
    property: String,
    op: Op,
    /// A string literal, or `true` / `false` / `null`.
    value: Value,
}

/// A `$filter` of `eq` and `startswith` clauses, all joined by `or` or all by `and`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Filter {
    any: bool,
    clauses: Vec<Clause>,
}

impl Filter {
    pub fn parse(s: &str) -> Result<Self, GraphError> {
        let invalid = || {
            GraphError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "BadRequest",
                format!("Invalid filter clause: {s}"),
            )
        };
        let (parts, joins) = split_outside_quotes(s);
        let any = joins.iter().all(|j| j == "or");
        if !joins.is_empty() && !any && !joins.iter().all(|j| j == "and") {
            return Err(GraphError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "Request_UnsupportedQuery",
                "Mixing 'and' and 'or' in one filter is not supported by this fake.".to_string(),
            ));
        }
        let clauses = parts
            .iter()
            .map(|p| parse_clause(p.trim()).ok_or_else(invalid))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { any, clauses })
    }

    /// Whether an object's properties match. A property the object does not have gives
    /// 400 `Request_UnsupportedQuery`.
    pub fn matches(&self, props: &Map<String, Value>, resource: &str) -> Result<bool, GraphError> {
        let mut results = Vec::with_capacity(self.clauses.len());
        for c in &self.clauses {
            let Some(actual) = props
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&c.property))
                .map(|(_, v)| v)
            else {
                return Err(GraphError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "Request_UnsupportedQuery",
                    format!(
                        "Unsupported or invalid query filter clause specified for property '{}' of resource '{resource}'.",
                        c.property
                    ),
                ));
            };
            results.push(clause_matches(c, actual));
        }
        Ok(if self.any {
            results.iter().any(|r| *r)
        } else {
            results.iter().all(|r| *r)
        })
    }
}

fn clause_matches(c: &Clause, actual: &Value) -> bool {
    match (&c.op, actual, &c.value) {
        (Op::Eq, Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (Op::Eq, Value::Array(items), Value::String(b)) => items
            .iter()
            .any(|i| i.as_str().is_some_and(|s| s.eq_ignore_ascii_case(b))),
        (Op::Eq, a, b) => a == b,
        (Op::StartsWith, Value::String(a), Value::String(b)) => {
            a.to_lowercase().starts_with(&b.to_lowercase())
        }
        _ => false,
    }
}

/// Splits on ` or ` / ` and ` outside single-quoted literals.
fn split_outside_quotes(s: &str) -> (Vec<String>, Vec<String>) {
    let mut parts = Vec::new();
    let mut joins = Vec::new();
    let mut cur = String::new();
    let mut in_quote = false;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            in_quote = !in_quote;
            cur.push(c);
            i += 1;
            continue;
        }
        if !in_quote && c == ' ' {
            let rest: String = chars[i..].iter().take(5).collect::<String>().to_lowercase();
            if rest.starts_with(" or ") {
                parts.push(std::mem::take(&mut cur));
                joins.push("or".to_string());
                i += 4;
                continue;
            }
            if rest.starts_with(" and ") {
                parts.push(std::mem::take(&mut cur));
                joins.push("and".to_string());
                i += 5;
                continue;
            }
        }
        cur.push(c);
        i += 1;
    }
    parts.push(cur);
    (parts, joins)
}

/// `prop eq 'x'`, `prop eq true`, `startswith(prop,'x')`.
fn parse_clause(s: &str) -> Option<Clause> {
    let lower = s.to_lowercase();
    if lower.starts_with("startswith(") && s.ends_with(')') {
        let inner = &s["startswith(".len()..s.len() - 1];
        let (prop, lit) = inner.split_once(',')?;
        return Some(Clause {
            property: prop.trim().to_string(),
            op: Op::StartsWith,
            value: Value::String(literal(lit.trim())?),
        });
    }
    let (prop, rest) = s.split_once(' ')?;
    let rest = rest.trim_start();
    let value = rest
        .strip_prefix("eq ")
        .or_else(|| rest.strip_prefix("EQ "))?
        .trim();
    let value = match value {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        v => Value::String(literal(v)?),
    };
    Some(Clause {
        property: prop.trim().to_string(),
        op: Op::Eq,
        value,
    })
}

/// `'it''s'` → `it's`.
fn literal(s: &str) -> Option<String> {
    let inner = s.strip_prefix('\'')?.strip_suffix('\'')?;
    Some(inner.replace("''", "'"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn filters_match_case_insensitively() {
        let p = props(
            json!({"userPrincipalName": "Ada@X.com", "mail": null, "accountEnabled": true,
            "displayName": "O'Brien Ada", "otherMails": ["a@b.c"]}),
        );
        let t = |f: &str| Filter::parse(f).unwrap().matches(&p, "User").unwrap();
        assert!(t("userPrincipalName eq 'ada@x.com'"));
        assert!(!t("userPrincipalName eq 'bob@x.com'"));
        assert!(t("mail eq 'nope' or userPrincipalName eq 'ADA@x.com'"));
        assert!(!t("mail eq 'nope' and userPrincipalName eq 'ADA@x.com'"));
        assert!(t("accountEnabled eq true"));
        assert!(t("startswith(displayName,'o''brien')"));
        assert!(t("displayName eq 'O''Brien Ada'"));
        assert!(t("otherMails eq 'A@b.c'"));
        assert!(t("mail eq null"));
        let bad = Filter::parse("nosuch eq 'x'").unwrap().matches(&p, "User");
        assert_eq!(bad.unwrap_err().code, "Request_UnsupportedQuery");
        assert!(Filter::parse("userPrincipalName = 'x'").is_err());
    }

    #[test]
    fn pages_continue_after_the_last_item() {
        let items = || (1..=7u64).map(|k| (k, json!(k)));
        let p = page(items(), None, 3);
        assert_eq!(p.items, vec![json!(1), json!(2), json!(3)]);
        assert_eq!(p.next, Some(3));
        let p = page(items(), Some(6), 3);
        assert_eq!(p.items, vec![json!(7)]);
        assert_eq!(p.next, None);
    }
}
