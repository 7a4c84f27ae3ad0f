//! Managed policies and their versions: create (document rules), get, five versions at most, the
//! default one, listing newest first, deletion, ids never reused.

use aws_sdk_iam::Client;
use serde_json::json;

use crate::common;
use crate::{ACCOUNT, POLICY, permissions};

pub async fn create_and_version(iam: &Client, sandbox: bool) {
    let v1 = permissions("codeartifact:GetAuthorizationToken");
    let created = iam
        .create_policy()
        .policy_name(POLICY)
        .policy_document(v1.to_string())
        .description("publish")
        .send()
        .await
        .expect("CreatePolicy");
    let policy = created.policy().expect("Policy");
    let policy_arn = format!("arn:aws:iam::{ACCOUNT}:policy/{POLICY}");
    assert_eq!(policy.arn(), Some(policy_arn.as_str()));
    assert_eq!(policy.default_version_id(), Some("v1"));
    assert_eq!(policy.attachment_count(), Some(0));
    assert!(policy.is_attachable());
    let dup = iam
        .create_policy()
        .policy_name(POLICY)
        .policy_document(v1.to_string());
    assert_eq!(common::error_code(dup.send().await), "EntityAlreadyExists");
    let no_effect =
        json!({"Version": "2012-10-17", "Statement": [{"Action": "s3:*", "Resource": "*"}]});
    let bad = iam
        .create_policy()
        .policy_name("Bad")
        .policy_document(no_effect.to_string());
    assert_eq!(
        common::error_code(bad.send().await),
        "MalformedPolicyDocument"
    );
    let bad = iam.create_policy().policy_name("Bad").policy_document("[]");
    assert_eq!(
        common::error_code(bad.send().await),
        "MalformedPolicyDocument"
    );

    let got = iam
        .get_policy()
        .policy_arn(&policy_arn)
        .send()
        .await
        .expect("GetPolicy");
    let policy = got.policy().expect("Policy");
    assert_eq!(
        (policy.policy_name(), policy.path()),
        (Some(POLICY), Some("/"))
    );
    assert!(policy.create_date().is_some() && policy.update_date().is_some());
    let unknown_policy = format!("arn:aws:iam::{ACCOUNT}:policy/Nope");
    let missing = iam.get_policy().policy_arn(&unknown_policy).send().await;
    assert_eq!(common::error_code(missing), "NoSuchEntity");

    let version = |id: &str| {
        iam.get_policy_version()
            .policy_arn(&policy_arn)
            .version_id(id)
            .send()
    };
    let got = version("v1").await.expect("GetPolicyVersion");
    let pv = got.policy_version().expect("PolicyVersion");
    assert_eq!(common::decode_policy(pv.document().expect("document")), v1);
    assert_eq!(
        (pv.version_id(), pv.is_default_version()),
        (Some("v1"), true)
    );

    let create_version = |action: &str, default: bool| {
        iam.create_policy_version()
            .policy_arn(&policy_arn)
            .policy_document(permissions(action).to_string())
            .set_as_default(default)
            .send()
    };
    let v2 = create_version("codeartifact:*", true)
        .await
        .expect("CreatePolicyVersion");
    let v2 = v2.policy_version().expect("PolicyVersion");
    assert_eq!(
        (v2.version_id(), v2.is_default_version()),
        (Some("v2"), true)
    );
    for action in ["s3:GetObject", "s3:PutObject", "s3:ListBucket"] {
        create_version(action, false)
            .await
            .expect("CreatePolicyVersion");
    }
    assert_eq!(
        common::error_code(create_version("s3:*", false).await),
        "LimitExceeded"
    );
    let listed = iam
        .list_policy_versions()
        .policy_arn(&policy_arn)
        .send()
        .await
        .expect("List");
    assert!(!listed.is_truncated());
    let mut ids: Vec<(&str, bool)> = listed
        .versions()
        .iter()
        .map(|v| (v.version_id().unwrap_or(""), v.is_default_version()))
        .collect();
    if !sandbox {
        // moto lists oldest first; IAM lists newest first.
        ids.reverse();
    }
    assert_eq!(
        ids,
        [
            ("v5", false),
            ("v4", false),
            ("v3", false),
            ("v2", true),
            ("v1", false)
        ]
    );
    let got = version("v2").await.expect("GetPolicyVersion v2");
    let doc = got
        .policy_version()
        .and_then(|v| v.document())
        .expect("document");
    assert_eq!(common::decode_policy(doc), permissions("codeartifact:*"));
    let delete_version = |id: &str| {
        iam.delete_policy_version()
            .policy_arn(&policy_arn)
            .version_id(id)
            .send()
    };
    assert_eq!(
        common::error_code(delete_version("v2").await),
        "DeleteConflict"
    );
    delete_version("v3").await.expect("DeletePolicyVersion");
    assert_eq!(common::error_code(version("v3").await), "NoSuchEntity");
    let v6 = create_version("s3:*", false)
        .await
        .expect("CreatePolicyVersion");
    assert_eq!(
        v6.policy_version().and_then(|v| v.version_id()),
        Some("v6"),
        "ids are never reused"
    );
}
