//! Least privilege for every job: write permissions only where a job needs them (pins are in
//! `pinning`).

use super::super::model::{Job, Workflow};
use super::publish::uses_oidc;
use super::{LintFinding, LintId};

/// Whether a job asks GitHub for OIDC tokens (configure-aws-credentials with a role), or may
/// pass the grant on to the reusable workflow it calls.
fn needs_id_token(job: &Job) -> bool {
    job.aws_step().is_some_and(uses_oidc) || job.uses.is_some()
}

/// `excessive-permissions`: write grants at workflow level, no permissions at all (the default
/// token), `write-all` on a job, and `id-token: write` on a job that never asks for a token.
pub fn permissions(wf: &Workflow) -> Vec<LintFinding> {
    let mut out = Vec::new();
    let top_fix = "set `permissions: {}` at the top and grant each job only what it needs \
                   (`contents: read`; `id-token: write` on the publish job)";
    match &wf.permissions {
        Some(p) => {
            for (scope, line) in p.writes() {
                out.push(LintFinding::warning(
                    LintId::ExcessivePermissions,
                    line,
                    format!(
                        "`{}` at workflow level gives every job without its own permissions that write access",
                        if scope == "write-all" {
                            scope
                        } else {
                            format!("{scope}: write")
                        }
                    ),
                    top_fix.to_owned(),
                ));
            }
        }
        // A reusable workflow's jobs without permissions get their caller's.
        None if !wf.only_called() && wf.jobs.iter().any(|j| j.permissions.is_none()) => {
            out.push(LintFinding::warning(
                LintId::ExcessivePermissions,
                1,
                "no permissions: block at the top: jobs without their own get the repository's default \
                 token permissions (read and write in many repositories)"
                    .to_owned(),
                top_fix.to_owned(),
            ));
        }
        None => {}
    }
    for job in &wf.jobs {
        let Some(p) = &job.permissions else { continue };
        for (scope, line) in p.writes() {
            let message = if scope == "write-all" {
                format!("job {} has `permissions: write-all`", job.id)
            } else if scope == "id-token" && !needs_id_token(job) {
                format!(
                    "job {} grants `id-token: write` but never asks for an OIDC token (no \
                     configure-aws-credentials with a role)",
                    job.id
                )
            } else {
                continue;
            };
            out.push(LintFinding::warning(
                LintId::ExcessivePermissions,
                line,
                message,
                format!("grant job {} only what it needs", job.id),
            ));
        }
    }
    out
}
