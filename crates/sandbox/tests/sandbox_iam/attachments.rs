//! Attaching the policy to the role, then the order deletion must follow: detach, delete the
//! versions, the policy, the role.

use aws_sdk_iam::Client;

use crate::common;
use crate::{ACCOUNT, POLICY, ROLE};

pub async fn attach_detach_delete(iam: &Client, sandbox: bool) {
    let policy_arn = format!("arn:aws:iam::{ACCOUNT}:policy/{POLICY}");
    let unknown_policy = format!("arn:aws:iam::{ACCOUNT}:policy/Nope");
    let delete_version = |id: &str| {
        iam.delete_policy_version()
            .policy_arn(&policy_arn)
            .version_id(id)
            .send()
    };
    let attach = |role: &str, arn: &str| {
        iam.attach_role_policy()
            .role_name(role)
            .policy_arn(arn)
            .send()
    };
    assert_eq!(
        common::error_code(attach("Nope", &policy_arn).await),
        "NoSuchEntity"
    );
    assert_eq!(
        common::error_code(attach(ROLE, &unknown_policy).await),
        "NoSuchEntity"
    );
    attach(ROLE, &policy_arn).await.expect("AttachRolePolicy");
    attach(ROLE, &policy_arn)
        .await
        .expect("AttachRolePolicy again is a no-op");
    let listed = iam
        .list_attached_role_policies()
        .role_name(ROLE)
        .send()
        .await
        .expect("List");
    let attached: Vec<_> = listed
        .attached_policies()
        .iter()
        .map(|p| (p.policy_name(), p.policy_arn()))
        .collect();
    assert_eq!(attached, [(Some(POLICY), Some(policy_arn.as_str()))]);
    assert!(!listed.is_truncated());
    let got = iam
        .get_policy()
        .policy_arn(&policy_arn)
        .send()
        .await
        .expect("GetPolicy");
    let count = got.policy().and_then(|p| p.attachment_count());
    if sandbox {
        assert_eq!(count, Some(1));
    } else {
        // moto counts the second (no-op) AttachRolePolicy as another attachment.
        assert!(count >= Some(1), "{count:?}");
    }
    let missing = iam
        .list_attached_role_policies()
        .role_name("Nope")
        .send()
        .await;
    assert_eq!(common::error_code(missing), "NoSuchEntity");

    assert_eq!(
        common::error_code(iam.delete_role().role_name(ROLE).send().await),
        "DeleteConflict"
    );
    let delete_policy = || iam.delete_policy().policy_arn(&policy_arn).send();
    // moto's DeletePolicy deletes even an attached policy with several versions; IAM refuses.
    if sandbox {
        assert_eq!(common::error_code(delete_policy().await), "DeleteConflict");
    }
    let detach = || {
        iam.detach_role_policy()
            .role_name(ROLE)
            .policy_arn(&policy_arn)
            .send()
    };
    detach().await.expect("DetachRolePolicy");
    assert_eq!(common::error_code(detach().await), "NoSuchEntity");
    if sandbox {
        let versions_remain = delete_policy().await;
        assert_eq!(common::error_code(versions_remain), "DeleteConflict");
    }
    for id in ["v1", "v4", "v5", "v6"] {
        delete_version(id).await.expect("DeletePolicyVersion");
    }
    delete_policy().await.expect("DeletePolicy");
    assert_eq!(
        common::error_code(iam.get_policy().policy_arn(&policy_arn).send().await),
        "NoSuchEntity"
    );
    iam.delete_role()
        .role_name(ROLE)
        .send()
        .await
        .expect("DeleteRole");
    assert_eq!(
        common::error_code(iam.get_role().role_name(ROLE).send().await),
        "NoSuchEntity"
    );
    assert_eq!(
        common::error_code(iam.delete_role().role_name(ROLE).send().await),
        "NoSuchEntity"
    );
}
