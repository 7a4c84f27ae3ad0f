//! "OIDC authentication failed": the provider, the role's trust (principal, audience, subject,
//! wildcards), the role ARN the workflow passes, the job's `id-token` permission and the session
//! duration — each judged from what AWS and GitHub return.

use crate::checklist::{Context, ItemId};
use crate::github::{ActionsVariables, Lookup};
use crate::policy::{
    GITHUB_OIDC_URL, OIDC_AUDIENCE, Tri, oidc_provider_arn, parse_document, review_trust,
};
use crate::workflow::LintId;

use super::evidence::Evidence;
use super::report::{CauseReport, Verdict, fixable, report};

fn audience(e: &Evidence) -> String {
    e.cac_input("audience")
        .map_or_else(|| OIDC_AUDIENCE.to_owned(), |(a, _)| a)
}

pub(super) fn provider_missing(e: &Evidence, ctx: &Context) -> CauseReport {
    let r = match &e.provider {
        Ok(Some(p)) => report(
            "provider-missing",
            Verdict::Ok,
            vec![format!("GetOpenIDConnectProvider: {} exists", p.arn)],
        ),
        Ok(None) => report(
            "provider-missing",
            Verdict::Fail,
            vec![format!(
                "ListOpenIDConnectProviders: no provider for {GITHUB_OIDC_URL} in account {}",
                ctx.account
            )],
        ),
        Err(err) => report(
            "provider-missing",
            Verdict::Unknown(err.to_string()),
            vec![],
        ),
    };
    fixable(r, ItemId::OidcProvider)
}

pub(super) fn provider_audience(e: &Evidence) -> CauseReport {
    let wanted = audience(e);
    let r = match &e.provider {
        Ok(Some(p)) => {
            let evidence = vec![format!(
                "GetOpenIDConnectProvider ClientIDList: [{}]; the workflow asks for {wanted}",
                p.client_ids.join(", ")
            )];
            let verdict = if p.client_ids.contains(&wanted) {
                Verdict::Ok
            } else {
                Verdict::Fail
            };
            report("provider-audience", verdict, evidence)
        }
        Ok(None) => report(
            "provider-audience",
            Verdict::Skip("no provider (provider-missing)".to_owned()),
            vec![],
        ),
        Err(err) => report(
            "provider-audience",
            Verdict::Unknown(err.to_string()),
            vec![],
        ),
    };
    fixable(r, ItemId::OidcProvider)
}

pub(super) fn role_missing(e: &Evidence, ctx: &Context) -> CauseReport {
    let r = match &e.role {
        Ok(f) => match &f.role {
            Some(role) => report(
                "role-missing",
                Verdict::Ok,
                vec![format!("GetRole {}: {}", ctx.setup.role_name, role.arn)],
            ),
            None => report(
                "role-missing",
                Verdict::Fail,
                vec![format!("GetRole {}: NoSuchEntity", ctx.setup.role_name)],
            ),
        },
        Err(err) => report("role-missing", Verdict::Unknown(err.to_string()), vec![]),
    };
    fixable(r, ItemId::Role)
}

/// The four trust causes, from one reading of the trust policy.
pub(super) fn trust(e: &Evidence, ctx: &Context) -> Vec<CauseReport> {
    let ids = [
        "trust-principal",
        "trust-audience",
        "trust-subject",
        "trust-subject-wildcard",
    ];
    let all = |v: Verdict| {
        ids.iter()
            .map(|id| fixable(report(id, v.clone(), vec![]), ItemId::Role))
            .collect()
    };
    let facts = match &e.role {
        Ok(f) => f,
        Err(err) => return all(Verdict::Unknown(err.to_string())),
    };
    let Some(role) = &facts.role else {
        return all(Verdict::Skip("no role (role-missing)".to_owned()));
    };
    let doc = match parse_document(&role.trust_policy) {
        Ok(d) => d,
        Err(err) => return all(Verdict::Unknown(format!("the trust policy: {err}"))),
    };
    let s = &ctx.setup;
    let provider = oidc_provider_arn(&s.region, &ctx.account);
    let wanted = audience(e);
    let review = review_trust(&doc, &facts.rules, &s.scope, &provider, &wanted);
    let parts = &review.parts;
    let verdict = |t: &Tri| match t {
        Tri::Yes => Verdict::Ok,
        Tri::No => Verdict::Fail,
        Tri::Maybe(why) => Verdict::Unknown(why.clone()),
    };
    let expected = facts.rules.expected(&s.scope);
    let statement = parts
        .statement
        .map_or_else(String::new, |i| format!(" (statement {})", i + 1));
    let mut subject_evidence = vec![
        format!(
            "GetRole {} trust sub: [{}]{statement}",
            s.role_name,
            review.subjects.join(", ")
        ),
        format!(
            "GitHub sends {expected} ({})",
            facts.rules.describe(&s.scope)
        ),
    ];
    subject_evidence.extend(
        parts
            .other_conditions
            .iter()
            .filter(|(_, t)| !t.is_yes())
            .map(|(c, _)| format!("the same statement also requires {c}")),
    );
    if let Some(deny) = &parts.denied_by {
        subject_evidence.push(format!("{deny} (Deny) refuses the token"));
    }
    let not_trusted = e.lint_lines(LintId::SubjectNotTrusted);
    subject_evidence.extend(not_trusted.iter().cloned());
    let wildcards = review.open_doors();
    let no_statement = parts.statement.is_none();
    let skip = || Verdict::Skip("no statement allows sts:AssumeRoleWithWebIdentity".to_owned());
    let subject_verdict = if no_statement {
        skip()
    } else if !not_trusted.is_empty() {
        Verdict::Fail
    } else {
        verdict(&parts.subject.clone().and(parts.other.clone()))
    };
    vec![
        report(
            "trust-principal",
            verdict(&parts.principal),
            vec![if no_statement {
                "no statement of the trust policy allows sts:AssumeRoleWithWebIdentity".to_owned()
            } else {
                format!(
                    "trust Principal.Federated: [{}]{statement}; this account's provider is {provider}",
                    review.principals.join(", ")
                )
            }],
        ),
        report(
            "trust-audience",
            if no_statement { skip() } else { verdict(&parts.audience) },
            vec![if parts.audience_checked {
                format!(
                    "trust aud: [{}]{statement}; the workflow's token carries {wanted}",
                    review.audiences.join(", ")
                )
            } else {
                format!(
                    "no aud condition{statement}: STS checks {wanted} against the provider's \
                     client ids (provider-audience)"
                )
            }],
        ),
        report("trust-subject", subject_verdict, subject_evidence),
        report(
            "trust-subject-wildcard",
            verdict(&Tri::from_bool(wildcards.is_empty())),
            if wildcards.is_empty() {
                vec!["every sub pattern names the repository".to_owned()]
            } else {
                wildcards
                    .iter()
                    .map(|w| format!("lets other repositories in: {w}"))
                    .collect()
            },
        ),
    ]
    .into_iter()
    .map(|r| fixable(r, ItemId::Role))
    .collect()
}

pub(super) fn role_arn_variable(e: &Evidence) -> CauseReport {
    let role_arn = e
        .role
        .as_ref()
        .ok()
        .and_then(|f| f.role.as_ref())
        .map(|r| r.arn.clone());
    let mut evidence = e.lint_lines(LintId::RoleArnMismatch);
    let verdict = match (e.variable("AWS_ROLE_ARN"), &role_arn) {
        (None, _) => Verdict::Unknown(
            "the repository's variables could not be read (no GitHub token or no access)"
                .to_owned(),
        ),
        (Some(_), None) => Verdict::Skip("no role to compare with (role-missing)".to_owned()),
        (Some(Lookup::Unreadable(why)), Some(_)) => Verdict::Unknown(why),
        (Some(Lookup::Missing), Some(_)) => {
            let env = e.publish_environment();
            let places = ActionsVariables::places(env.as_deref());
            evidence.insert(
                0,
                format!("variable AWS_ROLE_ARN is not set: neither {places} has it"),
            );
            Verdict::Fail
        }
        (Some(Lookup::Found(f)), Some(arn)) if f.value != *arn => {
            evidence.insert(
                0,
                format!("AWS_ROLE_ARN = {}; GetRole Arn = {arn}", f.describe()),
            );
            Verdict::Fail
        }
        (Some(Lookup::Found(f)), Some(_)) => {
            evidence.insert(0, format!("AWS_ROLE_ARN = {}: GetRole's Arn", f.describe()));
            if evidence.len() > 1 {
                Verdict::Fail
            } else {
                Verdict::Ok
            }
        }
    };
    fixable(
        report("role-arn-variable", verdict, evidence),
        ItemId::Variables,
    )
}

pub(super) fn id_token_permission(e: &Evidence) -> CauseReport {
    let r = if e.workflow.file.is_none() {
        report(
            "id-token-permission",
            Verdict::Unknown("no publishing workflow to read (neither on the default branch nor in the working tree)".to_owned()),
            vec![],
        )
    } else {
        let lines = e.lint_lines(LintId::IdTokenMissing);
        if lines.is_empty() {
            report(
                "id-token-permission",
                Verdict::Ok,
                vec![format!(
                    "{}: the job running configure-aws-credentials has id-token: write",
                    e.workflow_where()
                )],
            )
        } else {
            report("id-token-permission", Verdict::Fail, lines)
        }
    };
    fixable(r, ItemId::Workflow)
}

pub(super) fn session_duration(e: &Evidence) -> CauseReport {
    let Some(role) = e.role.as_ref().ok().and_then(|f| f.role.as_ref()) else {
        return report(
            "session-duration",
            Verdict::Skip("no role to read MaxSessionDuration from".to_owned()),
            vec![],
        );
    };
    let max = i64::from(role.max_session_duration);
    let chaining = e
        .cac_input("role-chaining")
        .is_some_and(|(v, _)| v == "true");
    let (asked, line) = match e.cac_input("role-duration-seconds") {
        Some((v, line)) => match v.trim().parse::<i64>() {
            Ok(n) => (n, Some(line)),
            Err(_) => {
                return report(
                    "session-duration",
                    Verdict::Unknown(format!("role-duration-seconds is {v:?}, not a number")),
                    vec![],
                );
            }
        },
        None => (3600, None),
    };
    let limit = if chaining { max.min(3600) } else { max };
    let evidence = vec![format!(
        "GetRole MaxSessionDuration = {max}; the workflow asks for {asked} s{}{}",
        line.map_or_else(|| " (the default)".to_owned(), |l| format!(" (line {l})")),
        if chaining {
            "; role chaining caps it at 3600"
        } else {
            ""
        }
    )];
    let verdict = if asked <= limit {
        Verdict::Ok
    } else {
        Verdict::Fail
    };
    report("session-duration", verdict, evidence)
}
