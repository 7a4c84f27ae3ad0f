//! The optional `consumers` item end to end: `init --consumer`, status, plan, apply and destroy
//! against the sandbox, with the real AWS CLI as the consumer's client (access key
//! `account-222233334444`) — refused before apply, served after; others' statements in the
//! policies survive apply and destroy; the doctor's `consumer-403` names the missing grant and
//! an explicit Deny.

mod common;
#[allow(dead_code)] // twine is for the tests that publish
#[path = "../crates/sandbox/tests/sandbox_pypi/tools.rs"]
mod tools;

use std::process::Output;

use cawiz_sandbox::SandboxHandle;
use common::cli::{Cli, assert_ok, item, statuses, text};
use serde_json::{Value, json};

const OWNER: &str = "123456789012";
const CONSUMER: &str = "222233334444";
const STRANGER: &str = "555566667777";

/// The AWS CLI as the consumer's administrator (`account-CONSUMER`, any secret).
async fn as_consumer(sb: &SandboxHandle, args: &[&str]) -> Option<Output> {
    as_account(sb, CONSUMER, args).await
}

/// The AWS CLI as `account`'s administrator.
async fn as_account(sb: &SandboxHandle, account: &str, args: &[&str]) -> Option<Output> {
    let exe = common::python_tool("aws")?;
    let home = tempfile::tempdir().expect("home");
    let out = tokio::process::Command::new(exe)
        .args(args)
        .args(["--output", "json"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", sb.url())
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", format!("account-{account}"))
        .env("AWS_SECRET_ACCESS_KEY", "any-secret")
        .output()
        .await
        .expect("aws runs");
    Some(out)
}

/// The consumer asks for a token from this account's domain (as `aws codeartifact login` does).
async fn consumer_token(sb: &SandboxHandle) -> Option<Output> {
    as_consumer(
        sb,
        &[
            "codeartifact",
            "get-authorization-token",
            "--domain",
            "octo-org",
            "--domain-owner",
            OWNER,
            "--query",
            "authorizationToken",
        ],
    )
    .await
}

async fn consumer_endpoint(sb: &SandboxHandle) -> Option<Output> {
    as_consumer(
        sb,
        &[
            "codeartifact",
            "get-repository-endpoint",
            "--domain",
            "octo-org",
            "--domain-owner",
            OWNER,
            "--repository",
            "widgets",
            "--format",
            "pypi",
        ],
    )
    .await
}

/// pip, as the consumer, downloads the published `widgets==0.1.0` through the repository with
/// the token and endpoint the consumer's AWS CLI got.
async fn consumer_installs(token: &Output, endpoint: &Output) {
    let Some(t) = tools::tools() else { return };
    let token: String = serde_json::from_slice(&token.stdout).expect("a token");
    let endpoint: Value = serde_json::from_slice(&endpoint.stdout).expect("JSON");
    let host = endpoint["repositoryEndpoint"]
        .as_str()
        .and_then(|e| e.strip_prefix("http://"))
        .expect("an endpoint");
    let index = format!("http://aws:{token}@{host}simple/");
    let dir = tempfile::tempdir().expect("dir");
    let out = tools::pip_download(&t, &index, dir.path(), "widgets==0.1.0").await;
    assert!(out.status.success(), "{}", tools::text(&out));
}

fn ca(sb: &SandboxHandle) -> aws_sdk_codeartifact::Client {
    common::codeartifact(sb.url())
}

/// The repository's policy document and revision (`None`: no policy).
async fn repository_policy(sb: &SandboxHandle) -> Option<(Value, String)> {
    let out = ca(sb)
        .get_repository_permissions_policy()
        .domain("octo-org")
        .repository("widgets")
        .send()
        .await
        .ok()?;
    let p = out.policy()?;
    let doc = serde_json::from_str(p.document()?).expect("JSON");
    Some((doc, p.revision()?.to_owned()))
}

async fn domain_policy(sb: &SandboxHandle) -> Option<Value> {
    let out = ca(sb)
        .get_domain_permissions_policy()
        .domain("octo-org")
        .send()
        .await
        .ok()?;
    serde_json::from_str(out.policy()?.document()?).ok()
}

async fn put_repository_policy(sb: &SandboxHandle, doc: &Value) {
    ca(sb)
        .put_repository_permissions_policy()
        .domain("octo-org")
        .repository("widgets")
        .policy_document(doc.to_string())
        .send()
        .await
        .expect("PutRepositoryPermissionsPolicy");
}

fn team_read() -> Value {
    json!({"Sid": "TeamRead", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
           "Action": "codeartifact:ReadFromRepository", "Resource": "*"})
}

fn sids(doc: &Value) -> Vec<String> {
    doc["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["Sid"].as_str().map(str::to_owned))
        .collect()
}

fn refused(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "the consumer was served: {}",
        text(out)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn consumers_status(cli: &Cli) -> String {
    let (doc, _) = cli.status_json().await;
    item(&doc, "consumers")["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The complete setup, with a consumer and a foreign statement in the repository's policy.
async fn with_consumer() -> (SandboxHandle, Cli) {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init_with(&["--consumer", CONSUMER]).await;
    put_repository_policy(
        &sb,
        &json!({"Version": "2012-10-17", "Statement": [team_read()]}),
    )
    .await;
    (sb, cli)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_consumer_is_refused_then_served_and_others_statements_survive() {
    let (sb, cli) = with_consumer().await;
    let (doc, _) = cli.status_json().await;
    let items = statuses(&doc);
    assert_eq!(
        items.last().map(|(i, _)| i.as_str()),
        Some("consumers"),
        "the item comes last: {items:?}"
    );
    assert_eq!(consumers_status(&cli).await, "missing");
    let Some(out) = consumer_token(&sb).await else {
        return; // no AWS CLI (CAWIZ_SKIP_PYTHON_TESTS=1)
    };
    assert!(refused(&out).contains("AccessDenied"), "{}", text(&out));

    let plan = cli.run(&["plan"]).await;
    assert_ok(&plan);
    let plan_text = String::from_utf8_lossy(&plan.stdout).into_owned();
    for needle in [
        "put-domain-permissions-policy",
        "put-repository-permissions-policy",
        "--policy-revision",
        "cawizConsumer222233334444Read",
        "TeamRead",
    ] {
        assert!(plan_text.contains(needle), "{needle}: {plan_text}");
    }

    let out = cli.run(&["apply", "--yes", "--only", "consumers"]).await;
    assert_ok(&out);
    assert_eq!(consumers_status(&cli).await, "done");
    let token = consumer_token(&sb).await.expect("aws");
    assert!(token.status.success(), "{}", text(&token));
    let endpoint = consumer_endpoint(&sb).await.expect("aws");
    assert!(endpoint.status.success(), "{}", text(&endpoint));
    consumer_installs(&token, &endpoint).await;
    let stranger = as_account(
        &sb,
        STRANGER,
        &[
            "codeartifact",
            "get-authorization-token",
            "--domain",
            "octo-org",
            "--domain-owner",
            OWNER,
        ],
    )
    .await
    .expect("aws");
    assert!(
        refused(&stranger).contains("AccessDenied"),
        "others stay out"
    );
    let (policy, revision) = repository_policy(&sb).await.expect("a policy");
    assert_eq!(
        sids(&policy),
        ["TeamRead", "cawizConsumer222233334444Read"],
        "merged, the foreign statement first and unchanged"
    );
    assert_eq!(policy["Statement"][0], team_read());

    // Again: nothing to change, nothing written.
    let out = cli.run(&["apply", "--yes", "--only", "consumers"]).await;
    assert_ok(&out);
    assert_eq!(repository_policy(&sb).await.map(|p| p.1), Some(revision));

    let out = cli.run(&["destroy", "--yes"]).await;
    assert_ok(&out);
    let (left, _) = repository_policy(&sb)
        .await
        .expect("the foreign statement stays");
    assert_eq!(left["Statement"], json!([team_read()]));
    assert_eq!(
        domain_policy(&sb).await,
        None,
        "the domain policy held only cawiz's statement: deleted"
    );
    assert!(refused(&consumer_token(&sb).await.expect("aws")).contains("AccessDenied"));
    assert_eq!(consumers_status(&cli).await, "missing");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_consumers_there_is_no_item() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init_with(&[]).await;
    let (doc, _) = cli.status_json().await;
    assert!(
        statuses(&doc).iter().all(|(i, _)| i != "consumers"),
        "{doc:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn init_refuses_a_bad_consumer_at_its_field() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    for (flag, value, needle) in [
        ("--consumer", "12345", "12 digits"),
        ("--consumer", OWNER, "own account"),
        ("--consumer-org", "o-short", "^o-[a-z0-9]{10,32}$"),
    ] {
        let out = cli
            .run(&[
                "init",
                "--non-interactive",
                "--github",
                "octo-org/widgets",
                flag,
                value,
            ])
            .await;
        assert!(!out.status.success(), "{flag} {value}: {}", text(&out));
        assert!(
            text(&out).contains(needle),
            "{flag} {value}: {}",
            text(&out)
        );
    }
}

/// `cawiz doctor consumer-403 --json`: each cause's verdict by id.
async fn consumer_403(cli: &Cli) -> Vec<(String, String)> {
    let out = cli.run(&["doctor", "consumer-403", "--json"]).await;
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("doctor --json is JSON ({e}): {}", text(&out)));
    doc["symptoms"][0]["causes"]
        .as_array()
        .expect("causes")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or_default().to_owned(),
                c["verdict"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn verdict_of(causes: &[(String, String)], id: &str) -> String {
    causes
        .iter()
        .find(|(c, _)| c == id)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("{id} in {causes:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_doctor_names_the_missing_repository_grant_and_a_deny() {
    let (sb, cli) = with_consumer().await;
    let out = cli.run(&["apply", "--yes", "--only", "consumers"]).await;
    assert_ok(&out);
    let healthy = consumer_403(&cli).await;
    for id in [
        "consumer-domain-policy",
        "consumer-repo-policy",
        "consumer-deny",
    ] {
        assert_eq!(verdict_of(&healthy, id), "ok", "{healthy:?}");
    }
    for id in ["consumer-identity-policy", "consumer-domain-owner"] {
        assert_eq!(verdict_of(&healthy, id), "unknown", "{healthy:?}");
    }
    // Every symptom: consumer-403 is among them now.
    let out = cli.run(&["doctor", "--json"]).await;
    let all: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        all["symptoms"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["symptom"] == "consumer-403")),
        "{all:#}"
    );

    // Only the domain policy grants: the consumer gets a token but cannot read.
    put_repository_policy(
        &sb,
        &json!({"Version": "2012-10-17", "Statement": [team_read()]}),
    )
    .await;
    if let Some(out) = consumer_endpoint(&sb).await {
        assert!(refused(&out).contains("AccessDenied"), "{}", text(&out));
    }
    let causes = consumer_403(&cli).await;
    assert_eq!(
        verdict_of(&causes, "consumer-repo-policy"),
        "fail",
        "{causes:?}"
    );
    assert_eq!(
        verdict_of(&causes, "consumer-domain-policy"),
        "ok",
        "{causes:?}"
    );
    assert_eq!(
        causes[0].0, "consumer-repo-policy",
        "failing first: {causes:?}"
    );

    // cawiz's grant back, and a Deny beside it: the Deny wins.
    let out = cli.run(&["apply", "--yes", "--only", "consumers"]).await;
    assert_ok(&out);
    let (mut policy, _) = repository_policy(&sb).await.expect("a policy");
    policy["Statement"]
        .as_array_mut()
        .expect("list")
        .push(json!({
            // A hostile Sid: it reaches the terminal escaped.
            "Sid": "NoOutside\u{1b}[2JReads", "Effect": "Deny", "Principal": "*",
            "Action": ["codeartifact:ReadFromRepository", "codeartifact:GetRepositoryEndpoint"],
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:PrincipalAccount": OWNER}}
        }));
    put_repository_policy(&sb, &policy).await;
    if let Some(out) = consumer_endpoint(&sb).await {
        assert!(refused(&out).contains("explicit deny"), "{}", text(&out));
    }
    let causes = consumer_403(&cli).await;
    assert_eq!(verdict_of(&causes, "consumer-deny"), "fail", "{causes:?}");
    assert_eq!(
        verdict_of(&causes, "consumer-repo-policy"),
        "ok",
        "{causes:?}"
    );
    let (doc, _) = cli.status_json().await;
    assert_eq!(item(&doc, "consumers")["status"], "drift", "{doc:#}");
    for args in [&["status"][..], &["doctor", "consumer-403"][..]] {
        let out = cli.run(args).await;
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.contains("NoOutside"), "{args:?}: {}", text(&out));
        assert!(
            !shown.contains('\u{1b}'),
            "{args:?} prints the Sid escaped: {shown}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_grant_someone_else_wrote_is_adopted_not_rewritten() {
    let (sb, cli) = with_consumer().await;
    let theirs = json!({"Sid": "PartnerReads", "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{CONSUMER}:root")},
        "Action": "codeartifact:*", "Resource": "*"});
    put_repository_policy(
        &sb,
        &json!({"Version": "2012-10-17", "Statement": [team_read(), theirs]}),
    )
    .await;
    let (_, revision) = repository_policy(&sb).await.expect("a policy");
    let plan = cli.run(&["plan"]).await;
    let plan_text = String::from_utf8_lossy(&plan.stdout).into_owned();
    assert!(
        plan_text.contains("put-domain-permissions-policy"),
        "{plan_text}"
    );
    assert!(
        !plan_text.contains("put-repository-permissions-policy"),
        "the reads are granted already: {plan_text}"
    );
    let out = cli.run(&["apply", "--yes", "--only", "consumers"]).await;
    assert_ok(&out);
    assert_eq!(consumers_status(&cli).await, "done");
    assert_eq!(repository_policy(&sb).await.map(|p| p.1), Some(revision));
}
