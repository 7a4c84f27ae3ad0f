use serde_json::json;

use super::*;
use crate::setup::{Setup, SubjectScope};

const ACCOUNT: &str = "123456789012";

fn setup() -> Setup {
    Setup::for_github("octo-org", "widgets")
}

fn trust_with_sub(op: &str, sub: Value) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Federated": oidc_provider_arn(ACCOUNT) },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                op: { "token.actions.githubusercontent.com:sub": sub }
            }
        }]
    })
}

#[test]
fn permissions_policy_equals_the_complete_scenarios() {
    let scenario: Value = serde_json::from_str(
        &include_str!("../../crates/sandbox/assets/scenarios/complete.json")
            .replace("${ACCOUNT_ID}", ACCOUNT)
            .replace("${REGION}", "us-east-1"),
    )
    .unwrap();
    assert_eq!(
        permissions_policy(&setup(), ACCOUNT),
        scenario["policies"][0]["document"]
    );
    let role_trust = &scenario["roles"][0]["trust_policy"];
    assert_eq!(
        &trust_policy(&setup(), ACCOUNT, &SubjectFormat::Classic),
        role_trust
    );
}

#[test]
fn trust_policy_subjects_per_scope_and_format() {
    let mut s = setup();
    let doc = trust_policy(&s, ACCOUNT, &SubjectFormat::Classic);
    assert_eq!(
        doc["Statement"][0]["Condition"]["StringLike"]["token.actions.githubusercontent.com:sub"],
        "repo:octo-org/widgets:*"
    );
    s.scope = SubjectScope::Branch("main".into());
    let doc = trust_policy(
        &s,
        ACCOUNT,
        &SubjectFormat::Immutable {
            owner_id: 42,
            repo_id: 7,
        },
    );
    assert_eq!(
        doc["Statement"][0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"],
        "repo:octo-org@42/widgets@7:ref:refs/heads/main"
    );
    assert_eq!(
        doc["Statement"][0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:aud"],
        "sts.amazonaws.com"
    );
    assert!(
        lint_trust_policy(
            &doc,
            &s,
            ACCOUNT,
            &SubjectFormat::Immutable {
                owner_id: 42,
                repo_id: 7
            }
        )
        .is_empty()
    );
}

#[test]
fn arns() {
    let s = setup();
    assert_eq!(
        domain_arn(&s, ACCOUNT),
        "arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org"
    );
    assert_eq!(
        repository_arn(&s, ACCOUNT, "widgets"),
        "arn:aws:codeartifact:us-east-1:123456789012:repository/octo-org/widgets"
    );
    assert_eq!(
        package_arn(&s, ACCOUNT, "widgets"),
        "arn:aws:codeartifact:us-east-1:123456789012:package/octo-org/widgets/pypi//widgets"
    );
}

#[test]
fn parses_url_encoded_and_plain_documents() {
    let doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]});
    let plain = doc.to_string();
    let encoded = urlencoding::encode(&plain).into_owned();
    assert!(encoded.starts_with("%7B"));
    assert_eq!(parse_document(&encoded).unwrap(), doc);
    assert_eq!(parse_document(&plain).unwrap(), doc);
    let with_percent = json!({"Statement": [{"Sid": "100%"}]});
    assert_eq!(
        parse_document(&with_percent.to_string()).unwrap(),
        with_percent
    );
    assert!(parse_document("%7Bnot json").is_err());
}

#[test]
fn lint_accepts_the_right_trust_policy() {
    let doc = trust_policy(&setup(), ACCOUNT, &SubjectFormat::Classic);
    assert_eq!(
        lint_trust_policy(&doc, &setup(), ACCOUNT, &SubjectFormat::Classic),
        vec![]
    );
}

#[test]
fn lint_catches_the_guides_wrong_repository() {
    let mut s = Setup::for_github("acme-geo", "earth-polychromatic-api");
    s.domain = "acme-geo".into();
    let doc = trust_with_sub(
        "StringLike",
        json!("repo:acme-geo/earth-polychromatic-images:*"),
    );
    let findings = lint_trust_policy(&doc, &s, ACCOUNT, &SubjectFormat::Classic);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].severity, Severity::Error);
    assert!(
        findings[0].message.contains("different repository"),
        "{}",
        findings[0].message
    );
    assert!(
        findings[0]
            .fix
            .contains("repo:acme-geo/earth-polychromatic-api:*")
    );
}

#[test]
fn wildcard_subjects_are_critical() {
    for sub in [
        json!("repo:*"),
        json!("*"),
        json!("repo:octo-org/*"),
        json!("repo:octo-org/widget?:*"),
        json!(["repo:octo-org/widgets:*", "repo:*:*"]),
    ] {
        let findings = lint_trust_policy(
            &trust_with_sub("StringLike", sub.clone()),
            &setup(),
            ACCOUNT,
            &SubjectFormat::Classic,
        );
        assert_eq!(
            findings.first().map(|f| f.severity),
            Some(Severity::Critical),
            "{sub}: {findings:?}"
        );
    }
    // The same text under StringEquals is a literal, not a wildcard: wrong, but not open to all.
    let findings = lint_trust_policy(
        &trust_with_sub("StringEquals", json!("repo:*")),
        &setup(),
        ACCOUNT,
        &SubjectFormat::Classic,
    );
    assert_eq!(findings.first().map(|f| f.severity), Some(Severity::Error));
}

#[test]
fn missing_sub_condition_is_critical_and_other_mistakes_are_errors() {
    let mut doc = trust_policy(&setup(), ACCOUNT, &SubjectFormat::Classic);
    doc["Statement"][0]["Condition"]
        .as_object_mut()
        .unwrap()
        .remove("StringLike");
    let f = lint_trust_policy(&doc, &setup(), ACCOUNT, &SubjectFormat::Classic);
    assert_eq!(f[0].severity, Severity::Critical);
    assert!(f[0].message.contains("ANY GitHub repository"));

    let mut doc = trust_policy(&setup(), ACCOUNT, &SubjectFormat::Classic);
    doc["Statement"][0]["Condition"]["StringEquals"] = json!({});
    let f = lint_trust_policy(&doc, &setup(), ACCOUNT, &SubjectFormat::Classic);
    assert!(f.iter().any(|f| f.message.contains(":aud")), "{f:?}");

    let mut doc = trust_policy(&setup(), ACCOUNT, &SubjectFormat::Classic);
    doc["Statement"][0]["Principal"]["Federated"] =
        json!("arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com");
    let f = lint_trust_policy(&doc, &setup(), ACCOUNT, &SubjectFormat::Classic);
    assert!(f[0].message.contains("Federated principal"), "{f:?}");

    let doc = json!({"Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}});
    let f = lint_trust_policy(&doc, &setup(), ACCOUNT, &SubjectFormat::Classic);
    assert!(f[0].message.contains("AssumeRoleWithWebIdentity"));
}

#[test]
fn classic_subject_fails_for_immutable_repositories() {
    let doc = trust_policy(&setup(), ACCOUNT, &SubjectFormat::Classic);
    let f = lint_trust_policy(
        &doc,
        &setup(),
        ACCOUNT,
        &SubjectFormat::Immutable {
            owner_id: 1,
            repo_id: 2,
        },
    );
    assert!(f.iter().any(|f| f.message.contains("immutable")), "{f:?}");
}

#[test]
fn narrower_scope_than_configured_is_reported() {
    let doc = trust_with_sub(
        "StringEquals",
        json!("repo:octo-org/widgets:ref:refs/heads/main"),
    );
    let f = lint_trust_policy(&doc, &setup(), ACCOUNT, &SubjectFormat::Classic);
    assert!(
        f.iter().any(|f| f.message.contains("configured scope")),
        "{f:?}"
    );
}

#[test]
fn glob() {
    assert!(glob_match("repo:o/r:*", "repo:o/r:ref:refs/heads/main"));
    assert!(glob_match("a?c", "abc"));
    assert!(glob_match("*", ""));
    assert!(glob_match("a*b*c", "a-x-b-y-c"));
    assert!(!glob_match("a*b", "a-x-c"));
    assert!(!glob_match("repo:o/r:*", "repo:o/rx:ref"));
}

#[test]
fn diff_marks_changed_lines() {
    let a = json!({"Action": "sts:AssumeRoleWithWebIdentity", "Sub": "repo:o/api:*"});
    assert!(diff_json(&a, &a).is_empty());
    let b = json!({"Action": "sts:AssumeRoleWithWebIdentity", "Sub": "repo:o/images:*"});
    let d = diff_json(&a, &b);
    let rendered: Vec<String> = d.iter().map(DiffLine::render).collect();
    assert!(
        rendered.contains(&"+   \"Sub\": \"repo:o/api:*\"".to_owned()),
        "{rendered:?}"
    );
    assert!(
        rendered.contains(&"-   \"Sub\": \"repo:o/images:*\"".to_owned()),
        "{rendered:?}"
    );
    assert!(
        rendered.contains(&"    \"Action\": \"sts:AssumeRoleWithWebIdentity\",".to_owned()),
        "{rendered:?}"
    );
}
