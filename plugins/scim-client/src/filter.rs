//! SCIM filter expressions (RFC 7644 §3.4.2.2) with values quoted safely.

/// `value` as a SCIM string literal: in double quotes, with `"` and `\` escaped
/// (the filter grammar takes JSON string literals), control characters as `\uXXXX`.
pub fn quote(value: &str) -> String {
    // serde_json writes exactly a JSON string literal.
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into())
}

/// `attribute eq "value"`.
pub fn eq(attribute: &str, value: &str) -> String {
    format!("{attribute} eq {}", quote(value))
}

/// `members[value eq "id"]`: the groups that have `member_id` as a member.
pub fn has_member(member_id: &str) -> String {
    format!("members[value eq {}]", quote(member_id))
}

/// `attribute sw "prefix"`: values starting with `prefix`.
pub fn starts_with(attribute: &str, prefix: &str) -> String {
    format!("{attribute} sw {}", quote(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(eq("userName", "ada@x.test"), r#"userName eq "ada@x.test""#);
        assert_eq!(eq("userName", r#"a"b\c"#), r#"userName eq "a\"b\\c""#);
        assert_eq!(quote("tab\there"), r#""tab\there""#);
        assert_eq!(has_member("u-1"), r#"members[value eq "u-1"]"#);
        assert_eq!(starts_with("displayName", "eng"), r#"displayName sw "eng""#);
    }
}
