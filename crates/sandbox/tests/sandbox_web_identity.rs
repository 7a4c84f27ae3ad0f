//! GitHub's OIDC tokens through the sandbox's STS, over the wire: the token endpoint, the AWS CLI's
//! and the Rust SDK's web-identity flows (unchanged: `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`),
//! AWS's refusals in AWS's words, and what the role session may then do — each CodeArtifact action
//! and the PyPI upload allowed or denied exactly as the role's policies say, origin controls too.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use aws_sdk_codeartifact::error::ProvideErrorMetadata as _;
use cawiz_sandbox::{SANDBOX_GITHUB_TOKEN, SandboxHandle};
use serde_json::{Value, json};

const ACCOUNT: &str = "123456789012";
const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/GitHubActions-CodeArtifact";
const POLICY_ARN: &str = "arn:aws:iam::123456789012:policy/CodeArtifact-Publish-Policy";

/// A token from the endpoint a runner's `ACTIONS_ID_TOKEN_REQUEST_URL` stands for.
async fn token(sb: &SandboxHandle, query: &str) -> String {
    let url = format!("{}/_oidc/token?{query}", sb.github_url());
    let body: Value = reqwest::Client::new()
        .get(url)
        .bearer_auth(SANDBOX_GITHUB_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["value"].as_str().expect("a token").to_owned()
}

const MAIN: &str = "repository=octo-org/widgets&ref=refs/heads/main&event_name=workflow_dispatch&audience=sts.amazonaws.com";

/// The claims of a JWT (not verified: for reading what the issuer put in).
fn claims(jwt: &str) -> Value {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap()
}

/// AssumeRoleWithWebIdentity with the SDK (unsigned, as it sends it): the credentials, or the
/// error's (code, message).
async fn assume(
    sb: &SandboxHandle,
    role: &str,
    jwt: &str,
    duration: Option<i32>,
) -> Result<aws_sdk_sts::types::Credentials, (String, String)> {
    let mut request = common::sts(sb.url())
        .assume_role_with_web_identity()
        .role_arn(role)
        .role_session_name("GitHubActions")
        .web_identity_token(jwt);
    if let Some(d) = duration {
        request = request.duration_seconds(d);
    }
    match request.send().await {
        Ok(out) => Ok(out.credentials().unwrap().clone()),
        Err(e) => Err((
            e.code().unwrap_or_default().to_owned(),
            e.message().unwrap_or_default().to_owned(),
        )),
    }
}

/// A CodeArtifact client signing with the session's temporary credentials.
fn as_session(
    sb: &SandboxHandle,
    creds: &aws_sdk_sts::types::Credentials,
) -> aws_sdk_codeartifact::Client {
    let credentials = aws_sdk_codeartifact::config::Credentials::new(
        creds.access_key_id(),
        creds.secret_access_key(),
        Some(creds.session_token().to_owned()),
        None,
        "session",
    );
    let config = aws_sdk_codeartifact::config::Builder::from(&common::sdk_config(sb.url()))
        .credentials_provider(credentials)
        .build();
    aws_sdk_codeartifact::Client::from_conf(config)
}

#[tokio::test]
async fn the_issuer_mints_githubs_claims_and_sts_assumes_the_role() {
    let sb = common::start_sandbox("complete").await;
    let jwt = token(&sb, MAIN).await;
    let c = claims(&jwt);
    assert_eq!(c["iss"], "https://token.actions.githubusercontent.com");
    assert_eq!(c["aud"], "sts.amazonaws.com");
    assert_eq!(c["sub"], "repo:octo-org/widgets:ref:refs/heads/main");
    assert_eq!(c["repository_id"], "712398456");
    assert_eq!(c["event_name"], "workflow_dispatch");
    assert_eq!(c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap(), 300);

    let creds = assume(&sb, ROLE_ARN, &jwt, None).await.unwrap();
    assert!(creds.access_key_id().starts_with("ASIA"));
    let identity = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(&common::sdk_config(sb.url()))
            .credentials_provider(aws_sdk_sts::config::Credentials::new(
                creds.access_key_id(),
                creds.secret_access_key(),
                Some(creds.session_token().to_owned()),
                None,
                "session",
            ))
            .build(),
    )
    .get_caller_identity()
    .send()
    .await
    .unwrap();
    assert_eq!(
        identity.arn(),
        Some("arn:aws:sts::123456789012:assumed-role/GitHubActions-CodeArtifact/GitHubActions")
    );
    // The JWKS and discovery document, as a relying party reads them.
    let jwks: Value = reqwest::get(format!("{}/_oidc/.well-known/jwks", sb.github_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["kty"], "RSA");
}

#[tokio::test]
async fn sts_refuses_as_aws_does() {
    let sb = common::start_sandbox("complete").await;
    let refused = |r: Result<_, (String, String)>| r.map(|_| ()).unwrap_err();

    let other = token(&sb, "repository=octo-org/gadgets&ref=refs/heads/main&event_name=push&audience=sts.amazonaws.com").await;
    assert_eq!(
        refused(assume(&sb, ROLE_ARN, &other, None).await),
        (
            "AccessDenied".into(),
            "Not authorized to perform sts:AssumeRoleWithWebIdentity".into()
        )
    );
    let audience = token(
        &sb,
        "repository=octo-org/widgets&ref=refs/heads/main&event_name=push",
    )
    .await;
    assert_eq!(
        refused(assume(&sb, ROLE_ARN, &audience, None).await),
        (
            "InvalidIdentityToken".into(),
            "Incorrect token audience".into()
        )
    );
    let good = token(&sb, MAIN).await;
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    parts[2] = parts[2].chars().rev().collect();
    let (code, _) = refused(assume(&sb, ROLE_ARN, &parts.join("."), None).await);
    assert_eq!(code, "InvalidIdentityToken", "a tampered signature");
    let (code, message) = refused(assume(&sb, ROLE_ARN, &good, Some(7200)).await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
        )
    );
    let (code, _) = refused(
        assume(
            &sb,
            "arn:aws:iam::123456789012:role/NoSuchRole",
            &good,
            None,
        )
        .await,
    );
    assert_eq!(code, "AccessDenied");

    sb.advance_clock(std::time::Duration::from_secs(301));
    let (code, message) = refused(assume(&sb, ROLE_ARN, &good, None).await);
    assert_eq!(code, "ExpiredTokenException");
    assert!(
        message.starts_with("Token expired: current date/time "),
        "{message}"
    );

    let fresh = token(&sb, MAIN).await;
    common::iam(sb.url())
        .delete_open_id_connect_provider()
        .open_id_connect_provider_arn(format!(
            "arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused(assume(&sb, ROLE_ARN, &fresh, None).await),
        (
            "InvalidIdentityToken".into(),
            "No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com".into()
        )
    );
}

#[tokio::test]
async fn environments_and_conditions_are_evaluated_against_the_claims() {
    let sb = common::start_sandbox("complete").await;
    let trust = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": format!("arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com")},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
            "ForAnyValue:StringEquals": {"token.actions.githubusercontent.com:sub": ["repo:octo-org/widgets:environment:prod"]}
        }
    }]});
    common::iam(sb.url())
        .update_assume_role_policy()
        .role_name("GitHubActions-CodeArtifact")
        .policy_document(trust.to_string())
        .send()
        .await
        .unwrap();
    let env = |e: &str| {
        format!(
            "repository=octo-org/widgets&ref=refs/heads/main&event_name=push&audience=sts.amazonaws.com&environment={e}"
        )
    };
    assert!(
        assume(&sb, ROLE_ARN, &token(&sb, &env("prod")).await, None)
            .await
            .is_ok()
    );
    let staging = assume(&sb, ROLE_ARN, &token(&sb, &env("staging")).await, None).await;
    assert_eq!(
        staging.unwrap_err().0,
        "AccessDenied",
        "an environment the trust does not allow"
    );
    let upper = assume(&sb, ROLE_ARN, &token(&sb, &env("Prod")).await, None).await;
    assert_eq!(
        upper.unwrap_err().0,
        "AccessDenied",
        "values compare case-sensitively"
    );
}

/// The publish policy without `action` (in a new default version).
async fn policy_without(sb: &SandboxHandle, action: &str) {
    let iam = common::iam(sb.url());
    let current = iam
        .get_policy_version()
        .policy_arn(POLICY_ARN)
        .version_id("v1")
        .send()
        .await
        .unwrap();
    let mut doc = common::decode_policy(current.policy_version().unwrap().document().unwrap());
    for statement in doc["Statement"].as_array_mut().unwrap() {
        if let Some(actions) = statement["Action"].as_array_mut() {
            actions.retain(|a| a != action);
        } else if statement["Action"] == action {
            statement["Action"] = json!("codeartifact:DescribeDomain");
        }
    }
    iam.create_policy_version()
        .policy_arn(POLICY_ARN)
        .policy_document(doc.to_string())
        .set_as_default(true)
        .send()
        .await
        .unwrap();
}

/// Calls one operation as the session: `Ok` or the AccessDenied message.
async fn call(c: &aws_sdk_codeartifact::Client, action: &str) -> Result<(), String> {
    let denied = |code: Option<&str>, message: Option<&str>| match code {
        Some("AccessDeniedException") => Err(message.unwrap_or_default().to_owned()),
        other => panic!("{action}: unexpected error {other:?} {message:?}"),
    };
    macro_rules! run {
        ($req:expr) => {
            match $req.send().await {
                Ok(_) => Ok(()),
                Err(e) => denied(e.code(), e.message()),
            }
        };
    }
    let (d, r, p) = ("octo-org", "widgets", "widgets");
    match action {
        "GetAuthorizationToken" => run!(c.get_authorization_token().domain(d)),
        "DescribeDomain" => run!(c.describe_domain().domain(d)),
        "DescribeRepository" => run!(c.describe_repository().domain(d).repository(r)),
        "GetRepositoryEndpoint" => {
            run!(
                c.get_repository_endpoint()
                    .domain(d)
                    .repository(r)
                    .format("pypi".into())
            )
        }
        "ListPackages" => run!(c.list_packages().domain(d).repository(r)),
        "ListPackageVersions" => run!(
            c.list_package_versions()
                .domain(d)
                .repository(r)
                .format("pypi".into())
                .package(p)
        ),
        "DescribePackageVersion" => run!(
            c.describe_package_version()
                .domain(d)
                .repository(r)
                .format("pypi".into())
                .package(p)
                .package_version("0.1.0")
        ),
        other => panic!("no call for {other}"),
    }
}

#[tokio::test]
async fn each_action_is_allowed_or_denied_as_the_roles_policy_says() {
    const ACTIONS: [&str; 7] = [
        "GetAuthorizationToken",
        "DescribeDomain",
        "DescribeRepository",
        "GetRepositoryEndpoint",
        "ListPackages",
        "ListPackageVersions",
        "DescribePackageVersion",
    ];
    for removed in ACTIONS {
        let sb = common::start_sandbox("complete").await;
        policy_without(&sb, &format!("codeartifact:{removed}")).await;
        let creds = assume(&sb, ROLE_ARN, &token(&sb, MAIN).await, None)
            .await
            .unwrap();
        let c = as_session(&sb, &creds);
        for action in ACTIONS {
            let result = call(&c, action).await;
            if action == removed {
                let message = result.expect_err(action);
                assert!(
                    message.starts_with(
                        "User: arn:aws:sts::123456789012:assumed-role/GitHubActions-CodeArtifact/GitHubActions is not authorized to perform: "
                    ) && message.contains(&format!(
                        "codeartifact:{action} on resource: arn:aws:codeartifact:us-east-1:123456789012:"
                    )) && message.ends_with(&format!(
                        "because no identity-based policy allows the codeartifact:{action} action"
                    )),
                    "{message}"
                );
            } else {
                assert_eq!(result, Ok(()), "{action} with {removed} removed");
            }
        }
    }
    // Without sts:GetServiceBearerToken there is no token either.
    let sb = common::start_sandbox("complete").await;
    policy_without(&sb, "sts:GetServiceBearerToken").await;
    let creds = assume(&sb, ROLE_ARN, &token(&sb, MAIN).await, None)
        .await
        .unwrap();
    let message = call(&as_session(&sb, &creds), "GetAuthorizationToken")
        .await
        .unwrap_err();
    assert!(message.contains("sts:GetServiceBearerToken"), "{message}");
    // The sandbox's own caller keeps every right.
    assert!(
        common::codeartifact(sb.url())
            .get_authorization_token()
            .domain("octo-org")
            .send()
            .await
            .is_ok()
    );
}

/// twine's upload of a probe wheel to the PyPI endpoint with `token`: its HTTP status.
async fn upload(sb: &SandboxHandle, token: &str, name: &str) -> u16 {
    let wheel = cawiz_sandbox::wheel::build_simple(name, "9.9.9", "probe").unwrap();
    let form = reqwest::multipart::Form::new()
        .text(":action", "file_upload")
        .text("protocol_version", "1")
        .text("name", name.to_owned())
        .text("version", "9.9.9")
        .text("filetype", "bdist_wheel")
        .text("pyversion", "py3")
        .text("sha256_digest", wheel.sha256_hex())
        .part(
            "content",
            reqwest::multipart::Part::bytes(wheel.bytes.clone()).file_name(wheel.filename.clone()),
        );
    reqwest::Client::new()
        .post(format!("{}/octo-org-{ACCOUNT}/pypi/widgets/", sb.url()))
        .basic_auth("aws", Some(token))
        .multipart(form)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn session_token(sb: &SandboxHandle) -> String {
    let creds = assume(sb, ROLE_ARN, &token(sb, MAIN).await, None)
        .await
        .unwrap();
    let out = as_session(sb, &creds)
        .get_authorization_token()
        .domain("octo-org")
        .send()
        .await
        .unwrap();
    out.authorization_token().unwrap().to_owned()
}

#[tokio::test]
async fn the_pypi_endpoint_checks_the_sessions_rights_and_origin_controls() {
    let sb = common::start_sandbox("complete").await;
    let t = session_token(&sb).await;
    assert_eq!(upload(&sb, &t, "widgets-cawiz-probe").await, 200);

    policy_without(&sb, "codeartifact:PublishPackageVersion").await;
    assert_eq!(
        upload(&sb, &t, "widgets-cawiz-probe2").await,
        403,
        "the role lost the right"
    );

    let sb = common::start_sandbox("complete").await;
    let t = session_token(&sb).await;
    common::codeartifact(sb.url())
        .put_package_origin_configuration()
        .domain("octo-org")
        .repository("widgets")
        .format("pypi".into())
        .package("blocked-pkg")
        .restrictions(
            aws_sdk_codeartifact::types::PackageOriginRestrictions::builder()
                .publish("BLOCK".into())
                .upstream("ALLOW".into())
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let described = common::codeartifact(sb.url())
        .describe_package()
        .domain("octo-org")
        .repository("widgets")
        .format("pypi".into())
        .package("blocked-pkg")
        .send()
        .await
        .unwrap();
    let restrictions = described
        .package()
        .and_then(|p| p.origin_configuration())
        .and_then(|o| o.restrictions())
        .unwrap();
    assert_eq!(restrictions.publish().as_str(), "BLOCK");
    assert_eq!(
        upload(&sb, &t, "blocked-pkg").await,
        403,
        "origin controls block publishing"
    );
}

/// An example program of this crate: the binary `cargo test --all-targets` built beside the tests
/// (`target/debug/examples/NAME`), else `cargo run --example NAME` (a test run alone).
fn example(name: &str) -> tokio::process::Command {
    let built = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("examples").join(name)))
        .filter(|p| p.is_file());
    match built {
        Some(path) => tokio::process::Command::new(path),
        None => {
            let mut cargo = tokio::process::Command::new(env!("CARGO"));
            cargo.args(["run", "-q", "-p", "cawiz-sandbox", "--example", name, "--"]);
            cargo
        }
    }
}

/// A token written to a file, as a runner would for the SDKs.
fn token_file(dir: &Path, jwt: &str) -> String {
    let path = dir.join("token");
    std::fs::write(&path, jwt).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_aws_cli_and_the_rust_sdk_assume_the_role_unchanged() {
    let sb = common::start_sandbox("complete").await;
    let dir = tempfile::tempdir().unwrap();
    let file = token_file(dir.path(), &token(&sb, MAIN).await);
    let env = [
        ("AWS_WEB_IDENTITY_TOKEN_FILE", file.as_str()),
        ("AWS_ROLE_ARN", ROLE_ARN),
        ("AWS_ROLE_SESSION_NAME", "GitHubActions"),
        ("AWS_ENDPOINT_URL", sb.url()),
        ("AWS_REGION", "us-east-1"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let expected =
        "arn:aws:sts::123456789012:assumed-role/GitHubActions-CodeArtifact/GitHubActions";
    if let Some(aws) = common::python_tool("aws") {
        let out = tokio::process::Command::new(aws)
            .args([
                "sts",
                "get-caller-identity",
                "--query",
                "Arn",
                "--output",
                "text",
            ])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir.path())
            .envs(env)
            .output()
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            stdout.trim(),
            expected,
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = example("web_identity")
        .arg("octo-org")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("HOME", dir.path())
        .envs(env)
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("arn {expected}")) && stdout.contains("token ok"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
