//! The consumer's side of tests/cli_consumers.rs: the AWS CLI and pip as another account, and
//! the policies read and written with the sandbox's administrator SDK client.

use std::process::Output;

use cawiz_sandbox::SandboxHandle;
use serde_json::{Value, json};

use crate::common;
use crate::common::cli::{Cli, item, text};
use crate::tools;

pub const OWNER: &str = "123456789012";
pub const CONSUMER: &str = "222233334444";
pub const STRANGER: &str = "555566667777";

/// The AWS CLI as the consumer's administrator (`account-CONSUMER`, any secret).
pub async fn as_consumer(sb: &SandboxHandle, args: &[&str]) -> Option<Output> {
    as_account(sb, CONSUMER, args).await
}

/// The AWS CLI as `account`'s administrator.
pub async fn as_account(sb: &SandboxHandle, account: &str, args: &[&str]) -> Option<Output> {
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
pub async fn consumer_token(sb: &SandboxHandle) -> Option<Output> {
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

pub async fn consumer_endpoint(sb: &SandboxHandle) -> Option<Output> {
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
pub async fn consumer_installs(token: &Output, endpoint: &Output) {
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

pub fn ca(sb: &SandboxHandle) -> aws_sdk_codeartifact::Client {
    common::codeartifact(sb.url())
}

/// The repository's policy document and revision (`None`: no policy).
pub async fn repository_policy(sb: &SandboxHandle) -> Option<(Value, String)> {
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

pub async fn domain_policy(sb: &SandboxHandle) -> Option<Value> {
    let out = ca(sb)
        .get_domain_permissions_policy()
        .domain("octo-org")
        .send()
        .await
        .ok()?;
    serde_json::from_str(out.policy()?.document()?).ok()
}

pub async fn put_repository_policy(sb: &SandboxHandle, doc: &Value) {
    ca(sb)
        .put_repository_permissions_policy()
        .domain("octo-org")
        .repository("widgets")
        .policy_document(doc.to_string())
        .send()
        .await
        .expect("PutRepositoryPermissionsPolicy");
}

pub fn team_read() -> Value {
    json!({"Sid": "TeamRead", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
           "Action": "codeartifact:ReadFromRepository", "Resource": "*"})
}

pub fn sids(doc: &Value) -> Vec<String> {
    doc["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["Sid"].as_str().map(str::to_owned))
        .collect()
}

pub fn refused(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "the consumer was served: {}",
        text(out)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub async fn consumers_status(cli: &Cli) -> String {
    let (doc, _) = cli.status_json().await;
    item(&doc, "consumers")["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The complete setup, with a consumer and a foreign statement in the repository's policy.
pub async fn with_consumer() -> (SandboxHandle, Cli) {
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
