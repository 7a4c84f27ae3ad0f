//! `cawiz verify` proves the scope the role trusts (SPEC "Verification proves the scope the role
//! trusts"): against the sandbox's Actions, with a trust policy narrowed to exactly the scope's
//! subject, each scope's run is started where GitHub sends that subject, succeeds only when the
//! probe version is in the repository, and a scope only a person can verify says what to do and
//! exits non-zero.

mod common;

use aws_sdk_codeartifact::types::PackageFormat;
use cawiz_sandbox::SandboxHandle;
use common::arrange::WORKFLOW;
use common::cli::{Cli, assert_no_panic, assert_ok, item, text};
use reqwest::Method;
use serde_json::{Value, json};

const ROLE: &str = "GitHubActions-CodeArtifact";
const PROVIDER: &str =
    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

/// The `complete` scenario set up for `--scope SCOPE`, its generated workflow written and committed
/// to `main`, and the role trusting exactly `subject`.
async fn ready(sb: &SandboxHandle, scope: &str, subject: &str) -> Cli {
    let cli = Cli::new(sb);
    common::git_init(cli.dir.path());
    cli.init_with(&["--scope", scope]).await;
    let written = cli
        .run(&["workflow", "write", "--yes", "--commit", "default"])
        .await;
    assert_ok(&written);
    trust_only(sb, subject).await;
    cli
}

/// The role's trust narrowed to one subject (as IAM's UpdateAssumeRolePolicy writes it).
async fn trust_only(sb: &SandboxHandle, subject: &str) {
    let document = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": PROVIDER},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                "StringLike": {"token.actions.githubusercontent.com:sub": subject}
            }
        }]
    });
    common::iam(sb.url())
        .update_assume_role_policy()
        .role_name(ROLE)
        .policy_document(document.to_string())
        .send()
        .await
        .expect("UpdateAssumeRolePolicy");
}

async fn probe_versions(sb: &SandboxHandle) -> Vec<String> {
    let listed = common::codeartifact(sb.url())
        .list_package_versions()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Pypi)
        .package("widgets-cawiz-probe")
        .send()
        .await;
    listed
        .map(|l| {
            l.versions()
                .iter()
                .map(|v| v.version().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn verify(cli: &Cli, extra: &[&str]) -> (Value, std::process::Output) {
    let mut args = vec!["verify", "--json"];
    args.extend_from_slice(extra);
    let out = cli.run(&args).await;
    assert_no_panic(&out);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (doc, out)
}

/// The ref (`refs/heads/…`, `refs/tags/…`) of the run `doc` names, from the sandbox.
fn run_ref(sb: &SandboxHandle, doc: &Value) -> String {
    let id = doc["run"]["id"].as_u64().expect("a run id");
    sb.workflow_runs("octo-org", "widgets")
        .into_iter()
        .find(|r| r.id == id)
        .map(|r| r.git_ref)
        .expect("the run")
}

/// The published probe's version in `verify --json`.
fn published_version(doc: &Value) -> String {
    doc["published"]["version"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn tags_are_verified_on_a_tag_cawiz_creates_and_deletes() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "tags", "repo:octo-org/widgets:ref:refs/tags/*").await;
    let (doc, out) = verify(&cli, &["--yes"]).await;
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(doc["outcome"], "published", "{doc:#}");
    let git_ref = run_ref(&sb, &doc);
    assert!(git_ref.starts_with("refs/tags/cawiz-verify-"), "{git_ref}");
    assert_eq!(probe_versions(&sb).await, vec![published_version(&doc)]);
    // The tag is gone once the run has ended.
    let tag = git_ref.trim_start_matches("refs/");
    let path = format!("/repos/octo-org/widgets/git/ref/{tag}");
    let (status, _) = common::github_request(&sb, Method::GET, &path, None).await;
    assert_eq!(status, 404, "the verification tag was deleted");
    let (status, _) = cli.status_json().await;
    assert_eq!(
        item(&status, "pipeline_run")["status"],
        "done",
        "{status:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn tags_are_not_verified_without_confirming_the_tag() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "tags", "repo:octo-org/widgets:ref:refs/tags/*").await;
    let out = cli.run(&["verify"]).await;
    assert!(!out.status.success(), "{}", text(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("The pipeline works"));
    assert!(text(&out).contains("--yes"), "{}", text(&out));
    assert!(probe_versions(&sb).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_whose_publish_job_is_skipped_is_a_failure_with_its_reason() {
    // The workflow on main is not the one generated for `tags`: its publish job runs on branch
    // refs only, so the run on the tag skips it — and still "succeeds", as GitHub reports it.
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "tags", "repo:octo-org/widgets:ref:refs/tags/*").await;
    let printed = cli.run(&["workflow", "print"]).await;
    let workflow = String::from_utf8_lossy(&printed.stdout).replace(
        "startsWith(github.ref, 'refs/tags/')",
        "startsWith(github.ref, 'refs/heads/')",
    );
    assert!(sb.put_github_file("octo-org", "widgets", None, WORKFLOW, &workflow));
    let (doc, out) = verify(&cli, &["--yes"]).await;
    assert!(!out.status.success(), "{}", text(&out));
    assert_eq!(doc["run"]["conclusion"], "success", "{doc:#}");
    assert_eq!(doc["outcome"], "skipped", "{doc:#}");
    let summary = doc["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("publish job was skipped"), "{summary}");
    assert!(summary.contains("cawiz workflow lint"), "{summary}");
    assert!(probe_versions(&sb).await.is_empty());
    let plain = cli.run(&["verify", "--yes"]).await;
    assert!(!plain.status.success());
    let stdout = String::from_utf8_lossy(&plain.stdout);
    assert!(!stdout.contains("The pipeline works"), "{stdout}");
    assert!(stdout.contains("Not verified"), "{stdout}");
    let (status, _) = cli.status_json().await;
    assert_ne!(item(&status, "pipeline_run")["status"], "done");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_branch_scope_is_verified_on_that_branch() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(
        &sb,
        "branch:release",
        "repo:octo-org/widgets:ref:refs/heads/release",
    )
    .await;
    // `release` from main, which holds the workflow.
    let (_, head) = common::github_request(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/git/ref/heads/main",
        None,
    )
    .await;
    let sha = head["object"]["sha"]
        .as_str()
        .expect("main's head")
        .to_owned();
    let body = json!({"ref": "refs/heads/release", "sha": sha});
    let (status, answer) = common::github_request(
        &sb,
        Method::POST,
        "/repos/octo-org/widgets/git/refs",
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
    let (doc, out) = verify(&cli, &[]).await;
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(run_ref(&sb, &doc), "refs/heads/release");
    assert!(probe_versions(&sb).await.contains(&published_version(&doc)));
    let plain = cli.run(&["verify"]).await;
    assert_ok(&plain);
    let stdout = String::from_utf8_lossy(&plain.stdout);
    assert!(
        stdout.contains("The pipeline works")
            && stdout.contains("published widgets-cawiz-probe 0.0."),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_branch_scope_whose_branch_does_not_exist_says_how_to_create_it() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(
        &sb,
        "branch:release",
        "repo:octo-org/widgets:ref:refs/heads/release",
    )
    .await;
    let out = cli.run(&["verify"]).await;
    assert!(!out.status.success(), "{}", text(&out));
    assert_no_panic(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the branch release does not exist"),
        "{stderr}"
    );
    assert!(
        stderr.contains("refs/heads/release"),
        "the command: {stderr}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("The pipeline works"));
    assert!(probe_versions(&sb).await.is_empty());
    assert!(
        sb.workflow_runs("octo-org", "widgets")
            .iter()
            .all(|r| r.event != "workflow_dispatch"),
        "nothing was dispatched"
    );
    let (status, _) = cli.status_json().await;
    let pipeline = item(&status, "pipeline_run");
    assert_eq!(pipeline["status"], "missing", "{pipeline:#}");
    assert!(
        pipeline["summary"]
            .as_str()
            .is_some_and(|s| s.contains("does not exist")),
        "{pipeline:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_environment_scope_is_verified_through_the_jobs_environment() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(
        &sb,
        "environment:prod",
        "repo:octo-org/widgets:environment:prod",
    )
    .await;
    let (doc, out) = verify(&cli, &[]).await;
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(doc["outcome"], "published", "{doc:#}");
    assert_eq!(run_ref(&sb, &doc), "refs/heads/main");
    assert_eq!(probe_versions(&sb).await, vec![published_version(&doc)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn pull_requests_say_what_to_do_and_are_never_reported_working() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "pull-requests", "repo:octo-org/widgets:pull_request").await;
    let out = cli.run(&["verify"]).await;
    assert!(!out.status.success(), "{}", text(&out));
    assert_no_panic(&out);
    let all = text(&out);
    assert!(!all.contains("Unexpected inputs"), "{all}");
    assert!(!all.contains("The pipeline works"), "{all}");
    assert!(all.contains("gh pr create"), "{all}");
    assert!(probe_versions(&sb).await.is_empty());
    let (status, _) = cli.status_json().await;
    let pipeline = item(&status, "pipeline_run");
    assert_eq!(pipeline["status"], "missing", "{pipeline:#}");
    assert!(
        pipeline["summary"]
            .as_str()
            .is_some_and(|s| s.contains("pull request")),
        "{pipeline:#}"
    );
    // A manual run with the probe input is accepted (the input is declared), and proves nothing.
    let path = "/repos/octo-org/widgets/actions/workflows/publish.yml/dispatches";
    let body = json!({"ref": "main", "inputs": {"probe": "true"}});
    let (status, answer) = common::github_request(&sb, Method::POST, path, Some(body)).await;
    assert_eq!(status, 204, "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn pull_requests_are_verified_by_a_pull_requests_own_run() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "pull-requests", "repo:octo-org/widgets:pull_request").await;
    // As the step says: a branch of the repository with a commit, and a pull request from it.
    let (_, head) = common::github_request(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/git/ref/heads/main",
        None,
    )
    .await;
    let body = json!({"ref": "refs/heads/cawiz/verify", "sha": head["object"]["sha"]});
    let (status, answer) = common::github_request(
        &sb,
        Method::POST,
        "/repos/octo-org/widgets/git/refs",
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
    assert!(sb.put_github_file("octo-org", "widgets", Some("cawiz/verify"), "VERIFY", "x\n"));
    let body = json!({"title": "cawiz verify", "head": "cawiz/verify", "base": "main"});
    let (status, answer) = common::github_request(
        &sb,
        Method::POST,
        "/repos/octo-org/widgets/pulls",
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
    let (doc, out) = verify(&cli, &[]).await;
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(doc["outcome"], "published", "{doc:#}");
    assert_eq!(run_ref(&sb, &doc), "refs/pull/1/merge");
    assert_eq!(probe_versions(&sb).await, vec![published_version(&doc)]);
    let calls = sb.calls();
    assert!(
        !calls.contains_key("GitHub:CreateWorkflowDispatch"),
        "nothing dispatched: {calls:?}"
    );
    let (status, _) = cli.status_json().await;
    assert_eq!(
        item(&status, "pipeline_run")["status"],
        "done",
        "{status:#}"
    );
}
