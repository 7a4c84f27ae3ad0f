//! Put/Get/Delete DomainPermissionsPolicy and RepositoryPermissionsPolicy: shapes, revisions
//! (optimistic locking), validation and not-found answers (the doctor's `resource-policy-deny`
//! reads them).

use serde_json::json;

use crate::{ACCOUNT, DOMAIN, REPO, ca, common, err};

fn deny_everyone(action: &str) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "NoOne",
            "Effect": "Deny",
            "Principal": "*",
            "Action": action,
            "Resource": "*"
        }]
    })
    .to_string()
}

#[tokio::test]
async fn repository_policies_are_put_read_locked_and_deleted() {
    let sb = common::start_sandbox("complete").await;
    let c = ca(&sb);
    let arn = format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:repository/{DOMAIN}/{REPO}");
    let get = || {
        c.get_repository_permissions_policy()
            .domain(DOMAIN)
            .repository(REPO)
            .send()
    };
    let (code, message) = err(get().await);
    assert_eq!(code, "ResourceNotFoundException");
    assert_eq!(
        message,
        "No resource policy is set on repository widgets in domain octo-org"
    );

    let document = deny_everyone("codeartifact:PublishPackageVersion");
    let put = c
        .put_repository_permissions_policy()
        .domain(DOMAIN)
        .repository(REPO)
        .policy_document(&document)
        .send()
        .await
        .unwrap();
    let policy = put.policy().unwrap();
    assert_eq!(policy.resource_arn(), Some(arn.as_str()));
    assert_eq!(policy.document(), Some(document.as_str()));
    let revision = policy.revision().unwrap().to_owned();
    let read = get().await.unwrap();
    assert_eq!(read.policy(), put.policy());

    // Optimistic locking: a stale revision is a conflict; the current one replaces the policy.
    let stale = c
        .put_repository_permissions_policy()
        .domain(DOMAIN)
        .repository(REPO)
        .policy_revision("stale-revision")
        .policy_document(deny_everyone("codeartifact:*"))
        .send()
        .await;
    assert_eq!(err(stale).0, "ConflictException");
    let replaced = c
        .put_repository_permissions_policy()
        .domain(DOMAIN)
        .repository(REPO)
        .policy_revision(&revision)
        .policy_document(deny_everyone("codeartifact:*"))
        .send()
        .await
        .unwrap();
    let new_revision = replaced.policy().unwrap().revision().unwrap().to_owned();
    assert_ne!(new_revision, revision);

    let delete = |rev: &str| {
        c.delete_repository_permissions_policy()
            .domain(DOMAIN)
            .repository(REPO)
            .policy_revision(rev)
            .send()
    };
    assert_eq!(err(delete(&revision).await).0, "ConflictException");
    let deleted = delete(&new_revision).await.unwrap();
    assert_eq!(
        deleted.policy().unwrap().revision(),
        Some(new_revision.as_str())
    );
    assert_eq!(err(get().await).0, "ResourceNotFoundException");
    let (code, _) = err(c
        .delete_repository_permissions_policy()
        .domain(DOMAIN)
        .repository(REPO)
        .send()
        .await);
    assert_eq!(code, "ResourceNotFoundException");
}

#[tokio::test]
async fn domain_policies_are_put_read_locked_and_deleted() {
    let sb = common::start_sandbox("complete").await;
    let c = ca(&sb);
    let get = || c.get_domain_permissions_policy().domain(DOMAIN).send();
    let (code, message) = err(get().await);
    assert_eq!(code, "ResourceNotFoundException");
    assert_eq!(message, "No resource policy is set on domain octo-org");

    let document = deny_everyone("codeartifact:GetAuthorizationToken");
    let put = c
        .put_domain_permissions_policy()
        .domain(DOMAIN)
        .domain_owner(ACCOUNT)
        .policy_document(&document)
        .send()
        .await
        .unwrap();
    let policy = put.policy().unwrap();
    assert_eq!(
        policy.resource_arn(),
        Some(format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:domain/{DOMAIN}").as_str())
    );
    assert_eq!(get().await.unwrap().policy(), put.policy());
    let revision = policy.revision().unwrap().to_owned();
    // The same document again keeps its revision.
    let again = c
        .put_domain_permissions_policy()
        .domain(DOMAIN)
        .policy_revision(&revision)
        .policy_document(&document)
        .send()
        .await
        .unwrap();
    assert_eq!(again.policy().unwrap().revision(), Some(revision.as_str()));

    let stale = c
        .delete_domain_permissions_policy()
        .domain(DOMAIN)
        .policy_revision("stale")
        .send()
        .await;
    assert_eq!(err(stale).0, "ConflictException");
    let deleted = c
        .delete_domain_permissions_policy()
        .domain(DOMAIN)
        .send()
        .await
        .unwrap();
    assert_eq!(
        deleted.policy().unwrap().document(),
        Some(document.as_str())
    );
    assert_eq!(err(get().await).0, "ResourceNotFoundException");
}

#[tokio::test]
async fn policies_are_validated_and_need_an_existing_resource() {
    let sb = common::start_sandbox("complete").await;
    let c = ca(&sb);
    let put = |document: &str| {
        c.put_repository_permissions_policy()
            .domain(DOMAIN)
            .repository(REPO)
            .policy_document(document)
            .send()
    };
    for (document, needle) in [
        ("not json", "not JSON"),
        (r#"{"Statement":[]}"#, "no Statement"),
        (
            r#"{"Statement":{"Effect":"Deny","Action":"codeartifact:*","Resource":"*"}}"#,
            "Principal",
        ),
    ] {
        let (code, message) = err(put(document).await);
        assert_eq!(code, "ValidationException", "{document}");
        assert!(message.contains(needle), "{document}: {message}");
    }
    let (code, message) = err(c
        .put_repository_permissions_policy()
        .domain(DOMAIN)
        .repository("nope")
        .policy_document(deny_everyone("codeartifact:*"))
        .send()
        .await);
    assert_eq!(code, "ResourceNotFoundException");
    assert_eq!(
        message,
        "Repository not found. Repository 'nope' in domain 'octo-org' owned by account '123456789012' does not exist."
    );
    let (code, message) = err(c
        .put_domain_permissions_policy()
        .domain("no-such-domain")
        .policy_document(deny_everyone("codeartifact:*"))
        .send()
        .await);
    assert_eq!(code, "ResourceNotFoundException");
    assert!(
        message.starts_with("Domain not found. Domain 'no-such-domain'"),
        "{message}"
    );
    let (code, _) = err(c
        .get_domain_permissions_policy()
        .domain("no-such-domain")
        .send()
        .await);
    assert_eq!(code, "ResourceNotFoundException");
}
