//! Subjects as GitHub sends them, and trust policies judged by whether they accept them.

use serde_json::{Value, json};

use super::eval::Tri;
use super::tests::classic;
use super::*;
use crate::setup::{Setup, SubjectScope};

pub(super) const ACCOUNT: &str = "123456789012";
pub(super) const SUB: &str = "token.actions.githubusercontent.com:sub";

pub(super) fn provider() -> String {
    oidc_provider_arn("us-east-1", ACCOUNT)
}

pub(super) fn statement(op: &str, sub: Value) -> Value {
    json!({
        "Effect": "Allow",
        "Principal": { "Federated": provider() },
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
            op: { SUB: sub }
        }
    })
}

pub(super) fn trust(op: &str, sub: Value) -> Value {
    json!({ "Version": "2012-10-17", "Statement": [statement(op, sub)] })
}

pub(super) fn review(doc: &Value, rules: &SubjectRules) -> TrustReview {
    review_trust(
        doc,
        rules,
        &SubjectScope::AllRefs,
        &provider(),
        OIDC_AUDIENCE,
    )
}

/// Whether STS accepts every run of `scope` under a trust of one `sub` value.
fn accepts(rules: &SubjectRules, pattern: &str, like: bool, scope: &SubjectScope) -> bool {
    let doc = subject_trust_policy(&provider(), &[(pattern, like)]);
    review_trust(&doc, rules, scope, &provider(), OIDC_AUDIENCE).accepts()
}

fn unconfirmed() -> SubjectRules {
    SubjectRules::unconfirmed(&Setup::for_github("Octo-Org", "Widgets"), "no token")
}

#[test]
fn expected_subjects_per_format_and_scope() {
    let rules = classic();
    assert_eq!(
        rules.expected(&SubjectScope::AllRefs),
        "repo:octo-org/widgets:*"
    );
    assert_eq!(
        rules.expected(&SubjectScope::Branch("main".into())),
        "repo:octo-org/widgets:ref:refs/heads/main"
    );
    assert_eq!(
        rules.expected(&SubjectScope::Tags),
        "repo:octo-org/widgets:ref:refs/tags/*"
    );
    assert_eq!(
        rules.expected(&SubjectScope::PullRequests),
        "repo:octo-org/widgets:pull_request"
    );
    assert_eq!(
        rules.expected(&SubjectScope::Environment("prod:eu".into())),
        "repo:octo-org/widgets:environment:prod%3Aeu",
        "a ':' in a value is sent as %3A"
    );
    let immutable = SubjectRules {
        ids: Some((90210042, 712398456)),
        ..classic()
    };
    assert_eq!(
        immutable.expected(&SubjectScope::AllRefs),
        "repo:octo-org@90210042/widgets@712398456:*"
    );
    let custom = SubjectRules {
        claim_keys: Some(vec![
            "repo".into(),
            "context".into(),
            "job_workflow_ref".into(),
        ]),
        ..classic()
    };
    assert_eq!(
        custom.expected(&SubjectScope::Environment("prod".into())),
        "repo:octo-org/widgets:environment:prod:job_workflow_ref:*"
    );
    let owner_only = SubjectRules {
        claim_keys: Some(vec!["repository_owner".into(), "repository_id".into()]),
        ids: Some((1, 2)),
        ..classic()
    };
    assert_eq!(
        owner_only.expected(&SubjectScope::AllRefs),
        "repository_owner:octo-org:repository_id:2"
    );
}

#[test]
fn confirmed_subjects_are_exact_about_case_and_form() {
    let rules = classic();
    let all = SubjectScope::AllRefs;
    assert!(accepts(&rules, "repo:octo-org/widgets:*", true, &all));
    assert!(
        !accepts(&rules, "repo:Octo-Org/Widgets:*", true, &all),
        "IAM is case-sensitive"
    );
    assert!(
        !accepts(&rules, "repo:octo-org/widgets:*", false, &all),
        "a literal * never matches"
    );
    let main = SubjectScope::Branch("main".into());
    assert!(accepts(
        &rules,
        "repo:octo-org/widgets:ref:refs/heads/main",
        false,
        &main
    ));
    assert!(
        !accepts(
            &rules,
            "repo:octo-org/widgets:ref:refs/heads/main",
            true,
            &all
        ),
        "narrower"
    );
    let immutable = SubjectRules {
        ids: Some((1, 2)),
        ..classic()
    };
    assert!(accepts(
        &immutable,
        "repo:octo-org@1/widgets@2:*",
        true,
        &all
    ));
    assert!(
        !accepts(&immutable, "repo:octo-org/widgets:*", true, &all),
        "GitHub sends the ids"
    );
    assert!(!accepts(
        &immutable,
        "repo:octo-org@9/widgets@2:*",
        true,
        &all
    ));
}

#[test]
fn unconfirmed_subjects_accept_either_form_in_any_case() {
    let rules = unconfirmed();
    let all = SubjectScope::AllRefs;
    for pattern in [
        "repo:Octo-Org/Widgets:*",
        "repo:octo-org/widgets:*",
        "repo:octo-org@90210042/widgets@712398456:*",
    ] {
        assert!(accepts(&rules, pattern, true, &all), "{pattern}");
    }
    assert!(!accepts(&rules, "repo:octo-org/gadgets:*", true, &all));
    assert!(!accepts(&rules, "repo:octo-org@x/widgets@1:*", true, &all));
    assert!(rules.describe(&all).contains("no token"));
    // Canonical names read, format unread: names exact, either form.
    let names_only = SubjectRules {
        canonical: true,
        owner: "octo-org".into(),
        repo: "widgets".into(),
        ..unconfirmed()
    };
    assert!(accepts(
        &names_only,
        "repo:octo-org@1/widgets@2:*",
        true,
        &all
    ));
    assert!(!accepts(&names_only, "repo:Octo-Org/Widgets:*", true, &all));
}

#[test]
fn the_right_policy_is_accepted_without_findings() {
    let doc = trust_policy(
        &Setup::for_github("octo-org", "widgets"),
        ACCOUNT,
        &classic(),
    );
    let r = review(&doc, &classic());
    assert!(r.accepts(), "{r:?}");
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn other_repositories_are_facts_and_a_shared_role_that_trusts_us_is_fine() {
    let shared = trust(
        "StringLike",
        json!(["repo:octo-org/gadgets:*", "repo:octo-org/widgets:*"]),
    );
    let r = review(&shared, &classic());
    assert!(r.accepts() && r.findings.is_empty(), "{r:?}");
    assert_eq!(r.others, vec!["repo:octo-org/gadgets:*"]);

    let not_us = trust(
        "StringLike",
        json!("repo:acme-geo/earth-polychromatic-images:*"),
    );
    let rules = SubjectRules {
        owner: "acme-geo".into(),
        repo: "earth-polychromatic-api".into(),
        ..classic()
    };
    let r = review(&not_us, &rules);
    assert!(!r.accepts());
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    assert_eq!(r.findings[0].severity, Severity::Error);
    assert!(r.findings[0].message.contains("earth-polychromatic-images"));
    assert!(
        r.findings[0]
            .fix
            .contains("repo:acme-geo/earth-polychromatic-api:*")
    );
}

#[test]
fn wildcards_beyond_the_repository_and_missing_subjects_are_critical() {
    for sub in [
        json!("repo:*"),
        json!("*"),
        json!("repo:octo-org/*"),
        json!("repo:octo-org/widget?:*"),
        json!(["repo:octo-org/widgets:*", "repo:*:*"]),
    ] {
        let r = review(&trust("StringLike", sub.clone()), &classic());
        assert_eq!(
            r.findings.first().map(|f| f.severity),
            Some(Severity::Critical),
            "{sub}: {r:?}"
        );
        assert!(!r.wildcards.is_empty(), "{sub}");
    }
    // Under StringEquals the same text is a literal: wrong, but not open to all.
    let r = review(&trust("StringEquals", json!("repo:*")), &classic());
    assert!(r.wildcards.is_empty());
    assert_eq!(
        r.findings.first().map(|f| f.severity),
        Some(Severity::Error)
    );

    let mut no_sub = trust("StringLike", json!("x"));
    no_sub["Statement"][0]["Condition"]
        .as_object_mut()
        .unwrap()
        .remove("StringLike");
    let r = review(&no_sub, &classic());
    assert_eq!(r.unrestricted, vec![0]);
    assert!(r.findings[0].message.contains("ANY GitHub repository"));
}

#[test]
fn refusals_name_their_cause() {
    let cause = |doc: &Value, rules: &SubjectRules| {
        let r = review(doc, rules);
        assert!(!r.accepts(), "{doc}");
        r.findings
            .iter()
            .find(|f| f.severity == Severity::Error)
            .map(|f| f.message.clone())
            .unwrap_or_default()
    };
    let mut doc = trust("StringLike", json!("repo:octo-org/widgets:*"));
    doc["Statement"][0]["Condition"]["StringEquals"] =
        json!({"token.actions.githubusercontent.com:aud": "https://github.com/octo-org"});
    assert!(cause(&doc, &classic()).contains(":aud"));

    let mut doc = trust("StringLike", json!("repo:octo-org/widgets:*"));
    doc["Statement"][0]["Principal"]["Federated"] =
        json!("arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com");
    assert!(cause(&doc, &classic()).contains("Federated principal"));

    let doc = json!({"Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}});
    assert!(cause(&doc, &classic()).contains("AssumeRoleWithWebIdentity"));

    let doc = trust("StringLike", json!("repo:Octo-Org/Widgets:*"));
    assert!(cause(&doc, &classic()).contains("case-sensitively"));

    let immutable = SubjectRules {
        ids: Some((1, 2)),
        ..classic()
    };
    let doc = trust("StringLike", json!("repo:octo-org/widgets:*"));
    assert!(cause(&doc, &immutable).contains("immutable"));

    let doc = trust("StringEquals", json!("repo:octo-org/widgets:*"));
    assert!(cause(&doc, &classic()).contains("StringEquals"));
}

#[test]
fn set_qualifiers_and_unknown_conditions() {
    let mut doc = trust("StringLike", json!("x"));
    doc["Statement"][0]["Condition"] = json!({
        "ForAnyValue:StringLike": { SUB: "repo:octo-org/widgets:*" },
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:job_workflow_ref": "octo-org/ci/.github/workflows/p.yml@refs/heads/main"
        }
    });
    let r = review(&doc, &classic());
    // job_workflow_ref depends on the workflow that runs: the role's check cannot tell.
    assert!(
        matches!(&r.acceptance, Tri::Maybe(why) if why.contains("workflow")),
        "{r:?}"
    );
    assert!(r.findings.iter().all(|f| f.severity == Severity::Warning));
    // A claim AWS does not expose as a key (repository_owner) never holds.
    doc["Statement"][0]["Condition"]["StringEquals"] = json!({
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:repository_owner": "octo-org"
    });
    assert_eq!(review(&doc, &classic()).acceptance, Tri::No);
}

#[test]
fn adding_our_subject_keeps_everything_else() {
    let provider = provider();
    let ours = trust_statement(
        &Setup::for_github("octo-org", "widgets"),
        ACCOUNT,
        &classic(),
    );
    let subject = "repo:octo-org/widgets:*";

    let shared = trust("StringLike", json!("repo:octo-org/gadgets:*"));
    let added = add_subject(&shared, &ours, subject, &provider);
    assert_eq!(
        added["Statement"][0]["Condition"]["StringLike"][SUB],
        json!(["repo:octo-org/gadgets:*", subject])
    );
    assert_eq!(statements(&added).len(), 1);
    assert!(review(&added, &classic()).accepts());

    // A statement with other conditions is left alone: ours is a statement of its own.
    let mut strict = trust("StringLike", json!("repo:octo-org/gadgets:*"));
    strict["Statement"][0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:job_workflow_ref"] =
        json!("x");
    let added = add_subject(&strict, &ours, subject, &provider);
    assert_eq!(statements(&added).len(), 2);
    assert_eq!(statements(&added)[0], &strict["Statement"][0]);
    assert_eq!(statements(&added)[1], &ours);

    // A single statement object and a non-GitHub statement are kept as they are.
    let ec2 = json!({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"});
    let added = add_subject(
        &json!({"Statement": ec2.clone()}),
        &ours,
        subject,
        &provider,
    );
    assert_eq!(added["Statement"], json!([ec2, ours]));
}

#[test]
fn narrowing_replaces_only_the_wildcards() {
    let provider = provider();
    let subject = "repo:octo-org/widgets:*";
    let doc = trust(
        "StringLike",
        json!(["repo:octo-org/gadgets:*", "repo:octo-org/*"]),
    );
    let r = review(&doc, &classic());
    let narrowed = narrow(&doc, &r, subject, &provider);
    assert_eq!(
        narrowed["Statement"][0]["Condition"]["StringLike"][SUB],
        json!(["repo:octo-org/gadgets:*", subject])
    );
    let after = review(&narrowed, &classic());
    assert!(after.accepts() && after.findings.is_empty(), "{after:?}");

    let mut open = trust("StringLike", json!("x"));
    open["Statement"][0]["Condition"]
        .as_object_mut()
        .unwrap()
        .remove("StringLike");
    let r = review(&open, &classic());
    let narrowed = narrow(&open, &r, subject, &provider);
    assert_eq!(
        narrowed["Statement"][0]["Condition"]["StringLike"][SUB],
        json!(subject)
    );
}

#[test]
fn a_template_that_does_not_name_the_repository_is_critical() {
    let rules = SubjectRules {
        claim_keys: Some(vec!["repository_owner".into(), "context".into()]),
        ..classic()
    };
    let doc = trust("StringLike", json!("repository_owner:octo-org:*"));
    let r = review(&doc, &rules);
    assert!(r.accepts(), "{r:?}");
    assert_eq!(
        r.findings.first().map(|f| f.severity),
        Some(Severity::Critical)
    );
    assert!(
        r.findings[0]
            .message
            .contains("does not name the repository")
    );
}
