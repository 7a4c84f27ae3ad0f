//! `vars.X` as GitHub resolves it — the job's environment, then the repository, then the
//! organisation — seen by the doctor, the workflow lint and the variables item, against the
//! sandbox's complete scenario with the variables moved through GitHub's API as a person would:
//! an `AWS_ROLE_ARN` kept at organisation level is no missing variable; one the organisation
//! keeps for other repositories is; an environment's value shadows the repository's for a job in
//! that environment. The item's apply still writes repository variables, and says what shadows
//! them.

mod common;

use cawiz_sandbox::SandboxHandle;
use common::arrange::push_workflow;
use common::cli::{Cli, assert_ok, item, text};
use reqwest::Method;
use serde_json::{Value, json};

const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/GitHubActions-CodeArtifact";
const WRONG_ARN: &str = "arn:aws:iam::123456789012:role/SomeoneElses";
const REPO_VAR: &str = "/repos/octo-org/widgets/actions/variables/AWS_ROLE_ARN";

/// The complete scenario set up for octo-org/widgets (`scope` given to `init`), its generated
/// workflow on main and in the working tree.
async fn complete(scope: &str) -> (SandboxHandle, Cli) {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    common::git_init(cli.dir.path());
    cli.init_with(&["--scope", scope]).await;
    let out = cli.run(&["workflow", "print"]).await;
    assert_ok(&out);
    let workflow = String::from_utf8_lossy(&out.stdout).into_owned();
    push_workflow(&sb, "octo-org", "widgets", &workflow).await;
    let dir = cli.dir.path().join(".github/workflows");
    std::fs::create_dir_all(&dir).expect("workflows dir");
    std::fs::write(dir.join("publish.yml"), &workflow).expect("publish.yml");
    (sb, cli)
}

async fn github(sb: &SandboxHandle, method: Method, path: &str, body: Option<Value>) {
    let (status, answer) = common::github_request(sb, method, path, body).await;
    assert!((200..300).contains(&status), "{path}: {status} {answer}");
}

async fn org_role_arn(sb: &SandboxHandle, value: &str, visibility: &str, ids: Option<Vec<u64>>) {
    let mut body = json!({"name": "AWS_ROLE_ARN", "value": value, "visibility": visibility});
    if let Some(ids) = ids {
        body["selected_repository_ids"] = json!(ids);
    }
    github(
        sb,
        Method::POST,
        "/orgs/octo-org/actions/variables",
        Some(body),
    )
    .await;
}

async fn env_role_arn(sb: &SandboxHandle, env: &str, value: &str) {
    let path = format!("/repos/octo-org/widgets/environments/{env}");
    github(sb, Method::PUT, &path, None).await;
    let body = json!({"name": "AWS_ROLE_ARN", "value": value});
    github(sb, Method::POST, &format!("{path}/variables"), Some(body)).await;
}

/// `cawiz doctor oidc --json`'s `role-arn-variable`.
async fn role_arn_cause(cli: &Cli) -> Value {
    let out = cli.run(&["doctor", "oidc", "--json"]).await;
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("doctor --json ({e}): {}", text(&out)));
    doc["symptoms"][0]["causes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "role-arn-variable"))
        .unwrap_or_else(|| panic!("role-arn-variable in {doc:#}"))
        .clone()
}

/// `cawiz workflow lint --json` of the working tree's workflow: its findings of `id`.
async fn lint_findings(cli: &Cli, id: &str) -> Vec<Value> {
    let out = cli
        .run(&[
            "workflow",
            "lint",
            ".github/workflows/publish.yml",
            "--json",
        ])
        .await;
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("lint --json ({e}): {}", text(&out)));
    doc["files"][0]["findings"]
        .as_array()
        .map(|f| f.iter().filter(|f| f["id"] == id).cloned().collect())
        .unwrap_or_default()
}

/// The variables item's row of `AWS_ROLE_ARN` in `status --json`, and the item.
async fn role_arn_row(cli: &Cli) -> (Value, Value) {
    let (doc, _) = cli.status_json().await;
    let variables = item(&doc, "variables").clone();
    let row = variables["rows"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["id"] == "variable:AWS_ROLE_ARN"))
        .unwrap_or_else(|| panic!("the AWS_ROLE_ARN row in {variables:#}"))
        .clone();
    (row, variables)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_arn_kept_at_organisation_level_is_found() {
    let (sb, cli) = complete("all").await;
    github(&sb, Method::DELETE, REPO_VAR, None).await;
    org_role_arn(&sb, ROLE_ARN, "private", None).await;

    let cause = role_arn_cause(&cli).await;
    assert_eq!(cause["verdict"], "ok", "{cause:#}");
    assert!(
        cause["evidence"].to_string().contains("organisation"),
        "{cause:#}"
    );
    assert!(lint_findings(&cli, "role-arn-mismatch").await.is_empty());
    let (row, variables) = role_arn_row(&cli).await;
    assert_eq!(row["verdict"], "ok", "{row:#}");
    assert!(
        row["evidence"].to_string().contains("organisation"),
        "{row:#}"
    );
    assert_eq!(variables["status"], "done", "{variables:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_organisation_variable_not_shared_with_the_repository_is_missing() {
    let (sb, cli) = complete("all").await;
    github(&sb, Method::DELETE, REPO_VAR, None).await;
    org_role_arn(&sb, ROLE_ARN, "selected", Some(vec![1])).await;

    let cause = role_arn_cause(&cli).await;
    assert_eq!(cause["verdict"], "fail", "{cause:#}");
    let lint = lint_findings(&cli, "role-arn-mismatch").await;
    assert!(
        lint.iter().any(|f| f["severity"] == "error"),
        "a variable nobody shares with the repository: {lint:#?}"
    );
    let (row, _) = role_arn_row(&cli).await;
    assert_eq!(row["verdict"], "fail", "{row:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_environments_value_shadows_the_repositorys_for_its_jobs() {
    let (sb, cli) = complete("environment:prod").await;
    env_role_arn(&sb, "prod", WRONG_ARN).await;

    let cause = role_arn_cause(&cli).await;
    assert_eq!(cause["verdict"], "fail", "{cause:#}");
    let evidence = cause["evidence"].to_string();
    assert!(
        evidence.contains(WRONG_ARN) && evidence.contains("environment prod"),
        "{cause:#}"
    );
    let lint = lint_findings(&cli, "role-arn-mismatch").await;
    assert!(
        lint.iter().any(|f| f["message"]
            .as_str()
            .is_some_and(|m| m.contains("environment prod"))),
        "{lint:#?}"
    );
    let (row, variables) = role_arn_row(&cli).await;
    assert_eq!(row["verdict"], "fail", "{row:#}");
    assert!(
        row["evidence"].to_string().contains("environment prod"),
        "{row:#}"
    );
    assert_ne!(variables["status"], "done", "{variables:#}");
    // Apply writes repository variables only: the environment's value is the user's to change,
    // and the plan says how.
    let out = cli.run(&["plan"]).await;
    let plan = text(&out);
    assert!(
        plan.contains("gh variable set AWS_ROLE_ARN --env prod"),
        "the environment's fix: {plan}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_writes_the_repository_variable_and_says_what_it_shadows() {
    let (sb, cli) = complete("all").await;
    github(&sb, Method::DELETE, REPO_VAR, None).await;
    org_role_arn(&sb, WRONG_ARN, "all", None).await;

    let (row, _) = role_arn_row(&cli).await;
    assert_eq!(
        row["verdict"], "fail",
        "the organisation's value is wrong: {row:#}"
    );
    let out = cli.run(&["apply", "--yes", "--only", "variables"]).await;
    assert_ok(&out);
    assert_eq!(
        sb.github_variables("octo-org", "widgets")
            .get("AWS_ROLE_ARN")
            .map(String::as_str),
        Some(ROLE_ARN),
        "written at repository level"
    );
    let (row, variables) = role_arn_row(&cli).await;
    assert_eq!(row["verdict"], "ok", "{row:#}");
    assert!(
        row["evidence"]
            .to_string()
            .contains("shadows the organisation's"),
        "{row:#}"
    );
    assert_eq!(variables["status"], "done", "{variables:#}");
}
