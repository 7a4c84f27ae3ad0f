//! cawiz's `GithubClient` against the sandbox's GitHub (`{url}/github`): what the client makes of
//! the sandbox's answers — repositories, subject claims, variables, secrets, pagination, and the
//! error kinds of refusals. (What the sandbox answers on the wire is tested in its own package.)
mod common;

use std::collections::BTreeMap;

use cawiz::github::{GithubClient, GithubError, GithubErrorKind, SetOutcome, Variable};
use cawiz_sandbox::{SANDBOX_GITHUB_TOKEN, SandboxConfig, SandboxHandle};

fn client(sb: &SandboxHandle) -> GithubClient {
    GithubClient::new(&sb.github_url(), Some(SANDBOX_GITHUB_TOKEN.to_owned())).expect("client")
}

fn var(name: &str, value: &str) -> Variable {
    Variable {
        name: name.to_owned(),
        value: value.to_owned(),
    }
}

#[tokio::test]
async fn reads_the_scenario_repository_its_variables_and_secrets() {
    let sb = common::start_sandbox("complete").await;
    let gh = client(&sb);

    let repo = gh.get_repository("octo-org", "widgets").await.unwrap();
    assert_eq!(
        (
            repo.id,
            repo.owner_id,
            repo.full_name.as_str(),
            repo.name.as_str(),
            repo.owner_login.as_str()
        ),
        (
            712398456,
            90210042,
            "octo-org/widgets",
            "widgets",
            "octo-org"
        )
    );
    let claim = gh.oidc_subject_prefix("octo-org", "widgets").await.unwrap();
    assert!(claim.use_default);
    assert!(claim.include_claim_keys.is_empty());
    assert_eq!(
        claim.sub_claim_prefix.as_deref(),
        Some("repo:octo-org/widgets"),
        "classic subjects: GitHub reports the prefix in force"
    );

    let account = cawiz_sandbox::DEFAULT_ACCOUNT_ID;
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
            .items
            .is_empty()
    );
    // Reading changes nothing.
    assert!(sb.mutating_calls().is_empty(), "{:?}", sb.mutating_calls());

    // The guide's repository, asked for in another case: GitHub's spelling comes back.
    let sb = common::start_sandbox("guide").await;
    let repo = client(&sb)
        .get_repository("ACME-GEO", "Earth-Polychromatic-API")
        .await
        .unwrap();
    assert_eq!((repo.id, repo.owner_id), (802114563, 48213977));
    assert_eq!(repo.full_name, "acme-geo/earth-polychromatic-api");
}

#[tokio::test]
async fn reads_immutable_and_customized_subject_claims() {
    let sb = common::start_sandbox("empty").await;
    let gh = client(&sb);
    let repo = gh.get_repository("new-org", "fresh").await.unwrap();
    let claim = gh.oidc_subject_prefix("new-org", "fresh").await.unwrap();
    assert_eq!(
        claim.sub_claim_prefix.as_deref(),
        Some("repo:new-org/fresh"),
        "classic subjects first"
    );

    assert!(sb.set_github_immutable_subject("new-org", "fresh", true));
    let claim = gh.oidc_subject_prefix("new-org", "fresh").await.unwrap();
    assert!(claim.use_default);
    assert_eq!(
        claim.sub_claim_prefix,
        Some(format!("repo:new-org@{}/fresh@{}", repo.owner_id, repo.id))
    );

    // A customized subject template (set over raw HTTP: the client only reads it).
    let resp = reqwest::Client::new()
        .put(format!(
            "{}/repos/new-org/fresh/actions/oidc/customization/sub",
            sb.github_url()
        ))
        .bearer_auth(SANDBOX_GITHUB_TOKEN)
        .json(&serde_json::json!({"use_default": false, "include_claim_keys": ["repo", "context"]}))
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 201);
    let claim = gh.oidc_subject_prefix("new-org", "fresh").await.unwrap();
    assert!(!claim.use_default);
    assert_eq!(claim.include_claim_keys, ["repo", "context"]);
}

#[tokio::test]
async fn any_valid_repository_reads_back_and_invalid_names_are_not_found() {
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
    assert_eq!(
        (a.full_name.as_str(), a.owner_login.as_str()),
        ("someone/anything", "someone")
    );
    let c = client(&first)
        .get_repository("someone", "other")
        .await
        .unwrap();
    assert_eq!(c.owner_id, a.owner_id, "one owner, one id");
    assert_ne!(c.id, a.id);
    let d = client(&second)
        .get_repository("octo-org", "gadgets")
        .await
        .unwrap();
    assert_eq!(d.owner_id, 90210042);

    for (owner, repo) in [("-leading", "x"), ("ok", ".."), ("a_b", "x")] {
        let err = client(&first)
            .get_repository(owner, repo)
            .await
            .unwrap_err();
        assert_eq!(
            (err.kind(), err.status()),
            (GithubErrorKind::NotFound, Some(404)),
            "{owner}/{repo}: {err}"
        );
    }
}

#[tokio::test]
async fn missing_and_wrong_tokens_are_unauthorized() {
    let sb = common::start_sandbox("complete").await;
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
    assert_eq!(err.kind(), GithubErrorKind::Unauthorized);
    let wrong = GithubClient::new(&sb.github_url(), Some("ghp_wrong".into())).expect("client");
    let err = wrong
        .list_variables("octo-org", "widgets")
        .await
        .unwrap_err();
    assert!(
        matches!(err, GithubError::Unauthorized { token_sent: true, ref message, .. } if message.contains("Bad credentials")),
        "{err:?}"
    );
    assert_eq!(err.kind(), GithubErrorKind::Unauthorized);
    // The sandbox's token works.
    assert_eq!(
        client(&sb)
            .list_variables("octo-org", "widgets")
            .await
            .unwrap()
            .len(),
        5
    );
}

#[tokio::test]
async fn injected_faults_show_as_their_error_kinds() {
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
    assert!(
        matches!(
            err,
            GithubError::RateLimited {
                reset_at: Some(_),
                ..
            }
        ),
        "the reset time is read: {err:?}"
    );
    let err = gh
        .list_secret_names("octo-org", "widgets")
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.status()),
        (GithubErrorKind::Other, Some(500)),
        "{err}"
    );
    // Other operations are untouched.
    assert_eq!(
        gh.list_variables("octo-org", "widgets")
            .await
            .unwrap()
            .len(),
        5
    );
    assert_eq!(sb.calls()["GitHub:CreateVariable"], 1, "no retry");
    assert!(
        !sb.github_variables("octo-org", "widgets")
            .contains_key("NEW")
    );
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
        sb.github_variables("someone", "anything"),
        BTreeMap::from([
            ("AWS_REGION".to_owned(), "eu-west-3".to_owned()),
            ("CODEARTIFACT_DOMAIN".to_owned(), "acme2".to_owned()),
        ])
    );

    assert!(
        gh.delete_variable("someone", "anything", "aws_region")
            .await
            .unwrap()
    );
    assert!(
        !gh.delete_variable("someone", "anything", "AWS_REGION")
            .await
            .unwrap(),
        "already gone: 404 is fine"
    );
    let calls = sb.calls();
    assert_eq!(calls["GitHub:CreateVariable"], 4);
    assert_eq!(calls["GitHub:UpdateVariable"], 2, "a PATCH after each 409");
    assert_eq!(calls["GitHub:DeleteVariable"], 2);
    assert_eq!(calls["GitHub:ListVariables"], 2, "one page each");

    // A name GitHub refuses is an error, not a Conflict to PATCH.
    let err = gh
        .set_variable("someone", "anything", "GITHUB_THING", "v")
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.status()),
        (GithubErrorKind::Other, Some(422)),
        "{err}"
    );
    assert_eq!(sb.calls()["GitHub:UpdateVariable"], 2);
}

#[tokio::test]
async fn secrets_are_sealed_so_the_sandbox_opens_them() {
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
        gh.list_secret_names("octo-org", "widgets")
            .await
            .unwrap()
            .items,
        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
    );
    // The sandbox can open what the client sealed: the values arrived intact.
    assert_eq!(
        sb.github_secret("octo-org", "widgets", "AWS_SECRET_ACCESS_KEY")
            .as_deref(),
        Some("rotated")
    );
    assert_eq!(
        sb.github_secret("octo-org", "widgets", "AWS_ACCESS_KEY_ID")
            .as_deref(),
        Some("AKIAEXAMPLE")
    );
    let calls = sb.calls();
    assert_eq!(calls["GitHub:GetPublicKey"], 3, "one key read a write");
    assert_eq!(calls["GitHub:SetSecret"], 3);

    // A name GitHub refuses shows the 422.
    let err = gh
        .set_secret("octo-org", "widgets", "GITHUB_SECRET", "v")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422), "{err}");
}

#[tokio::test]
async fn list_variables_follows_every_page() {
    let sb = common::start_sandbox("empty").await;
    let gh = client(&sb);
    for i in 0..35 {
        let (name, value) = (format!("VAR_{i:02}"), format!("v{i}"));
        let set = gh.set_variable("o", "r", &name, &value).await;
        assert_eq!(set.unwrap(), SetOutcome::Created);
    }
    let all = gh.list_variables("o", "r").await.unwrap();
    let expected: Vec<Variable> = (0..35)
        .map(|i| var(&format!("VAR_{i:02}"), &format!("v{i}")))
        .collect();
    assert_eq!(all, expected, "the client follows the pages, in order");
    assert_eq!(
        sb.calls()["GitHub:ListVariables"],
        2,
        "30 a page: two pages"
    );
}

/// The levels beyond the repository's own: the organisation's variables shared with it (all
/// pages, filtered by GitHub by visibility) and an environment's (`None` while it does not exist).
#[tokio::test]
async fn organisation_and_environment_variables_are_read() {
    let sb = common::start_sandbox("empty").await;
    let gh = client(&sb);
    assert_eq!(
        gh.list_environment_variables("octo-org", "widgets", "prod")
            .await
            .unwrap(),
        None,
        "no such environment"
    );
    assert!(
        gh.list_org_variables_for_repo("octo-org", "widgets")
            .await
            .unwrap()
            .items
            .is_empty()
    );
    for i in 0..12 {
        let body =
            serde_json::json!({"name": format!("V{i:02}"), "value": "x", "visibility": "all"});
        let (status, answer) = common::github_request(
            &sb,
            reqwest::Method::POST,
            "/orgs/octo-org/actions/variables",
            Some(body),
        )
        .await;
        assert_eq!(status, 201, "{answer}");
    }
    let hidden = serde_json::json!({"name": "HIDDEN", "value": "x", "visibility": "selected",
        "selected_repository_ids": [1]});
    let (status, _) = common::github_request(
        &sb,
        reqwest::Method::POST,
        "/orgs/octo-org/actions/variables",
        Some(hidden),
    )
    .await;
    assert_eq!(status, 201);
    let shared = gh
        .list_org_variables_for_repo("octo-org", "widgets")
        .await
        .unwrap();
    assert_eq!(
        shared.items.len(),
        12,
        "every page, without the variable for another repository"
    );
    // 12 at GitHub's 30 a page: one page, all of it.
    assert_eq!(
        (shared.listing.pages, shared.listing.complete),
        (1, true),
        "{:?}",
        shared.listing
    );
    let env = "/repos/octo-org/widgets/environments/prod";
    let (status, _) = common::github_request(&sb, reqwest::Method::PUT, env, None).await;
    assert_eq!(status, 200);
    let body = serde_json::json!({"name": "AWS_REGION", "value": "eu-west-1"});
    let path = format!("{env}/variables");
    let (status, _) = common::github_request(&sb, reqwest::Method::POST, &path, Some(body)).await;
    assert_eq!(status, 201);
    assert_eq!(
        gh.list_environment_variables("octo-org", "widgets", "prod")
            .await
            .unwrap(),
        Some(vec![var("AWS_REGION", "eu-west-1")])
    );
}
