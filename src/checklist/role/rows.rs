//! The role's check as rows, one small function each: the role, the trust policy's principal,
//! audience and subject (as STS checks them), wildcards, other repositories' subjects (facts),
//! the publish policy and its attachment, then each needed action on its resource (the
//! simulation, or the policy's document when simulation is not available) and what a boundary
//! or an SCP denies.

use crate::policy::{
    OIDC_AUDIENCE, Tri, TrustReview, broader_than_needed, oidc_provider_arn, parse_document,
    review_trust,
};
use crate::setup::SubjectScope;

use super::super::rows::{Row, Verdict};
use super::super::{Context, ItemId};
use super::{RoleFacts, verdicts};

fn role_row(ctx: &Context, facts: &RoleFacts) -> Row {
    let name = &ctx.setup.role_name;
    match &facts.role {
        Some(r) => Row::new("role", format!("Role {name} exists"), Verdict::Ok)
            .evidence(format!("GetRole: {}", r.arn)),
        None => Row::new("role", format!("Role {name} exists"), Verdict::Fail)
            .evidence(format!("GetRole {name}: NoSuchEntity"))
            .fix("create it (apply)", Some(ItemId::Role)),
    }
}

fn trust_rows(ctx: &Context, facts: &RoleFacts) -> Vec<Row> {
    let Some(role) = &facts.role else {
        return Vec::new();
    };
    let s = &ctx.setup;
    let doc = match parse_document(&role.trust_policy) {
        Ok(d) => d,
        Err(e) => {
            return vec![Row::new(
                "trust",
                "Trust policy readable",
                Verdict::Unknown(format!("the trust policy cannot be read: {e}")),
            )];
        }
    };
    let provider = oidc_provider_arn(&s.region, &ctx.account);
    let review = review_trust(&doc, &facts.rules, &s.scope, &provider, OIDC_AUDIENCE);
    let parts = &review.parts;
    let expected = facts.rules.expected(&s.scope);
    let fix = |what: &str| format!("{what} (apply adds it, keeping every other statement)");
    let statement = parts
        .statement
        .map_or_else(String::new, |i| format!(" (statement {})", i + 1));
    let none = || Verdict::Skip("no statement allows sts:AssumeRoleWithWebIdentity".to_owned());
    let audience = if parts.statement.is_none() {
        none()
    } else if parts.audience_checked || !parts.audience.is_yes() {
        Verdict::from_tri(&parts.audience)
    } else {
        Verdict::Warn
    };
    let subject_verdict = if parts.statement.is_none() {
        none()
    } else {
        Verdict::from_tri(&parts.subject.clone().and(parts.other.clone()))
    };
    let mut subject = Row::new(
        "trust-subject",
        format!("Subject: {expected}"),
        subject_verdict,
    )
    .evidence(format!("sub: {}{statement}", or_none(&review.subjects)));
    for (condition, holds) in &parts.other_conditions {
        subject = subject.evidence(format!(
            "also requires {condition}: {}",
            match holds {
                Tri::Yes => "holds".to_owned(),
                Tri::No => "does not hold".to_owned(),
                Tri::Maybe(why) => format!("cannot tell ({why})"),
            }
        ));
    }
    if let Some(deny) = &parts.denied_by {
        subject = subject.evidence(format!("{deny} (Deny) refuses the token"));
    }
    let mut rows = vec![
        Row::new(
            "trust-principal",
            "Principal: this account's GitHub provider",
            Verdict::from_tri(&parts.principal),
        )
        .evidence(format!(
            "Principal.Federated: {}",
            review.principals.join(", ")
        ))
        .fix(fix(&format!("trust {provider}")), Some(ItemId::Role)),
        Row::new("trust-audience", format!("Audience: {OIDC_AUDIENCE}"), audience)
            .evidence(format!("aud: {}{statement}", or_none(&review.audiences)))
            .evidence(if parts.audience_checked {
                "the statement checks the token's audience".to_owned()
            } else {
                "no aud condition: STS checks the token's audience against the provider's client \
                 ids, so it works; a condition hardens it"
                    .to_owned()
            })
            .fix(
                "StringEquals aud = sts.amazonaws.com (a hardening; apply leaves a working trust alone)",
                None,
            ),
        subject
            .evidence(facts.rules.describe(&s.scope))
            .fix(
                fix(&format!("StringLike sub = {expected}")),
                Some(ItemId::Role),
            ),
    ];
    let wildcards = review.open_doors();
    let mut wildcard = Row::new(
        "trust-subject-wildcard",
        "No subject lets other repositories in",
        Verdict::from_ok(wildcards.is_empty()),
    );
    wildcard.evidence = wildcards;
    rows.push(wildcard.fix(format!("narrow to {expected} (apply)"), Some(ItemId::Role)));
    rows.extend(scope_row(ctx, &review, &expected));
    for other in &review.others {
        rows.push(
            Row::new("trust-other", format!("Also trusts {other}"), Verdict::Ok)
                .evidence("another repository's subject: kept as it is"),
        );
    }
    rows
}

/// Whether only the runs of the scope may assume the role (no row for the scope `all`: every run
/// of the repository is in it).
fn scope_row(ctx: &Context, review: &TrustReview, expected: &str) -> Option<Row> {
    let scope = &ctx.setup.scope;
    let title = format!("Only the scope's runs ({scope}) may assume the role");
    if matches!(scope, SubjectScope::AllRefs) {
        return None;
    }
    if review.broader.is_empty() {
        return Some(
            Row::new("trust-scope", title, Verdict::Ok)
                .evidence(format!("no run outside {scope} is accepted")),
        );
    }
    let row = Row::new("trust-scope", title, Verdict::Warn)
        .evidence(format!(
            "broader than the scope: {} may assume the role",
            review.broader.join(", ")
        ))
        .evidence(format!("the policy accepts {}", review.subjects.join(", ")))
        .fix(
            format!(
                "narrow this repository's subjects to {expected} (apply, confirmed; other \
                 repositories' subjects stay), or widen the scope (`cawiz init --scope …`)"
            ),
            Some(ItemId::Role),
        );
    Some(row)
}

fn or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(no condition)".to_owned()
    } else {
        items.join(", ")
    }
}

fn policy_rows(ctx: &Context, facts: &RoleFacts) -> Vec<Row> {
    let s = &ctx.setup;
    let exists = match &facts.policy {
        Some(p) => Row::new(
            "policy",
            format!("Policy {} exists", s.policy_name),
            Verdict::Ok,
        )
        .evidence(format!("GetPolicy: {} ({})", p.arn, p.default_version_id)),
        None => Row::new(
            "policy",
            format!("Policy {} exists", s.policy_name),
            Verdict::Fail,
        )
        .evidence(format!("GetPolicy {}: NoSuchEntity", facts.policy_arn))
        .fix("create it (apply)", Some(ItemId::Role)),
    };
    if facts.role.is_none() {
        return vec![exists];
    }
    let attached = facts.attached.contains(&facts.policy_arn);
    let attach = Row::new(
        "policy-attached",
        format!("{} attached to {}", s.policy_name, s.role_name),
        Verdict::from_ok(attached),
    )
    .evidence(format!(
        "ListAttachedRolePolicies: {}",
        if facts.attached.is_empty() {
            "(none)".to_owned()
        } else {
            facts.attached.join(", ")
        }
    ))
    .fix("attach it (apply)", Some(ItemId::Role));
    let mut rows = vec![exists, attach];
    rows.extend(scope_of_policy(ctx, facts));
    rows
}

/// Whether the configured policy grants only what publishing to the setup's repository needs
/// (a warning otherwise: an adopted policy is never rewritten for it).
fn scope_of_policy(ctx: &Context, facts: &RoleFacts) -> Option<Row> {
    let doc = facts.policy_document.as_ref()?;
    let broader = broader_than_needed(doc, &ctx.setup, &ctx.account);
    let title = format!(
        "{} grants only what publishing to {} needs",
        ctx.setup.policy_name, ctx.setup.repository
    );
    let row = if broader.is_empty() {
        Row::new("policy-scope", title, Verdict::Ok)
            .evidence("the domain, the repository and its packages; reading on the upstream")
    } else {
        let mut row = Row::new("policy-scope", title, Verdict::Warn).fix(
            "narrow it to the setup's repository (cawiz's least-privilege statements) if nothing \
             else relies on it; cawiz never rewrites an adopted policy for this",
            None,
        );
        row.evidence = broader;
        row
    };
    Some(row)
}

/// An ARN shown relative to the domain: `domain`, `repository widgets`, `package widgets/six`,
/// a package's namespace before its name (`package widgets/octo-org/is-odd`; the full ARN is in
/// the row's evidence).
pub fn relative(resource: &str) -> String {
    let Some((_, rest)) = resource.split_once(":codeartifact:") else {
        return resource.to_owned();
    };
    let path = rest.splitn(3, ':').nth(2).unwrap_or(rest);
    let mut parts = path.split('/');
    match parts.next() {
        Some("domain") => "domain".to_owned(),
        Some("repository") => format!("repository {}", parts.nth(1).unwrap_or("*")),
        Some("package") => {
            let repo = parts.nth(1).unwrap_or("*");
            let namespace = parts.nth(1).filter(|ns| !ns.is_empty());
            let name = path.rsplit('/').next().unwrap_or("*");
            match namespace {
                Some(ns) => format!("package {repo}/{ns}/{name}"),
                None => format!("package {repo}/{name}"),
            }
        }
        _ => path.to_owned(),
    }
}

/// One row per needed action on its resource, aligned: `Action  resource`.
fn action_rows(ctx: &Context, facts: &RoleFacts) -> Vec<Row> {
    if facts.role.is_none() {
        return Vec::new();
    }
    let simulated = matches!(facts.simulations, Some(Ok(_)));
    verdicts(ctx, facts)
        .into_iter()
        .map(|v| {
            let short = v.action.trim_start_matches("codeartifact:");
            let title = format!("{short:<24} {}", relative(&v.resource));
            let verdict = Verdict::from_ok(v.allowed);
            let source = if simulated {
                "SimulatePrincipalPolicy, as the role"
            } else {
                "the policy's document (no simulation)"
            };
            let mut row = Row::new(format!("allow:{}", v.action), title, verdict)
                .compact()
                .evidence(format!(
                    "{} ({source})",
                    if v.allowed { "allowed" } else { "not allowed" }
                ))
                .evidence(format!("{} on {}", v.action, v.resource));
            match v.denied_by {
                Some(by) => {
                    row = row
                        .evidence(format!("denied by {by}"))
                        .fix("the organisation's or the boundary's administrators", None);
                }
                None => row = row.fix("grant it (apply)", Some(ItemId::Role)),
            }
            row
        })
        .collect()
}

/// Every row of the role's check, in reading order.
pub fn rows(ctx: &Context, facts: &RoleFacts) -> Vec<Row> {
    let mut out = vec![role_row(ctx, facts)];
    out.extend(trust_rows(ctx, facts));
    out.extend(policy_rows(ctx, facts));
    out.extend(action_rows(ctx, facts));
    out
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn resources_are_shown_relative_to_the_domain() {
        let p = "arn:aws:codeartifact:us-east-1:123456789012:";
        assert_eq!(relative(&format!("{p}domain/octo-org")), "domain");
        assert_eq!(
            relative(&format!("{p}repository/octo-org/widgets")),
            "repository widgets"
        );
        assert_eq!(
            relative(&format!("{p}package/octo-org/widgets/pypi//widgets")),
            "package widgets/widgets"
        );
        assert_eq!(
            relative(&format!("{p}package/octo-org/widgets/npm/octo-org/widgets")),
            "package widgets/octo-org/widgets"
        );
        assert_eq!(relative("*"), "*");
    }
}
