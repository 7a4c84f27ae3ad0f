//! Each broken setup fails its run the way it fails on GitHub, with the tools' own words in the
//! failed job's log (FAILURES.md's signatures).

use aws_sdk_codeartifact::types::{
    AllowPublish, AllowUpstream, PackageFormat, PackageOriginRestrictions,
};
use cawiz_sandbox::SandboxHandle;
use reqwest::Method;
use serde_json::{Value, json};

use super::{
    REPO, commit_workflow, dispatch, get_run, gh, jobs, log_of, release, steps, unwrapped,
};
use super::{common, workflow};

const ROLE: &str = "GitHubActions-CodeArtifact";
const POLICY_ARN: &str = "arn:aws:iam::123456789012:policy/CodeArtifact-Publish-Policy";
const PROVIDER_ARN: &str =
    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const SESSION_ARN: &str =
    "arn:aws:sts::123456789012:assumed-role/GitHubActions-CodeArtifact/GitHubActions";

/// Runs `start` to its end: the run (failed) and the publish job's log, unwrapped.
async fn failed_run(sb: &SandboxHandle, id: u64) -> (Value, String) {
    sb.finish_runs();
    let run = get_run(sb, id).await;
    assert_eq!(run["status"], "completed");
    assert_eq!(run["conclusion"], "failure", "{run}");
    let log = log_of(sb, id, "Publish to CodeArtifact").await;
    (run, unwrapped(&log))
}

/// The publish job's steps that did not succeed.
async fn unsuccessful_steps(sb: &SandboxHandle, id: u64) -> Vec<(String, String)> {
    let all = jobs(sb, id).await;
    steps(&all[1])
        .into_iter()
        .filter(|(_, c)| c != "success")
        .collect()
}

fn publish_actions(without: &str) -> Value {
    let actions: Vec<&str> = [
        "codeartifact:GetAuthorizationToken",
        "codeartifact:GetRepositoryEndpoint",
        "codeartifact:ReadFromRepository",
        "codeartifact:PublishPackageVersion",
        "codeartifact:PutPackageMetadata",
    ]
    .into_iter()
    .filter(|a| *a != without)
    .collect();
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": actions,
                "Resource": [
                    "arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org",
                    "arn:aws:codeartifact:us-east-1:123456789012:repository/octo-org/*",
                    "arn:aws:codeartifact:us-east-1:123456789012:package/octo-org/*/*"
                ]
            },
            {
                "Effect": "Allow",
                "Action": "sts:GetServiceBearerToken",
                "Resource": "*",
                "Condition": { "StringEquals": { "sts:AWSServiceName": "codeartifact.amazonaws.com" } }
            }
        ]
    })
}

async fn set_policy(sb: &SandboxHandle, document: Value) {
    common::iam(sb.url())
        .create_policy_version()
        .policy_arn(POLICY_ARN)
        .policy_document(document.to_string())
        .set_as_default(true)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn without_the_id_token_permission_the_action_hints_at_it() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, &workflow::without_id_token()).await;
    let id = dispatch(&sb, json!({})).await;
    let (_, text) = failed_run(&sb, id).await;
    assert!(text.contains("It looks like you might be trying to authenticate with OIDC. Did you mean to set the `id-token` permission?"), "{text}");
    assert!(text.contains("##[error]Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers"), "{text}");
    assert!(
        !text.contains("IdToken: write"),
        "the token's permissions say so: {text}"
    );
    let failed = unsuccessful_steps(&sb, id).await;
    assert_eq!(
        failed[0],
        (
            "Configure AWS credentials (OIDC)".to_owned(),
            "failure".to_owned()
        )
    );
    assert!(
        failed[1..].iter().all(|(_, c)| c == "skipped"),
        "{failed:?}"
    );
    assert!(super::versions(&sb, "widgets-cawiz-probe").await.is_empty());
}

#[tokio::test]
async fn an_unset_role_variable_fails_without_the_hint() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    let path = format!("{REPO}/actions/variables/AWS_ROLE_ARN");
    assert_eq!(gh(&sb, Method::DELETE, &path, None).await.0, 204);
    let id = dispatch(&sb, json!({})).await;
    let (_, text) = failed_run(&sb, id).await;
    assert!(text.contains("##[error]Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers"), "{text}");
    assert!(
        !text.contains("Did you mean to set the `id-token` permission"),
        "{text}"
    );
}

#[tokio::test]
async fn a_trust_policy_for_main_only_refuses_a_release_tag() {
    let sb = common::start_sandbox("complete").await;
    let trust = common::github_trust_policy("repo:octo-org/widgets:ref:refs/heads/main");
    common::iam(sb.url())
        .update_assume_role_policy()
        .role_name(ROLE)
        .policy_document(trust.to_string())
        .send()
        .await
        .unwrap();
    commit_workflow(&sb, workflow::PUBLISH).await;
    // A dispatch on main is the subject the trust allows…
    let ok = dispatch(&sb, json!({})).await;
    sb.finish_runs();
    assert_eq!(get_run(&sb, ok).await["conclusion"], "success");
    // …a release's tag ref is not.
    release(&sb, "v0.3.0").await;
    let id = sb.finish_runs()[0];
    let (_, text) = failed_run(&sb, id).await;
    assert!(text.contains("Assuming role with OIDC\n##[error]Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity"), "{text}");
}

#[tokio::test]
async fn no_oidc_provider_and_a_provider_for_another_audience() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    let iam = common::iam(sb.url());
    iam.delete_open_id_connect_provider()
        .open_id_connect_provider_arn(PROVIDER_ARN)
        .send()
        .await
        .unwrap();
    let id = dispatch(&sb, json!({})).await;
    let (_, text) = failed_run(&sb, id).await;
    assert!(text.contains("##[error]Could not assume role with OIDC: No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com"), "{text}");

    iam.create_open_id_connect_provider()
        .url("https://token.actions.githubusercontent.com")
        .client_id_list("sigstore")
        .thumbprint_list("6938fd4d98bab03faadb97b34396831e3780aea1")
        .send()
        .await
        .unwrap();
    let id = dispatch(&sb, json!({})).await;
    let (_, text) = failed_run(&sb, id).await;
    assert!(
        text.contains("##[error]Could not assume role with OIDC: Incorrect token audience"),
        "{text}"
    );
}

#[tokio::test]
async fn a_policy_without_get_authorization_token_stops_the_aws_cli() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    set_policy(&sb, publish_actions("codeartifact:GetAuthorizationToken")).await;
    let id = dispatch(&sb, json!({})).await;
    let (_, text) = failed_run(&sb, id).await;
    let expected = format!(
        "An error occurred (AccessDeniedException) when calling the GetAuthorizationToken operation: User: {SESSION_ARN} is not authorized to perform: codeartifact:GetAuthorizationToken on resource: arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org because no identity-based policy allows the codeartifact:GetAuthorizationToken action\n##[error]Process completed with exit code 254."
    );
    assert!(text.contains(&expected), "{text}");
    let failed = unsuccessful_steps(&sb, id).await;
    assert_eq!(
        failed[0],
        ("Upload to CodeArtifact".to_owned(), "failure".to_owned())
    );
}

#[tokio::test]
async fn a_policy_without_publish_gets_twines_403() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    set_policy(&sb, publish_actions("codeartifact:PublishPackageVersion")).await;
    let id = dispatch(&sb, json!({})).await;
    let (_, text) = failed_run(&sb, id).await;
    let endpoint = format!("{}/octo-org-123456789012/pypi/widgets/", sb.url());
    let expected = format!(
        "WARNING  Error during upload. Retry with the --verbose option for more details.\nERROR    HTTPError: 403 Forbidden from {endpoint} Forbidden\n##[error]Process completed with exit code 1."
    );
    assert!(text.contains(&expected), "{text}");
    assert!(super::versions(&sb, "widgets-cawiz-probe").await.is_empty());
}

#[tokio::test]
async fn origin_controls_blocking_publish_get_twines_403() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    common::codeartifact(sb.url())
        .put_package_origin_configuration()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Pypi)
        .package("widgets-cawiz-probe")
        .restrictions(
            PackageOriginRestrictions::builder()
                .publish(AllowPublish::Block)
                .upstream(AllowUpstream::Allow)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let id = dispatch(&sb, json!({})).await;
    let (_, text) = failed_run(&sb, id).await;
    assert!(
        text.contains("ERROR    HTTPError: 403 Forbidden from "),
        "{text}"
    );
}

#[tokio::test]
async fn releasing_a_version_that_exists_gets_twines_409() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    sb.finish_runs();
    // widgets 0.1.0 is published in this scenario.
    release(&sb, "v0.1.0").await;
    let id = sb.finish_runs()[0];
    let (_, text) = failed_run(&sb, id).await;
    assert!(
        text.contains("ERROR    HTTPError: 409 Conflict from "),
        "{text}"
    );
    assert!(
        text.contains("pypi/widgets/ Conflict\n##[error]Process completed with exit code 1."),
        "{text}"
    );
}

#[tokio::test]
async fn skip_existing_is_refused_by_twine_for_codeartifact() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, &workflow::skip_existing()).await;
    let id = dispatch(&sb, json!({})).await;
    let (_, text) = failed_run(&sb, id).await;
    let endpoint = format!("{}/octo-org-123456789012/pypi/widgets/", sb.url());
    let expected = format!(
        "ERROR    UnsupportedConfiguration: The configured repository '{endpoint}' does not have support for the following features: --skip-existing and is an unsupported configuration"
    );
    assert!(text.contains(&expected), "{text}");
    assert!(!text.contains("Uploading distributions to"), "{text}");
}

#[tokio::test]
async fn login_then_a_bare_twine_upload_goes_to_pypi() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, &workflow::login_then_bare_upload()).await;
    let id = dispatch(&sb, json!({})).await;
    let (_, text) = failed_run(&sb, id).await;
    let endpoint = format!("{}/octo-org-123456789012/pypi/widgets/", sb.url());
    assert!(text.contains(&format!("Successfully configured twine to use AWS CodeArtifact repository {endpoint}\nLogin expires in 12 hours at ")), "{text}");
    assert!(
        text.contains("\nUploading distributions to https://upload.pypi.org/legacy/\n"),
        "{text}"
    );
    assert!(text.contains("ERROR    HTTPError: 403 Forbidden from https://upload.pypi.org/legacy/ Invalid or non-existent authentication information."), "{text}");
    assert!(super::versions(&sb, "widgets-cawiz-probe").await.is_empty());
}
