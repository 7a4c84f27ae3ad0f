//! What every request goes through: authentication, API versions and rate-limit headers,
//! injected faults and latency, and routing apart from the AWS services.

use cawiz::github::{GithubClient, GithubError, GithubErrorKind};
use cawiz::sandbox::SandboxConfig;

use crate::common;
use crate::{BEARER, client, raw};

#[tokio::test]
async fn authentication_is_required() {
    let sb = common::start_sandbox("complete").await;
    let path = "/repos/octo-org/widgets/actions/variables";
    let (status, _, body) = raw(&sb, reqwest::Method::GET, path, None, None).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (401, Some("Requires authentication"))
    );
    for bad in [
        "Bearer ghp_realLookingToken",
        "Bearer",
        "Basic Zm9vOmJhcg==",
    ] {
        let (status, _, body) = raw(&sb, reqwest::Method::GET, path, Some(bad), None).await;
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
        let (status, _, _) = raw(&sb, reqwest::Method::GET, path, Some(good), None).await;
        assert_eq!(status, 200, "{good}");
    }

    let anonymous = GithubClient::new(&sb.github_url(), None).expect("client");
    let err = anonymous
        .list_variables("octo-org", "widgets")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            GithubError::Unauthorized {
                token_sent: false,
                ..
            }
        ),
        "{err:?}"
    );
    let wrong = GithubClient::new(&sb.github_url(), Some("ghp_wrong".into())).expect("client");
    let err = wrong
        .list_variables("octo-org", "widgets")
        .await
        .unwrap_err();
    assert!(
        matches!(err, GithubError::Unauthorized { token_sent: true, ref message, .. } if message.contains("Bad credentials")),
        "{err:?}"
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
    let (_, h1, _) = raw(&sb, reqwest::Method::GET, path, BEARER, None).await;
    let (_, h2, _) = raw(&sb, reqwest::Method::GET, path, BEARER, None).await;
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
    let gh = client(&sb);
    let started = std::time::Instant::now();
    let err = gh
        .set_variable("octo-org", "widgets", "NEW", "v")
        .await
        .unwrap_err();
    assert!(started.elapsed() >= std::time::Duration::from_millis(50));
    assert_eq!(err.kind(), GithubErrorKind::RateLimited, "{err}");
    let err = gh
        .list_secret_names("octo-org", "widgets")
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.status()),
        (GithubErrorKind::Other, Some(500)),
        "{err}"
    );
    // Other operations are untouched; failed calls are still counted.
    assert_eq!(
        gh.list_variables("octo-org", "widgets")
            .await
            .unwrap()
            .len(),
        5
    );
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
    assert_eq!(identity.account(), Some(cawiz::sandbox::DEFAULT_ACCOUNT_ID));
    assert!(!sb.calls().keys().any(|k| k.starts_with("GitHub:")));
}
