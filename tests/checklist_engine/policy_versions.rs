//! A publish policy that lacks grants gets a new default version adding cawiz's statements and
//! keeping the others (it is not cawiz's: someone else created it); at IAM's five-version limit the
//! oldest non-default version is deleted first.

use cawiz::checklist::{self, Action, ItemId, Status};
use serde_json::{Value, json};

use super::{
    ACCOUNT, apply_ok, common, context, sdk_create_domain, sdk_create_oidc_provider,
    sdk_create_role, widgets,
};

const POLICY: &str = "CodeArtifact-Publish-Policy";
const ROLE: &str = "GitHubActions-CodeArtifact";
/// What the new version does to a policy cawiz did not create.
const SHARED: &str =
    "add cawiz's publish statements, keeping every other statement of this shared policy";

fn policy_arn() -> String {
    format!("arn:aws:iam::{ACCOUNT}:policy/{POLICY}")
}

/// A valid policy document that is not cawiz's.
fn other_document(n: usize) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": format!("Old{n}"),
            "Effect": "Allow",
            "Action": "codeartifact:ReadFromRepository",
            "Resource": "*"
        }]
    })
}

/// Everything but the policy as cawiz wants it: domain, provider, role with the right trust, and
/// the policy (`versions` versions, the first the default, all different from cawiz's) attached.
async fn arrange(sb: &cawiz_sandbox::SandboxHandle, versions: usize) {
    sdk_create_domain(sb, "octo-org").await;
    sdk_create_oidc_provider(
        sb,
        "sts.amazonaws.com",
        "6938fd4d98bab03faadb97b34396831e3780aea1",
    )
    .await;
    sdk_create_role(
        sb,
        ROLE,
        &common::github_trust_policy("repo:octo-org/widgets:*"),
    )
    .await;
    let iam = common::iam(sb.url());
    iam.create_policy()
        .policy_name(POLICY)
        .policy_document(other_document(1).to_string())
        .send()
        .await
        .expect("CreatePolicy (SDK)");
    for n in 2..=versions {
        iam.create_policy_version()
            .policy_arn(policy_arn())
            .policy_document(other_document(n).to_string())
            .set_as_default(false)
            .send()
            .await
            .expect("CreatePolicyVersion (SDK)");
    }
    iam.attach_role_policy()
        .role_name(ROLE)
        .policy_arn(policy_arn())
        .send()
        .await
        .expect("AttachRolePolicy (SDK)");
}

/// (version id, is default) of every version, sorted by id.
async fn versions(sb: &cawiz_sandbox::SandboxHandle) -> Vec<(String, bool)> {
    let listed = common::iam(sb.url())
        .list_policy_versions()
        .policy_arn(policy_arn())
        .send()
        .await
        .expect("ListPolicyVersions");
    let mut out: Vec<(String, bool)> = listed
        .versions()
        .iter()
        .map(|v| {
            (
                v.version_id().unwrap_or_default().to_owned(),
                v.is_default_version(),
            )
        })
        .collect();
    out.sort();
    out
}

async fn default_document(sb: &cawiz_sandbox::SandboxHandle) -> Value {
    let iam = common::iam(sb.url());
    let policy = iam
        .get_policy()
        .policy_arn(policy_arn())
        .send()
        .await
        .expect("GetPolicy")
        .policy
        .expect("policy");
    let version = iam
        .get_policy_version()
        .policy_arn(policy_arn())
        .version_id(policy.default_version_id().expect("a default version"))
        .send()
        .await
        .expect("GetPolicyVersion")
        .policy_version
        .expect("version");
    common::decode_policy(version.document().expect("a document"))
}

#[tokio::test]
async fn at_five_versions_the_oldest_non_default_is_pruned_first() {
    let sb = common::start_sandbox("empty").await;
    arrange(&sb, 5).await;
    assert_eq!(versions(&sb).await.len(), 5);
    let mut ctx = context(&sb, widgets()).await;
    let report = checklist::check_item(&ctx, ItemId::Role).await;
    match &report.status {
        Status::Drift { summary, diff, .. } => {
            assert!(summary.contains("not allowed"), "{summary}");
            assert!(!diff.is_empty(), "a drift shows its diff");
        }
        other => panic!("expected drift, got {other:?}"),
    }
    let expected = cawiz::policy::with_cawiz_statements(
        &other_document(1),
        &cawiz::policy::permissions_policy(&widgets(), ACCOUNT),
    );
    assert_eq!(
        report.actions,
        vec![
            Action::DeletePolicyVersion {
                arn: policy_arn(),
                version: "v2".into()
            },
            Action::CreatePolicyVersion {
                arn: policy_arn(),
                document: expected.clone(),
                change: SHARED.to_owned(),
            }
        ],
        "v1 is the default: v2 is the oldest non-default version"
    );

    apply_ok(&mut ctx, &[ItemId::Role]).await;
    let after = versions(&sb).await;
    assert_eq!(after.len(), 5, "{after:?}");
    assert!(!after.iter().any(|(id, _)| id == "v2"), "{after:?}");
    assert!(after.iter().any(|(id, d)| id == "v1" && !d), "{after:?}");
    assert!(after.iter().any(|(id, d)| id == "v6" && *d), "{after:?}");
    assert_eq!(default_document(&sb).await, expected);
    assert!(
        checklist::check_item(&ctx, ItemId::Role)
            .await
            .status
            .is_done()
    );
    let calls = sb.calls();
    assert_eq!(calls.get("DeletePolicyVersion"), Some(&1));
    assert_eq!(
        calls.get("CreatePolicyVersion"),
        Some(&5),
        "4 by the SDK, 1 by cawiz"
    );
}

#[tokio::test]
async fn below_five_versions_nothing_is_deleted() {
    let sb = common::start_sandbox("empty").await;
    arrange(&sb, 3).await;
    let mut ctx = context(&sb, widgets()).await;
    let report = checklist::check_item(&ctx, ItemId::Role).await;
    assert!(matches!(report.status, Status::Drift { .. }), "{report:?}");
    assert_eq!(
        report.actions,
        vec![Action::CreatePolicyVersion {
            arn: policy_arn(),
            document: cawiz::policy::with_cawiz_statements(
                &other_document(1),
                &cawiz::policy::permissions_policy(&widgets(), ACCOUNT)
            ),
            change: SHARED.to_owned(),
        }]
    );
    apply_ok(&mut ctx, &[ItemId::Role]).await;
    assert_eq!(
        versions(&sb).await,
        vec![
            ("v1".to_owned(), false),
            ("v2".to_owned(), false),
            ("v3".to_owned(), false),
            ("v4".to_owned(), true)
        ]
    );
    assert!(!sb.calls().contains_key("DeletePolicyVersion"));
}
