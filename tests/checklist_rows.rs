//! The items' check rows in `status --json`, against the sandbox: on the complete setup every
//! row of the role, the OIDC provider, the upstream and the variables is ok; on the guide's
//! setup exactly the rows that are wrong fail (the subject, the policy, its attachment, every
//! publish action; the upstream chain; every variable), and the item's status follows them.

mod common;

use common::cli::{Cli, item};
use serde_json::Value;

fn rows(doc: &Value, key: &str) -> Vec<(String, String)> {
    item(doc, key)["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("{key} has rows: {doc:#}"))
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or_default().to_owned(),
                r["verdict"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn verdict<'a>(rows: &'a [(String, String)], id: &str) -> &'a str {
    rows.iter()
        .find(|(i, _)| i == id)
        .map_or("absent", |(_, v)| v.as_str())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_complete_setup_has_every_row_ok() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let (doc, _) = cli.status_json().await;
    for key in [
        "domain",
        "repository",
        "role",
        "oidc_provider",
        "upstream",
        "variables",
    ] {
        let rows = rows(&doc, key);
        assert!(!rows.is_empty(), "{key}");
        for (id, v) in &rows {
            assert_eq!(v, "ok", "{key} {id}: {doc:#}");
        }
        assert_eq!(item(&doc, key)["status"], "done", "{key}");
    }
    let role = rows(&doc, "role");
    assert_eq!(
        role.iter()
            .filter(|(id, _)| id.starts_with("allow:"))
            .count(),
        11,
        "a row per publish action: {role:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_guides_setup_fails_exactly_its_wrong_rows() {
    let sb = common::start_sandbox("guide").await;
    let cli = Cli::new(&sb);
    common::git_init(cli.dir.path());
    cli.init(
        "acme-geo/earth-polychromatic-api",
        "acme-geo",
        "earth-polychromatic-api",
    )
    .await;
    let (doc, _) = cli.status_json().await;
    let role = rows(&doc, "role");
    for (id, want) in [
        ("role", "ok"),
        ("trust-principal", "ok"),
        ("trust-audience", "ok"),
        ("trust-subject", "fail"),
        ("trust-subject-wildcard", "ok"),
        ("trust-other", "ok"),
        ("policy", "fail"),
        ("policy-attached", "fail"),
        ("allow:codeartifact:PublishPackageVersion", "fail"),
        ("allow:sts:GetServiceBearerToken", "fail"),
    ] {
        assert_eq!(verdict(&role, id), want, "role {id}: {role:?}");
    }
    assert_eq!(item(&doc, "role")["status"], "drift");
    let upstream = rows(&doc, "upstream");
    assert_eq!(
        verdict(&upstream, "upstream-exists"),
        "fail",
        "{upstream:?}"
    );
    assert_eq!(verdict(&upstream, "external-connection"), "skip");
    assert_eq!(verdict(&upstream, "upstream-linked"), "fail");
    let oidc = rows(&doc, "oidc_provider");
    assert_eq!(verdict(&oidc, "provider-audience"), "ok", "{oidc:?}");
    // A git working tree without a workflow: the workflow's one row fails.
    let workflow = rows(&doc, "workflow");
    assert_eq!(
        verdict(&workflow, "publishing-workflow"),
        "fail",
        "{workflow:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_account_fails_the_domain_row_and_a_broken_workflow_its_lint_rows() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    common::git_init(cli.dir.path());
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let dir = cli.dir.path().join(".github/workflows");
    std::fs::create_dir_all(&dir).expect("workflows dir");
    std::fs::write(
        dir.join("publish.yml"),
        "on: [push]\npermissions:\n  contents: read\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: ${{ vars.AWS_ROLE_ARN }}\n          aws-region: us-east-1\n      - run: twine upload --skip-existing dist/*\n",
    )
    .expect("workflow");
    let (doc, _) = cli.status_json().await;
    let domain = rows(&doc, "domain");
    assert_eq!(verdict(&domain, "domain"), "fail", "{domain:?}");
    assert_eq!(item(&doc, "domain")["status"], "missing");
    let workflow = rows(&doc, "workflow");
    assert_eq!(
        workflow.len(),
        cawiz::workflow::LintId::ALL.len(),
        "a row per lint id: {workflow:?}"
    );
    assert_eq!(
        verdict(&workflow, "lint:id-token-missing"),
        "fail",
        "{workflow:?}"
    );
    assert_eq!(verdict(&workflow, "lint:skip-existing-unsupported"), "fail");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_local_test_has_a_row_per_step_and_the_pipeline_run_its_latest_run() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    common::git_init(cli.dir.path());
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    if cli.python.is_some() {
        let out = cli.run(&cli.with_python(&["test"])).await;
        assert!(out.status.success(), "{}", common::cli::text(&out));
        let (doc, _) = cli.status_json().await;
        let steps = rows(&doc, "local_test");
        assert!(!steps.is_empty(), "{doc:#}");
        assert!(
            steps
                .iter()
                .all(|(id, v)| id.starts_with("step:") && v == "ok"),
            "{steps:?}"
        );
    }
    // The workflow on main, a verification run: the run's row is ok.
    let out = cli
        .run(&["workflow", "write", "--yes", "--commit", "default"])
        .await;
    assert!(out.status.success(), "{}", common::cli::text(&out));
    let out = cli.run(&["verify"]).await;
    assert!(out.status.success(), "{}", common::cli::text(&out));
    let (doc, _) = cli.status_json().await;
    let pipeline = rows(&doc, "pipeline_run");
    assert_eq!(
        verdict(&pipeline, "workflow-on-branch"),
        "ok",
        "{pipeline:?}"
    );
    assert_eq!(verdict(&pipeline, "latest-run"), "ok", "{pipeline:?}");
}
