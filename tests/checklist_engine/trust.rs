//! The role's trust policy: the guide's wrong repository (kept: another repository's subject),
//! wildcard subjects (critical), immutable subject claims read from GitHub, and what is accepted
//! without a GitHub token.

use cawiz::checklist::{self, Action, ItemId, Status};
use cawiz::policy::{Finding, Severity};
use serde_json::{Value, json};

use super::{
    ACCOUNT, apply_ok, common, context, context_with, sdk_create_role, trust_policy_of, widgets,
};

const ROLE: &str = "GitHubActions-CodeArtifact";

fn drift_findings(status: &Status) -> &[Finding] {
    match status {
        Status::Drift { findings, .. } => findings,
        other => panic!("expected drift, got {other:?}"),
    }
}

/// The `sub` values of a trust policy (StringLike and StringEquals).
fn subjects(trust: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for statement in trust["Statement"].as_array().into_iter().flatten() {
        for op in ["StringLike", "StringEquals"] {
            match &statement["Condition"][op]["token.actions.githubusercontent.com:sub"] {
                Value::String(s) => out.push(s.clone()),
                Value::Array(a) => {
                    out.extend(a.iter().filter_map(Value::as_str).map(str::to_owned))
                }
                _ => {}
            }
        }
    }
    out
}

#[tokio::test]
async fn the_guides_trust_policy_names_the_wrong_repository() {
    let sb = common::start_sandbox("guide").await;
    let setup = cawiz::setup::Setup::for_github("acme-geo", "earth-polychromatic-api");
    let ctx = context(&sb, setup).await;
    let report = checklist::check_item(&ctx, ItemId::Role).await;
    let findings = drift_findings(&report.status);
    assert!(
        findings
            .iter()
            .any(|f| f.severity == Severity::Error
                && f.message.contains("earth-polychromatic-images")),
        "{findings:#?}"
    );
    assert!(
        !findings.iter().any(|f| f.severity == Severity::Critical),
        "the subject is pinned to one (wrong) repository: not critical: {findings:#?}"
    );
    assert!(
        report
            .details
            .facts
            .iter()
            .any(|(k, v)| k == "also trusts" && v == "repo:acme-geo/earth-polychromatic-images:*"),
        "another repository's subject is a fact, kept: {:#?}",
        report.details.facts
    );
    assert!(
        report
            .actions
            .iter()
            .any(|a| matches!(a, Action::UpdateTrustPolicy { .. })),
        "{:#?}",
        report.actions
    );
    // The guide attached a policy it never created: cawiz creates it before attaching it.
    let create = report
        .actions
        .iter()
        .position(|a| matches!(a, Action::CreatePolicy { .. }));
    let attach = report
        .actions
        .iter()
        .position(|a| matches!(a, Action::AttachRolePolicy { .. }));
    assert!(
        matches!((create, attach), (Some(c), Some(a)) if c < a),
        "{:#?}",
        report.actions
    );
}

#[tokio::test]
async fn wildcard_or_missing_subjects_are_critical() {
    let no_sub = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": format!("arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com")},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}
        }]
    });
    let cases = [
        ("repo:*", common::github_trust_policy("repo:*")),
        ("*", common::github_trust_policy("*")),
        (
            "repo:octo-org/*",
            common::github_trust_policy("repo:octo-org/*"),
        ),
        ("no sub condition", no_sub),
    ];
    for (what, trust) in cases {
        let sb = common::start_sandbox("empty").await;
        sdk_create_role(&sb, ROLE, &trust).await;
        let ctx = context(&sb, widgets()).await;
        let report = checklist::check_item(&ctx, ItemId::Role).await;
        let findings = drift_findings(&report.status);
        assert!(
            findings.iter().any(|f| f.severity == Severity::Critical),
            "{what}: {findings:#?}"
        );
        assert!(
            report
                .actions
                .iter()
                .any(|a| matches!(a, Action::UpdateTrustPolicy { .. })),
            "{what}: {:#?}",
            report.actions
        );
    }
}

#[tokio::test]
async fn immutable_subjects_are_read_from_github_and_applied() {
    let sb = common::start_sandbox("complete").await;
    assert!(sb.set_github_immutable_subject("octo-org", "widgets", true));
    // The scenario file fixes the repository's ids.
    let scenario: Value = serde_json::from_str(include_str!(
        "../../crates/sandbox/assets/scenarios/complete.json"
    ))
    .expect("scenario JSON");
    let expected = format!(
        "repo:octo-org@{}/widgets@{}:*",
        scenario["github"]["owner_id"], scenario["github"]["repo_id"]
    );

    let mut ctx = context(&sb, widgets()).await;
    let report = checklist::check_item(&ctx, ItemId::Role).await;
    assert!(
        report
            .details
            .facts
            .iter()
            .any(|(k, v)| k == "expected subject" && v == &expected),
        "{:#?}",
        report.details.facts
    );
    let findings = drift_findings(&report.status);
    assert!(
        findings
            .iter()
            .any(|f| f.severity == Severity::Error && f.message.contains("immutable")),
        "the classic trust policy of the scenario no longer matches: {findings:#?}"
    );
    assert!(
        matches!(
            report.actions.as_slice(),
            [Action::UpdateTrustPolicy { .. }]
        ),
        "{:#?}",
        report.actions
    );

    apply_ok(&mut ctx, &[ItemId::Role]).await;
    assert_eq!(sb.calls().get("UpdateAssumeRolePolicy"), Some(&1));
    assert_eq!(
        subjects(&trust_policy_of(&sb, ROLE).await),
        vec!["repo:octo-org/widgets:*".to_owned(), expected],
        "the immutable subject is added; the classic one stays (never break what works)"
    );
    let after = checklist::check_item(&ctx, ItemId::Role).await;
    assert!(after.status.is_done(), "{:?}", after.status);
}

#[tokio::test]
async fn without_a_github_token_classic_is_assumed_and_variables_are_unknown() {
    let sb = common::start_sandbox("complete").await;
    let ctx = context_with(&sb, widgets(), false, false, Default::default()).await;
    let reports = checklist::check_all(&ctx).await;
    let role = super::report(&reports, ItemId::Role);
    assert!(role.status.is_done(), "{:?}", role.status);
    assert!(
        role.details
            .notes
            .iter()
            .any(|n| n.contains("no GitHub token")
                && n.contains("classic")
                && n.contains("immutable")),
        "{:#?}",
        role.details.notes
    );
    let variables = super::report(&reports, ItemId::Variables);
    assert!(
        matches!(&variables.status, Status::Unknown { reason } if reason.contains("GitHub token")),
        "{:?}",
        variables.status
    );
    let commands: Vec<String> = variables
        .steps(super::REGION)
        .into_iter()
        .map(|s| s.command)
        .collect();
    assert_eq!(commands.len(), 5, "{commands:#?}");
    assert!(commands.contains(&format!(
        "gh variable set AWS_ROLE_ARN --body arn:aws:iam::{ACCOUNT}:role/{ROLE} --repo octo-org/widgets"
    )));
    assert!(commands.contains(
        &"gh variable set AWS_REGION --body us-east-1 --repo octo-org/widgets".to_owned()
    ));
    assert!(
        !sb.calls().keys().any(|op| op.starts_with("GitHub:")),
        "no GitHub call without a token: {:?}",
        sb.calls()
    );
}
