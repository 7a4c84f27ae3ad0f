//! The npm endpoint's IAM decisions for role sessions, as the PyPI endpoint makes them:
//! `ReadFromRepository` on the repository for reads, `PublishPackageVersion` on the npm package ARN
//! (`package/D/R/npm/SCOPE/NAME`, unscoped `package/D/R/npm//NAME`) to publish, refused with a
//! 403 in AWS's words; the sandbox's admin token is never refused.

use base64::Engine as _;
use serde_json::{Value, json};
use sha1::{Digest as _, Sha1};

use crate::{ACCOUNT, DOMAIN, REPO, SESSION_ARN, ca, common, session, set_role_policy, token_of};
use aws_sdk_codeartifact::types::PackageFormat;
use cawiz_sandbox::SandboxHandle;

async fn npm_endpoint(sb: &SandboxHandle) -> String {
    ca(sb)
        .get_repository_endpoint()
        .domain(DOMAIN)
        .repository(REPO)
        .format(PackageFormat::Npm)
        .send()
        .await
        .unwrap()
        .repository_endpoint()
        .unwrap()
        .to_owned()
}

/// `npm publish`'s document for `name@1.0.0`.
fn publish_body(name: &str) -> Value {
    let tarball = format!("tarball of {name}").into_bytes();
    let data = base64::engine::general_purpose::STANDARD.encode(&tarball);
    json!({
        "_id": name, "name": name, "dist-tags": { "latest": "1.0.0" },
        "versions": { "1.0.0": { "name": name, "version": "1.0.0",
            "dist": { "shasum": hex::encode(Sha1::digest(&tarball)) } } },
        "_attachments": { "x-1.0.0.tgz": { "data": data, "length": tarball.len() } },
    })
}

/// `PUT ENDPOINT/NAME` (a scoped name as npm spells it, `@scope%2fname`) with a Bearer token.
async fn put(endpoint: &str, token: &str, name: &str) -> (u16, String) {
    let url = format!("{endpoint}{}", name.replace('/', "%2f"));
    let response = reqwest::Client::new()
        .put(url)
        .bearer_auth(token)
        .json(&publish_body(name))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn get(url: &str, token: &str) -> u16 {
    let response = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    response.status().as_u16()
}

fn denied(action: &str, resource: &str) -> String {
    format!(
        "User: {SESSION_ARN} is not authorized to perform: {action} on resource: {resource} because no identity-based policy allows the {action} action"
    )
}

/// The `complete` scenario's grants with the npm packages of `namespace` added.
fn policy_with_npm(namespace: &str) -> Value {
    let arn = |rest: &str| format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:{rest}");
    json!({ "Version": "2012-10-17", "Statement": [
        { "Effect": "Allow",
          "Action": ["codeartifact:GetAuthorizationToken", "codeartifact:ReadFromRepository",
                     "codeartifact:PublishPackageVersion", "codeartifact:GetRepositoryEndpoint"],
          "Resource": [arn("domain/octo-org"), arn("repository/octo-org/widgets"),
                       arn("package/octo-org/widgets/pypi/*"),
                       arn(&format!("package/octo-org/widgets/npm/{namespace}/*"))] },
        { "Effect": "Allow", "Action": "sts:GetServiceBearerToken", "Resource": "*",
          "Condition": { "StringEquals": { "sts:AWSServiceName": "codeartifact.amazonaws.com" } } }
    ]})
}

#[tokio::test]
async fn role_sessions_publish_npm_packages_only_where_the_package_arn_is_granted() {
    let sb = common::start_sandbox("complete").await;
    let endpoint = npm_endpoint(&sb).await;
    let role = session(&sb).await;
    let token = token_of(&role).await;
    let package_arn = |rest: &str| {
        format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:package/{DOMAIN}/{REPO}/npm/{rest}")
    };

    // The scenario's policy grants reading the repository and publishing pypi packages only.
    assert_eq!(get(&format!("{endpoint}-/ping"), &token).await, 200);
    let (status, body) = put(&endpoint, &token, "@octo-org/hello").await;
    assert_eq!(status, 403, "{body}");
    let action = "codeartifact:PublishPackageVersion";
    assert!(
        body.contains(&denied(action, &package_arn("octo-org/hello"))),
        "{body}"
    );

    set_role_policy(&sb, &policy_with_npm("octo-org")).await;
    let (status, body) = put(&endpoint, &token, "@octo-org/hello").await;
    assert_eq!(status, 200, "{body}");
    // Another scope, and no scope (an empty namespace segment), stay refused.
    let (status, body) = put(&endpoint, &token, "@other/hello").await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body.contains(&denied(action, &package_arn("other/hello"))),
        "{body}"
    );
    let (status, body) = put(&endpoint, &token, "cawiz-npm-probe").await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body.contains(&denied(action, &package_arn("/cawiz-npm-probe"))),
        "{body}"
    );
    assert_eq!(
        get(&format!("{endpoint}@octo-org%2fhello"), &token).await,
        200
    );
    assert_eq!(
        get(&format!("{endpoint}@octo-org/hello"), &token).await,
        200
    );

    // Without ReadFromRepository on the repository, reads are refused.
    let mut no_read = policy_with_npm("octo-org");
    no_read["Statement"][0]["Action"] = json!(["codeartifact:PublishPackageVersion"]);
    set_role_policy(&sb, &no_read).await;
    assert_eq!(
        get(&format!("{endpoint}@octo-org%2fhello"), &token).await,
        403
    );
    assert_eq!(get(&format!("{endpoint}-/ping"), &token).await, 403);

    // The sandbox's admin may do anything.
    let admin = common::codeartifact(sb.url())
        .get_authorization_token()
        .domain(DOMAIN)
        .send()
        .await
        .unwrap()
        .authorization_token()
        .unwrap()
        .to_owned();
    let (status, body) = put(&endpoint, &admin, "cawiz-npm-probe").await;
    assert_eq!(status, 200, "{body}");
}
