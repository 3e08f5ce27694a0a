//! Okta's list query language as far as the fake speaks it, and `Link` paging.
//!
//! `search` / `filter`: clauses `attribute op "value"` (ops `eq`, `sw`; `pr` without a
//! value), joined by all-`and` or all-`or`; string comparisons ignore case. Paging:
//! `limit` and `after` (the id of the last item of the previous page); the next page's
//! URL is in `Link: <...>; rel="next"`.

use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::errors::OktaError;
use crate::ids::{origin, query_string};

/// One clause of an expression.
#[derive(Debug, PartialEq)]
pub(crate) struct Clause {
    pub attribute: String,
    pub op: String,
    pub value: Option<String>,
}

/// A parsed `search` or `filter`.
#[derive(Debug, PartialEq)]
pub(crate) struct Expr {
    pub clauses: Vec<Clause>,
    pub any: bool,
}

impl Expr {
    /// Parses an expression; `None` when the fake cannot read it.
    pub fn parse(text: &str) -> Option<Expr> {
        let text = text.trim();
        let mut clauses = Vec::new();
        let mut rest = text;
        let mut joiner: Option<bool> = None;
        loop {
            let (clause, after) = clause(rest)?;
            clauses.push(clause);
            let after = after.trim_start();
            if after.is_empty() {
                break;
            }
            let (word, tail) = after.split_once(' ')?;
            let any = match word.to_ascii_lowercase().as_str() {
                "or" => true,
                "and" => false,
                _ => return None,
            };
            if joiner.is_some_and(|j| j != any) {
                return None;
            }
            joiner = Some(any);
            rest = tail;
        }
        Some(Expr {
            clauses,
            any: joiner.unwrap_or(false),
        })
    }

    /// Whether `item` matches, reading attributes with `get`.
    pub fn matches(&self, get: impl Fn(&str) -> Option<String>) -> bool {
        let test = |c: &Clause| {
            let actual = get(&c.attribute);
            match (c.op.as_str(), actual, &c.value) {
                ("pr", a, _) => a.is_some_and(|a| !a.is_empty()),
                ("eq", Some(a), Some(v)) => a.eq_ignore_ascii_case(v),
                ("sw", Some(a), Some(v)) => a.to_lowercase().starts_with(&v.to_lowercase()),
                _ => false,
            }
        };
        if self.any {
            self.clauses.iter().any(test)
        } else {
            self.clauses.iter().all(test)
        }
    }

    /// Whether a clause names `attribute`.
    pub fn mentions(&self, attribute: &str) -> bool {
        self.clauses.iter().any(|c| c.attribute == attribute)
    }
}

/// One `attribute op "value"` at the start of `s`, and what follows it.
fn clause(s: &str) -> Option<(Clause, &str)> {
    let s = s.trim_start().trim_start_matches('(');
    let (attribute, rest) = s.split_once(' ')?;
    let rest = rest.trim_start();
    let (op, rest) = rest.split_once(' ').unwrap_or((rest, ""));
    let op = op.trim_end_matches(')').to_ascii_lowercase();
    if op == "pr" {
        return Some((
            Clause {
                attribute: attribute.to_string(),
                op,
                value: None,
            },
            rest,
        ));
    }
    if op != "eq" && op != "sw" {
        return None;
    }
    let rest = rest.trim_start().strip_prefix('"')?;
    let mut value = String::new();
    let mut chars = rest.char_indices();
    let end = loop {
        let (i, c) = chars.next()?;
        match c {
            '\\' => value.push(chars.next()?.1),
            '"' => break i + 1,
            c => value.push(c),
        }
    };
    let after = rest[end..].trim_start_matches(')');
    Some((
        Clause {
            attribute: attribute.to_string(),
            op,
            value: Some(value),
        },
        after,
    ))
}

/// The value of a query parameter (the last one given).
pub(crate) fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `limit` within `1..=max`, `default` when absent; anything else is a 400.
pub(crate) fn limit(
    query: &[(String, String)],
    default: usize,
    max: usize,
) -> Result<usize, OktaError> {
    match param(query, "limit") {
        None => Ok(default),
        Some(v) => match v.trim().parse::<usize>() {
            Ok(n) if n >= 1 => Ok(n.min(max)),
            _ => Err(OktaError::validation(
                "limit",
                &[format!("limit: Invalid limit {v}")],
            )),
        },
    }
}

/// One page of `items` (each with its id) after `after`, as a JSON array with `Link`
/// headers (`self`, and `next` while more follow) pointing back at the request's
/// origin and path with the same query.
pub(crate) fn page(
    headers: &HeaderMap,
    path: &str,
    query: &[(String, String)],
    items: Vec<(String, Value)>,
    limit: usize,
) -> Response {
    let after = param(query, "after");
    let start = after
        .and_then(|a| items.iter().position(|(id, _)| id == a).map(|p| p + 1))
        .unwrap_or(0);
    // An `after` that names nothing known starts from the beginning.
    let slice: Vec<&(String, Value)> = items.iter().skip(start).take(limit).collect();
    let more = start + slice.len() < items.len();
    let base = format!("{}{path}", origin(headers));
    let kept: Vec<(String, String)> = query
        .iter()
        .filter(|(k, _)| k != "after" && k != "limit")
        .cloned()
        .collect();
    let mut self_q = kept.clone();
    self_q.push(("limit".into(), limit.to_string()));
    if let Some(a) = after {
        self_q.push(("after".into(), a.to_string()));
    }
    let mut link = format!("<{base}?{}>; rel=\"self\"", query_string(&self_q));
    if more && let Some((last, _)) = slice.last() {
        let mut next_q = kept;
        next_q.push(("after".into(), last.clone()));
        next_q.push(("limit".into(), limit.to_string()));
        link.push_str(&format!(
            ", <{base}?{}>; rel=\"next\"",
            query_string(&next_q)
        ));
    }
    let body: Vec<Value> = slice.into_iter().map(|(_, v)| v.clone()).collect();
    let mut res = axum::Json(body).into_response();
    if let Ok(v) = HeaderValue::from_str(&link) {
        res.headers_mut().insert("link", v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_searches_and_filters() {
        let e = Expr::parse(r#"profile.login eq "ada@x.com" or profile.email eq "a\"b""#).unwrap();
        assert!(e.any);
        assert_eq!(e.clauses[1].value.as_deref(), Some("a\"b"));
        assert!(e.matches(|a| (a == "profile.login").then(|| "ADA@x.com".to_string())));
        let f = Expr::parse(r#"status eq "ACTIVE" and profile.lastName sw "Lo""#).unwrap();
        assert!(!f.any && f.mentions("status"));
        assert!(Expr::parse(r#"status eq "A" and x eq "b" or y eq "c""#).is_none());
        assert!(Expr::parse("status gt 3").is_none());
        assert!(Expr::parse(r#"(status eq "ACTIVE")"#).is_some());
    }
}
