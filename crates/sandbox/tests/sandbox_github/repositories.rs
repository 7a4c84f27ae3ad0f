//! A repository's names, ids and OIDC subject format: the scenarios' fixed ones, any other
//! repository created on first use, and names GitHub rejects.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common;
use crate::{BEARER, raw, secret_names, var, variables_of};

/// `GET /repos/{owner}/{repo}`: 200 and the repository's JSON.
async fn repository(sb: &cawiz_sandbox::SandboxHandle, owner: &str, repo: &str) -> Value {
    let (status, _, body) = raw(
        sb,
        Method::GET,
        &format!("/repos/{owner}/{repo}"),
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200, "{owner}/{repo}: {body}");
    body
}

/// `GET .../actions/oidc/customization/sub`: 200 and its JSON.
async fn subject_claim(sb: &cawiz_sandbox::SandboxHandle, owner: &str, repo: &str) -> Value {
    let path = format!("/repos/{owner}/{repo}/actions/oidc/customization/sub");
    let (status, _, body) = raw(sb, Method::GET, &path, BEARER, None).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

#[tokio::test]
async fn complete_scenario_has_the_repository_and_its_variables() {
    let sb = common::start_sandbox("complete").await;
    assert_eq!(
        sb.github_repository(),
        Some(("octo-org".to_owned(), "widgets".to_owned()))
    );
    assert_eq!(sb.github_url(), format!("{}/github", sb.url()));

    let repo = repository(&sb, "octo-org", "widgets").await;
    assert_eq!(
        (
            &repo["id"],
            &repo["owner"]["id"],
            &repo["full_name"],
            &repo["name"],
            &repo["owner"]["login"]
        ),
        (
            &json!(712398456),
            &json!(90210042),
            &json!("octo-org/widgets"),
            &json!("widgets"),
            &json!("octo-org")
        )
    );
    let claim = subject_claim(&sb, "octo-org", "widgets").await;
    assert_eq!(
        claim,
        json!({"use_default": true, "use_immutable_subject": false, "sub_claim_prefix": "repo:octo-org/widgets"}),
        "classic subjects"
    );

    let account = cawiz_sandbox::DEFAULT_ACCOUNT_ID;
    let (status, _, page) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/actions/variables?per_page=30&page=1",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(page["total_count"], 5);
    let mut got = variables_of(&page);
    got.sort();
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
    let (status, _, secrets) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/actions/secrets?per_page=30&page=1",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(secrets["total_count"], 0);
    assert!(secret_names(&secrets).is_empty(), "{secrets}");
    // Reading changes nothing.
    assert!(sb.mutating_calls().is_empty(), "{:?}", sb.mutating_calls());

    // The guide's repository is classic too, with its own fixed ids; names are case-insensitive.
    let sb = common::start_sandbox("guide").await;
    let repo = repository(&sb, "ACME-GEO", "Earth-Polychromatic-API").await;
    assert_eq!(
        (&repo["id"], &repo["owner"]["id"]),
        (&json!(802114563), &json!(48213977))
    );
    assert_eq!(repo["full_name"], "acme-geo/earth-polychromatic-api");
    let sb = common::start_sandbox("empty").await;
    assert_eq!(sb.github_repository(), None);
}

#[tokio::test]
async fn immutable_subjects_report_the_prefix_with_ids() {
    let sb = common::start_sandbox("empty").await;
    let repo = repository(&sb, "new-org", "fresh").await;
    let claim = subject_claim(&sb, "new-org", "fresh").await;
    assert_eq!(
        claim["sub_claim_prefix"], "repo:new-org/fresh",
        "classic subjects first"
    );

    assert!(sb.set_github_immutable_subject("new-org", "fresh", true));
    let claim = subject_claim(&sb, "new-org", "fresh").await;
    assert_eq!(claim["use_default"], true);
    assert_eq!(
        claim["sub_claim_prefix"].as_str(),
        Some(format!("repo:new-org@{}/fresh@{}", repo["owner"]["id"], repo["id"]).as_str())
    );
    assert!(!sb.set_github_immutable_subject("-bad", "fresh", true));

    // A customized subject template reads back as GitHub shows it.
    let (status, _, _) = raw(
        &sb,
        Method::PUT,
        "/repos/new-org/fresh/actions/oidc/customization/sub",
        BEARER,
        Some(json!({"use_default": false, "include_claim_keys": ["repo", "context"]})),
    )
    .await;
    assert_eq!(status, 201);
    let claim = subject_claim(&sb, "new-org", "fresh").await;
    assert_eq!(claim["use_default"], false);
    assert_eq!(claim["include_claim_keys"], json!(["repo", "context"]));
    assert!(sb.mutating_calls().contains_key("GitHub:SetOidcSubClaim"));
}

#[tokio::test]
async fn any_valid_repository_exists_with_ids_stable_across_runs() {
    let first = common::start_sandbox("empty").await;
    let second = common::start_sandbox("complete").await;
    let a = repository(&first, "someone", "anything").await;
    let b = repository(&second, "someone", "anything").await;
    assert_eq!((&a["id"], &a["owner"]["id"]), (&b["id"], &b["owner"]["id"]));
    assert!(a["id"].is_u64() && a["owner"]["id"].is_u64(), "{a}");
    assert_eq!(a["full_name"], "someone/anything");
    let c = repository(&first, "someone", "other").await;
    assert_eq!(c["owner"]["id"], a["owner"]["id"], "one owner, one id");
    assert_ne!(c["id"], a["id"]);
    // A new repository of the scenario's owner shares its fixed id.
    let d = repository(&second, "octo-org", "gadgets").await;
    assert_eq!(d["owner"]["id"], 90210042);

    // Names GitHub rejects are 404, like GitHub.
    for (owner, repo) in [("-leading", "x"), ("ok", ".."), ("a_b", "x")] {
        let path = format!("/repos/{owner}/{repo}");
        let (status, _, body) = raw(&first, Method::GET, &path, BEARER, None).await;
        assert_eq!(
            (status, body["message"].as_str()),
            (404, Some("Not Found")),
            "{owner}/{repo}: {body}"
        );
    }
    let (status, _, body) = raw(&first, Method::GET, "/repos/a_b/x", BEARER, None).await;
    assert_eq!(status, 404);
    assert_eq!(body["message"], "Not Found");
    assert!(
        body["documentation_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://docs.github.com/"))
    );
    let (status, _, body) = raw(&first, Method::GET, "/user", BEARER, None).await;
    assert_eq!((status, body["message"].as_str()), (404, Some("Not Found")));
}
