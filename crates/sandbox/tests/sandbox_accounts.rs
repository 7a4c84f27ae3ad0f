//! Shapes real accounts have that a fresh sandbox does not: CodeArtifact in several regions, roles
//! with paths, permissions boundaries and service control policies in simulation, GitHub's
//! canonical names and subject customization (repository and organisation), and the PyPI
//! endpoint's 404 for a bad token. Each is built the way a person would: API calls.

#![allow(clippy::unwrap_used)]

mod common;

use aws_sdk_iam::types::EvaluationResult;
use serde_json::{Value, json};

const ACCOUNT: &str = "123456789012";

fn codeartifact_in(url: &str, region: &str) -> aws_sdk_codeartifact::Client {
    let config = aws_sdk_codeartifact::config::Builder::from(&common::sdk_config(url))
        .region(aws_sdk_codeartifact::config::Region::new(region.to_owned()))
        .build();
    aws_sdk_codeartifact::Client::from_conf(config)
}

#[tokio::test]
async fn codeartifact_answers_per_region() {
    let sb = common::start_sandbox("complete").await;
    let east = codeartifact_in(sb.url(), "us-east-1");
    let west = codeartifact_in(sb.url(), "eu-west-1");
    east.describe_domain()
        .domain("octo-org")
        .send()
        .await
        .unwrap();

    let err = west
        .describe_domain()
        .domain("octo-org")
        .send()
        .await
        .unwrap_err();
    let status = err.raw_response().map(|r| r.status().as_u16());
    let code = aws_sdk_codeartifact::error::ProvideErrorMetadata::code(&err);
    assert_eq!(
        (code, status),
        (Some("ResourceNotFoundException"), Some(404))
    );
    let message = aws_sdk_codeartifact::error::ProvideErrorMetadata::message(&err).unwrap_or("");
    assert_eq!(
        message,
        "Domain not found. Domain 'octo-org' owned by account '123456789012' does not exist."
    );
    let repo = west
        .describe_repository()
        .domain("octo-org")
        .repository("widgets")
        .send()
        .await;
    assert_eq!(common::error_code(repo), "ResourceNotFoundException");
    let token = west
        .get_authorization_token()
        .domain("octo-org")
        .send()
        .await;
    assert_eq!(common::error_code(token), "ResourceNotFoundException");
    let listed = west.list_domains().send().await.unwrap();
    assert!(listed.domains().is_empty(), "{listed:?}");
    assert_eq!(east.list_domains().send().await.unwrap().domains().len(), 1);

    // A repository missing from an existing domain names both, as CodeArtifact does.
    let err = east
        .describe_repository()
        .domain("octo-org")
        .repository("nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        aws_sdk_codeartifact::error::ProvideErrorMetadata::message(&err),
        Some(
            "Repository not found. Repository 'nope' in domain 'octo-org' owned by account \
             '123456789012' does not exist."
        )
    );
}

async fn simulate_one(url: &str, role_arn: &str, action: &str) -> EvaluationResult {
    let out = common::iam(url)
        .simulate_principal_policy()
        .policy_source_arn(role_arn)
        .action_names(action)
        .resource_arns(format!(
            "arn:aws:codeartifact:us-east-1:{ACCOUNT}:package/octo-org/widgets/pypi//widgets"
        ))
        .send()
        .await
        .unwrap();
    out.evaluation_results()[0].clone()
}

#[tokio::test]
async fn role_paths_are_part_of_the_arn() {
    let sb = common::start_sandbox("complete").await;
    let iam = common::iam(sb.url());
    let trust = common::github_trust_policy("repo:octo-org/widgets:*").to_string();
    let created = iam
        .create_role()
        .role_name("Publisher")
        .path("/ci/")
        .assume_role_policy_document(&trust)
        .send()
        .await
        .unwrap();
    let arn = created.role().unwrap().arn().to_owned();
    assert_eq!(arn, format!("arn:aws:iam::{ACCOUNT}:role/ci/Publisher"));
    let got = iam.get_role().role_name("Publisher").send().await.unwrap();
    assert_eq!(got.role().unwrap().arn(), arn);
    assert_eq!(got.role().unwrap().path(), "/ci/");

    let policy = format!("arn:aws:iam::{ACCOUNT}:policy/CodeArtifact-Publish-Policy");
    iam.attach_role_policy()
        .role_name("Publisher")
        .policy_arn(&policy)
        .send()
        .await
        .unwrap();
    let with_path = simulate_one(sb.url(), &arn, "codeartifact:PublishPackageVersion").await;
    assert_eq!(with_path.eval_decision().as_str(), "allowed");
    // The ARN without the path names no role.
    let without = common::iam(sb.url())
        .simulate_principal_policy()
        .policy_source_arn(format!("arn:aws:iam::{ACCOUNT}:role/Publisher"))
        .action_names("codeartifact:PublishPackageVersion")
        .send()
        .await;
    assert_eq!(common::error_code(without), "NoSuchEntity");
}

#[tokio::test]
async fn boundaries_and_scps_take_part_in_simulation() {
    let sb = common::start_sandbox("complete").await;
    let iam = common::iam(sb.url());
    let role = format!("arn:aws:iam::{ACCOUNT}:role/GitHubActions-CodeArtifact");
    let publish = "codeartifact:PublishPackageVersion";
    let plain = simulate_one(sb.url(), &role, publish).await;
    assert_eq!(plain.eval_decision().as_str(), "allowed");
    assert!(plain.permissions_boundary_decision_detail().is_none());
    assert!(plain.organizations_decision_detail().is_none());

    // A boundary that allows reads only.
    let boundary = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["codeartifact:Get*", "codeartifact:Describe*", "codeartifact:List*", "codeartifact:ReadFromRepository", "sts:GetServiceBearerToken"], "Resource": "*"
    }]});
    let created = iam
        .create_policy()
        .policy_name("ReadOnlyBoundary")
        .policy_document(boundary.to_string())
        .send()
        .await
        .unwrap();
    let boundary_arn = created.policy().unwrap().arn().unwrap().to_owned();
    iam.put_role_permissions_boundary()
        .role_name("GitHubActions-CodeArtifact")
        .permissions_boundary(&boundary_arn)
        .send()
        .await
        .unwrap();
    let got = iam
        .get_role()
        .role_name("GitHubActions-CodeArtifact")
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.role()
            .and_then(|r| r.permissions_boundary())
            .and_then(|b| b.permissions_boundary_arn()),
        Some(boundary_arn.as_str())
    );
    let bounded = simulate_one(sb.url(), &role, publish).await;
    assert_eq!(bounded.eval_decision().as_str(), "implicitDeny");
    assert_eq!(
        bounded
            .permissions_boundary_decision_detail()
            .map(|d| d.allowed_by_permissions_boundary()),
        Some(false)
    );
    let read = simulate_one(sb.url(), &role, "codeartifact:DescribePackageVersion").await;
    assert_eq!(read.eval_decision().as_str(), "allowed");
    iam.delete_role_permissions_boundary()
        .role_name("GitHubActions-CodeArtifact")
        .send()
        .await
        .unwrap();

    // An organisation whose SCP denies publishing.
    sb.set_service_control_policies(&[json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Action": "codeartifact:PublishPackageVersion", "Resource": "*"
    }]})]);
    let denied = simulate_one(sb.url(), &role, publish).await;
    assert_eq!(denied.eval_decision().as_str(), "explicitDeny");
    assert_eq!(
        denied
            .organizations_decision_detail()
            .map(|d| d.allowed_by_organizations()),
        Some(false)
    );
    assert!(denied.permissions_boundary_decision_detail().is_none());
    let other = simulate_one(sb.url(), &role, "codeartifact:ListPackageVersions").await;
    assert_eq!(other.eval_decision().as_str(), "allowed");
    assert_eq!(
        other
            .organizations_decision_detail()
            .map(|d| d.allowed_by_organizations()),
        Some(true)
    );
}

async fn github(
    sb: &cawiz_sandbox::SandboxHandle,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", sb.github_url()))
        .bearer_auth(cawiz_sandbox::SANDBOX_GITHUB_TOKEN)
        .header("accept", "application/vnd.github+json");
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn github_answers_with_canonical_names_and_subject_settings() {
    let sb = common::start_sandbox("complete").await;
    let get = reqwest::Method::GET;
    let put = reqwest::Method::PUT;
    let (status, repo) = github(&sb, get.clone(), "/repos/Octo-Org/WIDGETS", None).await;
    assert_eq!(status, 200);
    assert_eq!(repo["full_name"], "octo-org/widgets");
    assert_eq!(repo["owner"]["login"], "octo-org");
    assert_eq!(repo["name"], "widgets");

    let sub = "/repos/octo-org/widgets/actions/oidc/customization/sub";
    let (_, claim) = github(&sb, get.clone(), sub, None).await;
    assert_eq!(
        claim,
        json!({"use_default": true, "use_immutable_subject": false, "sub_claim_prefix": "repo:octo-org/widgets"})
    );

    // The organisation opts in to immutable subjects: the repository follows.
    let org = "/orgs/octo-org/actions/oidc/customization/sub";
    let (_, template) = github(&sb, get.clone(), org, None).await;
    assert_eq!(
        template,
        json!({"include_claim_keys": [], "use_immutable_subject": false})
    );
    let (status, _) = github(
        &sb,
        put.clone(),
        org,
        Some(json!({"use_immutable_subject": true, "include_claim_keys": ["repo", "context", "job_workflow_ref"]})),
    )
    .await;
    assert_eq!(status, 201);
    let (_, claim) = github(&sb, get.clone(), sub, None).await;
    assert_eq!(claim["use_immutable_subject"], true);
    assert_eq!(
        claim["sub_claim_prefix"],
        "repo:octo-org@90210042/widgets@712398456"
    );
    assert_eq!(
        claim["use_default"], true,
        "the org template needs the repository's opt-in"
    );

    // The repository opts in to the organisation's template (no keys of its own) …
    let (status, _) = github(&sb, put.clone(), sub, Some(json!({"use_default": false}))).await;
    assert_eq!(status, 201);
    let (_, claim) = github(&sb, get.clone(), sub, None).await;
    assert_eq!(claim["use_default"], false);
    assert!(claim.get("include_claim_keys").is_none(), "{claim}");
    // … then sets its own, and opts out of immutable subjects.
    let (status, _) = github(
        &sb,
        put.clone(),
        sub,
        Some(json!({"use_default": false, "include_claim_keys": ["repo", "context"], "use_immutable_subject": false})),
    )
    .await;
    assert_eq!(status, 201);
    let (_, claim) = github(&sb, get.clone(), sub, None).await;
    assert_eq!(claim["include_claim_keys"], json!(["repo", "context"]));
    assert_eq!(claim["sub_claim_prefix"], "repo:octo-org/widgets");

    // Claims GitHub does not know are refused; so is a body without use_default.
    let (status, body) = github(
        &sb,
        put.clone(),
        sub,
        Some(json!({"use_default": false, "include_claim_keys": ["colour"]})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = github(&sb, put, sub, Some(json!({}))).await;
    assert_eq!(status, 422);

    // A repository created since immutable subjects became the default reports the immutable
    // prefix while it never opted in.
    assert!(sb.set_github_immutable_subject("octo-org", "gadgets", true));
    let (_, claim) = github(
        &sb,
        get,
        "/repos/octo-org/gadgets/actions/oidc/customization/sub",
        None,
    )
    .await;
    assert_eq!(claim["use_immutable_subject"], true, "the org opted in");
    assert!(
        claim["sub_claim_prefix"]
            .as_str()
            .unwrap()
            .starts_with("repo:octo-org@90210042/gadgets@")
    );
}

#[tokio::test]
async fn a_forbidden_customization_endpoint_answers_like_github() {
    let sb = common::start_sandbox_with_faults("complete", &["GitHub:GetOidcSubClaim=403"]).await;
    let (status, body) = github(
        &sb,
        reqwest::Method::GET,
        "/repos/octo-org/widgets/actions/oidc/customization/sub",
        None,
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        body["message"],
        "Resource not accessible by personal access token"
    );
}

#[tokio::test]
async fn a_bad_token_can_be_answered_with_404() {
    for (faults, expected) in [(vec![], 401), (vec!["PypiBadToken=404"], 404)] {
        let sb = common::start_sandbox_with_faults("complete", &faults).await;
        let url = format!(
            "{}/octo-org-{ACCOUNT}/pypi/widgets/simple/widgets/",
            sb.url()
        );
        let status = reqwest::Client::new()
            .get(&url)
            .basic_auth("aws", Some("not-a-token"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert_eq!(status, expected, "{faults:?}");
    }
}
