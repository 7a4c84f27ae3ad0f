//! A role's trust policy judged the way STS judges it: would the configured repository's GitHub
//! token be accepted, for every run the scope allows? One evaluator ([`super::eval`]) decides,
//! statement by statement (a token is accepted when ONE Allow statement matches all of it and no
//! Deny does); the role's rows, the doctor and the workflow lint all ask it. Other repositories'
//! subjects are facts, not errors; wildcards that let any other repository in are critical; runs
//! of this repository outside the configured scope are a warning the plan can narrow.

mod doors;
mod edit;
mod findings;
mod parts;
mod runs;

use serde_json::Value;

use super::eval::{Tri, evaluate};
use super::subject::SubjectRules;
use super::{Finding, GITHUB_OIDC_HOST, glob_match, statements, strings};
use crate::setup::SubjectScope;

pub use doors::{Doors, doors};
pub use edit::{add_subject, narrow, narrow_to_scope};
pub use parts::TrustParts;
#[cfg(test)]
pub(crate) use runs::claims_request;
pub use runs::{RunClaims, request};

pub(super) const WEB_IDENTITY_ACTION: &str = "sts:AssumeRoleWithWebIdentity";

pub(super) fn key(name: &str) -> String {
    format!("{GITHUB_OIDC_HOST}:{name}")
}

pub(super) fn allows_web_identity(st: &Value) -> bool {
    st.get("Effect").and_then(Value::as_str) == Some("Allow")
        && strings(st.get("Action"))
            .iter()
            .any(|a| glob_match(&a.to_lowercase(), &WEB_IDENTITY_ACTION.to_lowercase()))
}

pub(super) fn federated(st: &Value) -> Vec<String> {
    strings(st.get("Principal").and_then(|p| p.get("Federated")))
}

/// What STS decides for one kind of run of the configured repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunVerdict {
    pub accepted: Tri,
    /// The `sub` judged (when GitHub's form is not confirmed, the form the policy accepts best).
    pub subject: String,
    pub parts: TrustParts,
}

/// Every `sub` value the policy's conditions name.
fn policy_subjects(doc: &Value) -> Vec<String> {
    let sub = key("sub");
    statements(doc)
        .into_iter()
        .filter_map(|st| st.get("Condition").and_then(Value::as_object))
        .flat_map(|ops| ops.values())
        .filter_map(|keys| keys.as_object())
        .flat_map(|keys| {
            keys.iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(&sub))
                .flat_map(|(_, v)| strings(Some(v)))
        })
        .collect()
}

fn rank(t: &Tri) -> u8 {
    match t {
        Tri::Yes => 2,
        Tri::Maybe(_) => 1,
        Tri::No => 0,
    }
}

/// Whether `doc` accepts the token of `run` (audience `audience`) of the repository `rules`
/// describe through this account's `provider`.
pub fn judge_run(
    doc: &Value,
    rules: &SubjectRules,
    scope: &SubjectScope,
    run: &RunClaims,
    provider: &str,
    audience: &str,
) -> RunVerdict {
    let verdicts = rules
        .candidates(&run.context, scope, &policy_subjects(doc))
        .into_iter()
        .map(|subject| {
            let evaluation = evaluate(doc, &request(rules, run, &subject, audience, provider));
            RunVerdict {
                accepted: evaluation.allowed.clone(),
                parts: parts::closest(&evaluation),
                subject,
            }
        });
    let mut best: Option<RunVerdict> = None;
    for v in verdicts {
        if best
            .as_ref()
            .is_none_or(|b| rank(&v.accepted) > rank(&b.accepted))
        {
            best = Some(v);
        }
    }
    best.unwrap_or_else(|| RunVerdict {
        accepted: Tri::No,
        subject: rules.subject(&run.context, scope),
        parts: TrustParts::default(),
    })
}

/// What the trust policy means for the configured repository and scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustReview {
    /// Whether STS accepts every run the scope allows.
    pub acceptance: Tri,
    /// The parts of the statement closest to accepting them.
    pub parts: TrustParts,
    /// Problems, worst first.
    pub findings: Vec<Finding>,
    /// Other repositories named one by one (kept as they are).
    pub others: Vec<String>,
    /// Subjects that let any other repository in (`*`, `repo:OWNER/*`, `rep?:*`, …).
    pub wildcards: Vec<String>,
    /// Statements that trust the GitHub provider with no condition pinning the repository.
    pub unrestricted: Vec<usize>,
    /// Runs of this repository outside the scope that STS accepts too, in words.
    pub broader: Vec<String>,
    /// Their subjects.
    pub broader_subjects: Vec<String>,
    /// Evidence: the Federated principals, `aud` and `sub` conditions of the web-identity statements.
    pub principals: Vec<String>,
    pub audiences: Vec<String>,
    pub subjects: Vec<String>,
}

impl TrustReview {
    pub fn accepts(&self) -> bool {
        self.acceptance.is_yes()
    }

    /// What lets other repositories in, one line each: the wildcard subjects, then the
    /// statements with no condition pinning the repository.
    pub fn open_doors(&self) -> Vec<String> {
        self.wildcards
            .iter()
            .cloned()
            .chain(
                self.unrestricted
                    .iter()
                    .map(|i| format!("statement {} has no sub condition", i + 1)),
            )
            .collect()
    }
}

/// The conditions of the web-identity statements on `claim`, described (`StringLike value`).
fn described(doc: &Value, claim: &str) -> Vec<String> {
    let wanted = key(claim);
    let mut out = Vec::new();
    for st in statements(doc)
        .into_iter()
        .filter(|st| allows_web_identity(st))
    {
        let Some(ops) = st.get("Condition").and_then(Value::as_object) else {
            continue;
        };
        for (op, keys) in ops {
            for (k, values) in keys.as_object().into_iter().flatten() {
                if k.eq_ignore_ascii_case(&wanted) {
                    out.extend(
                        strings(Some(values))
                            .into_iter()
                            .map(|v| format!("{op} {v}")),
                    );
                }
            }
        }
    }
    out
}

/// Reviews `doc` for the repository `rules` describe, the runs `scope` allows, this account's
/// GitHub `provider` ARN and the `audience` the workflow asks for.
pub fn review_trust(
    doc: &Value,
    rules: &SubjectRules,
    scope: &SubjectScope,
    provider: &str,
    audience: &str,
) -> TrustReview {
    let verdict = judge_run(
        doc,
        rules,
        scope,
        &RunClaims::scope(scope),
        provider,
        audience,
    );
    let open = doors(doc, rules, provider);
    let (broader, broader_subjects): (Vec<String>, Vec<String>) = RunClaims::outside(scope)
        .iter()
        .map(|run| (run, judge_run(doc, rules, scope, run, provider, audience)))
        .filter(|(_, v)| v.accepted.is_yes())
        .map(|(run, v)| (run.describe.clone(), v.subject))
        .unzip();
    let mut principals: Vec<String> = statements(doc)
        .into_iter()
        .filter(|st| allows_web_identity(st))
        .flat_map(federated)
        .collect();
    principals.dedup();
    let mut review = TrustReview {
        acceptance: verdict.accepted.clone(),
        parts: verdict.parts.clone(),
        findings: Vec::new(),
        others: open.others,
        wildcards: open.wildcards,
        unrestricted: open.unrestricted,
        broader,
        broader_subjects,
        principals,
        audiences: described(doc, "aud"),
        subjects: described(doc, "sub"),
    };
    review.findings = findings::findings(&review, doc, rules, scope, provider, audience);
    review
}
