//! A repository's names, ids and OIDC subject format: the scenarios' fixed ones, any other
//! repository created on first use, and names GitHub rejects.

use cawiz::github::GithubErrorKind;
use serde_json::json;

use crate::common;
use crate::{BEARER, client, raw, var};

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
async fn immutable_subjects_report_the_prefix_with_ids() {
    let sb = common::start_sandbox("empty").await;
    let gh = client(&sb);
    let repo = gh.get_repository("new-org", "fresh").await.unwrap();
    let claim = gh.oidc_subject_prefix("new-org", "fresh").await.unwrap();
    assert_eq!(claim.sub_claim_prefix, None, "classic subjects first");

    assert!(sb.set_github_immutable_subject("new-org", "fresh", true));
    let claim = gh.oidc_subject_prefix("new-org", "fresh").await.unwrap();
    assert!(claim.use_default);
    assert_eq!(
        claim.sub_claim_prefix,
        Some(format!("repo:new-org@{}/fresh@{}", repo.owner_id, repo.id))
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
