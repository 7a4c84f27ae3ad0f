//! Putting the `complete` scenario into a state as a person would, through AWS's and GitHub's
//! APIs: the workflow pushed to the default branch, the publish policy without one action.

use base64::Engine as _;
use cawiz_sandbox::SandboxHandle;
use reqwest::Method;
use serde_json::json;

pub const ACCOUNT: &str = "123456789012";
pub const POLICY_ARN: &str = "arn:aws:iam::123456789012:policy/CodeArtifact-Publish-Policy";
pub const WORKFLOW: &str = ".github/workflows/publish.yml";

/// Pushes `content` as the workflow to the default branch (the contents API, as `git push`).
pub async fn push_workflow(sb: &SandboxHandle, owner: &str, repo: &str, content: &str) {
    let body = json!({
        "message": "Add the publish workflow",
        "content": base64::engine::general_purpose::STANDARD.encode(content),
    });
    let path = format!("/repos/{owner}/{repo}/contents/{WORKFLOW}");
    let (status, answer) = super::github_request(sb, Method::PUT, &path, Some(body)).await;
    assert_eq!(status, 201, "{answer}");
}

/// The scenario's publish policy without `drop`, as the new default version.
pub async fn policy_without(sb: &SandboxHandle, drop: &str) {
    let mut actions = vec![
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
    actions.retain(|a| *a != drop);
    let document = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": actions, "Resource": [
                format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:domain/octo-org"),
                format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:repository/octo-org/*"),
                format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:package/octo-org/*/*")
            ]},
            {"Effect": "Allow", "Action": "sts:GetServiceBearerToken", "Resource": "*",
             "Condition": {"StringEquals": {"sts:AWSServiceName": "codeartifact.amazonaws.com"}}}
        ]
    });
    super::iam(sb.url())
        .create_policy_version()
        .policy_arn(POLICY_ARN)
        .policy_document(document.to_string())
        .set_as_default(true)
        .send()
        .await
        .expect("CreatePolicyVersion");
}

/// The publish policy's default version, as a document.
pub async fn default_policy_document(sb: &SandboxHandle) -> serde_json::Value {
    let iam = super::iam(sb.url());
    let policy = iam
        .get_policy()
        .policy_arn(POLICY_ARN)
        .send()
        .await
        .expect("GetPolicy");
    let version = policy
        .policy()
        .and_then(|p| p.default_version_id())
        .expect("default")
        .to_owned();
    let got = iam
        .get_policy_version()
        .policy_arn(POLICY_ARN)
        .version_id(version)
        .send()
        .await
        .expect("GetPolicyVersion");
    super::decode_policy(
        got.policy_version()
            .and_then(|v| v.document())
            .expect("document"),
    )
}
