//! Organisation variables (`/orgs/{org}/actions/variables…`, their visibility and selected
//! repositories), the repository's view of them (`/repos/{o}/{r}/actions/organization-variables`)
//! and environment variables (`/repos/{o}/{r}/environments/{env}/variables…`, the environment
//! created first with `PUT /repos/{o}/{r}/environments/{env}`), with GitHub's paths, shapes,
//! status codes and pagination (`rest-api-description`, `api.github.com.2022-11-28.yaml`).

use reqwest::Method;
use serde_json::{Value, json};

use crate::common;
use crate::{BEARER, link_rel, raw, var, variables_of};

const ORG: &str = "/orgs/octo-org/actions/variables";

async fn post_org(sb: &cawiz_sandbox::SandboxHandle, body: Value) -> (u16, Value) {
    let (status, _, answer) = raw(sb, Method::POST, ORG, BEARER, Some(body)).await;
    (status, answer)
}

async fn repo_id(sb: &cawiz_sandbox::SandboxHandle, owner: &str, repo: &str) -> u64 {
    let path = format!("/repos/{owner}/{repo}");
    let (status, _, body) = raw(sb, Method::GET, &path, BEARER, None).await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_u64().expect("an id")
}

/// What `owner/repo` sees of its organisation's variables.
async fn shared(
    sb: &cawiz_sandbox::SandboxHandle,
    owner: &str,
    repo: &str,
) -> Vec<(String, String)> {
    let path = format!("/repos/{owner}/{repo}/actions/organization-variables");
    let (status, _, page) = raw(sb, Method::GET, &path, BEARER, None).await;
    assert_eq!(status, 200, "{page}");
    variables_of(&page)
}

#[tokio::test]
async fn organisation_variables_are_created_read_updated_and_deleted() {
    let sb = common::start_sandbox("empty").await;
    let (status, _, page) = raw(&sb, Method::GET, ORG, BEARER, None).await;
    assert_eq!(
        (status, page),
        (200, json!({"total_count": 0, "variables": []}))
    );
    // `visibility` is required, and one of three.
    let (status, body) = post_org(&sb, json!({"name": "AWS_REGION", "value": "us-east-1"})).await;
    assert_eq!(status, 422, "{body}");
    let bad = json!({"name": "AWS_REGION", "value": "us-east-1", "visibility": "public"});
    assert_eq!(post_org(&sb, bad).await.0, 422);
    // Repository ids only with `selected`.
    let ids =
        json!({"name": "X", "value": "1", "visibility": "all", "selected_repository_ids": [1]});
    assert_eq!(post_org(&sb, ids).await.0, 422);
    let region = json!({"name": "aws_region", "value": "us-east-1", "visibility": "private"});
    assert_eq!(post_org(&sb, region.clone()).await, (201, json!({})));
    assert_eq!(
        post_org(&sb, region).await.0,
        409,
        "names are case-insensitive"
    );
    let (status, _, got) = raw(&sb, Method::GET, &format!("{ORG}/Aws_Region"), BEARER, None).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["name"], "AWS_REGION");
    assert_eq!(got["value"], "us-east-1");
    assert_eq!(got["visibility"], "private");
    assert!(
        got["created_at"].as_str().is_some_and(|t| t.ends_with('Z')),
        "{got}"
    );
    assert!(
        got.get("selected_repositories_url").is_none(),
        "only for selected: {got}"
    );
    // PATCH: value, visibility and a rename, 204.
    let patch = json!({"name": "AWS_DEFAULT_REGION", "value": "eu-west-3", "visibility": "all"});
    let path = format!("{ORG}/AWS_REGION");
    let (status, _, body) = raw(&sb, Method::PATCH, &path, BEARER, Some(patch)).await;
    assert_eq!((status, body), (204, Value::Null));
    assert_eq!(
        raw(&sb, Method::GET, &path, BEARER, None).await.0,
        404,
        "renamed"
    );
    let renamed = format!("{ORG}/AWS_DEFAULT_REGION");
    let (_, _, got) = raw(&sb, Method::GET, &renamed, BEARER, None).await;
    assert_eq!(
        (got["value"].clone(), got["visibility"].clone()),
        (json!("eu-west-3"), json!("all"))
    );
    assert_eq!(
        raw(&sb, Method::DELETE, &renamed, BEARER, None).await.0,
        204
    );
    assert_eq!(
        raw(&sb, Method::DELETE, &renamed, BEARER, None).await.0,
        404
    );
    // 10 a page by default, at most 30, with GitHub's Link header.
    for i in 0..12 {
        let body = json!({"name": format!("V{i:02}"), "value": "x", "visibility": "all"});
        assert_eq!(post_org(&sb, body).await.0, 201);
    }
    let (_, headers, page) = raw(&sb, Method::GET, ORG, BEARER, None).await;
    assert_eq!(page["total_count"], 12);
    assert_eq!(variables_of(&page).len(), 10);
    assert!(
        link_rel(&headers, "next").is_some_and(|l| l.contains("page=2")),
        "{headers:?}"
    );
    let (_, _, page) = raw(
        &sb,
        Method::GET,
        &format!("{ORG}?per_page=100"),
        BEARER,
        None,
    )
    .await;
    assert_eq!(variables_of(&page).len(), 12, "30 at most, 12 here");
}

#[tokio::test]
async fn a_repository_sees_what_its_organisation_shares_with_it() {
    let sb = common::start_sandbox("empty").await;
    let widgets = repo_id(&sb, "octo-org", "widgets").await;
    let gadgets = repo_id(&sb, "octo-org", "gadgets").await;
    for (name, visibility) in [("ALL_REPOS", "all"), ("PRIVATE_REPOS", "private")] {
        let body = json!({"name": name, "value": visibility, "visibility": visibility});
        assert_eq!(post_org(&sb, body).await.0, 201);
    }
    let selected = json!({"name": "AWS_ROLE_ARN", "value": "arn:aws:iam::1:role/R",
        "visibility": "selected", "selected_repository_ids": [gadgets]});
    assert_eq!(post_org(&sb, selected).await.0, 201);
    let (_, _, got) = raw(
        &sb,
        Method::GET,
        &format!("{ORG}/AWS_ROLE_ARN"),
        BEARER,
        None,
    )
    .await;
    assert!(
        got["selected_repositories_url"].as_str().is_some_and(
            |u| u.ends_with("/orgs/octo-org/actions/variables/AWS_ROLE_ARN/repositories")
        ),
        "{got}"
    );
    // Sandbox repositories are private: `all` and `private` reach both; `selected` only gadgets.
    let both = vec![var("ALL_REPOS", "all"), var("PRIVATE_REPOS", "private")];
    assert_eq!(shared(&sb, "octo-org", "widgets").await, both);
    assert_eq!(shared(&sb, "octo-org", "gadgets").await.len(), 3);
    assert!(
        shared(&sb, "someone-else", "widgets").await.is_empty(),
        "another owner's"
    );
    // The selected repositories: listed, added, removed, replaced.
    let repos = format!("{ORG}/AWS_ROLE_ARN/repositories");
    let (status, _, page) = raw(&sb, Method::GET, &repos, BEARER, None).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total_count"], 1);
    assert_eq!(page["repositories"][0]["full_name"], "octo-org/gadgets");
    let add = format!("{repos}/{widgets}");
    assert_eq!(raw(&sb, Method::PUT, &add, BEARER, None).await.0, 204);
    assert!(
        shared(&sb, "octo-org", "widgets")
            .await
            .contains(&var("AWS_ROLE_ARN", "arn:aws:iam::1:role/R"))
    );
    assert_eq!(raw(&sb, Method::DELETE, &add, BEARER, None).await.0, 204);
    assert_eq!(shared(&sb, "octo-org", "widgets").await, both);
    let set = json!({"selected_repository_ids": [widgets]});
    assert_eq!(
        raw(&sb, Method::PUT, &repos, BEARER, Some(set)).await.0,
        204
    );
    assert_eq!(
        shared(&sb, "octo-org", "gadgets").await.len(),
        2,
        "replaced"
    );
    // Only a `selected` variable has repositories: 409 otherwise.
    let not_selected = format!("{ORG}/ALL_REPOS/repositories");
    assert_eq!(
        raw(&sb, Method::GET, &not_selected, BEARER, None).await.0,
        409
    );
    assert_eq!(
        raw(
            &sb,
            Method::PUT,
            &format!("{not_selected}/{widgets}"),
            BEARER,
            None
        )
        .await
        .0,
        409
    );
}

#[tokio::test]
async fn environment_variables_need_their_environment() {
    let sb = common::start_sandbox("empty").await;
    let env = "/repos/octo-org/widgets/environments/prod";
    let vars = format!("{env}/variables");
    assert_eq!(raw(&sb, Method::GET, &vars, BEARER, None).await.0, 404);
    let body = json!({"name": "AWS_ROLE_ARN", "value": "arn:aws:iam::1:role/R"});
    assert_eq!(
        raw(&sb, Method::POST, &vars, BEARER, Some(body.clone()))
            .await
            .0,
        404,
        "no environment yet"
    );
    assert_eq!(raw(&sb, Method::GET, env, BEARER, None).await.0, 404);
    // PUT creates it (no body needed), 200 with the environment.
    let (status, _, created) = raw(&sb, Method::PUT, env, BEARER, None).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["name"], "prod");
    assert!(created["id"].as_u64().is_some(), "{created}");
    assert!(
        created["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/repos/octo-org/widgets/environments/prod"))
    );
    let (status, _, again) = raw(
        &sb,
        Method::PUT,
        env,
        BEARER,
        Some(json!({"wait_timer": 0})),
    )
    .await;
    assert_eq!(
        (status, again["id"].clone()),
        (200, created["id"].clone()),
        "updated, not duplicated"
    );
    let long = format!("/repos/octo-org/widgets/environments/{}", "x".repeat(256));
    assert_eq!(raw(&sb, Method::PUT, &long, BEARER, None).await.0, 422);
    // Then its variables, as the repository's: 201, 409, 200, 204, 404.
    let (status, _, answer) = raw(&sb, Method::POST, &vars, BEARER, Some(body.clone())).await;
    assert_eq!((status, answer), (201, json!({})));
    assert_eq!(
        raw(&sb, Method::POST, &vars, BEARER, Some(body)).await.0,
        409
    );
    let one = "/repos/octo-org/widgets/environments/PROD/variables/aws_role_arn";
    let (status, _, got) = raw(&sb, Method::GET, one, BEARER, None).await;
    assert_eq!(
        status, 200,
        "environment and variable names are case-insensitive: {got}"
    );
    assert_eq!(got["name"], "AWS_ROLE_ARN");
    let patch = json!({"value": "arn:aws:iam::1:role/S"});
    assert_eq!(
        raw(&sb, Method::PATCH, one, BEARER, Some(patch)).await.0,
        204
    );
    let (_, _, page) = raw(&sb, Method::GET, &vars, BEARER, None).await;
    assert_eq!(
        variables_of(&page),
        vec![var("AWS_ROLE_ARN", "arn:aws:iam::1:role/S")]
    );
    assert_eq!(raw(&sb, Method::DELETE, one, BEARER, None).await.0, 204);
    assert_eq!(raw(&sb, Method::GET, one, BEARER, None).await.0, 404);
    // The repository's own variables are another level.
    let (_, _, page) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/actions/variables",
        BEARER,
        None,
    )
    .await;
    assert_eq!(page["total_count"], 0);
}
