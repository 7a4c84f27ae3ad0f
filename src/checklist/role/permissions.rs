//! The role's permissions, judged by what they allow: SimulatePrincipalPolicy of each needed
//! action on its ARN (every policy of the role, its boundary and the organisation's SCPs), or, when
//! simulation cannot answer, what the configured policy grants if attached. A policy that allows
//! everything needed is done, whatever else it holds (a warning where it is broader than needed).
//! When something is missing, apply creates the policy, attaches it, or adds cawiz's statements in
//! a new version that keeps every other statement; only a policy cawiz created is replaced whole.

use serde_json::Value;

use crate::aws::Simulation;
use crate::policy::{
    DiffLine, Finding, Severity, broader_than_needed, changed_lines, diff_json, document_allows,
    permissions_policy, pretty_lines, with_cawiz_statements,
};

use super::super::{Action, Context, Document};
use super::simulation::groups;
use super::{Part, RoleFacts, version_to_prune};

/// One needed action on its resource, and what decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub action: String,
    pub resource: String,
    pub allowed: bool,
    /// A boundary, an SCP or an explicit Deny: more grants would not help.
    pub denied_by: Option<&'static str>,
}

/// The verdicts from simulation when it answered, else from the configured policy's document
/// (counted only when it is attached).
pub fn verdicts(ctx: &Context, facts: &RoleFacts) -> Vec<Verdict> {
    if let Some(Ok(results)) = &facts.simulations {
        return results
            .iter()
            .map(|r: &Simulation| Verdict {
                action: r.action.clone(),
                resource: r.resource.clone(),
                allowed: r.allowed(),
                denied_by: r.denied_by(),
            })
            .collect();
    }
    let attached = facts.attached.contains(&facts.policy_arn);
    groups(ctx)
        .into_iter()
        .flat_map(|(actions, resource, context)| {
            let doc = facts.policy_document.as_ref();
            actions.into_iter().map(move |action| Verdict {
                action: action.to_owned(),
                resource: resource.clone(),
                allowed: attached
                    && doc.is_some_and(|d| document_allows(d, action, &resource, &context)),
                denied_by: None,
            })
        })
        .collect()
}

/// Whether some needed action lacks a grant that a policy change could add.
pub fn grants_missing(ctx: &Context, facts: &RoleFacts) -> bool {
    verdicts(ctx, facts)
        .iter()
        .any(|v| !v.allowed && v.denied_by.is_none())
}

pub fn assess(ctx: &Context, facts: &RoleFacts) -> Part {
    let mut part = Part::default();
    let verdicts = verdicts(ctx, facts);
    let blocked: Vec<&Verdict> = verdicts.iter().filter(|v| v.denied_by.is_some()).collect();
    let missing: Vec<&Verdict> = verdicts
        .iter()
        .filter(|v| !v.allowed && v.denied_by.is_none())
        .collect();
    for v in &blocked {
        let by = v.denied_by.unwrap_or_default();
        part.details.findings.push(Finding {
            severity: Severity::Error,
            message: format!("{} on {} is denied by {by}", v.action, v.resource),
            fix: match by {
                b if b.contains("service control") => "ask your AWS organisation's administrators to allow it in the SCP (cawiz cannot change SCPs)".to_owned(),
                b if b.contains("boundary") => "ask an administrator to allow it in the role's permissions boundary (cawiz does not change boundaries)".to_owned(),
                _ => "remove or narrow the Deny statement in the policy that denies it (cawiz never removes another policy's statements)".to_owned(),
            },
        });
    }
    if !blocked.is_empty() {
        part.problems.push(format!(
            "{} of the {} needed actions are denied by something more grants cannot override",
            blocked.len(),
            verdicts.len()
        ));
    }
    if missing.is_empty() {
        note_broader(ctx, &mut part, facts);
    } else {
        part.problems
            .push(missing_problem(ctx, facts, &missing, verdicts.len()));
        plan(ctx, facts, &mut part);
    }
    part.details.fact("policy", facts.policy_arn.clone());
    part.details.fact(
        "policy version",
        facts
            .policy
            .as_ref()
            .map_or_else(|| "(none)".to_owned(), |p| p.default_version_id.clone()),
    );
    let attached = facts.attached.contains(&facts.policy_arn);
    part.details
        .fact("attached", if attached { "yes" } else { "no" });
    if !facts.attached.is_empty() {
        part.details
            .fact("attached policies", facts.attached.join(", "));
    }
    part
}

/// Why grants are missing, in a line: the policy's state first, then the actions.
fn missing_problem(ctx: &Context, facts: &RoleFacts, missing: &[&Verdict], all: usize) -> String {
    let s = &ctx.setup;
    let actions = if missing.len() == all {
        format!("any of the {all} publish actions")
    } else {
        missing
            .iter()
            .map(|v| v.action.trim_start_matches("codeartifact:"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let cause = if facts.policy.is_none() {
        format!("the policy {} does not exist, so ", s.policy_name)
    } else if !facts.attached.contains(&facts.policy_arn) {
        format!("{} is not attached to {}, so ", s.policy_name, s.role_name)
    } else {
        String::new()
    };
    format!("{cause}the role is not allowed {actions}")
}

/// Warnings where the configured policy grants more than publishing needs.
fn note_broader(ctx: &Context, part: &mut Part, facts: &RoleFacts) {
    let Some(doc) = &facts.policy_document else {
        return;
    };
    for what in broader_than_needed(doc, &ctx.setup, &ctx.account) {
        part.details.findings.push(Finding {
            severity: Severity::Warning,
            message: format!("the policy is broader than publishing needs: {what}"),
            fix: "narrow it to the domain, the setup's repository and its packages in this region \
                  (cawiz's least-privilege statements), if nothing else relies on it — cawiz \
                  never rewrites an adopted policy for this"
                .to_owned(),
        });
    }
    if let Some(policy) = &facts.policy {
        part.details.documents.push(Document {
            title: format!("Permissions policy ({})", policy.default_version_id),
            lines: pretty_lines(doc).into_iter().map(DiffLine::Same).collect(),
        });
    }
}

/// What apply changes so the missing grants exist.
fn plan(ctx: &Context, facts: &RoleFacts, part: &mut Part) {
    let s = &ctx.setup;
    let expected = permissions_policy(s, &ctx.account);
    let attached = facts.attached.contains(&facts.policy_arn);
    match (&facts.policy, &facts.policy_document) {
        (None, _) => {
            part.details.documents.push(Document {
                title: "Permissions policy (to create)".to_owned(),
                lines: pretty_lines(&expected)
                    .into_iter()
                    .map(DiffLine::Expected)
                    .collect(),
            });
            part.actions.push(Action::CreatePolicy {
                name: s.policy_name.clone(),
                document: expected,
            });
        }
        (Some(policy), actual) => {
            let actual = actual.clone().unwrap_or(Value::Null);
            if let Some((document, change)) = new_version(ctx, facts, &actual, &expected) {
                part.diff
                    .extend(changed_lines(&diff_json(&document, &actual)));
                part.details.documents.push(Document {
                    title: format!(
                        "Permissions policy {} (new version + / {} -)",
                        s.policy_name, policy.default_version_id
                    ),
                    lines: diff_json(&document, &actual),
                });
                if let Some(old) = version_to_prune(&facts.versions) {
                    part.actions.push(Action::DeletePolicyVersion {
                        arn: policy.arn.clone(),
                        version: old.version_id.clone(),
                    });
                }
                part.actions.push(Action::CreatePolicyVersion {
                    arn: policy.arn.clone(),
                    document,
                    change,
                });
            }
        }
    }
    if !attached {
        if facts.role.is_some() {
            part.diff
                .push(format!("+ attached policy: {}", facts.policy_arn));
        }
        part.actions.push(Action::AttachRolePolicy {
            role: s.role_name.clone(),
            policy_arn: facts.policy_arn.clone(),
        });
    }
}

/// The new default version, when attaching the policy as it is would not be enough: cawiz's own
/// document for a policy cawiz created, else the policy with cawiz's statements added.
fn new_version(
    ctx: &Context,
    facts: &RoleFacts,
    actual: &Value,
    expected: &Value,
) -> Option<(Value, String)> {
    let grants_everything = groups(ctx).into_iter().all(|(actions, resource, context)| {
        actions
            .iter()
            .all(|a| document_allows(actual, a, &resource, &context))
    });
    if grants_everything {
        return None;
    }
    Some(if facts.policy_is_cawiz {
        (
            expected.clone(),
            "cawiz created this policy, so its least-privilege document replaces it".to_owned(),
        )
    } else {
        (
            with_cawiz_statements(actual, expected),
            "add cawiz's publish statements, keeping every other statement of this shared policy"
                .to_owned(),
        )
    })
}
