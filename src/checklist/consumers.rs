//! The optional item `consumers` (SPEC "Consumers"): other accounts (or an organisation) read the
//! repository. Check: GetDomainPermissionsPolicy and GetRepositoryPermissionsPolicy, judged by
//! `crate::consumers` (one row per consumer and policy; an explicit Deny wins). Apply: cawiz's
//! statements (Sid prefix `cawiz`) merged into whatever policy exists, written with the revision
//! read. Destroy: only cawiz's statements go (`action.rs`).

mod action;
mod execute;

use serde_json::Value;

use crate::aws::{PolicyOn, PolicyRead};
use crate::consumers::{
    CAWIZ_SID_PREFIX, RowId, all_rows, domain_statement, identity_policy, is_denial,
    login_commands, merge_cawiz_statements, repository_statement,
};
use crate::policy::{
    DiffLine, diff_json, domain_arn, parse_document, pretty_lines, repository_arn, statements,
};

pub use action::{ConsumerAction, STATEMENTS_KIND};
pub use execute::{describe_removal, execute, remove};

use super::rows::Verdict;
use super::{Action, Context, Document, ItemError, ItemId, Report, Status};

/// One policy as read: its document (parsed) and revision; `None` when there is none.
struct Read {
    on: &'static str,
    raw: Option<PolicyRead>,
    doc: Option<Value>,
}

fn parsed(on: &'static str, raw: Option<PolicyRead>) -> Result<Read, ItemError> {
    let doc = match &raw {
        Some(r) => Some(parse_document(&r.document).map_err(|e| ItemError {
            kind: crate::aws::AwsErrorKind::Other,
            message: format!("the {on} permissions policy cannot be read: {e}"),
            fix: format!("fix the {on} policy's JSON (aws codeartifact get-…-permissions-policy)"),
        })?),
        None => None,
    };
    Ok(Read { on, raw, doc })
}

pub async fn check(ctx: &Context) -> Report {
    let s = &ctx.setup;
    let c = &ctx.clients;
    let (domain, repository) = tokio::join!(
        c.resource_policy(&s.domain, &ctx.account, PolicyOn::Domain),
        c.resource_policy(&s.domain, &ctx.account, PolicyOn::Repository(&s.repository)),
    );
    let read = domain
        .map_err(ItemError::from)
        .and_then(|d| parsed("domain", d))
        .and_then(|d| {
            let r = repository.map_err(ItemError::from)?;
            Ok((d, parsed("repository", r)?))
        });
    match read {
        Ok((d, r)) => assess(ctx, &d, &r),
        Err(e) => Report::new(ItemId::Consumers, Status::Error(e)),
    }
}

/// How many statements of `doc` are not cawiz's.
fn others(doc: &Value) -> usize {
    statements(doc)
        .into_iter()
        .filter(|st| {
            !st.get("Sid")
                .and_then(Value::as_str)
                .is_some_and(|s| s.starts_with(CAWIZ_SID_PREFIX))
        })
        .count()
}

/// The merge of cawiz's statements into `read`, as an action, when it changes the document.
fn put(ctx: &Context, read: &Read, on: PolicyOn<'_>, ours: &[Value]) -> Option<(Action, Value)> {
    let merged = merge_cawiz_statements(read.doc.as_ref(), ours);
    if read.doc.as_ref() == Some(&merged) {
        return None;
    }
    let action = Action::Consumers(ConsumerAction::PutPolicy {
        domain: ctx.setup.domain.clone(),
        owner: ctx.account.clone(),
        repository: match on {
            PolicyOn::Domain => None,
            PolicyOn::Repository(r) => Some(r.to_owned()),
        },
        kept: others(&merged),
        document: merged.clone(),
        revision: read.raw.as_ref().and_then(|r| r.revision.clone()),
    });
    Some((action, merged))
}

fn document(read: &Read, merged: Option<&Value>) -> Document {
    match (merged, &read.doc) {
        (Some(new), Some(old)) => Document {
            title: format!("The {} permissions policy (merged + / now -)", read.on),
            lines: diff_json(new, old),
        },
        (Some(new), None) => Document {
            title: format!("The {} permissions policy (to put)", read.on),
            lines: pretty_lines(new)
                .into_iter()
                .map(DiffLine::Expected)
                .collect(),
        },
        (None, doc) => Document {
            title: format!("The {} permissions policy", read.on),
            lines: doc
                .as_ref()
                .map(pretty_lines)
                .unwrap_or_else(|| vec!["(none)".to_owned()])
                .into_iter()
                .map(DiffLine::Same)
                .collect(),
        },
    }
}

/// Whether a row of `id` fails.
fn fails(rows: &[super::rows::Row], id: RowId) -> bool {
    rows.iter()
        .any(|r| r.id == id.key() && r.verdict == Verdict::Fail)
}

/// The status, rows and plan for the two policies as read.
fn assess(ctx: &Context, domain: &Read, repository: &Read) -> Report {
    let s = &ctx.setup;
    let (d_arn, r_arn) = (
        domain_arn(s, &ctx.account),
        repository_arn(s, &ctx.account, &s.repository),
    );
    let rows = all_rows(
        &s.consumers,
        domain.doc.as_ref(),
        repository.doc.as_ref(),
        &d_arn,
        &r_arn,
    );
    let failing = rows.iter().filter(|r| r.verdict == Verdict::Fail).count();
    let denied = rows.iter().any(is_denial);
    let domain_ours: Vec<Value> = s.consumers.iter().map(domain_statement).collect();
    let repo_ours: Vec<Value> = s.consumers.iter().map(repository_statement).collect();
    let d_put = put(ctx, domain, PolicyOn::Domain, &domain_ours);
    let r_put = put(
        ctx,
        repository,
        PolicyOn::Repository(&s.repository),
        &repo_ours,
    );
    let status = if failing == 0 {
        Status::Done {
            summary: format!(
                "{} may read {} (domain and repository policies)",
                crate::setup::consumers_text(&s.consumers),
                s.repository
            ),
        }
    } else if denied {
        Status::Drift {
            summary: "an explicit Deny in a permissions policy refuses a consumer: remove or \
                      narrow it (cawiz never removes others' statements)"
                .to_owned(),
            diff: Vec::new(),
            findings: Vec::new(),
        }
    } else {
        Status::Missing {
            summary: format!(
                "{failing} of {} consumer grants are not in the permissions policies",
                rows.len()
            ),
        }
    };
    let mut report = Report::new(ItemId::Consumers, status);
    // Only a policy whose rows fail is written: a grant someone else wrote is left as it is.
    let (d_fails, r_fails) = (
        fails(&rows, RowId::DomainPolicy),
        fails(&rows, RowId::RepositoryPolicy),
    );
    if d_fails {
        report.actions.extend(d_put.iter().map(|(a, _)| a.clone()));
    }
    if r_fails {
        report.actions.extend(r_put.iter().map(|(a, _)| a.clone()));
    }
    let details = &mut report.details;
    details.rows = rows;
    details.fact("domain owner", &ctx.account);
    details.fact("consumers", crate::setup::consumers_text(&s.consumers));
    let shown = |p: &Option<(Action, Value)>, failing: bool| {
        if failing {
            p.as_ref().map(|(_, v)| v.clone())
        } else {
            None
        }
    };
    details
        .documents
        .push(document(domain, shown(&d_put, d_fails).as_ref()));
    details
        .documents
        .push(document(repository, shown(&r_put, r_fails).as_ref()));
    details.documents.push(Document {
        title: "Each consumer runs, in its own account".to_owned(),
        lines: login_commands(s, &ctx.account)
            .into_iter()
            .map(DiffLine::Same)
            .collect(),
    });
    details.documents.push(Document {
        title: "The identity policy the consumer's principals need (its own account)".to_owned(),
        lines: pretty_lines(&identity_policy(&d_arn, &r_arn))
            .into_iter()
            .map(DiffLine::Same)
            .collect(),
    });
    details.notes.push(format!(
        "A consumer passes --domain-owner {} (without it the AWS CLI looks for the domain in the \
         consumer's own account), and its own identity policy must allow \
         codeartifact:GetAuthorizationToken, codeartifact:ReadFromRepository and \
         sts:GetServiceBearerToken: cawiz cannot read another account's policies.",
        ctx.account
    ));
    report
}
