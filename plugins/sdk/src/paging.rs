//! Pagination helpers: RFC 8288 `Link` headers and cursor loops.

use crate::Error;

/// The `rel="next"` target of a `Link` header, if any.
pub fn next_link(link_header: Option<&str>) -> Option<String> {
    let header = link_header?;
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let target = pieces.next()?.trim();
        let is_next = pieces.any(|p| {
            let p = p.trim().to_ascii_lowercase();
            p == "rel=\"next\"" || p == "rel=next"
        });
        if is_next && target.starts_with('<') && target.ends_with('>') {
            return Some(target[1..target.len() - 1].to_string());
        }
    }
    None
}

/// Calls `page` with each cursor in turn (starting with none) until it returns no
/// next cursor, collecting the items. `max_pages` guards against a remote that loops.
pub fn collect<T>(
    max_pages: usize,
    mut page: impl FnMut(Option<String>) -> Result<(Vec<T>, Option<String>), Error>,
) -> Result<Vec<T>, Error> {
    let mut all = Vec::new();
    let mut cursor = None;
    for _ in 0..max_pages {
        let (items, next) = page(cursor.take())?;
        all.extend(items);
        match next {
            Some(n) => cursor = Some(n),
            None => return Ok(all),
        }
    }
    Err(Error::Other(format!(
        "gave up after {max_pages} pages: the remote keeps returning a next page"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_next_among_several_links() {
        let h = r#"<https://o.okta.com/api/v1/users?limit=2>; rel="self", <https://o.okta.com/api/v1/users?after=abc&limit=2>; rel="next""#;
        assert_eq!(
            next_link(Some(h)).as_deref(),
            Some("https://o.okta.com/api/v1/users?after=abc&limit=2")
        );
        assert_eq!(next_link(Some(r#"<https://x>; rel="self""#)), None);
        assert_eq!(next_link(None), None);
    }

    #[test]
    fn collect_stops_at_last_page_and_guards_loops() {
        let pages = collect(10, |c| match c.as_deref() {
            None => Ok((vec![1, 2], Some("b".into()))),
            Some("b") => Ok((vec![3], None)),
            _ => unreachable!(),
        });
        assert_eq!(pages.unwrap(), vec![1, 2, 3]);
        let looping = collect(3, |_| Ok((vec![1], Some("again".into()))));
        assert!(looping.is_err());
    }
}
