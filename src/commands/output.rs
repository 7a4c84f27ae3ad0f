//! How reports look on a terminal and as JSON (`status --json`: the shape is in README.md).

use serde_json::{Value, json};

use crate::checklist::{Action, Context, ItemId, Report, Status, Step};
use crate::escape::line;
use crate::policy::Severity;

fn severity(s: Severity) -> &'static str {
    s.word()
}

pub fn header(ctx: &Context, sandbox: bool) -> String {
    format!(
        "{}/{} · domain {} · repository {} · account {} · {}{}\nidentity {}",
        ctx.setup.github_owner,
        ctx.setup.github_repo,
        ctx.setup.domain,
        ctx.setup.repository,
        ctx.account,
        ctx.setup.region,
        if sandbox { " · SANDBOX" } else { "" },
        ctx.caller_arn
    )
}

/// The checklist as text: one line per item, then what is wrong and how to fix it. Every field is
/// one line ([`line`]): a message or a value from AWS or GitHub cannot start a line of its own.
pub fn status_text(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        out.push_str(&format!(
            " {} {:<22} {:<8} {}\n",
            r.status.glyph(),
            r.item.title(),
            r.status.kind(),
            line(&match &r.status {
                Status::Error(e) => e.message.clone(),
                other => other.summary(),
            })
        ));
        match &r.status {
            Status::Error(e) => out.push_str(&format!("     fix: {}\n", line(&e.fix))),
            Status::Drift { diff, .. } => {
                for text in diff {
                    out.push_str(&format!("       {}\n", line(text)));
                }
            }
            _ => {}
        }
        // The failing checks as traffic-light rows (the workflow's are its findings, below).
        if !r.status.is_done() && r.item != crate::checklist::ItemId::Workflow {
            for row in r.details.rows.iter().filter(|row| row.verdict.rank() < 2) {
                let evidence = row
                    .verdict
                    .reason()
                    .or_else(|| row.evidence.first().map(String::as_str))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "     {} {} — {}\n",
                    row.verdict.glyph(),
                    line(&row.title),
                    line(evidence)
                ));
            }
        }
        for f in r
            .details
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Error)
        {
            out.push_str(&format!(
                "     {}: {}\n       fix: {}\n",
                severity(f.severity).to_uppercase(),
                line(&f.message),
                line(&f.fix)
            ));
        }
    }
    out
}

pub fn status_json(ctx: &Context, reports: &[Report], sandbox: bool) -> Value {
    let items: Vec<Value> = reports
        .iter()
        .map(|r| {
            let (blocked_by, error, diff) = match &r.status {
                Status::Blocked { by } => (Some(by.key()), None, Vec::new()),
                Status::Error(e) => (
                    None,
                    Some(json!({"kind": e.kind, "message": e.message, "fix": e.fix})),
                    Vec::new(),
                ),
                Status::Drift { diff, .. } => (None, None, diff.clone()),
                _ => (None, None, Vec::new()),
            };
            json!({
                "item": r.item.key(),
                "title": r.item.title(),
                "status": r.status.kind(),
                "summary": r.status.summary(),
                "blocked_by": blocked_by,
                "error": error,
                "diff": diff,
                "findings": r.details.findings.iter().map(|f| json!({
                    "severity": severity(f.severity), "message": f.message, "fix": f.fix
                })).collect::<Vec<_>>(),
                "facts": r.details.facts.iter().map(|(k, v)| json!({"label": k, "value": v})).collect::<Vec<_>>(),
                "notes": r.details.notes,
                "listings": crate::listing::json(&r.details.listings),
                "rows": r.details.rows.iter().map(crate::checklist::rows::Row::json).collect::<Vec<_>>(),
                "simulation": r.details.simulations.iter().map(|s| json!({
                    "action": s.action, "resource": s.resource, "decision": s.decision,
                    "matched": s.matched, "missing_context": s.missing_context,
                    "allowed_by_permissions_boundary": s.boundary_allows,
                    "allowed_by_organizations": s.organizations_allow
                })).collect::<Vec<_>>(),
                "plan": r.steps(&ctx.setup.region).iter().map(|s| json!({
                    "description": s.description, "command": s.command
                })).collect::<Vec<_>>(),
                "workflow": r.details.workflow.as_ref().map(|w| json!({
                    "path": w.path,
                    "error": w.parse_error,
                    "findings": w.findings.iter().map(|f| json!({
                        "id": f.id.as_str(), "severity": severity(f.severity), "line": f.line,
                        "message": f.message, "fix": f.fix
                    })).collect::<Vec<_>>(),
                })),
            })
        })
        .collect();
    let mut doc = json!({
        "schema_version": 1,
        "all_done": reports.iter().all(|r| r.status.is_done()),
        "sandbox": sandbox,
        "setup": {
            "github": format!("{}/{}", ctx.setup.github_owner, ctx.setup.github_repo),
            "region": ctx.setup.region,
            "domain": ctx.setup.domain,
            "repository": ctx.setup.repository,
            "formats": ctx.setup.formats.iter().map(|f| json!({
                "format": f.format.as_str(),
                "client": f.client.key(),
                "upstream": f.upstream,
                "external_connection": f.external_connection,
                "namespace": f.namespace,
            })).collect::<Vec<_>>(),
            "role_name": ctx.setup.role_name,
            "policy_name": ctx.setup.policy_name,
            "scope": ctx.setup.scope.to_string(),
        },
        "identity": { "account": ctx.account, "arn": ctx.caller_arn },
        "items": items,
    });
    // Only when set: without `notify` the document is as it always was.
    if !ctx.setup.notify.is_empty() {
        doc["setup"]["notify"] = json!(ctx.setup.notify);
    }
    doc
}

/// What an empty plan means: every item done, or the items that are not done although cawiz has
/// nothing to apply for them (not checked, unknown, waiting for you), each with its status. Never
/// "every item is done" when one is not.
pub fn nothing_to_do(reports: &[Report]) -> String {
    let pending: Vec<&Report> = reports.iter().filter(|r| !r.status.is_done()).collect();
    if pending.is_empty() {
        return "Nothing to do: every item is done.\n".to_owned();
    }
    let mut out = format!(
        "Nothing cawiz can apply, but {} not done:\n",
        if pending.len() == 1 {
            "1 item is".to_owned()
        } else {
            format!("{} items are", pending.len())
        }
    );
    for r in pending {
        out.push_str(&format!(
            "  {} {} ({}): {}\n",
            r.status.glyph(),
            r.item.title(),
            r.status.kind(),
            line(&r.status.summary())
        ));
    }
    out
}

/// The plan for people: steps grouped by item, each with its command; without steps, what
/// [`nothing_to_do`] says of `reports`.
pub fn plan_text(steps: &[Step], reports: &[Report]) -> String {
    if steps.is_empty() {
        return nothing_to_do(reports);
    }
    let mut out = String::new();
    let mut current: Option<ItemId> = None;
    for (i, step) in steps.iter().enumerate() {
        if current != Some(step.item) {
            out.push_str(&format!("\n{}\n", step.item.title()));
            current = Some(step.item);
        }
        out.push_str(&format!(
            "  {}. {}\n     $ {}\n",
            i + 1,
            line(&step.description),
            line(&step.command)
        ));
    }
    out
}

/// The plan as a runnable script: `set -eu`, then each command in order. A comment is one line
/// ([`line`]: a line break in a file name cannot end it and start a command); each command's
/// words are quoted by `shell::shell_quote`, which writes no control character either.
pub fn plan_sh(ctx: &Context, steps: &[Step], reports: &[Report]) -> String {
    let mut out = format!(
        "#!/bin/sh\n# cawiz plan for {}. Review before running.\nset -eu\n",
        line(&format!(
            "{}/{} (account {}, {})",
            ctx.setup.github_owner, ctx.setup.github_repo, ctx.account, ctx.setup.region
        ))
    );
    if steps.is_empty() {
        for l in nothing_to_do(reports).lines() {
            out.push_str(&format!("# {l}\n"));
        }
    }
    for step in steps {
        out.push_str(&format!(
            "\n# {}: {}\n{}\n",
            step.item.title(),
            line(&step.description),
            step.command
        ));
    }
    out
}

/// The diffs of the workflow writes in `actions` (what each adds, and what it loses), for the
/// terminal before asking.
pub fn workflow_diffs(actions: &[Action]) -> String {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Workflow(w) => w.diff(),
            _ => None,
        })
        .filter(|d| !d.is_empty())
        .map(|d| format!("\n{d}"))
        .collect()
}
