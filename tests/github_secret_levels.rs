//! The secrets a workflow may use beyond the repository's, read with GitHub's shapes (wiremock):
//! the organisation's shared with the repository, and an environment's (404: no such environment);
//! and what the sandbox answers for them.

mod common;

use cawiz::github::{GithubClient, GithubErrorKind};
use cawiz_sandbox::SANDBOX_GITHUB_TOKEN;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn secrets(names: &[&str]) -> serde_json::Value {
    json!({
        "total_count": names.len(),
        "secrets": names.iter().map(|n| json!({
            "name": n, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"
        })).collect::<Vec<_>>()
    })
}

#[tokio::test]
async fn organisation_and_environment_secret_names() {
    let server = MockServer::start().await;
    let client = GithubClient::new(&server.uri(), Some("ghp_Test".to_owned())).expect("client");
    Mock::given(method("GET"))
        .and(path("/repos/octo/widgets/actions/organization-secrets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(secrets(&["PUBLISH_ROLE_ARN"])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/widgets/environments/prod%20eu/secrets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(secrets(&["DEPLOY_KEY"])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/widgets/environments/nope/secrets"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "message": "Not Found",
            "documentation_url": "https://docs.github.com/rest/actions/secrets#list-environment-secrets",
            "status": "404"
        })))
        .mount(&server)
        .await;
    assert_eq!(
        client
            .list_org_secret_names("octo", "widgets")
            .await
            .expect("org"),
        ["PUBLISH_ROLE_ARN"]
    );
    assert_eq!(
        client
            .list_environment_secret_names("octo", "widgets", "prod eu")
            .await
            .expect("environment"),
        ["DEPLOY_KEY"]
    );
    let missing = client
        .list_environment_secret_names("octo", "widgets", "nope")
        .await
        .expect_err("no such environment");
    assert_eq!(missing.kind(), GithubErrorKind::NotFound);
}

#[tokio::test]
async fn the_organisation_shares_no_secret_and_unknown_environments_are_not_found() {
    let sb = common::start_sandbox("complete").await;
    let gh =
        GithubClient::new(&sb.github_url(), Some(SANDBOX_GITHUB_TOKEN.to_owned())).expect("client");
    assert_eq!(
        gh.list_org_secret_names("octo-org", "widgets")
            .await
            .unwrap(),
        Vec::<String>::new()
    );
    let err = gh
        .list_environment_secret_names("octo-org", "widgets", "production")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), GithubErrorKind::NotFound, "{err}");
    assert!(
        sb.calls()
            .contains_key("GitHub:ListRepoOrganizationSecrets")
    );
}
