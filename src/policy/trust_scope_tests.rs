//! The trust evaluator's rules, as STS applies them: statement by statement, operators ANDed
//! and values ORed, Deny and negated operators, no audience condition, wildcards by matching,
//! runs outside the scope.

use serde_json::json;

use super::eval::Tri;
use super::tests::classic;
use super::trust_tests::{ACCOUNT, SUB, provider, review, statement, trust};
use super::*;
use crate::setup::{Setup, SubjectScope};

#[test]
fn a_trust_without_an_audience_condition_works_with_a_hardening_warning() {
    let mut doc = trust("StringLike", json!("repo:octo-org/widgets:*"));
    doc["Statement"][0]["Condition"]
        .as_object_mut()
        .unwrap()
        .remove("StringEquals");
    let r = review(&doc, &classic());
    assert!(r.accepts(), "{r:?}");
    assert!(!r.parts.audience_checked);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    assert_eq!(r.findings[0].severity, Severity::Warning);
    assert!(
        r.findings[0]
            .message
            .contains("no token.actions.githubusercontent.com:aud")
    );
}

#[test]
fn and_is_not_read_as_or() {
    // StringEquals main AND StringLike any ref: only main is accepted, so the scope "all" is not.
    let mut doc = trust("StringLike", json!("repo:octo-org/widgets:*"));
    doc["Statement"][0]["Condition"]["StringEquals"][SUB] =
        json!("repo:octo-org/widgets:ref:refs/heads/main");
    assert_eq!(review(&doc, &classic()).acceptance, Tri::No);
    let main = SubjectScope::Branch("main".into());
    let r = review_trust(&doc, &classic(), &main, &provider(), OIDC_AUDIENCE);
    assert!(r.accepts(), "{r:?}");
    // The AND with a wildcard condition does not open the door: the statement is pinned to us.
    let mut pinned = trust("StringLike", json!("repo:*"));
    pinned["Statement"][0]["Condition"]["StringEquals"][SUB] =
        json!("repo:octo-org/widgets:ref:refs/heads/main");
    let r = review_trust(&pinned, &classic(), &main, &provider(), OIDC_AUDIENCE);
    assert!(r.wildcards.is_empty() && r.accepts(), "{r:?}");
}

#[test]
fn parts_come_from_one_statement() {
    // A: right audience, another repository; B: wrong audience, this repository.
    let a = statement("StringLike", json!("repo:octo-org/gadgets:*"));
    let mut b = statement("StringLike", json!("repo:octo-org/widgets:*"));
    b["Condition"]["StringEquals"]["token.actions.githubusercontent.com:aud"] =
        json!("https://github.com/octo-org");
    let doc = json!({"Version": "2012-10-17", "Statement": [a, b]});
    let r = review(&doc, &classic());
    assert_eq!(r.acceptance, Tri::No);
    assert_eq!(r.parts.statement, Some(1), "the statement meant for us");
    assert_eq!(r.parts.audience, Tri::No);
    assert_eq!(r.parts.subject, Tri::Yes);
    assert_eq!(r.parts.principal, Tri::Yes);
}

#[test]
fn deny_statements_and_negated_operators_count() {
    let mut doc = trust("StringLike", json!("repo:octo-org/widgets:*"));
    doc["Statement"].as_array_mut().unwrap().push(
        json!({"Effect": "Deny", "Principal": {"Federated": provider()},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringLike": {SUB: "*:pull_request"}}}),
    );
    let r = review(&doc, &classic());
    assert_eq!(
        r.acceptance,
        Tri::No,
        "pull requests are refused: not every run of 'all'"
    );
    assert_eq!(r.parts.denied_by.as_deref(), Some("statement 2"));
    let tags = review_trust(
        &doc,
        &classic(),
        &SubjectScope::Tags,
        &provider(),
        OIDC_AUDIENCE,
    );
    assert_eq!(tags.acceptance, Tri::Yes);
    let mut not_like = trust("StringLike", json!("repo:octo-org/widgets:*"));
    not_like["Statement"][0]["Condition"]["StringNotLike"] =
        json!({SUB: "repo:octo-org/widgets:ref:refs/tags/*"});
    let r = review_trust(
        &not_like,
        &classic(),
        &SubjectScope::Tags,
        &provider(),
        OIDC_AUDIENCE,
    );
    assert_eq!(r.acceptance, Tri::No);
}

#[test]
fn wildcards_are_decided_by_matching() {
    for sub in [
        "repo*",
        "rep?:*",
        "repo:octo-*",
        "repo:octo-org/widgets*",
        "*widgets*",
    ] {
        let r = review(&trust("StringLike", json!(sub)), &classic());
        assert_eq!(r.wildcards, vec![sub.to_owned()], "{sub}: {r:?}");
        assert_eq!(
            r.findings.first().map(|f| f.severity),
            Some(Severity::Critical),
            "{sub}"
        );
    }
    for sub in [
        "repo:octo-org/widgets:*",
        "repo:octo-org/widgets:ref:refs/*",
    ] {
        assert!(
            review(&trust("StringLike", json!(sub)), &classic())
                .wildcards
                .is_empty()
        );
    }
}

#[test]
fn a_trust_broader_than_the_scope_is_a_warning_with_a_narrowing() {
    let env = SubjectScope::Environment("prod".into());
    let doc = trust(
        "StringLike",
        json!(["repo:octo-org/gadgets:*", "repo:octo-org/widgets:*"]),
    );
    let r = review_trust(&doc, &classic(), &env, &provider(), OIDC_AUDIENCE);
    assert!(r.accepts(), "{r:?}");
    assert!(r.broader.iter().any(|b| b.contains("branch main")), "{r:?}");
    let warning = r
        .findings
        .iter()
        .find(|f| f.message.contains("broader than the scope"))
        .expect("a warning");
    assert_eq!(warning.severity, Severity::Warning);
    assert!(warning.message.contains("repo:octo-org/widgets:*"));
    let expected = classic().expected(&env);
    let statement = trust_statement(
        &Setup {
            scope: env.clone(),
            ..Setup::for_github("octo-org", "widgets")
        },
        ACCOUNT,
        &classic(),
    );
    let narrowed = narrow_to_scope(
        &doc,
        &classic(),
        &r.broader_subjects,
        &statement,
        &expected,
        &provider(),
    )
    .expect("narrowed");
    assert_eq!(
        narrowed["Statement"][0]["Condition"]["StringLike"][SUB],
        json!(["repo:octo-org/gadgets:*", expected]),
        "the other repository's subject stays"
    );
    let after = review_trust(&narrowed, &classic(), &env, &provider(), OIDC_AUDIENCE);
    assert!(after.accepts() && after.broader.is_empty(), "{after:?}");
    // Nothing outside "all".
    assert!(review(&doc, &classic()).broader.is_empty());
}
