//! Input validation as CodeArtifact reports it (`ValidationException` with the Smithy constraint
//! wording), enumerations, and the opaque pagination tokens of the List operations.

use base64::Engine as _;
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

/// Default page size of the List operations.
pub const DEFAULT_PAGE: usize = 100;
/// Largest `maxResults` the List operations accept.
pub const MAX_PAGE: i64 = 1000;

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

/// Page size from `maxResults` (1–1000, default 100).
pub fn page_size(member: &str, raw: Option<i64>) -> ApiResult<usize> {
    match raw {
        None => Ok(DEFAULT_PAGE),
        Some(n) if n < 1 => Err(invalid(
            member,
            &n.to_string(),
            "Member must have value greater than or equal to 1",
        )),
        Some(n) if n > MAX_PAGE => Err(invalid(
            member,
            &n.to_string(),
            &format!("Member must have value less than or equal to {MAX_PAGE}"),
        )),
        Some(n) => Ok(usize::try_from(n).unwrap_or(DEFAULT_PAGE)),
    }
}

/// `max-results` from a query string.
pub fn query_page_size(q: &Query) -> ApiResult<usize> {
    match q.get("max-results") {
        None => page_size("maxResults", None),
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) => page_size("maxResults", Some(n)),
            Err(_) => Err(ApiError::new(
                "SerializationException",
                format!("max-results {raw:?} is not an integer"),
            )),
        },
    }
}

const TOKEN_PREFIX: &str = "cawiz-page:";

/// The token that resumes a listing after the item keyed `last`.
pub fn encode_token(last: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{TOKEN_PREFIX}{last}"))
}

/// The key a `nextToken` resumes after.
pub fn decode_token(token: &str) -> ApiResult<String> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|s| s.strip_prefix(TOKEN_PREFIX).map(str::to_owned))
        .ok_or_else(|| {
            ApiError::new(
                "ValidationException",
                "The pagination token is invalid or expired",
            )
        })
}

/// One page of `items` (in listing order, each with a unique key): those after the token's key,
/// at most `size`, and the token for the next page when more remain. When the token's item is
/// gone (deleted between pages), the page resumes at the first key that sorts after it.
pub fn paginate<T>(
    items: Vec<(String, T)>,
    token: Option<&str>,
    size: usize,
) -> ApiResult<(Vec<T>, Option<String>)> {
    let start = match token.map(decode_token).transpose()? {
        None => 0,
        Some(after) => items
            .iter()
            .position(|(k, _)| *k == after)
            .map(|i| i + 1)
            .or_else(|| items.iter().position(|(k, _)| *k > after))
            .unwrap_or(items.len()),
    };
    let mut rest: Vec<(String, T)> = items.into_iter().skip(start).collect();
    let more = rest.len() > size;
    rest.truncate(size);
    let next = if more {
        rest.last().map(|(k, _)| encode_token(k))
    } else {
        None
    };
    Ok((rest.into_iter().map(|(_, v)| v).collect(), next))
}

/// A List answer: `{key: items}`, with `nextToken` when more pages remain.
pub fn page_json(key: &str, items: Vec<Value>, next: Option<String>) -> Value {
    let mut out = serde_json::json!({ key: items });
    if let Some(next) = next {
        out["nextToken"] = Value::String(next);
    }
    out
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

    #[test]
    fn pages() {
        let items: Vec<(String, u32)> = (0..5).map(|i| (format!("k{i}"), i)).collect();
        let (first, next) = paginate(items.clone(), None, 2).unwrap();
        assert_eq!(first, vec![0, 1]);
        let (second, next) = paginate(items.clone(), next.as_deref(), 2).unwrap();
        assert_eq!(second, vec![2, 3]);
        let (third, next) = paginate(items.clone(), next.as_deref(), 2).unwrap();
        assert_eq!((third, next), (vec![4], None));
        assert!(paginate(items, Some("garbage!"), 2).is_err());
        assert!(page_size("maxResults", Some(0)).is_err());
        assert!(page_size("maxResults", Some(1001)).is_err());
        assert_eq!(page_size("maxResults", Some(1000)).unwrap(), 1000);
    }
}
