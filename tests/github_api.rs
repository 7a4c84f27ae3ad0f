//! The GitHub REST client against wiremock on loopback: the endpoints cawiz calls, their error
//! answers, the headers sent, and where the token comes from.

use std::collections::HashMap;

use cawiz::github::{
    GithubClient, GithubError, GithubErrorKind, Need, SetOutcome, TokenSource, Variable, token_from,
};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "ghp_TestToken1234567890";

async fn server() -> (MockServer, GithubClient) {
    let server = MockServer::start().await;
    let client = GithubClient::new(&server.uri(), Some(TOKEN.to_owned())).expect("client");
    (server, client)
}

fn vars(from: usize, to: usize) -> Vec<serde_json::Value> {
    (from..to)
        .map(|i| {
            json!({"name": format!("VAR_{i:02}"), "value": format!("v{i}"),
                        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"})
        })
        .collect()
}

#[tokio::test]
async fn list_variables_follows_pagination() {
    let (server, client) = server().await;
    for (page, items) in [("1", vars(0, 30)), ("2", vars(30, 31))] {
        Mock::given(method("GET"))
            .and(path("/repos/octo/widgets/actions/variables"))
            .and(query_param("per_page", "30"))
            .and(query_param("page", page))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"total_count": 31, "variables": items})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let got = client.list_variables("octo", "widgets").await.unwrap();
    assert_eq!(got.len(), 31);
    assert_eq!(
        got[0],
        Variable {
            name: "VAR_00".into(),
            value: "v0".into()
        }
    );
    assert_eq!(got[30].name, "VAR_30");
}

#[tokio::test]
async fn an_empty_list_is_one_request() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/widgets/actions/variables"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"total_count": 0, "variables": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.list_variables("octo", "widgets").await.unwrap(), []);
}

#[tokio::test]
async fn set_variable_creates() {
    let (server, client) = server().await;
    Mock::given(method("POST"))
        .and(path("/repos/octo/widgets/actions/variables"))
        .and(body_json(
            json!({"name": "AWS_REGION", "value": "us-east-1"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(204))
        .expect(0)
        .mount(&server)
        .await;
    let outcome = client
        .set_variable("octo", "widgets", "AWS_REGION", "us-east-1")
        .await
        .unwrap();
    assert_eq!(outcome, SetOutcome::Created);
}

#[tokio::test]
async fn set_variable_updates_on_conflict() {
    let (server, client) = server().await;
    let body = json!({"name": "AWS_REGION", "value": "eu-west-3"});
    Mock::given(method("POST"))
        .and(path("/repos/octo/widgets/actions/variables"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "message": "Already exists - Variable already exists",
            "documentation_url": "https://docs.github.com/rest/actions/variables#create-a-repository-variable"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/octo/widgets/actions/variables/AWS_REGION"))
        .and(body_json(&body))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let outcome = client
        .set_variable("octo", "widgets", "AWS_REGION", "eu-west-3")
        .await
        .unwrap();
    assert_eq!(outcome, SetOutcome::Updated);
}

#[tokio::test]
async fn delete_variable_deletes() {
    let (server, client) = server().await;
    Mock::given(method("DELETE"))
        .and(path("/repos/octo/widgets/actions/variables/AWS_REGION"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "application/vnd.github+json"))
        .and(header("x-github-api-version", "2022-11-28"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let deleted = client
        .delete_variable("octo", "widgets", "AWS_REGION")
        .await
        .unwrap();
    assert!(deleted);
}

/// What `delete_variable` of AWS_REGION gives when GitHub answers its one DELETE with `response`.
async fn delete_answered(response: ResponseTemplate) -> Result<bool, GithubError> {
    let (server, client) = server().await;
    Mock::given(method("DELETE"))
        .and(path("/repos/octo/widgets/actions/variables/AWS_REGION"))
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    client
        .delete_variable("octo", "widgets", "AWS_REGION")
        .await
}

#[tokio::test]
async fn delete_variable_of_a_missing_variable_is_fine() {
    let deleted = delete_answered(github_error(404, "Not Found"))
        .await
        .unwrap();
    assert!(!deleted);
}

#[tokio::test]
async fn delete_variable_forbidden_names_the_write_permission() {
    let forbidden = github_error(403, "Resource not accessible by personal access token")
        .insert_header("x-accepted-github-permissions", "actions_variables=write")
        .insert_header("x-ratelimit-remaining", "4999");
    let e = delete_answered(forbidden).await.unwrap_err();
    assert!(
        matches!(
            &e,
            GithubError::Forbidden { operation, need: Need::VariablesWrite, accepted: Some(a), .. }
                if a == "actions_variables=write"
                    && operation == "delete the Actions variable AWS_REGION of octo/widgets"
        ),
        "{e:?}"
    );
    assert_eq!(e.status(), Some(403));
    assert!(
        e.fix().contains("\"Variables: read and write\""),
        "{}",
        e.fix()
    );
    assert!(e.fix().contains("`repo` scope"), "{}", e.fix());
    assert!(e.fix().contains("actions_variables=write"), "{}", e.fix());
}

#[tokio::test]
async fn delete_variable_other_errors_are_errors() {
    let e = delete_answered(github_error(401, "Bad credentials"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), GithubErrorKind::Unauthorized, "{e}");
}

#[tokio::test]
async fn subject_claim_formats_are_parsed() {
    let (server, client) = server().await;
    for (repo, answer) in [
        ("default", json!({"use_default": true})),
        (
            "custom",
            json!({"use_default": false, "include_claim_keys": ["repo", "context", "job_workflow_ref"]}),
        ),
        (
            "immutable",
            json!({"use_default": true, "sub_claim_prefix": "repo:octo@123/immutable@456"}),
        ),
    ] {
        Mock::given(method("GET"))
            .and(path(format!(
                "/repos/octo/{repo}/actions/oidc/customization/sub"
            )))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer))
            .mount(&server)
            .await;
    }
    let default = client.oidc_subject_prefix("octo", "default").await.unwrap();
    assert!(default.use_default);
    assert!(default.include_claim_keys.is_empty());
    assert_eq!(default.sub_claim_prefix, None);
    let custom = client.oidc_subject_prefix("octo", "custom").await.unwrap();
    assert!(!custom.use_default);
    assert_eq!(
        custom.include_claim_keys,
        ["repo", "context", "job_workflow_ref"]
    );
    let immutable = client
        .oidc_subject_prefix("octo", "immutable")
        .await
        .unwrap();
    assert_eq!(
        immutable.sub_claim_prefix.as_deref(),
        Some("repo:octo@123/immutable@456")
    );
}

#[tokio::test]
async fn get_repository_gives_the_ids_for_the_immutable_subject() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/widgets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 456, "name": "widgets", "full_name": "octo/widgets", "private": false,
            "owner": {"login": "octo", "id": 123, "type": "Organization"}
        })))
        .mount(&server)
        .await;
    let repo = client.get_repository("octo", "widgets").await.unwrap();
    assert_eq!((repo.id, repo.owner_id), (456, 123));
    assert_eq!(repo.full_name, "octo/widgets");
    let rules = cawiz::policy::SubjectRules {
        owner: repo.owner_login.clone(),
        repo: repo.name.clone(),
        canonical: true,
        ids: Some((repo.owner_id, repo.id)),
        claim_keys: None,
        unconfirmed: None,
    };
    assert_eq!(rules.repo_part(), "repo:octo@123/widgets@456");
}

#[tokio::test]
async fn list_secret_names() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/widgets/actions/secrets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total_count": 2,
            "secrets": [
                {"name": "AWS_ACCESS_KEY_ID", "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"},
                {"name": "AWS_SECRET_ACCESS_KEY", "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let names = client.list_secret_names("octo", "widgets").await.unwrap();
    assert_eq!(names.items, ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
    assert_eq!(names.listing.operation, "actions/list-repo-secrets");
    assert_eq!((names.listing.pages, names.listing.complete), (1, true));
}

/// 150 secrets at GitHub's largest page (100): the first page tells there is one more, asked
/// for next; the listing says two pages.
#[tokio::test]
async fn secrets_are_listed_a_hundred_a_page() {
    let (server, client) = server().await;
    let secrets = |from: usize, to: usize| -> Vec<serde_json::Value> {
        (from..to)
            .map(|i| json!({"name": format!("S_{i:03}"), "created_at": "2024-01-01T00:00:00Z"}))
            .collect()
    };
    for (page, items) in [("1", secrets(0, 100)), ("2", secrets(100, 150))] {
        Mock::given(method("GET"))
            .and(path("/repos/octo/widgets/actions/secrets"))
            .and(query_param("per_page", "100"))
            .and(query_param("page", page))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"total_count": 150, "secrets": items})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let names = client.list_secret_names("octo", "widgets").await.unwrap();
    assert_eq!(names.items.len(), 150);
    assert_eq!(names.items[149], "S_149");
    assert_eq!((names.listing.pages, names.listing.complete), (2, true));
}

#[tokio::test]
async fn a_variable_is_read_by_name_and_its_absence_is_none() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/widgets/actions/variables/AWS_REGION"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "name": "AWS_REGION", "value": "eu-west-1",
            "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/repos/octo/widgets/environments/prod%20eu/variables/AWS_REGION",
        ))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "message": "Not Found", "status": "404"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let found = client.get_variable("octo", "widgets", "AWS_REGION").await;
    assert_eq!(
        found.unwrap(),
        Some(Variable {
            name: "AWS_REGION".into(),
            value: "eu-west-1".into()
        })
    );
    let missing = client
        .get_environment_variable("octo", "widgets", "prod eu", "AWS_REGION")
        .await;
    assert_eq!(missing.unwrap(), None);
}

/// The error `list_variables` gets when GitHub answers `response` for repository `repo`.
async fn error_for(repo: &str, response: ResponseTemplate) -> GithubError {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/repos/octo/{repo}/actions/variables")))
        .respond_with(response)
        .mount(&server)
        .await;
    client
        .list_variables("octo", repo)
        .await
        .expect_err("an error answer")
}

fn github_error(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "message": message,
        "documentation_url": "https://docs.github.com/rest",
    }))
}

#[tokio::test]
async fn errors_are_classified_with_a_fix() {
    let e = error_for("w", github_error(401, "Bad credentials")).await;
    assert_eq!(e.kind(), GithubErrorKind::Unauthorized, "{e}");
    assert!(e.to_string().contains("Bad credentials"), "{e}");
    assert!(e.fix().contains("gh auth login"), "{}", e.fix());

    let forbidden = github_error(403, "Resource not accessible by personal access token")
        .insert_header("x-accepted-github-permissions", "actions_variables=read")
        .insert_header("x-ratelimit-remaining", "4999");
    let e = error_for("w", forbidden).await;
    assert!(
        matches!(
            &e,
            GithubError::Forbidden { need: Need::VariablesRead, accepted: Some(a), .. }
                if a == "actions_variables=read"
        ),
        "{e:?}"
    );
    assert!(e.fix().contains("Variables: read"), "{}", e.fix());
    assert!(e.fix().contains("`repo` scope"), "{}", e.fix());

    let limited = github_error(403, "API rate limit exceeded for user ID 1.")
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", "1700000000");
    let e = error_for("w", limited).await;
    assert!(
        matches!(
            e,
            GithubError::RateLimited {
                status: 403,
                reset_at: Some(1_700_000_000),
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.fix().contains("until 2023-11-14T22:13:20Z"),
        "{}",
        e.fix()
    );

    let e = error_for("private", github_error(404, "Not Found")).await;
    assert_eq!(e.kind(), GithubErrorKind::NotFound, "{e}");
    assert!(e.fix().contains("octo/private"), "{}", e.fix());

    let e = error_for(
        "w",
        ResponseTemplate::new(500).set_body_string("upstream broke"),
    )
    .await;
    assert!(
        matches!(&e, GithubError::Other { status: 500, message, .. } if message == "upstream broke"),
        "{e:?}"
    );
    assert!(e.fix().contains("re-check"), "{}", e.fix());

    let e = error_for("w", ResponseTemplate::new(200).set_body_string("<html>")).await;
    assert!(
        matches!(&e, GithubError::Other { status: 200, message, .. } if message.starts_with("unexpected response")),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_missing_token_is_named_in_the_fix() {
    let server = MockServer::start().await;
    Mock::given(|req: &Request| !req.headers.contains_key("authorization"))
        .respond_with(github_error(401, "Requires authentication"))
        .expect(1)
        .mount(&server)
        .await;
    let client = GithubClient::new(&server.uri(), None).unwrap();
    let e = client
        .list_secret_names("octo", "widgets")
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            GithubError::Unauthorized {
                token_sent: false,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.fix().contains("No GitHub token"), "{}", e.fix());
}

#[tokio::test]
async fn an_unreachable_server_is_a_network_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client =
        GithubClient::new(&format!("http://127.0.0.1:{port}"), Some(TOKEN.into())).unwrap();
    let e = client.get_repository("octo", "widgets").await.unwrap_err();
    assert_eq!(e.kind(), GithubErrorKind::Network, "{e}");
    assert_eq!(e.status(), None);
    assert!(!e.to_string().contains(TOKEN));
}

#[tokio::test]
async fn the_headers_are_sent_exactly() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/widgets"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "application/vnd.github+json"))
        .and(header("x-github-api-version", "2022-11-28"))
        .and(header(
            "user-agent",
            concat!("cawiz/", env!("CARGO_PKG_VERSION")),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 1, "name": "widgets", "full_name": "octo/widgets", "owner": {"login": "octo", "id": 2}
        })))
        .expect(1)
        .mount(&server)
        .await;
    client.get_repository("octo", "widgets").await.unwrap();
}

#[tokio::test]
async fn the_token_never_appears_in_errors() {
    // A server (or proxy) that echoes the credentials back in its error message.
    let echo = format!("Bad credentials: Bearer {TOKEN}");
    for status in [401, 403, 404, 409, 500] {
        let e = error_for("w", github_error(status, &echo)).await;
        for text in [e.to_string(), format!("{e:?}"), e.fix()] {
            assert!(!text.contains(TOKEN), "{status}: {text}");
        }
        assert!(e.to_string().contains("Bearer ***"), "{e}");
    }
    let (_server, client) = server().await;
    assert!(!format!("{client:?}").contains(TOKEN));
}

#[tokio::test]
async fn an_enterprise_base_path_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/repos/octo/widgets/actions/secrets"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"total_count": 0, "secrets": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client =
        GithubClient::new(&format!("{}/api/v3/", server.uri()), Some(TOKEN.into())).unwrap();
    assert!(
        client
            .list_secret_names("octo", "widgets")
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

#[test]
fn token_from_env_precedence() {
    let env = |pairs: &[(&str, &str)]| {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name: &str| map.get(name).cloned()
    };
    let both = env(&[("GITHUB_TOKEN", "ghp_first"), ("GH_TOKEN", "ghp_second")]);
    assert_eq!(
        token_from(both, None, None),
        Some(("ghp_first".to_owned(), TokenSource::GithubTokenEnv))
    );
    let gh_only = env(&[("GH_TOKEN", "ghp_second")]);
    assert_eq!(
        token_from(gh_only, None, None),
        Some(("ghp_second".to_owned(), TokenSource::GhTokenEnv))
    );
    let empty = env(&[("GITHUB_TOKEN", ""), ("GH_TOKEN", "")]);
    assert_eq!(token_from(empty, None, None), None);
}
