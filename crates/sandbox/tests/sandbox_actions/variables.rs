//! `vars.X` in a run, as GitHub resolves it: the job's environment first, then the repository,
//! then the organisation's variables shared with the repository. The complete scenario keeps its
//! variables at repository level; each test moves `AWS_ROLE_ARN` elsewhere and the publish job
//! assumes the role (or not) accordingly.

use cawiz_sandbox::SandboxHandle;
use reqwest::Method;
use serde_json::json;

use super::common;
use super::{REPO, commit_workflow, dispatch, get_run, gh, versions, workflow};

const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/GitHubActions-CodeArtifact";
const ROLE_VAR: &str = "/repos/octo-org/widgets/actions/variables/AWS_ROLE_ARN";

async fn run_to_its_end(sb: &SandboxHandle) -> String {
    let id = dispatch(sb, json!({})).await;
    sb.finish_runs();
    let run = get_run(sb, id).await;
    let conclusion = run["conclusion"].as_str().unwrap_or_default().to_owned();
    if conclusion != "success" {
        eprintln!("{}", super::log_of(sb, id, "Publish to CodeArtifact").await);
    }
    conclusion
}

async fn org_variable(sb: &SandboxHandle, value: &str, visibility: &str, ids: Option<Vec<u64>>) {
    let mut body = json!({"name": "AWS_ROLE_ARN", "value": value, "visibility": visibility});
    if let Some(ids) = ids {
        body["selected_repository_ids"] = json!(ids);
    }
    let (status, _, answer) = gh(
        sb,
        Method::POST,
        "/orgs/octo-org/actions/variables",
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
}

#[tokio::test]
async fn an_organisation_variable_shared_with_the_repository_is_used() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    assert_eq!(gh(&sb, Method::DELETE, ROLE_VAR, None).await.0, 204);
    org_variable(&sb, ROLE_ARN, "all", None).await;
    assert_eq!(run_to_its_end(&sb).await, "success");
    assert_eq!(versions(&sb, "widgets-cawiz-probe").await.len(), 1);
}

#[tokio::test]
async fn an_organisation_variable_for_other_repositories_is_not() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    assert_eq!(gh(&sb, Method::DELETE, ROLE_VAR, None).await.0, 204);
    org_variable(&sb, ROLE_ARN, "selected", Some(vec![1])).await;
    assert_eq!(run_to_its_end(&sb).await, "failure");
}

#[tokio::test]
async fn the_jobs_environment_comes_before_the_repository_and_the_organisation() {
    let sb = common::start_sandbox("complete").await;
    let in_prod = workflow::variant(
        "    needs: build\n",
        "    needs: build\n    environment: prod\n",
    );
    commit_workflow(&sb, &in_prod).await;
    let wrong = json!({"name": "AWS_ROLE_ARN", "value": "arn:aws:iam::123456789012:role/Nope"});
    assert_eq!(gh(&sb, Method::PATCH, ROLE_VAR, Some(wrong)).await.0, 204);
    org_variable(&sb, "arn:aws:iam::123456789012:role/AlsoNope", "all", None).await;
    assert_eq!(
        run_to_its_end(&sb).await,
        "failure",
        "the repository's (wrong) value wins over the organisation's"
    );
    let env = format!("{REPO}/environments/prod");
    assert_eq!(gh(&sb, Method::PUT, &env, None).await.0, 200);
    let right = json!({"name": "AWS_ROLE_ARN", "value": ROLE_ARN});
    assert_eq!(
        gh(&sb, Method::POST, &format!("{env}/variables"), Some(right))
            .await
            .0,
        201
    );
    assert_eq!(
        run_to_its_end(&sb).await,
        "success",
        "the environment's value wins"
    );
}
