//! Unit tests of the error body's message and of the classification of statuses and headers.

use super::*;
use reqwest::header::HeaderValue;

fn ctx() -> Context {
    Context {
        operation: "list the Actions variables of octo/widgets".into(),
        repository: "octo/widgets".into(),
        need: Need::VariablesRead,
        token_sent: true,
        base_url: "https://api.github.com".into(),
    }
}

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, HeaderValue::from_static(v));
    }
    h
}

#[test]
fn messages_come_from_the_json_body() {
    let body =
        r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"#;
    assert_eq!(
        error_message(StatusCode::UNAUTHORIZED, body),
        "Bad credentials (see https://docs.github.com/rest)"
    );
    assert_eq!(error_message(StatusCode::BAD_GATEWAY, "oops"), "oops");
    assert_eq!(
        error_message(
            StatusCode::UNPROCESSABLE_ENTITY,
            r#"{"message":"Validation Failed","errors":[{"resource":"PullRequest","code":"custom","message":"A pull request already exists for o:b."},{"resource":"PullRequest","field":"head","code":"invalid"}]}"#
        ),
        "Validation Failed: A pull request already exists for o:b.; head invalid"
    );
    assert_eq!(error_message(StatusCode::BAD_GATEWAY, ""), "Bad Gateway");
    assert_eq!(error_message(StatusCode::CONFLICT, "{}"), "{}");
}

#[test]
fn statuses_and_headers_map_to_kinds() {
    let none = HeaderMap::new();
    let kind = |status: u16, h: &HeaderMap, msg: &str| {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT);
        classify(&ctx(), status, h, msg.into(), 1_000).kind()
    };
    assert_eq!(kind(401, &none, "x"), GithubErrorKind::Unauthorized);
    assert_eq!(kind(403, &none, "x"), GithubErrorKind::Forbidden);
    assert_eq!(kind(404, &none, "x"), GithubErrorKind::NotFound);
    assert_eq!(kind(409, &none, "x"), GithubErrorKind::Conflict);
    assert_eq!(kind(500, &none, "x"), GithubErrorKind::Other);
    assert_eq!(kind(422, &none, "x"), GithubErrorKind::Other);
    assert_eq!(kind(429, &none, "x"), GithubErrorKind::RateLimited);
    let secondary = "You have exceeded a secondary rate limit";
    assert_eq!(kind(403, &none, secondary), GithubErrorKind::RateLimited);
    let h = headers(&[
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset", "1700000000"),
    ]);
    let e = classify(&ctx(), StatusCode::FORBIDDEN, &h, "x".into(), 1_000);
    assert!(matches!(
        e,
        GithubError::RateLimited {
            reset_at: Some(1_700_000_000),
            ..
        }
    ));
    assert!(e.to_string().contains("until 2023-11-14T22:13:20Z"), "{e}");
    let h = headers(&[("retry-after", "60")]);
    let e = classify(&ctx(), StatusCode::FORBIDDEN, &h, "x".into(), 1_000);
    assert!(matches!(
        e,
        GithubError::RateLimited {
            reset_at: Some(1_060),
            ..
        }
    ));
    let h = headers(&[("x-ratelimit-remaining", "4999")]);
    assert_eq!(kind(403, &h, "x"), GithubErrorKind::Forbidden);
}

#[test]
fn fixes_name_the_remedy() {
    let none = HeaderMap::new();
    let e = classify(&ctx(), StatusCode::UNAUTHORIZED, &none, "x".into(), 0);
    assert!(e.fix().contains("gh auth login") && e.fix().contains("GITHUB_TOKEN"));
    let no_token = Context {
        token_sent: false,
        ..ctx()
    };
    let e = classify(&no_token, StatusCode::UNAUTHORIZED, &none, "x".into(), 0);
    assert!(e.fix().starts_with("No GitHub token"), "{}", e.fix());
    let h = headers(&[("x-accepted-github-permissions", "actions_variables=read")]);
    let e = classify(&ctx(), StatusCode::FORBIDDEN, &h, "x".into(), 0);
    assert!(e.fix().contains("\"Variables: read\""), "{}", e.fix());
    assert!(e.fix().contains("`repo` scope"), "{}", e.fix());
    assert!(e.fix().contains("actions_variables=read"), "{}", e.fix());
    let e = classify(&ctx(), StatusCode::NOT_FOUND, &none, "Not Found".into(), 0);
    assert!(e.fix().contains("octo/widgets"), "{}", e.fix());
    assert_eq!(e.status(), Some(404));
}
