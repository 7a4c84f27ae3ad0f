//! Least privilege and supply chain, for every job: actions pinned to commit SHAs, and write
//! permissions only where a job needs them.

use super::super::model::{Job, Workflow};
use super::super::pins::is_full_sha;
use super::publish::uses_oidc;
use super::{LintContext, LintFinding, LintId};

/// `unpinned-action`: a `uses:` of a repository action (step or reusable workflow) by tag or branch.
pub fn unpinned(wf: &Workflow, ctx: &LintContext) -> Vec<LintFinding> {
    let uses = wf.jobs.iter().flat_map(|job| {
        job.uses
            .iter()
            .chain(job.steps.iter().filter_map(|s| s.uses.as_ref()))
    });
    let mut out = Vec::new();
    for (value, line) in uses {
        let value = value.trim();
        if value.starts_with("./") || value.starts_with("docker://") {
            continue;
        }
        let (path, git_ref) = value.split_once('@').unwrap_or((value, ""));
        if is_full_sha(git_ref) {
            continue;
        }
        let action = path.split('/').take(2).collect::<Vec<_>>().join("/");
        let suggestion = ctx
            .pins
            .iter()
            .find(|p| p.action.eq_ignore_ascii_case(&action))
            .map_or_else(
                || format!("pin {path} to the full commit SHA of {git_ref}, with `# {git_ref}` as a comment"),
                |p| format!("use `{}`", p.uses()),
            );
        out.push(LintFinding::warning(
            LintId::UnpinnedAction,
            *line,
            format!(
                "{value} is referenced by {}, which its owner can move to other code",
                if git_ref.is_empty() {
                    "no ref at all".to_owned()
                } else {
                    format!("the tag or branch {git_ref:?}")
                }
            ),
            suggestion,
        ));
    }
    out
}

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
