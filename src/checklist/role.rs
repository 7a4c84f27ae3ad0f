//! Item 5, the IAM role GitHub assumes and its permissions: the trust policy must accept the
//! configured repository's token (as GitHub really sends it), and the role must be allowed each
//! publish action on the ARN it needs. Roles and policies are often shared: what others rely on is
//! kept (SPEC "Never break what works").

mod early;
mod permissions;
mod rows;
mod simulation;
mod subject;
mod trust;

use serde_json::Value;

use crate::aws::{AwsError, PolicyInfo, PolicyVersionInfo, RoleInfo, Simulation, found};
use crate::policy::{SubjectRules, parse_document};
use crate::setup::AuthMethod;

use super::rows::Verdict as RowVerdict;
use super::{Action, Context, Details, ItemId, Report, Status};

pub use permissions::{Verdict, verdicts};
pub use simulation::groups as simulation_groups;
pub use subject::subject_rules;

/// IAM keeps at most this many versions of a managed policy.
pub const MAX_POLICY_VERSIONS: usize = 5;

/// What the check read, before judging it.
#[derive(Debug, Clone)]
pub struct RoleFacts {
    /// What GitHub puts in `sub` for the configured repository.
    pub rules: SubjectRules,
    pub role: Option<RoleInfo>,
    /// The configured policy's ARN (cawiz creates policies without a path).
    pub policy_arn: String,
    pub policy: Option<PolicyInfo>,
    /// The default version's document, parsed.
    pub policy_document: Option<Value>,
    /// Listed only when a new version is needed.
    pub versions: Vec<PolicyVersionInfo>,
    pub attached: Vec<String>,
    /// `None` when not run (no role yet).
    pub simulations: Option<Result<Vec<Simulation>, AwsError>>,
    /// cawiz created the policy (the state says so): it may be replaced as a whole.
    pub policy_is_cawiz: bool,
}

pub const SIMULATION_LIMITS: &str = "Simulation evaluates the role's identity policies, its \
     permissions boundary and the organisation's service control policies; it cannot see resource \
     policies on the domain or repository (GetDomainPermissionsPolicy and \
     GetRepositoryPermissionsPolicy show them) or session policies.";

/// What one part of the check (trust, permissions) found.
#[derive(Debug, Clone, Default)]
pub struct Part {
    /// Why the item is not done, one line each.
    pub problems: Vec<String>,
    pub actions: Vec<Action>,
    /// Drifted lines, for the status.
    pub diff: Vec<String>,
    pub details: Details,
}

impl Part {
    fn absorb(&mut self, other: Part) {
        self.problems.extend(other.problems);
        self.actions.extend(other.actions);
        self.diff.extend(other.diff);
        let d = &mut self.details;
        d.facts.extend(other.details.facts);
        d.documents.extend(other.details.documents);
        d.findings.extend(other.details.findings);
        d.notes.extend(other.details.notes);
    }
}

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

/// Reads everything in one wave of concurrent calls when the role's ARN and the policy's default
/// version were recorded and still hold ([`early`]); else in two, or three when grants are
/// missing (the policy's versions, for the one to prune).
pub async fn read(ctx: &Context) -> Result<RoleFacts, AwsError> {
    let policy_arn = ctx.policy_arn();
    let early = early::plan(ctx, &policy_arn);
    let (rules, role, policy, attached, early_version, early_simulations) = tokio::join!(
        subject_rules(ctx),
        ctx.clients.get_role(&ctx.setup.role_name),
        ctx.clients.get_policy(&policy_arn),
        ctx.clients.attached_policies(&ctx.setup.role_name),
        early::version(ctx, &policy_arn, &early),
        early::simulations(ctx, &early),
    );
    let (role, policy) = (role?, policy?);
    ctx.learned
        .role(&ctx.setup.role_name, role.as_ref().map(|r| r.arn.as_str()));
    ctx.learned.policy(
        &policy_arn,
        policy.as_ref().map(|p| p.default_version_id.as_str()),
    );
    // No role yet: nothing attached.
    let attached = found(attached)?.unwrap_or_default();
    let (version, simulations) = tokio::join!(
        early::confirmed_version(ctx, &early, early_version, policy.as_ref()),
        early::confirmed_simulations(ctx, &early, early_simulations, role.as_ref()),
    );
    let mut facts = RoleFacts {
        rules,
        role,
        policy_is_cawiz: ctx.created_by_cawiz("policy", &policy_arn),
        policy_arn,
        policy_document: version?.and_then(|v| parse_document(&v.document).ok()),
        policy,
        versions: Vec::new(),
        attached,
        simulations,
    };
    if let Some(p) = &facts.policy
        && permissions::grants_missing(ctx, &facts)
    {
        facts.versions = ctx.clients.list_policy_versions(&p.arn).await?;
    }
    Ok(facts)
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
    let mut all = Part::default();
    all.details.fact("role", &s.role_name);
    all.details.fact(
        "ARN",
        facts
            .role
            .as_ref()
            .map_or_else(|| ctx.role_arn(), |r| r.arn.clone()),
    );
    let subject = facts.rules.expected(&s.scope);
    all.details.fact("expected subject", subject.clone());
    all.absorb(trust::assess(ctx, facts.role.as_ref(), &facts.rules));
    all.absorb(permissions::assess(ctx, facts));
    if let Some(arn) = facts
        .role
        .as_ref()
        .and_then(|r| r.permissions_boundary.clone())
    {
        all.details.fact("permissions boundary", arn);
    }
    all.details.notes.push(facts.rules.describe(&s.scope));
    match &facts.simulations {
        Some(Ok(results)) => {
            all.details.simulations = results.clone();
            all.details.notes.push(SIMULATION_LIMITS.to_owned());
        }
        Some(Err(e)) => all.details.notes.push(format!(
            "Could not simulate the role's permissions, so the configured policy's document was \
             read instead (the endpoint may not implement SimulatePrincipalPolicy, or your identity \
             may not call iam:SimulatePrincipalPolicy): {e}"
        )),
        None => {}
    }
    all.details.rows = rows::rows(ctx, facts);
    let status = status(ctx, facts, &all, &subject);
    let mut report = Report::new(ItemId::Role, status);
    report.actions = all.actions;
    report.details = all.details;
    report
}

fn status(ctx: &Context, facts: &RoleFacts, all: &Part, subject: &str) -> Status {
    let s = &ctx.setup;
    if facts.role.is_none() {
        return Status::Missing {
            summary: format!("no role {}", s.role_name),
        };
    }
    let failing: Vec<&str> = all
        .details
        .rows
        .iter()
        .filter(|r| r.verdict == RowVerdict::Fail)
        .map(|r| r.title.as_str())
        .collect();
    if !all.problems.is_empty() || !failing.is_empty() {
        let summary = if all.problems.is_empty() {
            failing.join("; ")
        } else {
            all.problems.join("; ")
        };
        return Status::Drift {
            summary,
            diff: all.diff.clone(),
            findings: all.details.findings.clone(),
        };
    }
    let unknown = all.details.rows.iter().find_map(|r| match &r.verdict {
        RowVerdict::Unknown(why) if r.id.starts_with("trust") => {
            Some(format!("{}: {why}", r.title))
        }
        _ => None,
    });
    if let Some(reason) = unknown {
        return Status::Unknown {
            reason: format!("cawiz cannot tell whether STS accepts the token — {reason}"),
        };
    }
    let allowed = all
        .details
        .simulations
        .iter()
        .filter(|r| r.allowed())
        .count();
    Status::Done {
        summary: format!(
            "{} trusts {subject}; {}",
            s.role_name,
            if all.details.simulations.is_empty() {
                format!("{} grants the publish actions", s.policy_name)
            } else {
                format!(
                    "{allowed}/{} actions allowed",
                    all.details.simulations.len()
                )
            }
        ),
    }
}
