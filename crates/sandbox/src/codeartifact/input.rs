//! Input validation as CodeArtifact reports it (`ValidationException` with the Smithy constraint
//! wording) and enumerations. The List operations' pages are `paging.rs`'s.

use serde_json::Value;

use crate::protocol::{ApiError, ApiResult, Query};

pub const DOMAIN_PATTERN: &str = r"[a-z][a-z0-9\-]{0,48}[a-z0-9]";
pub const REPOSITORY_PATTERN: &str = r"[A-Za-z0-9][A-Za-z0-9._\-]{1,99}";
pub const ACCOUNT_PATTERN: &str = "[0-9]{12}";
pub const EXTERNAL_CONNECTION_PATTERN: &str = r"[A-Za-z0-9][A-Za-z0-9._\-:]{1,99}";

/// The PackageFormat enumeration.
pub const PACKAGE_FORMATS: &[&str] = &[
    "npm", "pypi", "maven", "nuget", "generic", "ruby", "swift", "cargo",
];
/// The AllowPublish / AllowUpstream enumerations.
pub const ALLOW_BLOCK: &[&str] = &["ALLOW", "BLOCK"];
/// The PackageVersionStatus enumeration.
pub const VERSION_STATUSES: &[&str] = &[
    "Published",
    "Unfinished",
    "Unlisted",
    "Archived",
    "Disposed",
    "Deleted",
];
/// The PackageVersionOriginType enumeration.
pub const ORIGIN_TYPES: &[&str] = &["INTERNAL", "EXTERNAL", "UNKNOWN"];

/// Constraint violations collected for one request, reported together as AWS does.
#[derive(Debug, Default)]
pub struct Violations(Vec<String>);

impl Violations {
    pub fn add(&mut self, member: &str, value: &str, constraint: &str) {
        self.0.push(format!(
            "Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
        ));
    }

    pub fn length(&mut self, member: &str, value: &str, min: usize, max: usize) {
        let n = value.chars().count();
        if n < min {
            self.add(
                member,
                value,
                &format!("Member must have length greater than or equal to {min}"),
            );
        } else if n > max {
            self.add(
                member,
                value,
                &format!("Member must have length less than or equal to {max}"),
            );
        }
    }

    pub fn pattern(&mut self, member: &str, value: &str, ok: bool, pattern: &str) {
        if !ok {
            self.add(
                member,
                value,
                &format!("Member must satisfy regular expression pattern: {pattern}"),
            );
        }
    }

    pub fn enumeration(&mut self, member: &str, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            self.add(
                member,
                value,
                &format!(
                    "Member must satisfy enum value set: [{}]",
                    allowed.join(", ")
                ),
            );
        }
    }

    pub fn finish(self) -> ApiResult<()> {
        match self.0.len() {
            0 => Ok(()),
            n => Err(ApiError::new(
                "ValidationException",
                format!(
                    "{n} validation error{} detected: {}",
                    if n == 1 { "" } else { "s" },
                    self.0.join("; ")
                ),
            )),
        }
    }
}

/// A single violation as an error.
pub fn invalid(member: &str, value: &str, constraint: &str) -> ApiError {
    let mut v = Violations::default();
    v.add(member, value, constraint);
    match v.finish() {
        Err(e) => e,
        Ok(()) => ApiError::new("ValidationException", constraint),
    }
}

pub fn is_domain_name(s: &str) -> bool {
    let b = s.as_bytes();
    (2..=50).contains(&b.len())
        && b.first().is_some_and(u8::is_ascii_lowercase)
        && b.last()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

pub fn is_repository_name(s: &str) -> bool {
    let b = s.as_bytes();
    (2..=100).contains(&b.len())
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|c| c.is_ascii_digit())
}

pub fn is_external_connection_name(s: &str) -> bool {
    let b = s.as_bytes();
    (2..=100).contains(&b.len())
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b':'))
}

pub fn check_domain(v: &mut Violations, member: &str, value: &str) {
    v.length(member, value, 2, 50);
    v.pattern(member, value, is_domain_name(value), DOMAIN_PATTERN);
}

pub fn check_repository(v: &mut Violations, member: &str, value: &str) {
    v.length(member, value, 2, 100);
    v.pattern(member, value, is_repository_name(value), REPOSITORY_PATTERN);
}

/// The query parameters most operations share: `domain`, `domain-owner`, `repository`.
pub fn check_common(q: &Query) -> ApiResult<()> {
    let mut v = Violations::default();
    if let Some(d) = q.get("domain") {
        check_domain(&mut v, "domain", d);
    }
    if let Some(o) = q.get("domain-owner") {
        v.pattern("domainOwner", o, is_account_id(o), ACCOUNT_PATTERN);
    }
    if let Some(r) = q.get("repository") {
        check_repository(&mut v, "repository", r);
    }
    v.finish()
}

/// A required member that is missing.
pub fn null(member: &str) -> ApiError {
    ApiError::new(
        "ValidationException",
        format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
        ),
    )
}

/// A required query parameter, reported under its member name.
pub fn required<'q>(q: &'q Query, param: &str, member: &str) -> ApiResult<&'q str> {
    q.get(param).ok_or_else(|| null(member))
}

/// An optional query parameter from an enumeration.
pub fn query_enum<'q>(
    q: &'q Query,
    param: &str,
    member: &str,
    allowed: &[&str],
) -> ApiResult<Option<&'q str>> {
    let Some(value) = q.get(param) else {
        return Ok(None);
    };
    let mut v = Violations::default();
    v.enumeration(member, value, allowed);
    v.finish().map(|()| Some(value))
}

/// An optional string member of a JSON body (wrong type: SerializationException).
pub fn body_string<'b>(body: &'b Value, member: &str) -> ApiResult<Option<&'b str>> {
    match body.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::new(
            "SerializationException",
            format!("{member} must be a string"),
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn domain_names() {
        for good in ["ab", "a1", "octo-org", "a-b-c", &"a".repeat(50)] {
            assert!(is_domain_name(good), "{good}");
        }
        for bad in [
            "a",
            "A-org",
            "1org",
            "-org",
            "org-",
            "my_org",
            "my.org",
            "Octo",
            &"a".repeat(51),
            "",
        ] {
            assert!(!is_domain_name(bad), "{bad}");
        }
    }

    #[test]
    fn repository_names() {
        for good in [
            "ab",
            "A1",
            "pypi-store",
            "my_repo.v2",
            "9x",
            &"R".repeat(100),
        ] {
            assert!(is_repository_name(good), "{good}");
        }
        for bad in [
            "a",
            "-repo",
            ".repo",
            "_repo",
            "re po",
            "re/po",
            &"r".repeat(101),
        ] {
            assert!(!is_repository_name(bad), "{bad}");
        }
    }

    #[test]
    fn violations_are_reported_like_aws() {
        let mut v = Violations::default();
        check_domain(&mut v, "domain", "A");
        let err = v.finish().unwrap_err();
        assert_eq!(err.code, "ValidationException");
        assert!(
            err.message
                .starts_with("2 validation errors detected: Value 'A' at 'domain'")
        );
        assert!(err.message.contains("length greater than or equal to 2"));
        assert!(err.message.contains(DOMAIN_PATTERN));
    }
}
