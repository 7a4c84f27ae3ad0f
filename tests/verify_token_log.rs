//! The CodeArtifact token in a run's log, in the sandbox that plays GitHub Actions: the
//! `$GITHUB_ENV` mistake — which `cawiz workflow lint` calls `token-exposed` — prints the token in
//! the next step's header, as GitHub does; a verification run of the generated workflow (which
//! masks the token and keeps it in one step) prints it nowhere.

mod common;

use cawiz_sandbox::SandboxHandle;
use common::arrange::push_workflow;
use common::cli::{Cli, assert_ok};
use reqwest::Method;
use serde_json::{Value, json};

/// The token a log shows in clear (the sandbox's tokens start `cawizsbx.`).
fn clear_token(log: &str) -> Option<&str> {
    log.split(|c: char| c.is_whitespace() || c == '=' || c == '"')
        .find(|w| w.starts_with("cawizsbx."))
}

/// Every job log of the repository's newest run, once it has completed.
fn newest_run_logs(sb: &SandboxHandle) -> (Option<String>, String) {
    sb.finish_runs();
    let runs = sb.workflow_runs("octo-org", "widgets");
    let run = runs.first().expect("a run");
    let logs = run
        .jobs
        .iter()
        .filter_map(|j| sb.job_log(j.id))
        .collect::<Vec<_>>()
        .join("\n");
    (run.conclusion.clone(), logs)
}

const MISTAKE: &str = "name: Publish
on: workflow_dispatch
permissions: {}
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
      contents: read
    steps:
      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
        with:
          role-to-assume: ${{ vars.AWS_ROLE_ARN }}
          aws-region: ${{ vars.AWS_REGION }}
      - name: Get a CodeArtifact token
        run: |
          TOKEN=$(aws codeartifact get-authorization-token --domain octo-org --domain-owner 123456789012 --query authorizationToken --output text)
          echo \"CODEARTIFACT_AUTH_TOKEN=$TOKEN\" >> $GITHUB_ENV
      - name: Build and upload
        env:
          TWINE_USERNAME: aws
          TWINE_PASSWORD: ${{ env.CODEARTIFACT_AUTH_TOKEN }}
        run: |
          python -m build
          URL=$(aws codeartifact get-repository-endpoint --domain octo-org --domain-owner 123456789012 --repository widgets --format pypi --query repositoryEndpoint --output text)
          python -m twine upload --repository-url \"$URL\" dist/*
";

#[tokio::test(flavor = "multi_thread")]
async fn the_github_env_mistake_leaks_the_token_and_the_generated_workflow_does_not() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    common::git_init(cli.dir.path());
    cli.init("octo-org/widgets", "octo-org", "widgets").await;

    // The mistake: the lint says so, and the run's log shows it.
    let file = cli.dir.path().join("mistake.yml");
    std::fs::write(&file, MISTAKE).expect("write");
    let out = cli
        .run(&["workflow", "lint", "--json", &file.display().to_string()])
        .await;
    let doc: Value = serde_json::from_slice(&out.stdout).expect("lint --json");
    let ids: Vec<(&str, u64)> = doc["files"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap_or_default(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(ids, [("token-exposed", 18)], "{doc:#}");
    push_workflow(&sb, "octo-org", "widgets", MISTAKE).await;
    let path = "/repos/octo-org/widgets/actions/workflows/publish.yml/dispatches";
    let (status, answer) =
        common::github_request(&sb, Method::POST, path, Some(json!({"ref": "main"}))).await;
    assert_eq!(status, 204, "{answer}");
    // (The upload itself answers 409: the scenario already holds widgets 0.1.0.)
    let (conclusion, log) = newest_run_logs(&sb);
    assert!(conclusion.is_some(), "the run completed:\n{log}");
    let token = clear_token(&log).unwrap_or_else(|| panic!("the token in clear:\n{log}"));
    assert!(
        log.lines()
            .any(|l| l.ends_with(&format!("  CODEARTIFACT_AUTH_TOKEN: {token}"))),
        "the next step's header prints it:\n{log}"
    );

    // The generated workflow, verified: it published, and its logs hold no token.
    let out = cli
        .run(&["workflow", "write", "--yes", "--commit", "default"])
        .await;
    assert_ok(&out);
    let out = cli.run(&["verify"]).await;
    assert_ok(&out);
    let (conclusion, log) = newest_run_logs(&sb);
    assert_eq!(conclusion.as_deref(), Some("success"), "{log}");
    assert!(log.contains("twine upload"), "the upload ran:\n{log}");
    assert_eq!(clear_token(&log), None, "{log}");
}
