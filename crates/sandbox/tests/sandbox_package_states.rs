//! The package states the doctor diagnoses, over the wire: package version statuses
//! (UpdatePackageVersionsStatus, DisposePackageVersions, what ListPackageVersions and
//! DescribePackageVersion report), ListPackageVersionAssets, domain and repository permissions
//! policies and their enforcement for role sessions (API calls and the PyPI endpoint), origin
//! controls, name normalisation and expired tokens — with the real AWS SDK for Rust and, where it
//! is the PyPI endpoint, real `pip` and `twine`.

#![allow(clippy::unwrap_used)]

mod common;

#[path = "sandbox_package_states/assets.rs"]
mod assets;
#[path = "sandbox_package_states/enforcement.rs"]
mod enforcement;
#[path = "sandbox_package_states/npm.rs"]
mod npm;
#[path = "sandbox_package_states/policies.rs"]
mod policies;
#[path = "sandbox_package_states/pypi.rs"]
mod pypi;
#[path = "sandbox_package_states/statuses.rs"]
mod statuses;
#[allow(dead_code)] // shared with sandbox_pypi, which uses all of it
#[path = "sandbox_pypi/tools.rs"]
mod tools;

use aws_sdk_codeartifact::Client;
use aws_sdk_codeartifact::error::ProvideErrorMetadata as _;
use aws_sdk_codeartifact::types::PackageFormat;
use cawiz_sandbox::SandboxHandle;
use cawiz_sandbox::wheel::Wheel;

pub const ACCOUNT: &str = "123456789012";
pub const DOMAIN: &str = "octo-org";
pub const REPO: &str = "widgets";
pub const STORE: &str = "pypi-store";
pub const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/GitHubActions-CodeArtifact";
pub const SESSION_ARN: &str =
    "arn:aws:sts::123456789012:assumed-role/GitHubActions-CodeArtifact/GitHubActions";
pub const POLICY_ARN: &str = "arn:aws:iam::123456789012:policy/CodeArtifact-Publish-Policy";

/// The admin's CodeArtifact client.
pub fn ca(sb: &SandboxHandle) -> Client {
    common::codeartifact(sb.url())
}

/// A failed call's error code and message.
pub fn err<T: std::fmt::Debug, E: aws_sdk_codeartifact::error::ProvideErrorMetadata>(
    result: Result<T, aws_sdk_codeartifact::error::SdkError<E>>,
) -> (String, String) {
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => (
            e.code().unwrap_or_default().to_owned(),
            e.message().unwrap_or_default().to_owned(),
        ),
    }
}

/// A CodeArtifact authorization token for the domain, asked for by `c`.
pub async fn token_of(c: &Client) -> String {
    c.get_authorization_token()
        .domain(DOMAIN)
        .send()
        .await
        .unwrap()
        .authorization_token()
        .unwrap()
        .to_owned()
}

/// The PyPI endpoint of `repo`, as GetRepositoryEndpoint returns it.
pub async fn endpoint(sb: &SandboxHandle, repo: &str) -> String {
    ca(sb)
        .get_repository_endpoint()
        .domain(DOMAIN)
        .repository(repo)
        .format(PackageFormat::Pypi)
        .send()
        .await
        .unwrap()
        .repository_endpoint()
        .unwrap()
        .to_owned()
}

/// The index URL pip takes: the endpoint with `aws:TOKEN@` and `simple/`.
pub fn simple_url(endpoint: &str, token: &str) -> String {
    endpoint.replacen("http://", &format!("http://aws:{token}@"), 1) + "simple/"
}

/// A role session of the `complete` scenario's role, as a GitHub Actions job on main gets it:
/// a CodeArtifact client signing with its credentials.
pub async fn session(sb: &SandboxHandle) -> Client {
    let jwt = sb
        .web_identity_token(DOMAIN, REPO, "refs/heads/main", "workflow_dispatch", None)
        .unwrap();
    let out = common::sts(sb.url())
        .assume_role_with_web_identity()
        .role_arn(ROLE_ARN)
        .role_session_name("GitHubActions")
        .web_identity_token(jwt)
        .send()
        .await
        .unwrap();
    let creds = out.credentials().unwrap();
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
    Client::from_conf(config)
}

/// Replaces the role's publish policy with `document` as its new default version.
pub async fn set_role_policy(sb: &SandboxHandle, document: &serde_json::Value) {
    common::iam(sb.url())
        .create_policy_version()
        .policy_arn(POLICY_ARN)
        .policy_document(document.to_string())
        .set_as_default(true)
        .send()
        .await
        .unwrap();
}

/// An upload of `wheel` (or of its bytes named as an sdist, `NAME-VERSION.tar.gz`) to `repo` as
/// twine sends it (the legacy API), with `token`: the status and the body.
pub async fn upload(sb: &SandboxHandle, token: &str, repo: &str, wheel: &Wheel) -> (u16, String) {
    let (name, version) = match wheel.filename.strip_suffix(".tar.gz") {
        Some(stem) => stem.rsplit_once('-').unwrap(),
        None => {
            let mut parts = wheel.filename.splitn(3, '-');
            (parts.next().unwrap(), parts.next().unwrap())
        }
    };
    let (name, version) = (name.to_owned(), version.to_owned());
    let form = reqwest::multipart::Form::new()
        .text(":action", "file_upload")
        .text("protocol_version", "1")
        .text("name", name)
        .text("version", version)
        .text("filetype", "bdist_wheel")
        .text("pyversion", "py3")
        .text("sha256_digest", wheel.sha256_hex())
        .part(
            "content",
            reqwest::multipart::Part::bytes(wheel.bytes.clone()).file_name(wheel.filename.clone()),
        );
    let response = reqwest::Client::new()
        .post(format!("{}/{DOMAIN}-{ACCOUNT}/pypi/{repo}/", sb.url()))
        .basic_auth("aws", Some(token))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Publishes `name` `version` to `widgets` as the admin (the upload must succeed).
pub async fn publish(sb: &SandboxHandle, name: &str, version: &str) -> Wheel {
    let wheel = cawiz_sandbox::wheel::build_simple(name, version, "a probe").unwrap();
    let token = token_of(&ca(sb)).await;
    let (status, body) = upload(sb, &token, REPO, &wheel).await;
    assert_eq!(status, 200, "{body}");
    wheel
}

/// A GET on the PyPI endpoint with `token`: the status and the body.
pub async fn get(url: &str, token: &str) -> (u16, String) {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(url)
        .basic_auth("aws", Some(token))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}
