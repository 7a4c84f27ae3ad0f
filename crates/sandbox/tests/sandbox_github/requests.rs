//! What every request goes through: authentication, API versions and rate-limit headers,
//! injected faults and latency, and routing apart from the AWS services.

use cawiz_sandbox::SandboxConfig;
use reqwest::Method;
use serde_json::json;

use crate::common;
use crate::{BEARER, raw, variables_of};

#[tokio::test]
async fn authentication_is_required() {
    let sb = common::start_sandbox("complete").await;
    let path = "/repos/octo-org/widgets/actions/variables";
    let (status, _, body) = raw(&sb, Method::GET, path, None, None).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (401, Some("Requires authentication"))
    );
    for bad in [
        "Bearer ghp_realLookingToken",
        "Bearer",
        "Basic Zm9vOmJhcg==",
    ] {
        let (status, _, body) = raw(&sb, Method::GET, path, Some(bad), None).await;
        assert_eq!(
            (status, body["message"].as_str()),
            (401, Some("Bad credentials")),
            "{bad}"
        );
    }
    for good in [
        "token ghp_sandbox_cawiz",
        "Bearer ghp_sandbox_other",
        "bearer ghp_sandbox_x",
    ] {
        let (status, _, _) = raw(&sb, Method::GET, path, Some(good), None).await;
        assert_eq!(status, 200, "{good}");
    }

    // What a client sees without a token, and with a wrong one: GitHub's error body (message,
    // status, documentation link).
    let (status, _, anonymous) = raw(&sb, Method::GET, path, None, None).await;
    assert_eq!(status, 401);
    assert_eq!(anonymous["message"], "Requires authentication");
    assert_eq!(anonymous["status"], "401");
    assert!(
        anonymous["documentation_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://docs.github.com/")),
        "{anonymous}"
    );
    let (status, _, wrong) = raw(&sb, Method::GET, path, Some("Bearer ghp_wrong"), None).await;
    assert_eq!(
        (status, wrong["message"].as_str()),
        (401, Some("Bad credentials"))
    );
    // An unsupported API version is refused, as GitHub does.
    let resp = reqwest::Client::new()
        .get(format!("{}{path}", sb.github_url()))
        .header("authorization", "Bearer ghp_sandbox_cawiz")
        .header("x-github-api-version", "1999-01-01")
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 400);
}

#[tokio::test]
async fn rate_limit_and_version_headers() {
    let sb = common::start_sandbox("complete").await;
    let path = "/repos/octo-org/widgets";
    let (_, h1, _) = raw(&sb, Method::GET, path, BEARER, None).await;
    let (_, h2, _) = raw(&sb, Method::GET, path, BEARER, None).await;
    let get = |h: &reqwest::header::HeaderMap, n: &str| {
        h.get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(get(&h1, "x-ratelimit-limit"), "5000");
    assert_eq!(get(&h1, "x-ratelimit-remaining"), "4999");
    assert_eq!(get(&h2, "x-ratelimit-remaining"), "4998");
    assert_eq!(get(&h2, "x-ratelimit-used"), "2");
    assert!(get(&h1, "x-ratelimit-reset").parse::<u64>().is_ok());
    assert_eq!(get(&h1, "x-github-api-version-selected"), "2022-11-28");
    assert_eq!(get(&h1, "x-accepted-github-permissions"), "metadata=read");
    assert!(get(&h1, "content-type").starts_with("application/json"));
}

#[tokio::test]
async fn faults_and_latency_apply_to_github_calls() {
    let config = SandboxConfig {
        faults: vec![
            "GitHub:CreateVariable=RateLimited".parse().expect("fault"),
            "GitHub:ListSecrets=500".parse().expect("fault"),
        ],
        latency: std::time::Duration::from_millis(50),
        ..SandboxConfig::scenario("complete")
    };
    let sb = common::start_sandbox_with(config).await;
    let started = std::time::Instant::now();
    let (status, headers, body) = raw(
        &sb,
        Method::POST,
        "/repos/octo-org/widgets/actions/variables",
        BEARER,
        Some(json!({"name": "NEW", "value": "v"})),
    )
    .await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(50));
    // GitHub's rate-limit answer: 403 with the limit exhausted and when it resets.
    assert_eq!(status, 403, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("RateLimited")),
        "{body}"
    );
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header("x-ratelimit-remaining").as_deref(), Some("0"));
    assert!(
        header("x-ratelimit-reset").is_some_and(|r| r.parse::<u64>().is_ok()),
        "{headers:?}"
    );
    assert_eq!(header("retry-after").as_deref(), Some("60"));
    let (status, headers, body) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/actions/secrets",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 500, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(headers.get("retry-after").is_none(), "not a rate limit");
    // Other operations are untouched; failed calls are still counted.
    let (status, _, page) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/actions/variables",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(page["total_count"], 5);
    assert_eq!(variables_of(&page).len(), 5);
    assert_eq!(sb.calls()["GitHub:CreateVariable"], 1);
    assert!(
        !sb.github_variables("octo-org", "widgets")
            .contains_key("NEW")
    );
}

#[tokio::test]
async fn aws_requests_are_not_taken_for_github_ones() {
    // GitHub is served under /github only: an unsigned request elsewhere still needs a SigV4
    // signature, and AWS calls are never counted as GitHub ones.
    let sb = common::start_sandbox("complete").await;
    let resp = reqwest::Client::new()
        .get(format!("{}/repos/octo-org/widgets", sb.url()))
        .header("authorization", "Bearer ghp_sandbox_cawiz")
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 403, "not served outside /github");
    let identity = common::sts(sb.url())
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(identity.account(), Some(cawiz_sandbox::DEFAULT_ACCOUNT_ID));
    assert!(!sb.calls().keys().any(|k| k.starts_with("GitHub:")));
}
