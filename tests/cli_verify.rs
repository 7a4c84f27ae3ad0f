//! `cawiz verify` end to end against the sandbox, which plays GitHub Actions: the generated
//! workflow committed to the default branch, a verification run dispatched and watched, and —
//! for each broken setup, made through AWS's and GitHub's APIs as a person would make it — the
//! run's failure diagnosed as the cause its log shows.

mod common;

use aws_sdk_codeartifact::types::PackageFormat;
use cawiz_sandbox::SandboxHandle;
use common::arrange::{ACCOUNT, policy_without, push_workflow};
use common::cli::{Cli, assert_ok, item, text};
use reqwest::Method;
use serde_json::{Value, json};

const PROVIDER_ARN: &str =
    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

/// The scenario set up for `github` (a git working tree, `cawiz init`).
async fn ready(sb: &SandboxHandle, github: &str, domain: &str, repository: &str) -> Cli {
    let cli = Cli::new(sb);
    common::git_init(cli.dir.path());
    cli.init(github, domain, repository).await;
    cli
}

/// The workflow cawiz generates for the setup.
async fn generated(cli: &Cli) -> String {
    let out = cli.run(&["workflow", "print"]).await;
    assert_ok(&out);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `cawiz verify --json`: the document and whether it exited 0.
async fn verify_json(cli: &Cli) -> (Value, bool) {
    let out = cli.run(&["verify", "--json"]).await;
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("verify --json is JSON ({e}): {}", text(&out)));
    (doc, out.status.success())
}

/// The cause `verify` names for a run of `workflow` (the generated one when `None`).
async fn cause_of_run(sb: &SandboxHandle, cli: &Cli, workflow: Option<String>) -> (String, Value) {
    let content = match workflow {
        Some(w) => w,
        None => generated(cli).await,
    };
    push_workflow(sb, "octo-org", "widgets", &content).await;
    let (doc, ok) = verify_json(cli).await;
    assert!(!ok, "the run fails: {doc:#}");
    assert_eq!(doc["run"]["conclusion"], "failure", "{doc:#}");
    let cause = doc["diagnosis"]["cause"].as_str().unwrap_or_default();
    (cause.to_owned(), doc)
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

#[tokio::test(flavor = "multi_thread")]
async fn the_complete_setup_publishes_the_probe_and_the_item_is_done() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "octo-org/widgets", "octo-org", "widgets").await;
    let out = cli
        .run(&["workflow", "write", "--yes", "--commit", "default"])
        .await;
    assert_ok(&out);
    let (before, _) = cli.status_json().await;
    assert_ne!(item(&before, "pipeline_run")["status"], "done");

    let out = cli.run(&["verify"]).await;
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("The pipeline works"), "{stdout}");
    assert!(
        stdout.contains("Publish to CodeArtifact › Upload to CodeArtifact: ✓ success"),
        "each step as it ends: {stdout}"
    );
    let versions = probe_versions(&sb).await;
    assert_eq!(versions.len(), 1, "the probe is listed: {versions:?}");
    assert!(versions[0].starts_with("0.0."), "{versions:?}");

    let (after, _) = cli.status_json().await;
    let pipeline = item(&after, "pipeline_run");
    assert_eq!(pipeline["status"], "done", "{pipeline:#}");
    assert!(
        sb.calls().contains_key("AssumeRoleWithWebIdentity"),
        "the run assumed the role"
    );

    // JSON: the run, its jobs and steps, no diagnosis.
    let (doc, ok) = verify_json(&cli).await;
    assert!(ok, "{doc:#}");
    assert_eq!(doc["run"]["status"], "completed");
    assert_eq!(doc["run"]["conclusion"], "success");
    assert!(doc["run"]["id"].is_u64() && doc["run"]["url"].is_string());
    let jobs = doc["run"]["jobs"].as_array().expect("jobs");
    assert!(
        jobs.iter().any(|j| j["name"] == "Publish to CodeArtifact"
            && j["steps"].as_array().is_some_and(|s| !s.is_empty())),
        "{doc:#}"
    );
    assert_eq!(doc["diagnosis"], Value::Null);
    assert_eq!(probe_versions(&sb).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_guides_setup_fails_at_its_variables_then_at_the_trust_policy() {
    let sb = common::start_sandbox("guide").await;
    let cli = ready(
        &sb,
        "acme-geo/earth-polychromatic-api",
        "acme-geo",
        "earth-polychromatic-api",
    )
    .await;
    let workflow = generated(&cli).await;
    push_workflow(&sb, "acme-geo", "earth-polychromatic-api", &workflow).await;
    // The guide never set the repository's variables: the credentials step stops first.
    let (doc, ok) = verify_json(&cli).await;
    assert!(!ok);
    assert_eq!(doc["diagnosis"]["cause"], "role-arn-variable", "{doc:#}");
    assert!(
        doc["diagnosis"]["evidence"]
            .as_str()
            .is_some_and(|e| e.contains("Input required and not supplied: aws-region")),
        "{doc:#}"
    );

    // Set as the guide says (`gh variable set`): now the trust policy's subject is the cause.
    for (name, value) in [
        ("AWS_REGION", "us-east-1".to_owned()),
        (
            "AWS_ROLE_ARN",
            format!("arn:aws:iam::{ACCOUNT}:role/GitHubActions-CodeArtifact"),
        ),
        ("AWS_ACCOUNT_ID", ACCOUNT.to_owned()),
        ("CODEARTIFACT_DOMAIN", "acme-geo".to_owned()),
        (
            "CODEARTIFACT_REPOSITORY",
            "earth-polychromatic-api".to_owned(),
        ),
    ] {
        let path = "/repos/acme-geo/earth-polychromatic-api/actions/variables";
        let body = json!({"name": name, "value": value});
        let (status, answer) = common::github_request(&sb, Method::POST, path, Some(body)).await;
        assert_eq!(status, 201, "{answer}");
    }
    let (doc, ok) = verify_json(&cli).await;
    assert!(!ok);
    let diagnosis = &doc["diagnosis"];
    assert_eq!(diagnosis["cause"], "trust-subject", "{doc:#}");
    assert!(
        diagnosis["evidence"]
            .as_str()
            .is_some_and(|e| e.contains("Not authorized to perform sts:AssumeRoleWithWebIdentity")),
        "{doc:#}"
    );
    assert!(diagnosis["fix"].as_str().is_some_and(|f| !f.is_empty()));
    let (status, _) = cli.status_json().await;
    let pipeline = item(&status, "pipeline_run");
    assert_eq!(pipeline["status"], "drift", "{pipeline:#}");
    assert!(
        pipeline["summary"]
            .as_str()
            .is_some_and(|s| s.contains("trust-subject")),
        "{pipeline:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_publish_job_without_id_token_write_is_named() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "octo-org/widgets", "octo-org", "widgets").await;
    let workflow = generated(&cli).await;
    let without: String = workflow
        .lines()
        .filter(|l| !l.contains("id-token: write"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, workflow);
    let (cause, doc) = cause_of_run(&sb, &cli, Some(without)).await;
    assert_eq!(cause, "id-token-permission", "{doc:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn twine_upload_with_skip_existing_is_named() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "octo-org/widgets", "octo-org", "widgets").await;
    let workflow = generated(&cli).await.replace(
        "twine upload --non-interactive",
        "twine upload --skip-existing --non-interactive",
    );
    let (cause, doc) = cause_of_run(&sb, &cli, Some(workflow)).await;
    assert_eq!(cause, "upload-target", "{doc:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_role_variable_is_named() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "octo-org/widgets", "octo-org", "widgets").await;
    let path = "/repos/octo-org/widgets/actions/variables/AWS_ROLE_ARN";
    let (status, _) = common::github_request(&sb, Method::DELETE, path, None).await;
    assert_eq!(status, 204);
    let (cause, doc) = cause_of_run(&sb, &cli, None).await;
    assert_eq!(cause, "role-arn-variable", "{doc:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_oidc_provider_is_named() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "octo-org/widgets", "octo-org", "widgets").await;
    common::iam(sb.url())
        .delete_open_id_connect_provider()
        .open_id_connect_provider_arn(PROVIDER_ARN)
        .send()
        .await
        .expect("DeleteOpenIDConnectProvider");
    let (cause, doc) = cause_of_run(&sb, &cli, None).await;
    assert_eq!(cause, "provider-missing", "{doc:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_policy_without_the_token_action_is_named() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "octo-org/widgets", "octo-org", "widgets").await;
    policy_without(&sb, "codeartifact:GetAuthorizationToken").await;
    let (cause, doc) = cause_of_run(&sb, &cli, None).await;
    assert_eq!(cause, "token-denied", "{doc:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_policy_without_publish_is_named_from_twines_wrapped_403() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "octo-org/widgets", "octo-org", "widgets").await;
    policy_without(&sb, "codeartifact:PublishPackageVersion").await;
    let (cause, doc) = cause_of_run(&sb, &cli, None).await;
    assert_eq!(cause, "publish-denied", "{doc:#}");
    assert!(
        doc["diagnosis"]["evidence"]
            .as_str()
            .is_some_and(|e| e.contains("403 Forbidden from http")),
        "the line is joined again: {doc:#}"
    );
    // The session's denial is on the run, not the role's trust: the run got that far.
    assert!(
        doc["run"]["jobs"]
            .as_array()
            .is_some_and(|jobs| jobs.iter().any(|j| {
                j["steps"].as_array().is_some_and(|s| {
                    s.iter().any(|s| {
                        s["name"] == "Configure AWS credentials (OIDC)"
                            && s["conclusion"] == "success"
                    })
                })
            })),
        "{doc:#}"
    );
}

/// A wrong `CODEARTIFACT_DOMAIN`: the run's first AWS call, GetAuthorizationToken, is denied on
/// `domain/WRONG`. The resource names another domain than the setup's: `names-mismatch`, not
/// `token-denied` (whose fix — change the policy — would not help).
#[tokio::test(flavor = "multi_thread")]
async fn a_token_denied_on_another_domain_is_names_mismatch() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "octo-org/widgets", "octo-org", "widgets").await;
    let path = "/repos/octo-org/widgets/actions/variables/CODEARTIFACT_DOMAIN";
    let body = json!({"name": "CODEARTIFACT_DOMAIN", "value": "octo-org-typo"});
    let (status, _) = common::github_request(&sb, Method::PATCH, path, Some(body)).await;
    assert_eq!(status, 204);
    let (cause, doc) = cause_of_run(&sb, &cli, None).await;
    assert_eq!(cause, "names-mismatch", "{doc:#}");
    let (status, _) = cli.status_json().await;
    let rows = item(&status, "pipeline_run")["rows"].to_string();
    assert!(
        rows.contains("names-mismatch"),
        "the item names it too: {rows}"
    );
}

/// Origin controls block the probe's name: twine's 403 reads like a missing grant, and
/// DescribePackage's `publish = BLOCK` tells it apart.
#[tokio::test(flavor = "multi_thread")]
async fn a_403_on_a_blocked_name_is_origin_blocked() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "octo-org/widgets", "octo-org", "widgets").await;
    let restrictions = aws_sdk_codeartifact::types::PackageOriginRestrictions::builder()
        .publish(aws_sdk_codeartifact::types::AllowPublish::Block)
        .upstream(aws_sdk_codeartifact::types::AllowUpstream::Allow)
        .build()
        .expect("restrictions");
    common::codeartifact(sb.url())
        .put_package_origin_configuration()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Pypi)
        .package("widgets-cawiz-probe")
        .restrictions(restrictions)
        .send()
        .await
        .expect("PutPackageOriginConfiguration");
    let (cause, doc) = cause_of_run(&sb, &cli, None).await;
    assert_eq!(cause, "origin-blocked", "{doc:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_github_token_verify_gives_the_gh_commands() {
    let sb = common::start_sandbox("complete").await;
    let cli = ready(&sb, "octo-org/widgets", "octo-org", "widgets").await;
    let out = cli.run_with(&["verify"], &[("GITHUB_TOKEN", "")]).await;
    assert!(!out.status.success(), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no GitHub token"), "{stderr}");
    assert!(
        stderr.contains("gh workflow run publish.yml") && stderr.contains("gh run watch"),
        "{stderr}"
    );
}
