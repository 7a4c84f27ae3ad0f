//! The List operations' pages as CodeArtifact answers them: `maxResults` (1–1000; ListPackageVersions'
//! default 50, the others' 100), `nextToken` (1–2000 characters, opaque: the sandbox's encodes the
//! key of the page's last item), and the `{KEY: [...], "nextToken"}` answer.

use base64::Engine as _;
use serde_json::Value;

use super::input::{Violations, invalid};
use crate::protocol::{ApiError, ApiResult, Query};

/// Default page size of the List operations whose default AWS does not document.
pub const DEFAULT_PAGE: usize = 100;
/// ListPackageVersions' default page size: "For --max-results, specify an integer from 1 to 1000
/// … Its default is 50" (User Guide, "List package versions").
pub const VERSIONS_DEFAULT_PAGE: usize = 50;
/// `PaginationToken`: 1 to 2000 characters (service model).
const TOKEN_MAX: usize = 2000;
/// Largest `maxResults` the List operations accept.
pub const MAX_PAGE: i64 = 1000;

/// Page size from `maxResults` (1–1000, default 100).
pub fn page_size(member: &str, raw: Option<i64>) -> ApiResult<usize> {
    page_size_or(member, raw, DEFAULT_PAGE)
}

/// Page size from `maxResults` (1–1000), `default` without one.
pub fn page_size_or(member: &str, raw: Option<i64>, default: usize) -> ApiResult<usize> {
    match raw {
        None => Ok(default),
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

/// `max-results` from a query string (default 100).
pub fn query_page_size(q: &Query) -> ApiResult<usize> {
    query_page_size_or(q, DEFAULT_PAGE)
}

/// `max-results` from a query string, `default` without one.
pub fn query_page_size_or(q: &Query, default: usize) -> ApiResult<usize> {
    match q.get("max-results") {
        None => page_size_or("maxResults", None, default),
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) => page_size_or("maxResults", Some(n), default),
            Err(_) => Err(ApiError::new(
                "SerializationException",
                format!("max-results {raw:?} is not an integer"),
            )),
        },
    }
}

/// `next-token` from a query string, checked against `PaginationToken`'s length (1–2000) before
/// it is decoded.
pub fn query_token(q: &Query) -> ApiResult<Option<&str>> {
    let Some(token) = q.0.get("next-token") else {
        return Ok(None);
    };
    let mut v = Violations::default();
    v.length("nextToken", token, 1, TOKEN_MAX);
    v.finish()?;
    Ok(Some(token))
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
