//! IAM over the wire: one lifecycle suite run against the sandbox and against moto (parity), then
//! sandbox-only checks of what moto lacks. SimulatePrincipalPolicy: tests/sandbox_simulate.rs.

mod common;

use serde_json::json;

const ACCOUNT: &str = "123456789012";
const GITHUB_OIDC: &str = "https://token.actions.githubusercontent.com";
const THUMBPRINT: &str = "6938fd4d98bab03faadb97b34396831e3780aea1";
const ROLE: &str = "GitHubActions-CodeArtifact";
const POLICY: &str = "CodeArtifact-Publish-Policy";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Sandbox,
    Moto,
}

fn permissions(action: &str) -> serde_json::Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]
    })
}

/// The whole IAM lifecycle cawiz drives, asserting values and error codes. Written once, run
/// against the sandbox and against moto; assertions where moto departs from AWS are gated on
/// `target`, each with the difference named.
async fn iam_suite(url: &str, target: Target) {
    let iam = common::iam(url);
    let sandbox = target == Target::Sandbox;

    // OIDC provider.
    let arn = iam
        .create_open_id_connect_provider()
        .url(GITHUB_OIDC)
        .client_id_list("sts.amazonaws.com")
        .thumbprint_list(THUMBPRINT)
        .send()
        .await
        .expect("CreateOpenIDConnectProvider")
        .open_id_connect_provider_arn
        .expect("provider ARN");
    assert_eq!(
        arn,
        format!("arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com")
    );
    let again = iam
        .create_open_id_connect_provider()
        .url(GITHUB_OIDC)
        .client_id_list("x");
    assert_eq!(
        common::error_code(again.send().await),
        "EntityAlreadyExists"
    );
    let no_scheme = iam
        .create_open_id_connect_provider()
        .url("example.com")
        .client_id_list("x");
    assert_eq!(
        common::error_code(no_scheme.send().await),
        "ValidationError"
    );
    let thumbprint = |t: String| {
        iam.create_open_id_connect_provider()
            .url("https://thumbprint.example.com")
            .thumbprint_list(t)
            .send()
    };
    let long = thumbprint("a".repeat(41)).await;
    assert_eq!(common::error_code(long), "ValidationError");
    if sandbox {
        // moto only rejects thumbprints longer than 40 characters; IAM wants exactly 40.
        let short = thumbprint("abc".to_owned()).await;
        assert_eq!(common::error_code(short), "ValidationError");
        // moto accepts any scheme; IAM requires https://.
        let http = iam
            .create_open_id_connect_provider()
            .url("http://example.com")
            .client_id_list("x");
        assert_eq!(common::error_code(http.send().await), "InvalidInput");
    }

    let got = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await;
    let got = got.expect("GetOpenIDConnectProvider");
    assert_eq!(
        got.url(),
        Some("token.actions.githubusercontent.com"),
        "IAM drops the scheme"
    );
    assert_eq!(got.client_id_list(), ["sts.amazonaws.com"]);
    assert_eq!(got.thumbprint_list(), [THUMBPRINT]);
    assert!(got.create_date().is_some());
    let listed = iam
        .list_open_id_connect_providers()
        .send()
        .await
        .expect("List");
    let arns: Vec<_> = listed
        .open_id_connect_provider_list()
        .iter()
        .filter_map(|p| p.arn())
        .collect();
    assert!(arns.contains(&arn.as_str()), "{arns:?}");

    let unknown = format!("arn:aws:iam::{ACCOUNT}:oidc-provider/nowhere.example.com");
    let missing = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&unknown);
    assert_eq!(common::error_code(missing.send().await), "NoSuchEntity");
    if sandbox {
        // moto 5.2.5 does not implement AddClientIDToOpenIDConnectProvider (it answers 500).
        for _ in 0..2 {
            let add = iam
                .add_client_id_to_open_id_connect_provider()
                .open_id_connect_provider_arn(&arn);
            add.client_id("sigstore")
                .send()
                .await
                .expect("AddClientID (idempotent)");
        }
        let got = iam
            .get_open_id_connect_provider()
            .open_id_connect_provider_arn(&arn)
            .send()
            .await;
        assert_eq!(
            got.expect("Get").client_id_list(),
            ["sts.amazonaws.com", "sigstore"]
        );
        let add = iam
            .add_client_id_to_open_id_connect_provider()
            .open_id_connect_provider_arn(&unknown);
        assert_eq!(
            common::error_code(add.client_id("x").send().await),
            "NoSuchEntity"
        );
    }

    // Roles.
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

    // Managed policies and versions.
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

    // Attachments.
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

    let delete = || {
        iam.delete_open_id_connect_provider()
            .open_id_connect_provider_arn(&arn)
            .send()
    };
    delete().await.expect("DeleteOpenIDConnectProvider");
    let got = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await;
    assert_eq!(common::error_code(got), "NoSuchEntity");
    delete()
        .await
        .expect("DeleteOpenIDConnectProvider is idempotent");
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
