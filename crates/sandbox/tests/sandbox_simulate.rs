//! SimulatePrincipalPolicy on the sandbox (moto has no simulation: sandbox only, written from the
//! AWS API reference).
mod common;

use aws_sdk_iam::types::{ContextEntry, ContextKeyTypeEnum, EvaluationResult};
use serde_json::json;

const ACCOUNT: &str = "123456789012";
const ROLE: &str = "GitHubActions-CodeArtifact";
const POLICY: &str = "CodeArtifact-Publish-Policy";

const REGION_ACCOUNT: &str = "us-east-1:123456789012";
const SERVICE_KEY: &str = "sts:AWSServiceName";

fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

/// SimulatePrincipalPolicy; `context` gives `sts:AWSServiceName` values when present.
async fn simulate(
    url: &str,
    role: &str,
    actions: &[&str],
    resources: &[&str],
    context: Option<&str>,
) -> Result<Vec<EvaluationResult>, String> {
    let mut request = common::iam(url)
        .simulate_principal_policy()
        .policy_source_arn(role);
    for action in actions {
        request = request.action_names(*action);
    }
    for resource in resources {
        request = request.resource_arns(*resource);
    }
    if let Some(value) = context {
        request = request.context_entries(
            ContextEntry::builder()
                .context_key_name(SERVICE_KEY)
                .context_key_values(value)
                .context_key_type(ContextKeyTypeEnum::String)
                .build(),
        );
    }
    match request.send().await {
        Ok(out) => {
            assert!(!out.is_truncated());
            Ok(out.evaluation_results().to_vec())
        }
        Err(e) => Err(common::error_code::<(), _>(Err(e))),
    }
}

fn decisions(results: &[EvaluationResult]) -> Vec<(&str, &str, &str)> {
    results
        .iter()
        .map(|r| {
            let resource = r.eval_resource_name().unwrap_or("");
            (r.eval_action_name(), resource, r.eval_decision().as_str())
        })
        .collect()
}

/// The text a matched statement's Start/EndPosition delimit in `doc` (1-based; end exclusive).
fn statement_text(doc: &str, result: &EvaluationResult) -> String {
    let statement = &result.matched_statements()[0];
    let (start, end) = (
        statement.start_position().expect("StartPosition"),
        statement.end_position().expect("EndPosition"),
    );
    let offset = |line: i32, column: i32| -> usize {
        let before: usize = doc
            .split_inclusive('\n')
            .take(usize::try_from(line - 1).expect("line"))
            .map(str::len)
            .sum();
        before + usize::try_from(column - 1).expect("column")
    };
    doc[offset(start.line(), start.column())..offset(end.line(), end.column())].to_owned()
}

/// The `v1` document of a managed policy as GetPolicyVersion returns it (URL-encoded).
async fn encoded_policy_document(url: &str, name: &str) -> String {
    let out = common::iam(url)
        .get_policy_version()
        .policy_arn(format!("arn:aws:iam::{ACCOUNT}:policy/{name}"))
        .version_id("v1")
        .send()
        .await
        .expect("GetPolicyVersion");
    out.policy_version()
        .and_then(|v| v.document())
        .expect("doc")
        .to_owned()
}

async fn policy_document(url: &str, name: &str) -> String {
    let doc = encoded_policy_document(url, name).await;
    urlencoding::decode(&doc).expect("URL-encoded").into_owned()
}

/// The SPEC's checks: each publish action on the ARN it needs.
fn publish_checks() -> Vec<(&'static str, String)> {
    let base = format!("arn:aws:codeartifact:{REGION_ACCOUNT}");
    let domain = format!("{base}:domain/octo-org");
    let repo = format!("{base}:repository/octo-org/widgets");
    let package = format!("{base}:package/octo-org/widgets/pypi//widgets");
    let on = |arn: &String, actions: &[&'static str]| -> Vec<(&'static str, String)> {
        actions.iter().map(|a| (*a, arn.clone())).collect()
    };
    [
        on(&domain, &["GetAuthorizationToken", "DescribeDomain"]),
        on(
            &repo,
            &[
                "ReadFromRepository",
                "GetRepositoryEndpoint",
                "DescribeRepository",
                "ListPackages",
            ],
        ),
        on(
            &package,
            &[
                "PublishPackageVersion",
                "PutPackageMetadata",
                "DescribePackageVersion",
                "ListPackageVersions",
            ],
        ),
    ]
    .concat()
}

#[tokio::test]
async fn documents_come_back_url_encoded() {
    let sb = common::start_sandbox("complete").await;
    let iam = common::iam(sb.url());
    let got = iam
        .get_role()
        .role_name(ROLE)
        .send()
        .await
        .expect("GetRole");
    let raw = got
        .role()
        .and_then(|r| r.assume_role_policy_document())
        .expect("trust");
    assert!(raw.starts_with("%7B") && !raw.contains('{'), "{raw}");
    let trust = common::decode_policy(raw);
    assert_eq!(
        trust["Statement"][0]["Condition"]["StringLike"]["token.actions.githubusercontent.com:sub"],
        "repo:octo-org/widgets:*"
    );
    let raw = encoded_policy_document(sb.url(), POLICY).await;
    assert!(raw.starts_with("%7B") && !raw.contains('"'), "{raw}");
}

#[tokio::test]
async fn simulation_allows_the_publish_policy_on_the_right_arns() {
    let sb = common::start_sandbox("complete").await;
    let doc = policy_document(sb.url(), POLICY).await;
    for (action, arn) in publish_checks() {
        let action = format!("codeartifact:{action}");
        let results = simulate(sb.url(), &role_arn(ROLE), &[&action], &[&arn], None).await;
        let results = results.expect("SimulatePrincipalPolicy");
        assert_eq!(
            decisions(&results),
            [(action.as_str(), arn.as_str(), "allowed")]
        );
        let statement = &results[0].matched_statements()[0];
        assert_eq!(statement.source_policy_id(), Some(POLICY));
        assert_eq!(
            statement.source_policy_type().map(|t| t.as_str()),
            Some("IAM Policy")
        );
        let text = statement_text(&doc, &results[0]);
        assert!(text.starts_with('{') && text.ends_with('}'), "{text}");
        assert!(text.contains("\"CodeArtifactPublish\""), "{text}");
        assert!(results[0].missing_context_values().is_empty());
    }
    let token = "sts:GetServiceBearerToken";
    let results = simulate(
        sb.url(),
        &role_arn(ROLE),
        &[token],
        &[],
        Some("codeartifact.amazonaws.com"),
    )
    .await;
    let results = results.expect("SimulatePrincipalPolicy");
    assert_eq!(decisions(&results), [(token, "*", "allowed")]);
    assert!(statement_text(&doc, &results[0]).contains("\"CodeArtifactBearerToken\""));
    assert!(results[0].missing_context_values().is_empty());
}

#[tokio::test]
async fn simulation_denies_what_the_policy_does_not_grant() {
    let sb = common::start_sandbox("complete").await;
    let role = role_arn(ROLE);
    let other_domain = format!("arn:aws:codeartifact:{REGION_ACCOUNT}:domain/other-org");
    let other_region = format!("arn:aws:codeartifact:eu-west-1:{ACCOUNT}:domain/octo-org");
    let action = "codeartifact:GetAuthorizationToken";
    let results = simulate(
        sb.url(),
        &role,
        &[action],
        &[&other_domain, &other_region],
        None,
    )
    .await;
    let results = results.expect("SimulatePrincipalPolicy");
    // One member per (action, resource): the sandbox flattens AWS's ResourceSpecificResults.
    assert_eq!(
        decisions(&results),
        [
            (action, other_domain.as_str(), "implicitDeny"),
            (action, other_region.as_str(), "implicitDeny")
        ]
    );
    assert!(results.iter().all(|r| r.matched_statements().is_empty()));
    let deleted = simulate(
        sb.url(),
        &role,
        &["codeartifact:DeleteDomain"],
        &[&other_domain],
        None,
    )
    .await;
    assert_eq!(decisions(&deleted.expect("simulate"))[0].2, "implicitDeny");

    let token = "sts:GetServiceBearerToken";
    let wrong = simulate(sb.url(), &role, &[token], &[], Some("s3.amazonaws.com")).await;
    let wrong = wrong.expect("simulate");
    assert_eq!(decisions(&wrong), [(token, "*", "implicitDeny")]);
    assert!(wrong[0].missing_context_values().is_empty());
    let missing = simulate(sb.url(), &role, &[token], &[], None)
        .await
        .expect("simulate");
    assert_eq!(decisions(&missing), [(token, "*", "implicitDeny")]);
    assert_eq!(missing[0].missing_context_values(), [SERVICE_KEY]);
}

#[tokio::test]
async fn simulation_explicit_deny_wins() {
    let sb = common::start_sandbox("complete").await;
    let iam = common::iam(sb.url());
    let deny = json!({"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "codeartifact:Publish*", "Resource": "*"}});
    iam.create_policy()
        .policy_name("NoPublish")
        .policy_document(deny.to_string())
        .send()
        .await
        .expect("CreatePolicy");
    let deny_arn = format!("arn:aws:iam::{ACCOUNT}:policy/NoPublish");
    iam.attach_role_policy()
        .role_name(ROLE)
        .policy_arn(&deny_arn)
        .send()
        .await
        .expect("Attach");
    let package =
        format!("arn:aws:codeartifact:{REGION_ACCOUNT}:package/octo-org/widgets/pypi//widgets");
    let actions = [
        "codeartifact:PublishPackageVersion",
        "codeartifact:PutPackageMetadata",
    ];
    let results = simulate(sb.url(), &role_arn(ROLE), &actions, &[&package], None).await;
    let results = results.expect("SimulatePrincipalPolicy");
    assert_eq!(
        decisions(&results),
        [
            (actions[0], package.as_str(), "explicitDeny"),
            (actions[1], package.as_str(), "allowed")
        ]
    );
    let ids: Vec<_> = results[0]
        .matched_statements()
        .iter()
        .map(|s| s.source_policy_id())
        .collect();
    assert_eq!(ids, [Some("NoPublish")]);
}

#[tokio::test]
async fn simulation_reports_exact_statement_positions() {
    let sb = common::start_sandbox("empty").await;
    let iam = common::iam(sb.url());
    let trust = common::github_trust_policy("repo:o/r:*").to_string();
    iam.create_role()
        .role_name("R")
        .assume_role_policy_document(trust)
        .send()
        .await
        .expect("CreateRole");
    let doc = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:List*\", \"Resource\": \"*\"},\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:Get*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}";
    iam.create_policy()
        .policy_name("P")
        .policy_document(doc)
        .send()
        .await
        .expect("CreatePolicy");
    let arn = format!("arn:aws:iam::{ACCOUNT}:policy/P");
    iam.attach_role_policy()
        .role_name("R")
        .policy_arn(arn)
        .send()
        .await
        .expect("Attach");
    let results = simulate(
        sb.url(),
        &role_arn("R"),
        &["s3:ListBucket", "s3:GetObject"],
        &[],
        None,
    )
    .await;
    let results = results.expect("SimulatePrincipalPolicy");
    let at = |r: &EvaluationResult| {
        let s = &r.matched_statements()[0];
        let (a, b) = (
            s.start_position().expect("start"),
            s.end_position().expect("end"),
        );
        ((a.line(), a.column()), (b.line(), b.column()))
    };
    assert_eq!(at(&results[0]), ((4, 5), (4, 63)));
    assert_eq!(at(&results[1]), ((5, 5), (9, 6)));
}

#[tokio::test]
async fn simulation_of_an_unknown_role_is_no_such_entity() {
    let sb = common::start_sandbox("complete").await;
    let result = simulate(sb.url(), &role_arn("Nope"), &["s3:GetObject"], &[], None).await;
    assert_eq!(result.err().as_deref(), Some("NoSuchEntity"));
    let other_account = "arn:aws:iam::210987654321:role/GitHubActions-CodeArtifact";
    let result = simulate(sb.url(), other_account, &["s3:GetObject"], &[], None).await;
    assert_eq!(result.err().as_deref(), Some("NoSuchEntity"));
}

#[tokio::test]
async fn simulation_of_the_guide_scenario_denies_everything() {
    let sb = common::start_sandbox("guide").await;
    let role = role_arn(ROLE);
    for (action, arn) in publish_checks() {
        let arn = arn
            .replace("octo-org", "acme-geo")
            .replace("widgets", "earth-polychromatic-api");
        let action = format!("codeartifact:{action}");
        let results = simulate(sb.url(), &role, &[&action], &[&arn], None)
            .await
            .expect("simulate");
        assert_eq!(
            decisions(&results),
            [(action.as_str(), arn.as_str(), "implicitDeny")]
        );
        assert!(results[0].matched_statements().is_empty());
    }
    let token = "sts:GetServiceBearerToken";
    let results = simulate(
        sb.url(),
        &role,
        &[token],
        &[],
        Some("codeartifact.amazonaws.com"),
    )
    .await;
    assert_eq!(
        decisions(&results.expect("simulate")),
        [(token, "*", "implicitDeny")]
    );
}
