//! IAM over the wire: one lifecycle suite run against the sandbox and against moto (parity), then
//! sandbox-only checks of what moto lacks. SimulatePrincipalPolicy: tests/sandbox_simulate.rs.

mod common;

#[path = "sandbox_iam/attachments.rs"]
mod attachments;
#[path = "sandbox_iam/oidc.rs"]
mod oidc;
#[path = "sandbox_iam/policies.rs"]
mod policies;
#[path = "sandbox_iam/roles.rs"]
mod roles;

use serde_json::json;

pub const ACCOUNT: &str = "123456789012";
pub const GITHUB_OIDC: &str = "https://token.actions.githubusercontent.com";
pub const THUMBPRINT: &str = "6938fd4d98bab03faadb97b34396831e3780aea1";
pub const ROLE: &str = "GitHubActions-CodeArtifact";
pub const POLICY: &str = "CodeArtifact-Publish-Policy";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Sandbox,
    Moto,
}

pub fn permissions(action: &str) -> serde_json::Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]
    })
}

/// The whole IAM lifecycle cawiz drives, asserting values and error codes. Written once, run
/// against the sandbox and against moto; assertions where moto departs from AWS are gated on
/// `sandbox`, each with the difference named. The phases run in this order, each on what the
/// previous ones left.
async fn iam_suite(url: &str, target: Target) {
    let iam = common::iam(url);
    let sandbox = target == Target::Sandbox;
    let provider = oidc::create_get_list(&iam, sandbox).await;
    roles::create_get_update(&iam, sandbox).await;
    policies::create_and_version(&iam, sandbox).await;
    attachments::attach_detach_delete(&iam, sandbox).await;
    oidc::delete(&iam, provider).await;
}

#[tokio::test]
async fn iam_lifecycle_on_the_sandbox() {
    let sb = common::start_sandbox("empty").await;
    iam_suite(sb.url(), Target::Sandbox).await;
}

#[tokio::test]
async fn iam_lifecycle_on_moto() {
    let Some(moto) = common::start_moto() else {
        return;
    };
    iam_suite(&moto.url, Target::Moto).await;
}
