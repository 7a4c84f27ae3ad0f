//! Roles: create (name and trust policy rules), get, and UpdateAssumeRolePolicy.

use aws_sdk_iam::Client;

use crate::common;
use crate::{ACCOUNT, ROLE};

pub async fn create_get_update(iam: &Client, sandbox: bool) {
    let trust = common::github_trust_policy("repo:octo-org/widgets:*");
    let created = iam
        .create_role()
        .role_name(ROLE)
        .assume_role_policy_document(trust.to_string())
        .description("Assumed by GitHub Actions")
        .max_session_duration(7200)
        .send()
        .await
        .expect("CreateRole");
    let role = created.role().expect("Role");
    let role_arn = format!("arn:aws:iam::{ACCOUNT}:role/{ROLE}");
    assert_eq!(
        (role.arn(), role.path(), role.role_name()),
        (role_arn.as_str(), "/", ROLE)
    );
    let dup = iam
        .create_role()
        .role_name(ROLE)
        .assume_role_policy_document(trust.to_string());
    assert_eq!(common::error_code(dup.send().await), "EntityAlreadyExists");
    if sandbox {
        // moto checks neither a role name's characters nor its length.
        let bad_name = iam
            .create_role()
            .role_name("has space")
            .assume_role_policy_document(trust.to_string());
        assert_eq!(common::error_code(bad_name.send().await), "ValidationError");
        let long_name = iam
            .create_role()
            .role_name("r".repeat(65))
            .assume_role_policy_document(trust.to_string());
        assert_eq!(
            common::error_code(long_name.send().await),
            "ValidationError"
        );
    }
    if sandbox {
        // moto's CreateRole stores any trust policy text; its UpdateAssumeRolePolicy checks it.
        let bad_doc = iam
            .create_role()
            .role_name("Other")
            .assume_role_policy_document("{not json");
        assert_eq!(
            common::error_code(bad_doc.send().await),
            "MalformedPolicyDocument"
        );
    }
    let bad_update = iam
        .update_assume_role_policy()
        .role_name(ROLE)
        .policy_document("{not json");
    assert_eq!(
        common::error_code(bad_update.send().await),
        "MalformedPolicyDocument"
    );

    let got = iam
        .get_role()
        .role_name(ROLE)
        .send()
        .await
        .expect("GetRole");
    let role = got.role().expect("Role");
    assert_eq!(
        common::decode_policy(role.assume_role_policy_document().expect("trust")),
        trust
    );
    assert_eq!(role.description(), Some("Assumed by GitHub Actions"));
    assert_eq!(role.max_session_duration(), Some(7200));
    assert!(role.role_id().starts_with("AROA"), "{}", role.role_id());
    let missing = iam.get_role().role_name("Nope").send().await;
    assert_eq!(common::error_code(missing), "NoSuchEntity");

    let narrowed = common::github_trust_policy("repo:octo-org/widgets:ref:refs/heads/main");
    let update = iam
        .update_assume_role_policy()
        .role_name(ROLE)
        .policy_document(narrowed.to_string());
    update.send().await.expect("UpdateAssumeRolePolicy");
    let got = iam
        .get_role()
        .role_name(ROLE)
        .send()
        .await
        .expect("GetRole");
    let doc = got
        .role()
        .and_then(|r| r.assume_role_policy_document())
        .expect("trust");
    assert_eq!(common::decode_policy(doc), narrowed);
    let update = iam
        .update_assume_role_policy()
        .role_name("Nope")
        .policy_document(narrowed.to_string());
    assert_eq!(common::error_code(update.send().await), "NoSuchEntity");
}
