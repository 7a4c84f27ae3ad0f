//! `cawiz test --as-role` against the sandbox: a token from the sandbox's OIDC issuer, the real
//! AssumeRoleWithWebIdentity, then pip and twine with the session's rights — so a trust policy or
//! a role policy that would fail the workflow fails the local test, at the step that says why.
//! (Skipped without the venv's Python: the test runs real pip and twine.)

mod common;

use cawiz_sandbox::SandboxHandle;
use common::cli::{Cli, assert_ok, read, text};
use serde_json::{Value, json};

const ACCOUNT: &str = "123456789012";
const ROLE: &str = "GitHubActions-CodeArtifact";
const POLICY_ARN: &str = "arn:aws:iam::123456789012:policy/CodeArtifact-Publish-Policy";

async fn ready(sb: &SandboxHandle) -> Option<Cli> {
    let cli = Cli::new(sb);
    cli.python.as_ref()?;
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    Some(cli)
}

/// `cawiz test --as-role --publish` (a probe package uploaded as the role).
async fn test_as_role(cli: &Cli) -> std::process::Output {
    let args = cli.with_python(&["test", "--as-role", "--publish"]);
    cli.run(&args).await
}

/// The steps of the recorded local test, those before any format then each format's:
/// (name, ok, detail).
fn recorded_steps(cli: &Cli) -> Vec<(String, bool, String)> {
    let state: Value = serde_json::from_str(&read(&cli.state())).expect("state is JSON");
    let record = &state["local_test"];
    let before = record["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("a local test is recorded: {state}"));
    let formats = record["formats"].as_array().into_iter().flatten();
    let in_formats = formats.flat_map(|f| f["steps"].as_array().into_iter().flatten());
    before
        .iter()
        .chain(in_formats)
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().to_owned(),
                s["ok"].as_bool().unwrap_or_default(),
                s["detail"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn first_failed(steps: &[(String, bool, String)]) -> (String, String) {
    let (name, _, detail) = steps
        .iter()
        .find(|(_, ok, _)| !ok)
        .unwrap_or_else(|| panic!("a step failed: {steps:?}"));
    (name.clone(), detail.clone())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_complete_setup_passes_as_the_role_and_publishes_with_the_sessions_rights() {
    let sb = common::start_sandbox("complete").await;
    let Some(cli) = ready(&sb).await else { return };
    let out = test_as_role(&cli).await;
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("assume the role"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "arn:aws:sts::{ACCOUNT}:assumed-role/{ROLE}/GitHubActions"
        )),
        "the step names the session it got: {stdout}"
    );
    let steps = recorded_steps(&cli);
    assert_eq!(steps[0].0, "assume the role", "{steps:?}");
    assert!(steps.iter().all(|(_, ok, _)| *ok), "{steps:?}");
    assert!(
        steps.iter().any(|(name, _, _)| name.contains("upload")),
        "twine ran: {steps:?}"
    );
    let calls = sb.calls();
    assert!(
        calls.contains_key("AssumeRoleWithWebIdentity"),
        "the real STS call was made: {calls:?}"
    );
    for token in sb.issued_tokens() {
        assert!(!stdout.contains(token.as_str()), "a token was printed");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trust_policy_for_another_repository_fails_at_assuming_the_role() {
    let sb = common::start_sandbox("complete").await;
    let Some(cli) = ready(&sb).await else { return };
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": format!("arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com")},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                "StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/other:*"}
            }
        }]
    });
    common::iam(sb.url())
        .update_assume_role_policy()
        .role_name(ROLE)
        .policy_document(trust.to_string())
        .send()
        .await
        .expect("UpdateAssumeRolePolicy");

    let out = test_as_role(&cli).await;
    assert!(!out.status.success(), "{}", text(&out));
    let steps = recorded_steps(&cli);
    let (name, detail) = first_failed(&steps);
    assert_eq!(name, "assume the role", "{steps:?}");
    assert!(
        detail.contains("Not authorized to perform sts:AssumeRoleWithWebIdentity"),
        "AWS's own words: {detail}"
    );
    assert_eq!(steps.len(), 1, "nothing runs without a session: {steps:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("assume the role"), "{stderr}");
}

/// The scenario's publish policy without `codeartifact:PublishPackageVersion`, made default.
async fn drop_publish_from_the_policy(sb: &SandboxHandle) {
    let document = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": [
                "codeartifact:GetAuthorizationToken",
                "codeartifact:GetRepositoryEndpoint",
                "codeartifact:ReadFromRepository",
                "codeartifact:DescribePackageVersion",
                "codeartifact:ListPackageVersions"
            ], "Resource": "*"},
            {"Effect": "Allow", "Action": "sts:GetServiceBearerToken", "Resource": "*",
             "Condition": {"StringEquals": {"sts:AWSServiceName": "codeartifact.amazonaws.com"}}}
        ]
    });
    common::iam(sb.url())
        .create_policy_version()
        .policy_arn(POLICY_ARN)
        .policy_document(document.to_string())
        .set_as_default(true)
        .send()
        .await
        .expect("CreatePolicyVersion");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_policy_without_publish_fails_the_upload_though_you_could_publish() {
    let sb = common::start_sandbox("complete").await;
    let Some(cli) = ready(&sb).await else { return };
    drop_publish_from_the_policy(&sb).await;

    // As you (the sandbox's administrator), the test passes: it proves nothing about the role.
    let args = cli.with_python(&["test", "--publish"]);
    assert_ok(&cli.run(&args).await);

    let out = test_as_role(&cli).await;
    assert!(!out.status.success(), "{}", text(&out));
    let steps = recorded_steps(&cli);
    assert!(steps[0].1, "the role was assumed: {steps:?}");
    let (name, detail) = first_failed(&steps);
    assert!(name.contains("upload"), "the upload is refused: {steps:?}");
    assert!(detail.contains("403"), "{detail}");
}

#[tokio::test(flavor = "multi_thread")]
async fn as_the_role_outside_the_sandbox_says_it_needs_the_sandbox() {
    // A GitHub without the sandbox's token endpoint: the sandbox's AWS, a wiremock GitHub.
    let sb = common::start_sandbox("complete").await;
    let github = wiremock::MockServer::start().await;
    let Some(mut cli) = ready(&sb).await else {
        return;
    };
    cli.github = github.uri();
    let out = test_as_role(&cli).await;
    assert!(!out.status.success(), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--as-role works against the sandbox only"),
        "{stderr}"
    );
}
