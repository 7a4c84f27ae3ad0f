//! Setups that already work in ways cawiz did not write, as real accounts have them — made with
//! the AWS CLI and GitHub's API the way a person makes them — and cawiz leaving them working:
//! immutable subjects without a token, a setup typed in another case, shared roles and policies,
//! roles with paths, custom subject templates, a forbidden customization endpoint, SCPs, and a
//! destroy run in another region (SPEC "Subjects", "Never break what works").

mod common;

use std::process::Output;

use cawiz_sandbox::SandboxHandle;
use common::arrange::default_policy_document;
use common::cli::{Cli, assert_ok, item, text};
use serde_json::{Value, json};

const ACCOUNT: &str = "123456789012";
const ROLE: &str = "GitHubActions-CodeArtifact";
const POLICY_ARN: &str = "arn:aws:iam::123456789012:policy/CodeArtifact-Publish-Policy";
const SUB: &str = "token.actions.githubusercontent.com:sub";
/// The complete scenario's repository ids (crates/sandbox/assets/scenarios/complete.json).
const IMMUTABLE: &str = "repo:octo-org@90210042/widgets@712398456:*";

/// The `aws` CLI from the venv, pointed at the sandbox with a throwaway config.
async fn aws(sb: &SandboxHandle, args: &[&str]) -> Option<Output> {
    let exe = common::python_tool("aws")?;
    let home = tempfile::tempdir().expect("home");
    let out = tokio::process::Command::new(exe)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.path().join("credentials"),
        )
        .env("AWS_ENDPOINT_URL", sb.url())
        .env("AWS_ACCESS_KEY_ID", "AKIAI44QH8DHBEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_DEFAULT_REGION", common::REGION)
        .output()
        .await
        .expect("aws runs");
    assert!(out.status.success(), "aws {args:?}: {}", text(&out));
    Some(out)
}

fn trust(subjects: Value) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": format!("arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com")},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                "StringLike": {SUB: subjects}
            }
        }]
    })
    .to_string()
}

async fn set_trust(sb: &SandboxHandle, role: &str, subjects: Value) -> Option<()> {
    let doc = trust(subjects);
    aws(
        sb,
        &[
            "iam",
            "update-assume-role-policy",
            "--role-name",
            role,
            "--policy-document",
            &doc,
        ],
    )
    .await
    .map(|_| ())
}

async fn trust_subjects(sb: &SandboxHandle, role: &str) -> Vec<String> {
    let got = common::iam(sb.url())
        .get_role()
        .role_name(role)
        .send()
        .await
        .expect("GetRole");
    let doc = common::decode_policy(
        got.role()
            .and_then(|r| r.assume_role_policy_document())
            .unwrap_or(""),
    );
    let mut out = Vec::new();
    for st in doc["Statement"].as_array().into_iter().flatten() {
        for op in ["StringLike", "StringEquals"] {
            match &st["Condition"][op][SUB] {
                Value::String(s) => out.push(s.clone()),
                Value::Array(a) => {
                    out.extend(a.iter().filter_map(Value::as_str).map(str::to_owned))
                }
                _ => {}
            }
        }
    }
    out
}

/// `status --json` without a GitHub token (the variable unset, no `gh`).
async fn status_without_token(cli: &Cli) -> Value {
    let out = cli
        .run_with(&["status", "--json"], &[("GITHUB_TOKEN", "")])
        .await;
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("JSON ({e}): {}", text(&out)))
}

fn plan_of(doc: &Value, key: &str) -> Vec<String> {
    item(doc, key)["plan"]
        .as_array()
        .map(|p| {
            p.iter()
                .filter_map(|s| s["description"].as_str())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn notes(doc: &Value, key: &str) -> String {
    item(doc, key)["notes"]
        .as_array()
        .map(|n| {
            n.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

async fn github_put(sb: &SandboxHandle, path: &str, body: Value) {
    let status = reqwest::Client::new()
        .put(format!("{}{path}", sb.github_url()))
        .bearer_auth(cawiz_sandbox::SANDBOX_GITHUB_TOKEN)
        .json(&body)
        .send()
        .await
        .expect("GitHub PUT")
        .status();
    assert_eq!(status.as_u16(), 201, "{path}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_immutable_trust_policy_without_a_github_token_is_left_working() {
    let sb = common::start_sandbox("complete").await;
    if set_trust(&sb, ROLE, json!(IMMUTABLE)).await.is_none() {
        return;
    }
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let doc = status_without_token(&cli).await;
    let role = item(&doc, "role");
    assert_eq!(role["status"], "done", "{role:#}");
    assert!(
        plan_of(&doc, "role").is_empty(),
        "no rewrite of a subject cawiz cannot prove wrong"
    );
    let notes = notes(&doc, "role");
    assert!(
        notes.contains("no GitHub token") && notes.contains("immutable"),
        "{notes}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_setup_typed_in_another_case_uses_githubs_spelling() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init("Octo-Org/Widgets", "octo-org", "widgets").await;
    let (doc, _) = cli.status_json().await;
    let role = item(&doc, "role");
    assert_eq!(role["status"], "done", "{role:#}");
    assert!(plan_of(&doc, "role").is_empty(), "{role:#}");
    assert!(
        role["facts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["label"] == "expected subject" && f["value"] == "repo:octo-org/widgets:*"),
        "{role:#}"
    );
    let out = cli.run(&["apply", "--yes", "--only", "role"]).await;
    assert_ok(&out);
    assert!(sb.mutating_calls().is_empty(), "{:?}", sb.mutating_calls());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shared_role_that_trusts_us_needs_nothing_and_one_that_does_not_keeps_the_other() {
    let sb = common::start_sandbox("complete").await;
    let both = json!(["repo:octo-org/gadgets:*", "repo:octo-org/widgets:*"]);
    if set_trust(&sb, ROLE, both).await.is_none() {
        return;
    }
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let (doc, _) = cli.status_json().await;
    let role = item(&doc, "role");
    assert_eq!(role["status"], "done", "{role:#}");
    assert!(
        role["facts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["label"] == "also trusts" && f["value"] == "repo:octo-org/gadgets:*"),
        "the other repository is a fact: {role:#}"
    );

    set_trust(&sb, ROLE, json!("repo:octo-org/gadgets:*")).await;
    let (doc, _) = cli.status_json().await;
    assert_eq!(item(&doc, "role")["status"], "drift");
    let out = cli.run(&["apply", "--yes", "--only", "role"]).await;
    assert_ok(&out);
    assert_eq!(
        trust_subjects(&sb, ROLE).await,
        vec!["repo:octo-org/gadgets:*", "repo:octo-org/widgets:*"],
        "ours added, the other repository kept"
    );
    let (doc, _) = cli.status_json().await;
    assert_eq!(item(&doc, "role")["status"], "done");
}

/// The scenario's publish policy plus a grant for another domain, as a new default version.
fn shared_policy(without: Option<&str>) -> String {
    let mut actions: Vec<&str> = vec![
        "codeartifact:GetAuthorizationToken",
        "codeartifact:GetRepositoryEndpoint",
        "codeartifact:ReadFromRepository",
        "codeartifact:PublishPackageVersion",
        "codeartifact:PutPackageMetadata",
        "codeartifact:DescribePackageVersion",
        "codeartifact:DescribeRepository",
        "codeartifact:DescribeDomain",
        "codeartifact:ListPackages",
        "codeartifact:ListPackageVersions",
    ];
    actions.retain(|a| Some(*a) != without);
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Publish", "Effect": "Allow", "Action": actions, "Resource": [
                format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:domain/octo-org"),
                format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:repository/octo-org/*"),
                format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:package/octo-org/*/*")
            ]},
            {"Sid": "Token", "Effect": "Allow", "Action": "sts:GetServiceBearerToken", "Resource": "*",
             "Condition": {"StringEquals": {"sts:AWSServiceName": "codeartifact.amazonaws.com"}}},
            {"Sid": "OtherTeam", "Effect": "Allow", "Action": "codeartifact:ReadFromRepository",
             "Resource": format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:repository/acme/*")}
        ]
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shared_policy_is_judged_by_what_it_allows_and_keeps_its_statements() {
    let sb = common::start_sandbox("complete").await;
    let doc = shared_policy(None);
    let args = [
        "iam",
        "create-policy-version",
        "--policy-arn",
        POLICY_ARN,
        "--policy-document",
        &doc,
        "--set-as-default",
    ];
    if aws(&sb, &args).await.is_none() {
        return;
    }
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let (status, _) = cli.status_json().await;
    assert_eq!(
        item(&status, "role")["status"],
        "done",
        "{:#}",
        item(&status, "role")
    );
    assert!(plan_of(&status, "role").is_empty());

    // Someone drops PublishPackageVersion: a new version adds cawiz's statements, keeps the rest.
    let doc = shared_policy(Some("codeartifact:PublishPackageVersion"));
    let args = [
        "iam",
        "create-policy-version",
        "--policy-arn",
        POLICY_ARN,
        "--policy-document",
        &doc,
        "--set-as-default",
    ];
    aws(&sb, &args).await;
    let (status, _) = cli.status_json().await;
    let role = item(&status, "role");
    assert_eq!(role["status"], "drift", "{role:#}");
    assert!(
        role["summary"]
            .as_str()
            .unwrap()
            .contains("PublishPackageVersion"),
        "{role:#}"
    );
    let out = cli.run(&["apply", "--yes", "--only", "role"]).await;
    assert_ok(&out);
    let after = default_policy_document(&sb).await;
    let sids: Vec<&str> = after["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["Sid"].as_str())
        .collect();
    assert_eq!(
        sids,
        [
            "Publish",
            "Token",
            "OtherTeam",
            "CodeArtifactPublish",
            "CodeArtifactReadUpstream",
            "CodeArtifactBearerToken"
        ],
        "every other statement kept: {after:#}"
    );
    let (status, _) = cli.status_json().await;
    assert_eq!(item(&status, "role")["status"], "done");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_with_a_path_gets_its_full_arn_in_the_variable() {
    let sb = common::start_sandbox("complete").await;
    let doc = trust(json!("repo:octo-org/widgets:*"));
    let create = [
        "iam",
        "create-role",
        "--role-name",
        "Publisher",
        "--path",
        "/ci/",
        "--assume-role-policy-document",
        &doc,
    ];
    if aws(&sb, &create).await.is_none() {
        return;
    }
    aws(
        &sb,
        &[
            "iam",
            "attach-role-policy",
            "--role-name",
            "Publisher",
            "--policy-arn",
            POLICY_ARN,
        ],
    )
    .await;
    let cli = Cli::new(&sb);
    cli.init_with(&["--role-name", "Publisher"]).await;
    let (status, _) = cli.status_json().await;
    assert_eq!(
        item(&status, "role")["status"],
        "done",
        "{:#}",
        item(&status, "role")
    );
    let out = cli.run(&["apply", "--yes", "--only", "variables"]).await;
    assert_ok(&out);
    assert_eq!(
        sb.github_variables("octo-org", "widgets")
            .get("AWS_ROLE_ARN")
            .map(String::as_str),
        Some("arn:aws:iam::123456789012:role/ci/Publisher")
    );
    let (status, _) = cli.status_json().await;
    assert_eq!(item(&status, "variables")["status"], "done");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_custom_subject_template_is_what_the_trust_policy_must_accept() {
    let sb = common::start_sandbox("complete").await;
    let scoped = json!("repo:octo-org/widgets:ref:refs/heads/main");
    if set_trust(&sb, ROLE, scoped).await.is_none() {
        return;
    }
    github_put(
        &sb,
        "/repos/octo-org/widgets/actions/oidc/customization/sub",
        json!({"use_default": false, "include_claim_keys": ["repo", "context", "job_workflow_ref"]}),
    )
    .await;
    let cli = Cli::new(&sb);
    cli.init_with(&["--scope", "branch:main"]).await;
    let (status, _) = cli.status_json().await;
    let role = item(&status, "role");
    assert_eq!(
        role["status"], "drift",
        "GitHub sends the template's subject: {role:#}"
    );
    let expected = "repo:octo-org/widgets:ref:refs/heads/main:job_workflow_ref:*";
    assert!(
        role["summary"].as_str().unwrap().contains(expected),
        "{role:#}"
    );
    let out = cli.run(&["apply", "--yes", "--only", "role"]).await;
    assert_ok(&out);
    assert_eq!(
        trust_subjects(&sb, ROLE).await,
        vec!["repo:octo-org/widgets:ref:refs/heads/main", expected]
    );
    let (status, _) = cli.status_json().await;
    assert_eq!(item(&status, "role")["status"], "done");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forbidden_customization_endpoint_is_said_and_nothing_is_rewritten() {
    let sb = common::start_sandbox_with_faults("complete", &["GitHub:GetOidcSubClaim=403"]).await;
    if set_trust(&sb, ROLE, json!(IMMUTABLE)).await.is_none() {
        return;
    }
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let (status, _) = cli.status_json().await;
    let role = item(&status, "role");
    assert_eq!(role["status"], "done", "{role:#}");
    assert!(plan_of(&status, "role").is_empty());
    let notes = notes(&status, "role");
    assert!(
        notes.contains("Resource not accessible"),
        "the 403 is named: {notes}"
    );
    assert!(
        notes.contains("Actions: read"),
        "with the permission to grant: {notes}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_scp_denial_is_named_and_not_papered_over() {
    let sb = common::start_sandbox("complete").await;
    sb.set_service_control_policies(&[json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Action": "codeartifact:PublishPackageVersion", "Resource": "*"
    }]})]);
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let (status, _) = cli.status_json().await;
    let role = item(&status, "role");
    assert_eq!(role["status"], "drift", "{role:#}");
    assert!(
        role["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["message"].as_str().is_some_and(
                |m| m.contains("PublishPackageVersion") && m.contains("service control policy")
            )),
        "{role:#}"
    );
    assert!(
        plan_of(&status, "role").is_empty(),
        "more grants would not help: {role:#}"
    );
    let publish = role["simulation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["action"] == "codeartifact:PublishPackageVersion")
        .cloned()
        .unwrap_or_default();
    assert_eq!(publish["allowed_by_organizations"], false, "{publish:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn destroy_from_another_region_keeps_what_it_cannot_see() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let out = cli.run(&["apply", "--yes", "--only", "domain"]).await;
    assert_ok(&out);
    let state: Value = serde_json::from_str(&common::cli::read(&cli.state())).expect("state");
    assert_eq!(state["schema_version"], 3);
    assert_eq!(state["created"][0]["region"], "us-east-1", "{state:#}");

    let out = cli
        .run(&["--region", "eu-west-1", "destroy", "--yes"])
        .await;
    let all = text(&out);
    assert!(
        all.contains("left in place") && all.contains("--region us-east-1"),
        "{all}"
    );
    assert!(!all.contains("deleted"), "{all}");
    let state: Value = serde_json::from_str(&common::cli::read(&cli.state())).expect("state");
    assert_eq!(
        state["created"].as_array().map(Vec::len),
        Some(1),
        "the record is kept"
    );
    common::codeartifact(sb.url())
        .describe_domain()
        .domain("octo-org")
        .send()
        .await
        .expect("the domain is still there");

    let out = cli.run(&["destroy", "--yes"]).await;
    assert_ok(&out);
    assert!(text(&out).contains("deleted"), "{}", text(&out));
    let state: Value = serde_json::from_str(&common::cli::read(&cli.state())).expect("state");
    assert_eq!(state["created"], json!([]));
}
