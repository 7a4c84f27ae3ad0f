//! Trust policies judged as STS judges them, through the CLI against the sandbox (issue "Verdicts
//! you can trust" items 2–4 and 8, "Hostile repositories and inputs" items 3–5): AND is not
//! read as OR, parts never combine across statements, a trust without an audience condition
//! works, wildcards are found by matching, a template that does not name the repository is never
//! written, a trust broader than the scope is narrowed only for this repository, and a Deny's
//! NotPrincipal excepts the role's session only with its account, role and session.

mod common;

use cawiz_sandbox::SandboxHandle;
use common::cli::{Cli, item, text};
use reqwest::Method;
use serde_json::{Value, json};

const ROLE: &str = "GitHubActions-CodeArtifact";
const PROVIDER: &str =
    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const SUB: &str = "token.actions.githubusercontent.com:sub";
const AUD: &str = "token.actions.githubusercontent.com:aud";

async fn complete() -> (SandboxHandle, Cli) {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    (sb, cli)
}

fn statement(condition: Value) -> Value {
    json!({
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition
    })
}

async fn set_trust(sb: &SandboxHandle, statements: Vec<Value>) {
    let doc = json!({"Version": "2012-10-17", "Statement": statements});
    common::iam(sb.url())
        .update_assume_role_policy()
        .role_name(ROLE)
        .policy_document(doc.to_string())
        .send()
        .await
        .expect("UpdateAssumeRolePolicy");
}

async fn trust_document(sb: &SandboxHandle) -> Value {
    let role = common::iam(sb.url())
        .get_role()
        .role_name(ROLE)
        .send()
        .await
        .expect("GetRole");
    let raw = role.role().map(|r| {
        r.assume_role_policy_document()
            .unwrap_or_default()
            .to_owned()
    });
    cawiz::policy::parse_document(&raw.unwrap_or_default()).expect("a trust policy")
}

fn role_rows(doc: &Value) -> Vec<(String, String)> {
    item(doc, "role")["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or_default().to_owned(),
                r["verdict"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn verdict(doc: &Value, id: &str) -> String {
    role_rows(doc)
        .into_iter()
        .find(|(i, _)| i == id)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("row {id}: {doc:#}"))
}

/// `cawiz doctor oidc --json`: the cause's verdict.
async fn cause(cli: &Cli, symptom: &str, id: &str) -> String {
    let args = cli.with_python(&["doctor", symptom, "--json"]);
    let out = cli.run(&args).await;
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("doctor --json ({e}): {}", text(&out)));
    doc["symptoms"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["causes"].as_array().into_iter().flatten())
        .find(|c| c["id"] == id)
        .and_then(|c| c["verdict"].as_str())
        .unwrap_or_else(|| panic!("{id}: {doc:#}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn two_subject_conditions_of_one_statement_are_anded() {
    let (sb, cli) = complete().await;
    // main only (StringEquals) AND any ref (StringLike): tags and manual runs elsewhere fail.
    set_trust(
        &sb,
        vec![statement(json!({
            "StringEquals": {AUD: "sts.amazonaws.com", SUB: "repo:octo-org/widgets:ref:refs/heads/main"},
            "StringLike": {SUB: "repo:octo-org/widgets:*"}
        }))],
    )
    .await;
    let (doc, _) = cli.status_json().await;
    assert_eq!(item(&doc, "role")["status"], "drift", "{doc:#}");
    assert_eq!(verdict(&doc, "trust-subject"), "fail");
    assert_eq!(cause(&cli, "oidc", "trust-subject").await, "fail");
}

#[tokio::test(flavor = "multi_thread")]
async fn audience_and_subject_are_judged_in_one_statement() {
    let (sb, cli) = complete().await;
    set_trust(
        &sb,
        vec![
            statement(json!({
                "StringEquals": {AUD: "sts.amazonaws.com"},
                "StringLike": {SUB: "repo:octo-org/gadgets:*"}
            })),
            statement(json!({
                "StringEquals": {AUD: "https://github.com/octo-org"},
                "StringLike": {SUB: "repo:octo-org/widgets:*"}
            })),
        ],
    )
    .await;
    assert_eq!(cause(&cli, "oidc", "trust-audience").await, "fail");
    let (doc, _) = cli.status_json().await;
    assert_eq!(item(&doc, "role")["status"], "drift");
    assert_eq!(verdict(&doc, "trust-audience"), "fail");
    assert_eq!(
        verdict(&doc, "trust-subject"),
        "ok",
        "the statement meant for us names us"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trust_without_an_audience_condition_is_done_and_left_alone() {
    let (sb, cli) = complete().await;
    set_trust(
        &sb,
        vec![statement(
            json!({"StringLike": {SUB: "repo:octo-org/widgets:*"}}),
        )],
    )
    .await;
    let before = trust_document(&sb).await;
    let (doc, _) = cli.status_json().await;
    assert_eq!(item(&doc, "role")["status"], "done", "{doc:#}");
    assert_eq!(verdict(&doc, "trust-audience"), "warn");
    assert_ne!(item(&doc, "variables")["status"], "blocked");
    assert_eq!(cause(&cli, "oidc", "trust-audience").await, "ok");
    let out = cli.run(&["apply", "--yes", "--only", "role"]).await;
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        trust_document(&sb).await,
        before,
        "apply leaves a working trust alone"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wildcards_are_found_by_matching() {
    for sub in ["repo*", "rep?:*", "repo:octo-*"] {
        let (sb, cli) = complete().await;
        set_trust(
            &sb,
            vec![statement(json!({
                "StringEquals": {AUD: "sts.amazonaws.com"},
                "StringLike": {SUB: sub}
            }))],
        )
        .await;
        let (doc, ok) = cli.status_json().await;
        assert!(!ok);
        assert_eq!(item(&doc, "role")["status"], "drift", "{sub}: {doc:#}");
        assert_eq!(verdict(&doc, "trust-subject-wildcard"), "fail", "{sub}");
        assert_eq!(
            cause(&cli, "oidc", "trust-subject-wildcard").await,
            "fail",
            "{sub}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_template_without_the_repository_is_never_trusted() {
    let (sb, cli) = complete().await;
    let (status, answer) = common::github_request(
        &sb,
        Method::PUT,
        "/repos/octo-org/widgets/actions/oidc/customization/sub",
        Some(json!({"use_default": false, "include_claim_keys": ["repository_owner", "context"]})),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
    let before = trust_document(&sb).await;
    let plan = cli.run(&["plan"]).await;
    let plan_text = text(&plan);
    assert!(
        plan_text.contains("actions/oidc/customization/sub")
            && !plan_text.contains("repository_owner:octo-org:*"),
        "{plan_text}"
    );
    let out = cli.run(&["apply", "--yes", "--only", "role"]).await;
    assert!(
        !text(&out).contains("update-assume-role-policy"),
        "{}",
        text(&out)
    );
    assert_eq!(
        trust_document(&sb).await,
        before,
        "the trust is not widened"
    );
    // A new role is not created on it either.
    let fresh = Cli::new(&sb);
    fresh.init_with(&["--role-name", "Fresh-Role"]).await;
    let out = fresh.run(&["apply", "--yes", "--only", "role"]).await;
    assert!(
        !out.status.success() || text(&out).contains("by hand"),
        "{}",
        text(&out)
    );
    let created = common::iam(sb.url())
        .get_role()
        .role_name("Fresh-Role")
        .send()
        .await;
    assert!(created.is_err(), "no role was created");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trust_broader_than_the_scope_is_narrowed_for_this_repository_only() {
    let (sb, cli) = complete().await;
    cli.init_with(&["--scope", "environment:prod"]).await;
    set_trust(
        &sb,
        vec![statement(json!({
            "StringEquals": {AUD: "sts.amazonaws.com"},
            "StringLike": {SUB: ["repo:octo-org/gadgets:*", "repo:octo-org/widgets:*"]}
        }))],
    )
    .await;
    let (doc, _) = cli.status_json().await;
    let role = item(&doc, "role");
    assert_eq!(role["status"], "drift", "{doc:#}");
    assert!(
        role["summary"]
            .as_str()
            .unwrap_or_default()
            .contains("broader than the scope"),
        "{role:#}"
    );
    assert_eq!(verdict(&doc, "trust-scope"), "warn");
    let out = cli.run(&["apply", "--yes", "--only", "role"]).await;
    assert!(out.status.success(), "{}", text(&out));
    let after = trust_document(&sb).await;
    let subjects: Vec<String> = after["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|st| cawiz::policy::strings(st["Condition"]["StringLike"].get(SUB)))
        .collect();
    assert_eq!(
        subjects,
        [
            "repo:octo-org/gadgets:*",
            "repo:octo-org/widgets:environment:prod"
        ],
        "{after:#}"
    );
    let (doc, _) = cli.status_json().await;
    assert_eq!(item(&doc, "role")["status"], "done", "{doc:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn not_principal_excepts_the_session_only_with_account_role_and_session() {
    let (sb, cli) = complete().await;
    let role_arn = format!("arn:aws:iam::{}:role/{ROLE}", common::arrange::ACCOUNT);
    let policy = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny",
        "NotPrincipal": {"AWS": [role_arn, format!("arn:aws:iam::{}:root", common::arrange::ACCOUNT)]},
        "Action": "codeartifact:*",
        "Resource": "*"
    }]});
    common::codeartifact(sb.url())
        .put_repository_permissions_policy()
        .domain("octo-org")
        .repository("widgets")
        .policy_document(policy.to_string())
        .send()
        .await
        .expect("PutRepositoryPermissionsPolicy");
    assert_eq!(
        cause(&cli, "publish-403", "resource-policy-deny").await,
        "fail"
    );
}
