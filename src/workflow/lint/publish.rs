//! The publish job itself: it exists, its token may ask GitHub for an OIDC token, and the role and
//! region it hands configure-aws-credentials are the setup's.

use super::super::expr;
use super::super::model::{Input, Job, Step, Workflow};
use super::{Client, LintContext, LintFinding, LintId};
use crate::github::{ActionsVariables, Lookup};

pub fn no_publish_job(wf: &Workflow, aws: bool, client: Client) -> LintFinding {
    let message = if aws {
        format!(
            "no job both gets AWS credentials (aws-actions/configure-aws-credentials) and publishes \
             ({} or another client): nothing publishes to CodeArtifact",
            client.command()
        )
    } else {
        "no job assumes the AWS role and publishes to CodeArtifact".to_owned()
    };
    LintFinding::error(
        LintId::NoPublishJob,
        wf.jobs_line,
        message,
        format!(
            "add a publish job: configure-aws-credentials with role-to-assume and aws-region, then {} \
             (`cawiz workflow print` shows one)",
            client.how()
        ),
    )
}

/// The step authenticates with OIDC (a role), not with access keys.
pub fn uses_oidc(step: &Step) -> bool {
    step.input("aws-access-key-id").is_none()
}

/// Findings about one configure-aws-credentials step and its job.
pub fn aws_step(wf: &Workflow, job: &Job, step: &Step, ctx: &LintContext) -> Vec<LintFinding> {
    let mut out = Vec::new();
    if uses_oidc(step) {
        out.extend(id_token(wf, job));
        out.extend(role_arn(wf, job, step, ctx));
    }
    out.extend(region(wf, job, step, ctx));
    out
}

fn id_token(wf: &Workflow, job: &Job) -> Option<LintFinding> {
    let effective = wf.effective_permissions(job);
    if effective.is_some_and(|p| p.id_token_write()) {
        return None;
    }
    let (line, why) = match (&job.permissions, &wf.permissions) {
        (Some(own), workflow) => (
            own.line,
            if workflow.as_ref().is_some_and(|w| w.id_token_write()) {
                format!(
                    "its own permissions: block (line {}) replaces the workflow-level one, which \
                     granted it",
                    own.line
                )
            } else {
                format!("its permissions: block (line {}) does not grant it", own.line)
            },
        ),
        (None, Some(workflow)) => (
            job.line,
            format!(
                "it has no permissions: block, and the workflow-level one (line {}) does not grant it",
                workflow.line
            ),
        ),
        (None, None) => (
            job.line,
            "neither the job nor the workflow has a permissions: block, and the default token never \
             has it"
                .to_owned(),
        ),
    };
    Some(LintFinding::error(
        LintId::IdTokenMissing,
        line,
        format!(
            "job {} runs configure-aws-credentials with a role, but its token lacks `id-token: write`: \
             {why} (the action then fails with \"Could not load credentials from any providers\")",
            job.id
        ),
        format!(
            "give the job {} `permissions: {{id-token: write, contents: read}}` (and keep \
             `permissions: {{}}` at the top)",
            job.id
        ),
    ))
}

/// A step input's value with `${{ env.X }}` followed through the step's, job's and workflow's
/// `env:` (one level).
fn resolve_env<'a>(value: &'a str, wf: &'a Workflow, job: &'a Job, step: &'a Step) -> &'a str {
    match expr::reference(value) {
        Some((context, name)) if context == "env" => step
            .env
            .iter()
            .chain(&job.env)
            .chain(&wf.env)
            .find(|i| i.name == name)
            .map_or(value, |i: &Input| i.value.as_str()),
        _ => value,
    }
}

/// The environment a job runs in, when it names one literally.
fn environment(job: &Job) -> Option<&str> {
    job.environment
        .as_ref()
        .map(|(e, _)| e.trim())
        .filter(|e| !e.is_empty() && !e.contains("${{"))
}

/// A value and where it came from (`"vars.X, the organisation's variable"`), when known.
type Resolved = Option<(String, Option<String>)>;

/// `vars.NAME` as GitHub resolves it for `job`: its environment's, the repository's, the
/// organisation's.
fn resolve_var(name: &str, job: &Job, ctx: &LintContext) -> Result<Resolved, (String, bool)> {
    let Some(vars) = &ctx.variables else {
        return Ok(None);
    };
    let env = environment(job);
    match vars.lookup(name, env) {
        Lookup::Found(f) => Ok(Some((
            f.value.clone(),
            Some(format!("vars.{name}, {} variable", f.level.owner())),
        ))),
        Lookup::Missing => Err((
            format!(
                "names the Actions variable {name}, which neither {} has",
                ActionsVariables::places(env)
            ),
            true,
        )),
        Lookup::Unreadable(why) => Err((
            format!("names the Actions variable {name}, which cawiz could not find ({why})"),
            false,
        )),
    }
}

/// What a value refers to, checked against the known variables and secrets: `Err((message, hard))`
/// when it names one that does not exist (`hard`) or that cannot be read; `Ok(Some((value,
/// source)))` when its value is known, `Ok(None)` when not.
fn resolve(value: &str, job: &Job, ctx: &LintContext) -> Result<Resolved, (String, bool)> {
    if !expr::is_expression(value) {
        return Ok(Some((value.to_owned(), None)));
    }
    match expr::reference(value) {
        Some((context, name)) if context == "vars" => resolve_var(&name, job, ctx),
        Some((context, name)) if context == "secrets" => match &ctx.secrets {
            Some(secrets) if !secrets.iter().any(|s| s.eq_ignore_ascii_case(&name)) => Err((
                format!("names the secret {name}, which the repository does not have"),
                true,
            )),
            _ => Ok(None),
        },
        _ => Err((
            format!("is the expression {value}, which cawiz cannot resolve"),
            false,
        )),
    }
}

/// " (from vars.X, the organisation's variable)" for a value read through an expression.
fn from(raw: &str, source: Option<&str>) -> String {
    match source {
        Some(source) => format!(" (from {source})"),
        None if expr::is_expression(raw) => format!(" (from {raw})"),
        None => String::new(),
    }
}

fn role_arn(wf: &Workflow, job: &Job, step: &Step, ctx: &LintContext) -> Option<LintFinding> {
    let fix_text =
        "set `role-to-assume: ${{ vars.AWS_ROLE_ARN }}` (cawiz's variables item sets the \
                    variable to the role's ARN)"
            .to_owned();
    let Some(input) = step
        .input("role-to-assume")
        .filter(|i| !i.value.trim().is_empty())
    else {
        return Some(LintFinding::error(
            LintId::RoleArnMismatch,
            step.line,
            format!(
                "job {}: configure-aws-credentials has neither role-to-assume nor access keys",
                job.id
            ),
            fix_text,
        ));
    };
    let raw = resolve_env(&input.value, wf, job, step);
    let is_standard = expr::reference(raw).is_some_and(|(c, n)| c == "vars" && n == "AWS_ROLE_ARN");
    let finding = |message: String| {
        LintFinding::error(
            LintId::RoleArnMismatch,
            input.line,
            message,
            fix_text.clone(),
        )
    };
    match resolve(raw, job, ctx) {
        Err((why, true)) => Some(finding(format!("role-to-assume {why}"))),
        Err((why, false)) => Some(LintFinding::warning(
            LintId::RoleArnMismatch,
            input.line,
            format!("role-to-assume {why}: cawiz cannot tell whether it is the role's ARN"),
            fix_text,
        )),
        Ok(Some((value, source))) => match &ctx.role_arn {
            Some(arn) if value.trim() != arn => Some(finding(format!(
                "role-to-assume is {:?}{}, but the role's ARN is {arn}",
                value.trim(),
                from(raw, source.as_deref())
            ))),
            _ => None,
        },
        Ok(None) if is_standard || expr::reference(raw).is_some_and(|(c, _)| c == "secrets") => {
            None
        }
        Ok(None) => Some(LintFinding::warning(
            LintId::RoleArnMismatch,
            input.line,
            format!(
                "role-to-assume reads {raw} rather than vars.AWS_ROLE_ARN, and without a GitHub token \
                 cawiz cannot read its value"
            ),
            fix_text,
        )),
    }
}

fn region(wf: &Workflow, job: &Job, step: &Step, ctx: &LintContext) -> Option<LintFinding> {
    let Some(expected) = &ctx.region else {
        return None;
    };
    let fix_text = format!(
        "set `aws-region: ${{{{ vars.AWS_REGION }}}}` (the variable holds {expected}), or the literal {expected}"
    );
    let Some(input) = step
        .input("aws-region")
        .filter(|i| !i.value.trim().is_empty())
    else {
        return Some(LintFinding::error(
            LintId::RegionMismatch,
            step.line,
            format!(
                "job {}: configure-aws-credentials has no aws-region (it is required)",
                job.id
            ),
            fix_text,
        ));
    };
    let raw = resolve_env(&input.value, wf, job, step);
    match resolve(raw, job, ctx) {
        Err((why, hard)) => {
            let message = format!("aws-region {why}");
            Some(if hard {
                LintFinding::error(LintId::RegionMismatch, input.line, message, fix_text)
            } else {
                LintFinding::warning(LintId::RegionMismatch, input.line, message, fix_text)
            })
        }
        Ok(Some((value, source))) if value.trim() != expected => Some(LintFinding::error(
            LintId::RegionMismatch,
            input.line,
            format!(
                "aws-region is {:?}{}, but the setup's region is {expected}",
                value.trim(),
                from(raw, source.as_deref())
            ),
            fix_text,
        )),
        Ok(_) => None,
    }
}
