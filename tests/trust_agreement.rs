//! The role's check, the doctor and the workflow lint agree on every trust-policy case of the
//! shared table (`tests/iam_cases.json`), which the product's evaluator and the sandbox's STS
//! also run: each case whose token is one of octo-org/widgets' runs is judged as the role's
//! check judges the scope of that run (`review_trust`, whose parts the doctor's trust causes
//! read) and as the lint judges that run of a workflow (`Trust::accepts`), and both give the
//! table's decision; a refusal always has a failing part for the doctor to name.

use cawiz::policy::{RunClaims, SubjectRules, Tri, review_trust};
use cawiz::setup::SubjectScope;
use cawiz::workflow::{Trust, TrustSource};
use serde_json::{Value, json};

fn table() -> Value {
    serde_json::from_str(include_str!("iam_cases.json")).expect("the table is JSON")
}

fn document(t: &Value, case: &Value) -> Value {
    let text = case["statements"]
        .to_string()
        .replace("PROVIDER", t["provider"].as_str().unwrap_or_default());
    json!({"Version": "2012-10-17", "Statement": serde_json::from_str::<Value>(&text).expect("statements")})
}

/// The scope whose every run is this token's kind of run, and the run's claims (for the lint).
fn run_of(case: &Value) -> Option<(SubjectScope, RunClaims)> {
    let claims = &case["claims"];
    let context = claims["sub"]
        .as_str()?
        .strip_prefix("repo:octo-org/widgets:")?;
    let environment = claims["environment"].as_str();
    let (scope, git_ref) = if let Some(branch) = context.strip_prefix("ref:refs/heads/") {
        (
            SubjectScope::Branch(branch.to_owned()),
            format!("refs/heads/{branch}"),
        )
    } else if let Some(env) = context.strip_prefix("environment:") {
        (
            SubjectScope::Environment(env.to_owned()),
            "refs/heads/main".to_owned(),
        )
    } else if context == "pull_request" {
        (SubjectScope::PullRequests, "refs/pull/1/merge".to_owned())
    } else {
        return None;
    };
    let git_ref = claims["ref"].as_str().map_or(git_ref, str::to_owned);
    Some((
        scope,
        RunClaims::concrete(context, &git_ref, environment, "a run"),
    ))
}

#[test]
fn the_role_the_doctor_and_the_lint_agree_on_the_table() {
    let t = table();
    let provider = t["provider"].as_str().expect("provider");
    let rules = SubjectRules::classic("octo-org", "widgets");
    let mut judged = 0;
    for case in t["trust"].as_array().expect("trust cases") {
        let Some((scope, run)) = run_of(case) else {
            continue;
        };
        let doc = document(&t, case);
        let expected = if case["expect"] == "allow" {
            Tri::Yes
        } else {
            Tri::No
        };
        let name = case["name"].as_str().unwrap_or_default();

        let review = review_trust(&doc, &rules, &scope, provider, "sts.amazonaws.com");
        assert_eq!(review.acceptance, expected, "the role's check: {name}");
        if expected == Tri::No {
            let parts = &review.parts;
            let failing = parts.statement.is_none()
                || parts.denied_by.is_some()
                || [
                    &parts.principal,
                    &parts.audience,
                    &parts.subject,
                    &parts.other,
                ]
                .iter()
                .any(|t| t.is_no());
            assert!(
                failing,
                "the doctor has a failing part to name: {name}: {parts:?}"
            );
        }

        let lint = Trust {
            rules: rules.clone(),
            scope: scope.clone(),
            document: doc,
            provider: provider.to_owned(),
            source: TrustSource::Live { role: "R".into() },
        };
        assert_eq!(lint.accepts(&run, None), expected, "the lint: {name}");
        judged += 1;
    }
    assert!(
        judged >= 15,
        "most of the table is about this repository's runs: {judged}"
    );
}
