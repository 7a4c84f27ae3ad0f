//! `consumer-403`: another account gets 403 reading the repository. The two permissions
//! policies are judged by the consumers item's own rows (`crate::consumers`, one place): a
//! failing domain row is `consumer-domain-policy`, a failing read row `consumer-repo-policy`, a
//! row an explicit Deny decided `consumer-deny`. What happens in the consumer's account (its
//! identity policy, the `--domain-owner` it passes) cannot be read from here: those say what the
//! consumer must check.

use serde_json::Value;

use crate::checklist::rows::Row;
use crate::checklist::{Context, ItemId};
use crate::consumers::{IDENTITY_ACTIONS, RowId, all_rows, is_denial};
use crate::policy::{domain_arn, parse_document, repository_arn};

use super::evidence::Evidence;
use super::report::{CauseReport, Verdict, fixable, report};

type Read = Result<Option<String>, crate::aws::AwsError>;

/// A policy as read, parsed: `Err` says why it cannot be judged.
fn document(label: &str, read: &Read) -> Result<Option<Value>, String> {
    match read {
        Ok(None) => Ok(None),
        Ok(Some(raw)) => parse_document(raw)
            .map(Some)
            .map_err(|e| format!("{label}: {e}")),
        Err(e) => Err(format!("{label}: {e}")),
    }
}

fn lines(rows: &[&Row]) -> Vec<String> {
    rows.iter()
        .map(|r| format!("{}: {}", r.title, r.evidence.join("; ")))
        .collect()
}

/// The cause `id` from the rows with `row_id` (denials belong to `consumer-deny`).
fn grant(id: &str, row_id: RowId, rows: &[Row]) -> CauseReport {
    let mine: Vec<&Row> = rows.iter().filter(|r| r.id == row_id.key()).collect();
    let failing: Vec<&Row> = mine
        .iter()
        .copied()
        .filter(|r| r.verdict == Verdict::Fail && !is_denial(r))
        .collect();
    let (verdict, shown) = if failing.is_empty() {
        (Verdict::Ok, mine)
    } else {
        (Verdict::Fail, failing)
    };
    fixable(report(id, verdict, lines(&shown)), ItemId::Consumers)
}

fn deny(rows: &[Row]) -> CauseReport {
    let denied: Vec<&Row> = rows.iter().filter(|r| is_denial(r)).collect();
    if denied.is_empty() {
        return report(
            "consumer-deny",
            Verdict::Ok,
            vec![
                "no Deny in the domain's or the repository's policy applies to a consumer"
                    .to_owned(),
            ],
        );
    }
    report("consumer-deny", Verdict::Fail, lines(&denied))
}

fn identity(ctx: &Context) -> CauseReport {
    let s = &ctx.setup;
    report(
        "consumer-identity-policy",
        Verdict::Unknown(
            "the consumer's identity policies are in its own account: cawiz cannot read them"
                .to_owned(),
        ),
        vec![format!(
            "the consumer's principals must be allowed {} (GetAuthorizationToken on {}, \
             ReadFromRepository on {}, GetServiceBearerToken on * with sts:AWSServiceName \
             codeartifact.amazonaws.com); \"no identity-based policy allows\" in its error says so",
            IDENTITY_ACTIONS.join(", "),
            domain_arn(s, &ctx.account),
            repository_arn(s, &ctx.account, &s.repository)
        )],
    )
}

fn domain_owner(ctx: &Context) -> CauseReport {
    report(
        "consumer-domain-owner",
        Verdict::Unknown("cawiz cannot see the consumer's commands".to_owned()),
        vec![format!(
            "the consumer must pass --domain-owner {} (without it the AWS CLI looks for the \
             domain {} in the consumer's own account: ResourceNotFoundException)",
            ctx.account, ctx.setup.domain
        )],
    )
}

pub(super) fn causes(e: &Evidence, ctx: &Context) -> Vec<CauseReport> {
    let s = &ctx.setup;
    if s.consumers.is_empty() {
        let skip = || Verdict::Skip("the setup names no consumer (init --consumer)".to_owned());
        return [
            "consumer-domain-policy",
            "consumer-repo-policy",
            "consumer-deny",
            "consumer-identity-policy",
            "consumer-domain-owner",
        ]
        .into_iter()
        .map(|id| report(id, skip(), Vec::new()))
        .collect();
    }
    let docs = document("GetDomainPermissionsPolicy", &e.domain_policy).and_then(|d| {
        Ok((
            d,
            document("GetRepositoryPermissionsPolicy", &e.repository_policy)?,
        ))
    });
    let mut out = match docs {
        Ok((domain, repository)) => {
            let rows = all_rows(
                &s.consumers,
                domain.as_ref(),
                repository.as_ref(),
                &domain_arn(s, &ctx.account),
                &repository_arn(s, &ctx.account, &s.repository),
            );
            vec![
                grant("consumer-domain-policy", RowId::DomainPolicy, &rows),
                grant("consumer-repo-policy", RowId::RepositoryPolicy, &rows),
                deny(&rows),
            ]
        }
        Err(why) => [
            "consumer-domain-policy",
            "consumer-repo-policy",
            "consumer-deny",
        ]
        .into_iter()
        .map(|id| report(id, Verdict::Unknown(why.clone()), Vec::new()))
        .collect(),
    };
    out.push(identity(ctx));
    out.push(domain_owner(ctx));
    out
}
