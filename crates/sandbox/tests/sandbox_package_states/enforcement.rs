//! Resource policies enforced for role sessions (the doctor's `resource-policy-deny`): an explicit
//! Deny in the domain's or the repository's policy refuses the API call and the PyPI request made
//! with the session's token, in AWS's words; an Allow stands in for a missing identity-policy
//! Allow in the account; Put…PermissionsPolicy ignores the policy it replaces; the sandbox's admin
//! is never refused.

use serde_json::{Value, json};

use crate::{
    ACCOUNT, DOMAIN, REPO, ROLE_ARN, SESSION_ARN, ca, common, endpoint, err, get, publish, session,
    set_role_policy, simple_url, token_of, upload,
};
use cawiz_sandbox::SandboxHandle;

fn statement(effect: &str, principal: Value, actions: &[&str]) -> Value {
    json!({ "Effect": effect, "Principal": principal, "Action": actions, "Resource": "*" })
}

fn document(statements: &[Value]) -> String {
    json!({ "Version": "2012-10-17", "Statement": statements }).to_string()
}

async fn put_repository_policy(sb: &SandboxHandle, statements: &[Value]) {
    ca(sb)
        .put_repository_permissions_policy()
        .domain(DOMAIN)
        .repository(REPO)
        .policy_document(document(statements))
        .send()
        .await
        .unwrap();
}

async fn put_domain_policy(sb: &SandboxHandle, statements: &[Value]) {
    ca(sb)
        .put_domain_permissions_policy()
        .domain(DOMAIN)
        .policy_document(document(statements))
        .send()
        .await
        .unwrap();
}

fn repo_arn() -> String {
    format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:repository/{DOMAIN}/{REPO}")
}

fn explicit_deny(action: &str, resource: &str) -> String {
    format!(
        "User: {SESSION_ARN} is not authorized to perform: {action} on resource: {resource} with an explicit deny in a resource-based policy"
    )
}

#[tokio::test]
async fn a_deny_in_the_repository_policy_refuses_the_session_in_awss_words() {
    let sb = common::start_sandbox("complete").await;
    let role = session(&sb).await;
    let token = token_of(&role).await;
    let index = simple_url(&endpoint(&sb, REPO).await, &token);
    assert_eq!(
        get(&index, &token).await.0,
        200,
        "allowed before the policy"
    );

    let deny = [
        "codeartifact:DescribeRepository",
        "codeartifact:ReadFromRepository",
    ];
    put_repository_policy(&sb, &[statement("Deny", json!({"AWS": ROLE_ARN}), &deny)]).await;
    let (code, message) = err(role
        .describe_repository()
        .domain(DOMAIN)
        .repository(REPO)
        .send()
        .await);
    assert_eq!(code, "AccessDeniedException");
    assert_eq!(
        message,
        explicit_deny("codeartifact:DescribeRepository", &repo_arn())
    );
    // What the policy does not name, and the domain, stay allowed; the admin is never refused.
    assert!(role.describe_domain().domain(DOMAIN).send().await.is_ok());
    assert!(
        role.list_packages()
            .domain(DOMAIN)
            .repository(REPO)
            .send()
            .await
            .is_ok()
    );
    assert!(
        ca(&sb)
            .describe_repository()
            .domain(DOMAIN)
            .repository(REPO)
            .send()
            .await
            .is_ok()
    );
    // pip's read with the session's token is refused too (403), the admin's is not.
    let (status, body) = get(&index, &token).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body.contains(&explicit_deny(
            "codeartifact:ReadFromRepository",
            &repo_arn()
        )),
        "{body}"
    );
    let admin = token_of(&ca(&sb)).await;
    assert_eq!(
        get(&simple_url(&endpoint(&sb, REPO).await, &admin), &admin)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn a_deny_in_the_domain_policy_reaches_tokens_and_packages() {
    let sb = common::start_sandbox("complete").await;
    let role = session(&sb).await;
    let token = token_of(&role).await;
    let probe = cawiz_sandbox::wheel::build_simple("widgets-cawiz-probe", "0.0.1", "p").unwrap();

    put_domain_policy(
        &sb,
        &[statement(
            "Deny",
            json!("*"),
            &["codeartifact:PublishPackageVersion"],
        )],
    )
    .await;
    let (status, body) = upload(&sb, &token, REPO, &probe).await;
    assert_eq!(status, 403, "{body}");
    let package = format!(
        "arn:aws:codeartifact:us-east-1:{ACCOUNT}:package/{DOMAIN}/{REPO}/pypi//widgets-cawiz-probe"
    );
    assert!(
        body.contains(&explicit_deny(
            "codeartifact:PublishPackageVersion",
            &package
        )),
        "{body}"
    );
    // The admin still publishes.
    publish(&sb, "widgets-cawiz-probe", "0.0.1").await;

    put_domain_policy(
        &sb,
        &[statement(
            "Deny",
            json!({"AWS": ACCOUNT}),
            &["codeartifact:GetAuthorizationToken"],
        )],
    )
    .await;
    let (code, message) = err(role.get_authorization_token().domain(DOMAIN).send().await);
    assert_eq!(code, "AccessDeniedException");
    assert_eq!(
        message,
        explicit_deny(
            "codeartifact:GetAuthorizationToken",
            &format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:domain/{DOMAIN}")
        )
    );
    assert!(
        ca(&sb)
            .get_authorization_token()
            .domain(DOMAIN)
            .send()
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn principals_and_conditions_decide_whom_a_deny_reaches() {
    let sb = common::start_sandbox("complete").await;
    let role = session(&sb).await;
    let describe = || {
        role.describe_repository()
            .domain(DOMAIN)
            .repository(REPO)
            .send()
    };
    let action = ["codeartifact:DescribeRepository"];
    let not_us = [
        statement("Deny", json!({"AWS": "210987654321"}), &action),
        statement(
            "Deny",
            json!({"AWS": "arn:aws:iam::123456789012:role/SomeoneElse"}),
            &action,
        ),
        json!({
            "Effect": "Deny", "Principal": "*", "Action": action, "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:PrincipalArn": ROLE_ARN}}
        }),
        // NotPrincipal excepts the session only with its account, role and session together.
        json!({
            "Effect": "Deny",
            "NotPrincipal": {"AWS": [format!("arn:aws:iam::{ACCOUNT}:root"), ROLE_ARN, SESSION_ARN]},
            "Action": action, "Resource": "*"
        }),
        statement("Deny", json!("*"), &["codeartifact:DeleteRepository"]),
    ];
    put_repository_policy(&sb, &not_us).await;
    assert!(describe().await.is_ok());

    for denies_us in [
        statement("Deny", json!({"AWS": SESSION_ARN}), &action),
        // The role alone is not enough: IAM may check the account, then the role, then the session.
        json!({
            "Effect": "Deny", "NotPrincipal": {"AWS": ROLE_ARN}, "Action": action, "Resource": "*"
        }),
        statement(
            "Deny",
            json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}),
            &["codeartifact:Describe*"],
        ),
        json!({
            "Effect": "Deny", "Principal": "*", "Action": action,
            "Resource": "arn:aws:codeartifact:*:*:repository/octo-org/*",
            "Condition": {"StringEquals": {"aws:PrincipalType": "AssumedRole"}}
        }),
    ] {
        put_repository_policy(&sb, std::slice::from_ref(&denies_us)).await;
        assert_eq!(
            err(describe().await).0,
            "AccessDeniedException",
            "{denies_us}"
        );
    }
}

#[tokio::test]
async fn an_allow_in_a_resource_policy_stands_in_for_the_identity_policy_in_the_account() {
    let sb = common::start_sandbox("complete").await;
    set_role_policy(
        &sb,
        &json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "codeartifact:DescribeDomain", "Resource": "*"}
        ]}),
    )
    .await;
    let role = session(&sb).await;
    let describe = || {
        role.describe_repository()
            .domain(DOMAIN)
            .repository(REPO)
            .send()
    };
    let (code, message) = err(describe().await);
    assert_eq!(code, "AccessDeniedException");
    assert!(
        message.ends_with(
            "because no identity-based policy allows the codeartifact:DescribeRepository action"
        ),
        "{message}"
    );
    put_repository_policy(
        &sb,
        &[statement(
            "Allow",
            json!({"AWS": ROLE_ARN}),
            &["codeartifact:DescribeRepository"],
        )],
    )
    .await;
    assert!(describe().await.is_ok());
    // A permissions boundary still limits it.
    let iam = common::iam(sb.url());
    let boundary = iam
        .create_policy()
        .policy_name("Boundary")
        .policy_document(
            json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "codeartifact:DescribeDomain", "Resource": "*"}
            ]})
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    iam.put_role_permissions_boundary()
        .role_name("GitHubActions-CodeArtifact")
        .permissions_boundary(boundary.policy().unwrap().arn().unwrap())
        .send()
        .await
        .unwrap();
    let (_, message) = err(describe().await);
    assert!(
        message.ends_with(
            "because no permissions boundary allows the codeartifact:DescribeRepository action"
        ),
        "{message}"
    );
}

#[tokio::test]
async fn putting_a_permissions_policy_ignores_the_policy_it_replaces() {
    let sb = common::start_sandbox("complete").await;
    set_role_policy(
        &sb,
        &json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "codeartifact:*", "Resource": "*"}
        ]}),
    )
    .await;
    let role = session(&sb).await;
    put_repository_policy(&sb, &[statement("Deny", json!("*"), &["codeartifact:*"])]).await;
    put_domain_policy(
        &sb,
        &[statement(
            "Deny",
            json!("*"),
            &["codeartifact:PutDomainPermissionsPolicy"],
        )],
    )
    .await;
    let (code, _) = err(role
        .get_repository_permissions_policy()
        .domain(DOMAIN)
        .repository(REPO)
        .send()
        .await);
    assert_eq!(code, "AccessDeniedException");
    // The repository's own policy is ignored for PutRepositoryPermissionsPolicy…
    let fixed = role
        .put_repository_permissions_policy()
        .domain(DOMAIN)
        .repository(REPO)
        .policy_document(document(&[statement(
            "Deny",
            json!({"AWS": "210987654321"}),
            &["codeartifact:*"],
        )]))
        .send()
        .await;
    assert!(fixed.is_ok(), "{fixed:?}");
    assert!(
        role.get_repository_permissions_policy()
            .domain(DOMAIN)
            .repository(REPO)
            .send()
            .await
            .is_ok()
    );
    // …and the domain's for PutDomainPermissionsPolicy (its domain travels in the body).
    let fixed = role
        .put_domain_permissions_policy()
        .domain(DOMAIN)
        .policy_document(document(&[statement(
            "Allow",
            json!({"AWS": ACCOUNT}),
            &["codeartifact:GetAuthorizationToken"],
        )]))
        .send()
        .await;
    assert!(fixed.is_ok(), "{fixed:?}");
}
