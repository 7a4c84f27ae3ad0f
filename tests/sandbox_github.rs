//! The sandbox's GitHub API (`{url}/github`) driven by cawiz's real `GithubClient`, plus raw HTTP
//! checks of what GitHub answers that the client never shows: statuses, error bodies, headers,
//! pagination, and how calls are counted.
mod common;

use std::collections::BTreeMap;

use base64::Engine as _;
use cawiz::github::{GithubClient, GithubError, GithubErrorKind, SetOutcome, Variable};
use cawiz::sandbox::{SANDBOX_GITHUB_TOKEN, SandboxConfig, SandboxHandle};
use serde_json::{Value, json};

fn client(sb: &SandboxHandle) -> GithubClient {
    GithubClient::new(&sb.github_url(), Some(SANDBOX_GITHUB_TOKEN.to_owned())).expect("client")
}

fn var(name: &str, value: &str) -> Variable {
    Variable {
        name: name.to_owned(),
        value: value.to_owned(),
    }
}

/// A raw request with the sandbox token (unless `token` says otherwise).
async fn raw(
    sb: &SandboxHandle,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", sb.github_url()))
        .header("accept", "application/vnd.github+json")
        .header("x-github-api-version", "2022-11-28");
    if let Some(t) = token {
        req = req.header("authorization", t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    (status, headers, json)
}

const BEARER: Option<&str> = Some("Bearer ghp_sandbox_cawiz");

#[tokio::test]
async fn complete_scenario_has_the_repository_and_its_variables() {
    let sb = common::start_sandbox("complete").await;
    assert_eq!(
        sb.github_repository(),
        Some(("octo-org".to_owned(), "widgets".to_owned()))
    );
    assert_eq!(sb.github_url(), format!("{}/github", sb.url()));
    let gh = client(&sb);

    let repo = gh.get_repository("octo-org", "widgets").await.unwrap();
    assert_eq!(
        (repo.id, repo.owner_id, repo.full_name.as_str()),
        (712398456, 90210042, "octo-org/widgets")
    );
    let claim = gh.oidc_subject_prefix("octo-org", "widgets").await.unwrap();
    assert!(claim.use_default);
    assert_eq!(claim.sub_claim_prefix, None, "classic subjects");
    assert_eq!(claim.prefix_for(&repo), "repo:octo-org/widgets");

    let account = cawiz::sandbox::DEFAULT_ACCOUNT_ID;
    let mut got = gh.list_variables("octo-org", "widgets").await.unwrap();
    got.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(
        got,
        vec![
            var("AWS_ACCOUNT_ID", account),
            var("AWS_REGION", "us-east-1"),
            var(
                "AWS_ROLE_ARN",
                &format!("arn:aws:iam::{account}:role/GitHubActions-CodeArtifact")
            ),
            var("CODEARTIFACT_DOMAIN", "octo-org"),
            var("CODEARTIFACT_REPOSITORY", "widgets"),
        ]
    );
    assert!(
        gh.list_secret_names("octo-org", "widgets")
            .await
            .unwrap()
            .is_empty()
    );
    // Reading changes nothing.
    assert!(sb.mutating_calls().is_empty(), "{:?}", sb.mutating_calls());

    // The guide's repository is classic too, with its own fixed ids; names are case-insensitive.
    let sb = common::start_sandbox("guide").await;
    let repo = client(&sb)
        .get_repository("ACME-GEO", "Earth-Polychromatic-API")
        .await
        .unwrap();
    assert_eq!((repo.id, repo.owner_id), (802114563, 48213977));
    assert_eq!(repo.full_name, "acme-geo/earth-polychromatic-api");
    let sb = common::start_sandbox("empty").await;
    assert_eq!(sb.github_repository(), None);
}

#[tokio::test]
async fn set_variable_creates_then_updates_and_delete_removes() {
    let sb = common::start_sandbox("empty").await;
    let gh = client(&sb);
    assert!(
        gh.list_variables("someone", "anything")
            .await
            .unwrap()
            .is_empty()
    );

    let set = gh.set_variable("someone", "anything", "AWS_REGION", "us-east-1");
    assert_eq!(set.await.unwrap(), SetOutcome::Created);
    // Exists → 409 on POST → PATCH.
    let set = gh.set_variable("someone", "anything", "AWS_REGION", "eu-west-3");
    assert_eq!(set.await.unwrap(), SetOutcome::Updated);
    // GitHub upper-cases names and matches them case-insensitively.
    let set = gh.set_variable("someone", "anything", "codeartifact_domain", "acme");
    assert_eq!(set.await.unwrap(), SetOutcome::Created);
    let set = gh.set_variable("someone", "anything", "CodeArtifact_Domain", "acme2");
    assert_eq!(set.await.unwrap(), SetOutcome::Updated);
    assert_eq!(
        gh.list_variables("someone", "anything").await.unwrap(),
        vec![
            var("AWS_REGION", "eu-west-3"),
            var("CODEARTIFACT_DOMAIN", "acme2")
        ]
    );
    assert_eq!(
        sb.github_variables("SOMEONE", "anything"),
        BTreeMap::from([
            ("AWS_REGION".to_owned(), "eu-west-3".to_owned()),
            ("CODEARTIFACT_DOMAIN".to_owned(), "acme2".to_owned()),
        ])
    );

    let (status, _, v) = raw(
        &sb,
        reqwest::Method::GET,
        "/repos/someone/anything/actions/variables/aws_region",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(v["name"], "AWS_REGION");
    assert_eq!(v["value"], "eu-west-3");
    for field in ["created_at", "updated_at"] {
        let t = v[field].as_str().unwrap_or_default();
        assert!(t.len() == 20 && t.ends_with('Z'), "{field}: {t}");
    }

    assert!(
        gh.delete_variable("someone", "anything", "aws_region")
            .await
            .unwrap()
    );
    assert!(
        !gh.delete_variable("someone", "anything", "AWS_REGION")
            .await
            .unwrap(),
        "already gone: 404"
    );
    let (status, _, _) = raw(
        &sb,
        reqwest::Method::PATCH,
        "/repos/someone/anything/actions/variables/AWS_REGION",
        BEARER,
        Some(json!({"name": "AWS_REGION", "value": "x"})),
    )
    .await;
    assert_eq!(status, 404, "PATCH of a missing variable");

    let calls = sb.calls();
    assert_eq!(calls["GitHub:CreateVariable"], 4);
    assert_eq!(calls["GitHub:UpdateVariable"], 3);
    assert_eq!(calls["GitHub:DeleteVariable"], 2);
    assert_eq!(calls["GitHub:ListVariables"], 2);
    assert_eq!(calls["GitHub:GetVariable"], 1);
    let mutating = sb.mutating_calls();
    assert_eq!(
        mutating.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "GitHub:CreateVariable",
            "GitHub:DeleteVariable",
            "GitHub:UpdateVariable"
        ]
    );
}

#[tokio::test]
async fn secrets_are_sealed_for_the_repository_key_and_never_returned() {
    let sb = common::start_sandbox("complete").await;
    let gh = client(&sb);
    let set = gh.set_secret(
        "octo-org",
        "widgets",
        "AWS_SECRET_ACCESS_KEY",
        "s3cr3t/value",
    );
    assert_eq!(set.await.unwrap(), SetOutcome::Created);
    let set = gh.set_secret("octo-org", "widgets", "aws_secret_access_key", "rotated");
    assert_eq!(set.await.unwrap(), SetOutcome::Updated);
    let set = gh.set_secret("octo-org", "widgets", "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE");
    assert_eq!(set.await.unwrap(), SetOutcome::Created);
    assert_eq!(
        gh.list_secret_names("octo-org", "widgets").await.unwrap(),
        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
    );
    // The sandbox can open what the client sealed: the value arrived intact.
    assert_eq!(
        sb.github_secret("octo-org", "widgets", "AWS_SECRET_ACCESS_KEY")
            .as_deref(),
        Some("rotated")
    );

    let (status, _, key) = raw(
        &sb,
        reqwest::Method::GET,
        "/repos/octo-org/widgets/actions/secrets/public-key",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(key["key"].as_str().unwrap_or_default())
        .expect("base64 key");
    assert_eq!(bytes.len(), 32, "an X25519 public key");
    assert!(key["key_id"].as_str().is_some_and(|id| !id.is_empty()));

    let (status, _, list) = raw(
        &sb,
        reqwest::Method::GET,
        "/repos/octo-org/widgets/actions/secrets",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list["total_count"], 2);
    let first = list["secrets"][0].as_object().cloned().unwrap_or_default();
    let mut fields: Vec<&str> = first.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["created_at", "name", "updated_at"], "no value");

    // A value not sealed for this key, or the wrong key id, is refused.
    let (status, _, _) = raw(
        &sb,
        reqwest::Method::PUT,
        "/repos/octo-org/widgets/actions/secrets/OTHER",
        BEARER,
        Some(json!({"encrypted_value": "bm90IHNlYWxlZA==", "key_id": key["key_id"]})),
    )
    .await;
    assert_eq!(status, 422);
    let sealed =
        cawiz::github::seal_secret(key["key"].as_str().unwrap_or_default(), "v").expect("seal");
    let (status, _, _) = raw(
        &sb,
        reqwest::Method::PUT,
        "/repos/octo-org/widgets/actions/secrets/OTHER",
        BEARER,
        Some(json!({"encrypted_value": sealed, "key_id": "0"})),
    )
    .await;
    assert_eq!(status, 422);

    let calls = sb.calls();
    assert_eq!(calls["GitHub:GetPublicKey"], 4);
    assert_eq!(calls["GitHub:SetSecret"], 5);
    assert!(!sb.mutating_calls().contains_key("GitHub:GetPublicKey"));
    assert!(!sb.mutating_calls().contains_key("GitHub:ListSecrets"));
}

#[tokio::test]
async fn immutable_subjects_report_the_prefix_with_ids() {
    let sb = common::start_sandbox("empty").await;
    let gh = client(&sb);
    let repo = gh.get_repository("new-org", "fresh").await.unwrap();
    let claim = gh.oidc_subject_prefix("new-org", "fresh").await.unwrap();
    assert_eq!(claim.prefix_for(&repo), "repo:new-org/fresh");

    assert!(sb.set_github_immutable_subject("new-org", "fresh", true));
    let claim = gh.oidc_subject_prefix("new-org", "fresh").await.unwrap();
    assert!(claim.use_default);
    assert_eq!(
        claim.sub_claim_prefix.as_deref(),
        Some(repo.immutable_subject_prefix().as_str())
    );
    assert_eq!(
        claim.prefix_for(&repo),
        format!("repo:new-org@{}/fresh@{}", repo.owner_id, repo.id)
    );
    assert!(!sb.set_github_immutable_subject("-bad", "fresh", true));

    // A customized subject template reads back as GitHub shows it.
    let (status, _, _) = raw(
        &sb,
        reqwest::Method::PUT,
        "/repos/new-org/fresh/actions/oidc/customization/sub",
        BEARER,
        Some(json!({"use_default": false, "include_claim_keys": ["repo", "context"]})),
    )
    .await;
    assert_eq!(status, 201);
    let claim = gh.oidc_subject_prefix("new-org", "fresh").await.unwrap();
    assert!(!claim.use_default);
    assert_eq!(claim.include_claim_keys, ["repo", "context"]);
    assert!(sb.mutating_calls().contains_key("GitHub:SetOidcSubClaim"));
}

#[tokio::test]
async fn any_valid_repository_exists_with_ids_stable_across_runs() {
    let first = common::start_sandbox("empty").await;
    let second = common::start_sandbox("complete").await;
    let a = client(&first)
        .get_repository("someone", "anything")
        .await
        .unwrap();
    let b = client(&second)
        .get_repository("someone", "anything")
        .await
        .unwrap();
    assert_eq!((a.id, a.owner_id), (b.id, b.owner_id));
    assert_eq!(a.full_name, "someone/anything");
    let c = client(&first)
        .get_repository("someone", "other")
        .await
        .unwrap();
    assert_eq!(c.owner_id, a.owner_id, "one owner, one id");
    assert_ne!(c.id, a.id);
    // A new repository of the scenario's owner shares its fixed id.
    let d = client(&second)
        .get_repository("octo-org", "gadgets")
        .await
        .unwrap();
    assert_eq!(d.owner_id, 90210042);

    // Names GitHub rejects are 404, like GitHub.
    for (owner, repo) in [("-leading", "x"), ("ok", ".."), ("a_b", "x")] {
        let err = client(&first)
            .get_repository(owner, repo)
            .await
            .unwrap_err();
        assert_eq!(
            err.kind(),
            GithubErrorKind::NotFound,
            "{owner}/{repo}: {err}"
        );
    }
    let (status, _, body) = raw(&first, reqwest::Method::GET, "/repos/a_b/x", BEARER, None).await;
    assert_eq!(status, 404);
    assert_eq!(body["message"], "Not Found");
    assert!(
        body["documentation_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://docs.github.com/"))
    );
    let (status, _, body) = raw(&first, reqwest::Method::GET, "/user", BEARER, None).await;
    assert_eq!((status, body["message"].as_str()), (404, Some("Not Found")));
}

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
async fn bad_names_and_bodies_are_refused() {
    let sb = common::start_sandbox("empty").await;
    let path = "/repos/o/r/actions/variables";
    for name in ["1ABC", "GITHUB_THING", "github_lower", "A-B", "A B", ""] {
        let (status, _, body) = raw(
            &sb,
            reqwest::Method::POST,
            path,
            BEARER,
            Some(json!({"name": name, "value": "v"})),
        )
        .await;
        assert_eq!(status, 422, "{name:?}: {body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (status, _, body) = raw(
        &sb,
        reqwest::Method::POST,
        path,
        BEARER,
        Some(json!({"name": "X"})),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("\"value\" wasn't supplied")
    );
    let (status, _, _) = raw(
        &sb,
        reqwest::Method::POST,
        path,
        BEARER,
        Some(json!({"name": "X", "value": 5})),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _, _) = raw(
        &sb,
        reqwest::Method::POST,
        path,
        BEARER,
        Some(json!({"name": "BIG", "value": "x".repeat(48 * 1024 + 1)})),
    )
    .await;
    assert_eq!(status, 422, "over 48 KB");
    let resp = reqwest::Client::new()
        .post(format!("{}{path}", sb.github_url()))
        .header("authorization", "Bearer ghp_sandbox_cawiz")
        .body("{not json")
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 400);

    // A rename onto an existing name conflicts; the client's 409 path shows as Conflict elsewhere.
    for name in ["ONE", "TWO"] {
        let (status, _, body) = raw(
            &sb,
            reqwest::Method::POST,
            path,
            BEARER,
            Some(json!({"name": name, "value": "v"})),
        )
        .await;
        assert_eq!((status, body.clone()), (201, json!({})));
    }
    let (status, _, _) = raw(
        &sb,
        reqwest::Method::POST,
        path,
        BEARER,
        Some(json!({"name": "one", "value": "v"})),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _, _) = raw(
        &sb,
        reqwest::Method::PATCH,
        &format!("{path}/ONE"),
        BEARER,
        Some(json!({"name": "TWO"})),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _, _) = raw(
        &sb,
        reqwest::Method::PATCH,
        &format!("{path}/ONE"),
        BEARER,
        Some(json!({"name": "THREE"})),
    )
    .await;
    assert_eq!(status, 204, "rename");
    assert_eq!(
        sb.github_variables("o", "r")
            .into_keys()
            .collect::<Vec<_>>(),
        ["THREE", "TWO"]
    );

    let err = client(&sb)
        .set_secret("o", "r", "GITHUB_SECRET", "v")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422), "{err}");
}

#[tokio::test]
async fn lists_are_paginated_like_github() {
    let sb = common::start_sandbox("empty").await;
    let path = "/repos/o/r/actions/variables";
    for i in 0..35 {
        let (status, _, _) = raw(
            &sb,
            reqwest::Method::POST,
            path,
            BEARER,
            Some(json!({"name": format!("VAR_{i:02}"), "value": format!("v{i}")})),
        )
        .await;
        assert_eq!(status, 201);
    }
    let page = |q: &'static str| {
        let sb = &sb;
        async move {
            raw(
                sb,
                reqwest::Method::GET,
                &format!("{path}{q}"),
                BEARER,
                None,
            )
            .await
        }
    };
    let (status, headers, body) = page("").await;
    assert_eq!(status, 200);
    assert_eq!(body["total_count"], 35);
    assert_eq!(
        body["variables"].as_array().map(Vec::len),
        Some(10),
        "default per_page"
    );
    let link = headers["link"].to_str().unwrap_or_default();
    assert!(link.contains("per_page=10&page=2>; rel=\"next\""), "{link}");
    assert!(link.contains("page=4>; rel=\"last\""), "{link}");

    let (_, headers, body) = page("?per_page=30&page=2").await;
    let names: Vec<&str> = body["variables"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["VAR_30", "VAR_31", "VAR_32", "VAR_33", "VAR_34"]);
    let link = headers["link"].to_str().unwrap_or_default();
    assert!(
        link.contains("rel=\"prev\"")
            && link.contains("rel=\"first\"")
            && !link.contains("rel=\"next\""),
        "{link}"
    );

    let (_, _, body) = page("?per_page=100").await;
    assert_eq!(
        body["variables"].as_array().map(Vec::len),
        Some(30),
        "per_page capped at 30"
    );
    let (_, headers, body) = page("?per_page=30&page=9").await;
    assert_eq!(body["variables"], json!([]));
    assert_eq!(body["total_count"], 35);
    assert!(
        headers
            .get("link")
            .is_some_and(|l| l.to_str().unwrap_or_default().contains("prev"))
    );

    let all = client(&sb).list_variables("o", "r").await.unwrap();
    assert_eq!(all.len(), 35, "the client follows the pages");
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
