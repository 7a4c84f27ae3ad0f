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

/// How many uploads or variable writes [`publish_versions`] and [`add_variables`] keep in flight.
const FILL_CONCURRENCY: usize = 16;

/// Publishes `count` more versions of `widgets` (`0.1.1`, `0.1.2`, …, after the scenario's `0.1.0`)
/// through the repository's PyPI endpoint, as twine would upload a year of nightly builds.
pub async fn publish_versions(sb: &SandboxHandle, count: usize) {
    publish(sb, (1..=count).map(|n| format!("0.1.{n}")).collect()).await;
}

/// Publishes `versions` of `widgets` through the repository's PyPI endpoint (a tiny wheel each),
/// [`FILL_CONCURRENCY`] uploads at a time.
pub async fn publish(sb: &SandboxHandle, versions: Vec<String>) {
    use futures::StreamExt as _;
    let ca = super::codeartifact(sb.url());
    let token = ca
        .get_authorization_token()
        .domain("octo-org")
        .send()
        .await
        .expect("GetAuthorizationToken")
        .authorization_token
        .expect("a token");
    let endpoint = ca
        .get_repository_endpoint()
        .domain("octo-org")
        .repository("widgets")
        .format(aws_sdk_codeartifact::types::PackageFormat::Pypi)
        .send()
        .await
        .expect("GetRepositoryEndpoint")
        .repository_endpoint
        .expect("an endpoint");
    let http = reqwest::Client::new();
    let uploads = versions.into_iter().map(|version| {
        let (http, endpoint, token) = (http.clone(), endpoint.clone(), token.clone());
        async move {
            let form = reqwest::multipart::Form::new()
                .text(":action", "file_upload")
                .text("protocol_version", "1")
                .text("name", "widgets")
                .text("version", version.clone())
                .text("filetype", "bdist_wheel")
                .text("pyversion", "py3")
                .part(
                    "content",
                    reqwest::multipart::Part::bytes(b"nightly".to_vec())
                        .file_name(format!("widgets-{version}-py3-none-any.whl")),
                );
            let response = http
                .post(&endpoint)
                .basic_auth("aws", Some(&token))
                .multipart(form)
                .send()
                .await
                .expect("upload");
            assert_eq!(response.status().as_u16(), 200, "upload of {version}");
        }
    });
    futures::stream::iter(uploads)
        .buffer_unordered(FILL_CONCURRENCY)
        .collect::<Vec<()>>()
        .await;
}

/// Sets the existing repository variable `name` of octo-org/widgets (as `gh variable set` does).
pub async fn set_variable(sb: &SandboxHandle, name: &str, value: &str) {
    let path = format!("/repos/octo-org/widgets/actions/variables/{name}");
    let body = json!({"name": name, "value": value});
    let (status, answer) = super::github_request(sb, Method::PATCH, &path, Some(body)).await;
    assert_eq!(status, 204, "{name}: {answer}");
}

/// Creates `count` Actions variables `NIGHTLY_001`… on `owner/repo` through the REST API
/// (`gh variable set`), besides the ones it has.
pub async fn add_variables(sb: &SandboxHandle, owner: &str, repo: &str, count: usize) {
    use futures::StreamExt as _;
    let path = format!("/repos/{owner}/{repo}/actions/variables");
    let writes = (1..=count).map(|n| {
        let path = path.clone();
        async move {
            let body = json!({ "name": format!("NIGHTLY_{n:03}"), "value": format!("build {n}") });
            let (status, answer) = super::github_request(sb, Method::POST, &path, Some(body)).await;
            assert_eq!(status, 201, "{answer}");
        }
    });
    futures::stream::iter(writes)
        .buffer_unordered(FILL_CONCURRENCY)
        .collect::<Vec<()>>()
        .await;
}

/// A publishing workflow with lint errors (so the plan replaces it): the region and the
/// repository hard-coded, the token from `aws codeartifact login`.
pub const BROKEN_WORKFLOW: &str = "name: Publish
on:
  release:
    types: [published]
permissions:
  id-token: write
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          role-to-assume: ${{ vars.AWS_ROLE_ARN }}
          aws-region: eu-west-1
      - run: |
          aws codeartifact login --tool twine --domain octo-org --repository widgets
          twine upload dist/*
";
