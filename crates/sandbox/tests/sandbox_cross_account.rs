//! Other accounts read the repository as AWS lets them: the access key id `account-<12 digits>`
//! is that account's administrator; in the sandbox's account it may do what CodeArtifact's
//! resource policies allow — a token needs the domain policy, reads the domain's or the
//! repository's, and an explicit Deny wins. Driven with the real AWS CLI and pip as the consumer;
//! the npm endpoint decides a consumer's token as the PyPI endpoint does.

#![allow(clippy::unwrap_used)]

mod common;
#[allow(dead_code)] // twine is for the tests that publish
#[path = "sandbox_pypi/tools.rs"]
mod tools;

use std::process::Output;

use cawiz_sandbox::SandboxHandle;
use serde_json::{Value, json};

const OWNER: &str = "123456789012";
const CONSUMER: &str = "210987654321";
const STRANGER: &str = "555566667777";

/// The AWS CLI signing with `account-ACCOUNT` (any secret) against the sandbox; `None` for the
/// sandbox's own administrator key.
async fn aws(sb: &SandboxHandle, account: Option<&str>, args: &[&str]) -> Option<Output> {
    let exe = common::python_tool("aws")?;
    let home = tempfile::tempdir().unwrap();
    let key = account.map_or_else(
        || "AKIAIOSFODNN7EXAMPLE".to_owned(),
        |a| format!("account-{a}"),
    );
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
        .env("AWS_ACCESS_KEY_ID", key)
        .env("AWS_SECRET_ACCESS_KEY", "any-secret")
        .output()
        .await
        .unwrap();
    Some(out)
}

fn ok(out: &Output) -> Value {
    assert!(out.status.success(), "aws failed: {}", tools::text(out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn refused(out: &Output) -> String {
    assert!(!out.status.success(), "aws succeeded: {}", tools::text(out));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn grant(sid: &str, effect: &str, account: &str, actions: &[&str]) -> Value {
    json!({
        "Sid": sid,
        "Effect": effect,
        "Principal": {"AWS": format!("arn:aws:iam::{account}:root")},
        "Action": actions.iter().map(|a| format!("codeartifact:{a}")).collect::<Vec<_>>(),
        "Resource": "*"
    })
}

fn policy(statements: &[Value]) -> String {
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

async fn put_domain_policy(sb: &SandboxHandle, document: &str) {
    let args = [
        "codeartifact",
        "put-domain-permissions-policy",
        "--domain",
        "octo-org",
        "--policy-document",
        document,
    ];
    if let Some(out) = aws(sb, None, &args).await {
        ok(&out);
    }
}

async fn put_repository_policy(sb: &SandboxHandle, document: &str) {
    let args = [
        "codeartifact",
        "put-repository-permissions-policy",
        "--domain",
        "octo-org",
        "--repository",
        "widgets",
        "--policy-document",
        document,
    ];
    if let Some(out) = aws(sb, None, &args).await {
        ok(&out);
    }
}

const TOKEN: &[&str] = &[
    "codeartifact",
    "get-authorization-token",
    "--domain",
    "octo-org",
    "--domain-owner",
    OWNER,
];
const ENDPOINT: &[&str] = &[
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
];

/// The consumer's pip index URL, from its own token and endpoint.
async fn index_url(sb: &SandboxHandle, account: &str) -> Option<String> {
    let token = ok(&aws(sb, Some(account), TOKEN).await?)["authorizationToken"]
        .as_str()?
        .to_owned();
    let endpoint = ok(&aws(sb, Some(account), ENDPOINT).await?)["repositoryEndpoint"]
        .as_str()?
        .to_owned();
    let host = endpoint.strip_prefix("http://")?;
    Some(format!("http://aws:{token}@{host}simple/"))
}

/// What pip saw as "no versions": the index page's 403 with CodeArtifact's reason.
async fn assert_read_refused(index_url: &str) {
    let (user, rest) = index_url
        .strip_prefix("http://aws:")
        .and_then(|r| r.split_once('@'))
        .unwrap();
    let page = reqwest::Client::new()
        .get(format!("http://{rest}widgets/"))
        .basic_auth("aws", Some(user))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 403);
    let body = page.text().await.unwrap();
    assert!(
        body.contains(&format!(
            "arn:aws:iam::{CONSUMER}:root is not authorized to perform: codeartifact:ReadFromRepository"
        )),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn another_accounts_administrator_is_who_its_key_names() {
    let sb = common::start_sandbox("complete").await;
    let Some(out) = aws(&sb, Some(CONSUMER), &["sts", "get-caller-identity"]).await else {
        return;
    };
    let me = ok(&out);
    assert_eq!(me["Account"], CONSUMER);
    assert_eq!(me["Arn"], format!("arn:aws:iam::{CONSUMER}:root"));
    // Its own account holds nothing: without --domain-owner the CLI looks there.
    let args = [
        "codeartifact",
        "get-authorization-token",
        "--domain",
        "octo-org",
    ];
    let err = refused(&aws(&sb, Some(CONSUMER), &args).await.unwrap());
    assert!(
        err.contains("ResourceNotFoundException")
            && err.contains(&format!("owned by account '{CONSUMER}' does not exist")),
        "{err}"
    );
    let listed = ok(&aws(&sb, Some(CONSUMER), &["codeartifact", "list-domains"])
        .await
        .unwrap());
    assert_eq!(listed["domains"], json!([]));
    let own = ok(&aws(&sb, Some(OWNER), &["codeartifact", "list-domains"])
        .await
        .unwrap());
    assert_eq!(own["domains"].as_array().map(Vec::len), Some(1), "{own}");
    // The sandbox emulates no IAM for other accounts, and says so.
    let iam = [
        "iam",
        "get-role",
        "--role-name",
        "GitHubActions-CodeArtifact",
    ];
    let err = refused(&aws(&sb, Some(CONSUMER), &iam).await.unwrap());
    assert!(err.contains("AccessDenied"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_consumer_needs_the_domain_policy_and_a_read_grant() {
    let sb = common::start_sandbox("complete").await;
    let Some(out) = aws(&sb, Some(CONSUMER), TOKEN).await else {
        return;
    };
    let err = refused(&out);
    assert!(
        err.contains("AccessDeniedException")
            && err.contains(&format!(
                "User: arn:aws:iam::{CONSUMER}:root is not authorized to perform: \
                 codeartifact:GetAuthorizationToken on resource: \
                 arn:aws:codeartifact:us-east-1:{OWNER}:domain/octo-org because no \
                 resource-based policy allows the codeartifact:GetAuthorizationToken action"
            )),
        "{err}"
    );

    // A repository policy alone: the token is still refused.
    let read = [
        "ReadFromRepository",
        "DescribeRepository",
        "GetRepositoryEndpoint",
        "DescribePackageVersion",
        "ListPackages",
        "ListPackageVersions",
    ];
    put_repository_policy(
        &sb,
        &policy(&[grant("cawizRead", "Allow", CONSUMER, &read)]),
    )
    .await;
    let err = refused(&aws(&sb, Some(CONSUMER), TOKEN).await.unwrap());
    assert!(err.contains("GetAuthorizationToken"), "{err}");

    // With the domain policy too, the consumer installs with pip.
    let token_grant = ["GetAuthorizationToken", "DescribeDomain"];
    put_domain_policy(
        &sb,
        &policy(&[grant("cawizToken", "Allow", CONSUMER, &token_grant)]),
    )
    .await;
    let url = index_url(&sb, CONSUMER).await.unwrap();
    let Some(t) = tools::tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let python = tools::throwaway_venv(&t, dir.path()).await;
    let out = tools::pip_install(&t, &python, &url, "widgets==0.1.0").await;
    assert!(
        out.status.success(),
        "pip as the consumer: {}",
        tools::text(&out)
    );

    // An account the policies do not name gets no token.
    let err = refused(&aws(&sb, Some(STRANGER), TOKEN).await.unwrap());
    assert!(
        err.contains(&format!("arn:aws:iam::{STRANGER}:root is not authorized")),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_domain_policy_alone_gives_a_token_but_no_packages() {
    let sb = common::start_sandbox("complete").await;
    let token_grant = ["GetAuthorizationToken", "GetRepositoryEndpoint"];
    put_domain_policy(
        &sb,
        &policy(&[grant("cawizToken", "Allow", CONSUMER, &token_grant)]),
    )
    .await;
    let Some(url) = index_url(&sb, CONSUMER).await else {
        return;
    };
    let Some(t) = tools::tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = tools::pip_download(&t, &url, dir.path(), "widgets==0.1.0").await;
    assert!(!out.status.success(), "{}", tools::text(&out));
    assert_read_refused(&url).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_explicit_deny_wins_over_the_grants() {
    let sb = common::start_sandbox("complete").await;
    let token_grant = ["GetAuthorizationToken", "GetRepositoryEndpoint"];
    put_domain_policy(
        &sb,
        &policy(&[grant("cawizToken", "Allow", CONSUMER, &token_grant)]),
    )
    .await;
    put_repository_policy(
        &sb,
        &policy(&[
            grant("cawizRead", "Allow", CONSUMER, &["ReadFromRepository"]),
            grant("NoReads", "Deny", CONSUMER, &["ReadFromRepository"]),
        ]),
    )
    .await;
    let Some(url) = index_url(&sb, CONSUMER).await else {
        return;
    };
    let Some(t) = tools::tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = tools::pip_download(&t, &url, dir.path(), "widgets==0.1.0").await;
    assert!(!out.status.success(), "{}", tools::text(&out));
    assert_read_refused(&url).await;

    // A Deny on the domain refuses the token even with the Allow beside it.
    put_domain_policy(
        &sb,
        &policy(&[
            grant("cawizToken", "Allow", CONSUMER, &token_grant),
            grant("NoTokens", "Deny", CONSUMER, &["GetAuthorizationToken"]),
        ]),
    )
    .await;
    let err = refused(&aws(&sb, Some(CONSUMER), TOKEN).await.unwrap());
    assert!(
        err.contains("with an explicit deny in a resource-based policy"),
        "{err}"
    );
}

/// `npm ping` as the consumer, over HTTP: the status and the body.
async fn npm_ping(sb: &SandboxHandle, token: &str) -> (u16, String) {
    let url = format!("{}/octo-org-{OWNER}/npm/widgets/-/ping", sb.url());
    let response = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_npm_endpoint_decides_a_consumers_token_by_the_resource_policies() {
    let sb = common::start_sandbox("complete").await;
    let token_grant = ["GetAuthorizationToken", "GetRepositoryEndpoint"];
    put_domain_policy(
        &sb,
        &policy(&[grant("cawizToken", "Allow", CONSUMER, &token_grant)]),
    )
    .await;
    let Some(out) = aws(&sb, Some(CONSUMER), TOKEN).await else {
        return;
    };
    let token = ok(&out)["authorizationToken"].as_str().unwrap().to_owned();
    // A token, but no read grant: 403 with CodeArtifact's reason, as on the PyPI endpoint.
    let (status, body) = npm_ping(&sb, &token).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body.contains(&format!(
            "arn:aws:iam::{CONSUMER}:root is not authorized to perform: codeartifact:ReadFromRepository"
        )),
        "{body}"
    );
    put_repository_policy(
        &sb,
        &policy(&[grant(
            "cawizRead",
            "Allow",
            CONSUMER,
            &["ReadFromRepository"],
        )]),
    )
    .await;
    let (status, body) = npm_ping(&sb, &token).await;
    assert_eq!((status, body.as_str()), (200, "{}"));
}
