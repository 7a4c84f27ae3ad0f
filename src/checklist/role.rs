//! Item 5, the IAM role GitHub assumes and its publish policy: trust policy (principal, action, aud,
//! sub for the configured repository and scope, in the format GitHub issues), the customer-managed
//! permissions policy (created, versioned on drift with pruning at IAM's five-version limit,
//! attached), and SimulatePrincipalPolicy of each action on the ARN it needs.

mod simulation;
mod subject;

use serde_json::Value;

use crate::aws::{AwsError, PolicyInfo, PolicyVersionInfo, RoleInfo, Simulation, found};
use crate::policy::{
    DiffLine, Finding, Severity, SubjectFormat, changed_lines, diff_json, expected_subject,
    lint_trust_policy, parse_document, permissions_policy, pretty_lines, same_policy, trust_policy,
};
use crate::setup::AuthMethod;

use super::{Action, Context, Document, ItemId, Report, Status};

pub use subject::subject_format;

/// IAM keeps at most this many versions of a managed policy.
pub const MAX_POLICY_VERSIONS: usize = 5;

/// What the check read, before judging it.
#[derive(Debug, Clone)]
pub struct RoleFacts {
    pub format: SubjectFormat,
    pub format_note: String,
    pub role: Option<RoleInfo>,
    pub policy: Option<PolicyInfo>,
    /// The default version's document, parsed.
    pub policy_document: Option<Value>,
    /// Listed only when a new version is needed.
    pub versions: Vec<PolicyVersionInfo>,
    pub attached: Vec<String>,
    /// `None` when not run (no role yet).
    pub simulations: Option<Result<Vec<Simulation>, AwsError>>,
}

pub const SIMULATION_LIMITS: &str = "Simulation evaluates the role's identity policies only: it cannot \
     see resource policies on the domain or repository, service control policies, or session policies.";

pub async fn check(ctx: &Context) -> Report {
    if ctx.setup.auth == AuthMethod::AccessKeys {
        return Report::new(
            ItemId::Role,
            Status::Done {
                summary: "not used: the setup stores access keys instead of assuming a role"
                    .to_owned(),
            },
        );
    }
    match read(ctx).await {
        Ok(facts) => assess(ctx, &facts),
        Err(e) => Report::new(ItemId::Role, Status::Error(e.into())),
    }
}

/// Reads everything in at most three rounds of concurrent calls.
pub async fn read(ctx: &Context) -> Result<RoleFacts, AwsError> {
    let policy_arn = ctx.policy_arn();
    let ((format, format_note), role, policy, attached) = tokio::join!(
        subject_format(ctx),
        ctx.clients.get_role(&ctx.setup.role_name),
        ctx.clients.get_policy(&policy_arn),
        ctx.clients.attached_policies(&ctx.setup.role_name),
    );
    let (role, policy) = (role?, policy?);
    // No role yet: nothing attached.
    let attached = found(attached)?.unwrap_or_default();
    let version = async {
        match &policy {
            Some(p) => ctx
                .clients
                .get_policy_version(&p.arn, &p.default_version_id)
                .await
                .map(Some),
            None => Ok(None),
        }
    };
    let simulate = async {
        match &role {
            Some(_) => Some(simulation::simulate(ctx).await),
            None => None,
        }
    };
    let (version, simulations) = tokio::join!(version, simulate);
    let policy_document = version?.and_then(|v| parse_document(&v.document).ok());
    let expected = permissions_policy(&ctx.setup, &ctx.account);
    let versions = match (&policy, &policy_document) {
        (Some(p), Some(doc)) if !same_policy(doc, &expected) => {
            ctx.clients.list_policy_versions(&p.arn).await?
        }
        _ => Vec::new(),
    };
    Ok(RoleFacts {
        format,
        format_note,
        role,
        policy,
        policy_document,
        versions,
        attached,
        simulations,
    })
}

/// `doc` pretty-printed (keys sorted), every line marked with `mark` (`Expected`: to create,
/// `Same`: as it is).
fn marked_lines(doc: &Value, mark: fn(String) -> DiffLine) -> Vec<DiffLine> {
    pretty_lines(doc).into_iter().map(mark).collect()
}

/// The oldest version that is not the default: the one to delete at the limit.
pub fn version_to_prune(versions: &[PolicyVersionInfo]) -> Option<&PolicyVersionInfo> {
    if versions.len() < MAX_POLICY_VERSIONS {
        return None;
    }
    versions
        .iter()
        .filter(|v| !v.is_default)
        .min_by_key(|v| (v.created, version_number(&v.version_id)))
}

fn version_number(id: &str) -> u64 {
    id.trim_start_matches('v').parse().unwrap_or(u64::MAX)
}

pub fn assess(ctx: &Context, facts: &RoleFacts) -> Report {
    let s = &ctx.setup;
    let expected_trust = trust_policy(s, &ctx.account, &facts.format);
    let expected_policy = permissions_policy(s, &ctx.account);
    let policy_arn = ctx.policy_arn();
    let mut actions = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let mut findings: Vec<Finding> = Vec::new();
    let mut documents = Vec::new();
    let mut diff = Vec::new();

    match &facts.role {
        None => {
            actions.push(Action::CreateRole {
                name: s.role_name.clone(),
                trust_policy: expected_trust.clone(),
            });
            documents.push(Document {
                title: "Trust policy (to create)".to_owned(),
                lines: marked_lines(&expected_trust, DiffLine::Expected),
            });
        }
        Some(role) => match parse_document(&role.trust_policy) {
            Ok(actual) => {
                let lint = lint_trust_policy(&actual, s, &ctx.account, &facts.format);
                let broken = lint.iter().any(|f| f.severity >= Severity::Error);
                let lines = diff_json(&expected_trust, &actual);
                if broken {
                    problems.extend(
                        lint.iter()
                            .filter(|f| f.severity >= Severity::Error)
                            .map(|f| format!("trust policy: {}", f.message)),
                    );
                    diff.extend(changed_lines(&lines));
                    actions.push(Action::UpdateTrustPolicy {
                        role: s.role_name.clone(),
                        trust_policy: expected_trust.clone(),
                    });
                }
                findings.extend(lint);
                documents.push(Document {
                    title: "Trust policy (expected + / actual -)".to_owned(),
                    lines: if lines.is_empty() {
                        marked_lines(&actual, DiffLine::Same)
                    } else {
                        lines
                    },
                });
            }
            Err(e) => {
                problems.push(format!("trust policy: {e}"));
                actions.push(Action::UpdateTrustPolicy {
                    role: s.role_name.clone(),
                    trust_policy: expected_trust.clone(),
                });
            }
        },
    }

    let mut policy_ok = false;
    match (&facts.policy, &facts.policy_document) {
        (None, _) => {
            problems.push(format!("the policy {} does not exist", s.policy_name));
            actions.push(Action::CreatePolicy {
                name: s.policy_name.clone(),
                document: expected_policy.clone(),
            });
            documents.push(Document {
                title: "Permissions policy (to create)".to_owned(),
                lines: marked_lines(&expected_policy, DiffLine::Expected),
            });
        }
        (Some(p), actual) => {
            let actual = actual.clone().unwrap_or(Value::Null);
            if same_policy(&actual, &expected_policy) {
                policy_ok = true;
                documents.push(Document {
                    title: format!(
                        "Permissions policy {} ({})",
                        s.policy_name, p.default_version_id
                    ),
                    lines: marked_lines(&actual, DiffLine::Same),
                });
            } else {
                problems.push(format!(
                    "the policy {} ({}) differs from the least-privilege publish policy",
                    s.policy_name, p.default_version_id
                ));
                let lines = diff_json(&expected_policy, &actual);
                diff.extend(changed_lines(&lines));
                documents.push(Document {
                    title: format!(
                        "Permissions policy {} (expected + / actual {} -)",
                        s.policy_name, p.default_version_id
                    ),
                    lines,
                });
                if let Some(old) = version_to_prune(&facts.versions) {
                    actions.push(Action::DeletePolicyVersion {
                        arn: p.arn.clone(),
                        version: old.version_id.clone(),
                    });
                }
                actions.push(Action::CreatePolicyVersion {
                    arn: p.arn.clone(),
                    document: expected_policy.clone(),
                });
            }
        }
    }

    let attached = facts.attached.contains(&policy_arn);
    if !attached {
        if facts.role.is_some() {
            problems.push(format!(
                "{} is not attached to {}",
                s.policy_name, s.role_name
            ));
            diff.push(format!("+ attached policy: {policy_arn}"));
        }
        actions.push(Action::AttachRolePolicy {
            role: s.role_name.clone(),
            policy_arn: policy_arn.clone(),
        });
    }

    let mut notes = vec![facts.format_note.clone()];
    let mut simulations = Vec::new();
    match &facts.simulations {
        Some(Ok(results)) => {
            simulations = results.clone();
            let denied: Vec<&Simulation> = results.iter().filter(|r| !r.allowed()).collect();
            if policy_ok && attached && !denied.is_empty() {
                for d in &denied {
                    findings.push(Finding {
                        severity: Severity::Error,
                        message: format!("simulation: {} on {} is {}", d.action, d.resource, d.decision),
                        fix: "look for a Deny in another policy attached to the role, or a permissions \
                              boundary"
                            .to_owned(),
                    });
                }
                problems.push(format!(
                    "simulation denies {} of {} actions",
                    denied.len(),
                    results.len()
                ));
            }
            notes.push(SIMULATION_LIMITS.to_owned());
        }
        Some(Err(e)) => notes.push(format!(
            "Could not simulate the role's permissions, so only the policy documents were checked \
             (the endpoint may not implement SimulatePrincipalPolicy, or your identity may not call \
             iam:SimulatePrincipalPolicy): {e}"
        )),
        None => {}
    }

    let status = if facts.role.is_none() {
        Status::Missing {
            summary: format!("no role {}", s.role_name),
        }
    } else if problems.is_empty() {
        let allowed = simulations.iter().filter(|r| r.allowed()).count();
        Status::Done {
            summary: format!(
                "{} trusts {}; {} attached{}",
                s.role_name,
                expected_subject(s, &facts.format),
                s.policy_name,
                if simulations.is_empty() {
                    String::new()
                } else {
                    format!("; {allowed}/{} actions allowed", simulations.len())
                }
            ),
        }
    } else {
        Status::Drift {
            summary: problems.join("; "),
            diff,
            findings: findings.clone(),
        }
    };
    let mut report = Report::new(ItemId::Role, status);
    report.actions = actions;
    let d = &mut report.details;
    d.fact("role", &s.role_name);
    d.fact(
        "ARN",
        facts
            .role
            .as_ref()
            .map_or_else(|| ctx.role_arn(), |r| r.arn.clone()),
    );
    d.fact("expected subject", expected_subject(s, &facts.format));
    d.fact("policy", &policy_arn);
    d.fact(
        "policy version",
        facts
            .policy
            .as_ref()
            .map_or_else(|| "(none)".to_owned(), |p| p.default_version_id.clone()),
    );
    d.fact("attached", if attached { "yes" } else { "no" });
    d.documents = documents;
    d.findings = findings;
    d.simulations = simulations;
    d.notes = notes;
    report
}
