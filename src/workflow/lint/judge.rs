//! One workflow judged whole: each job's publishing (in the setup's formats or not), its AWS
//! side, the reusable workflows it calls (read from the same directory), then the file-wide
//! checks (tokens, keys, injection, pins, permissions).

use std::borrow::Cow;

use super::super::files::LocalFile;
use super::super::model::{Job, Workflow};
use super::publishers::{self, Format, Publish};
use super::reusable::{self, Called};
use super::{
    FileLint, LintContext, LintFinding, LintId, Source, hygiene, injection, keys, pinning, publish,
    subject, token, upload,
};

/// What a set of jobs amounts to.
#[derive(Default)]
struct Part {
    findings: Vec<LintFinding>,
    /// Publishes one of the setup's formats.
    publishes: bool,
    /// Publishes another format.
    other: bool,
    touches_aws: bool,
}

/// Whether a format is one the setup has (any, when the setup's are unknown).
fn setup_has(ctx: &LintContext, format: Format) -> bool {
    ctx.formats.is_empty() || ctx.formats.contains(&format)
}

/// The context a job is judged in: the secrets it can see (the repository's, the
/// organisation's, its environment's, a reusable workflow's declared ones) — unknown when a
/// level it could come from was not read.
fn for_job<'a>(ctx: &'a LintContext, wf: &Workflow, job: &Job) -> Cow<'a, LintContext> {
    let Some(repo) = &ctx.secrets else {
        return Cow::Borrowed(ctx);
    };
    let environment = job
        .environment
        .as_ref()
        .map(|(e, _)| e.as_str())
        .filter(|e| !e.contains("${{"));
    let env_secrets = match environment {
        Some(e) => ctx.environment_secrets.get(e).map(Vec::as_slice),
        None => Some(&[][..]),
    };
    let mut ctx = ctx.clone();
    ctx.secrets = match (&ctx.org_secrets, env_secrets) {
        (Some(org), Some(env)) => Some(
            repo.iter()
                .chain(org)
                .chain(env)
                .chain(&wf.call_secrets)
                .cloned()
                .collect(),
        ),
        // A level that could hold it was not read: the secret's absence is not known.
        _ => None,
    };
    Cow::Owned(ctx)
}

/// The findings of one configure-aws-credentials job, less what a reusable workflow's callers
/// provide (their permissions, inputs and declared secrets).
fn aws_side(wf: &Workflow, job: &Job, ctx: &LintContext) -> Vec<LintFinding> {
    let Some(step) = job.aws_step() else {
        return if keys::authenticates(wf, job) {
            subject::untrusted_triggers(wf, job)
        } else {
            Vec::new()
        };
    };
    let jctx = for_job(ctx, wf, job);
    let inherits = wf.only_called() && job.permissions.is_none() && wf.permissions.is_none();
    let from_caller = |name: &str| {
        step.input(name)
            .filter(|i| reusable::from_caller(wf, &i.value))
            .map(|i| i.line)
    };
    let (role, region) = (from_caller("role-to-assume"), from_caller("aws-region"));
    let mut out: Vec<LintFinding> = publish::aws_step(wf, job, step, &jctx)
        .into_iter()
        .filter(|f| !(inherits && f.id == LintId::IdTokenMissing))
        .filter(|f| !(f.id == LintId::RoleArnMismatch && Some(f.line) == role))
        .filter(|f| !(f.id == LintId::RegionMismatch && Some(f.line) == region))
        .collect();
    out.extend(subject::untrusted_triggers(wf, job));
    if publish::uses_oidc(step) {
        out.extend(subject::subjects(wf, job, ctx));
    }
    out
}

/// A job's own part: its publishing and its AWS side.
fn job_part(wf: &Workflow, job: &Job, src: &Source, ctx: &LintContext) -> (Part, Vec<Publish>) {
    let lines = |from: usize, script: &str| src.script_lines(from, script);
    let authenticates = keys::authenticates(wf, job);
    let names_codeartifact = job.scripts().any(|(_, s, _)| s.contains("codeartifact"));
    let mut part = Part {
        touches_aws: authenticates || names_codeartifact,
        ..Part::default()
    };
    let mut others = Vec::new();
    if authenticates {
        for p in publishers::in_job(job, &lines) {
            if setup_has(ctx, p.format) {
                part.publishes = true;
            } else {
                part.other = true;
                others.push(p);
            }
        }
    }
    part.findings.extend(aws_side(wf, job, ctx));
    if part.touches_aws {
        part.findings.extend(upload::uploads_findings(wf, job, src));
    }
    (part, others)
}

/// `other-format`: one info per job and format the setup does not have.
fn other_format(job: &Job, others: &[Publish], ctx: &LintContext) -> Vec<LintFinding> {
    let mut out: Vec<LintFinding> = Vec::new();
    let mut seen: Vec<Format> = Vec::new();
    for p in others {
        if seen.contains(&p.format) {
            continue;
        }
        seen.push(p.format);
        let setup: Vec<&str> = ctx.formats.iter().map(|f| f.as_str()).collect();
        out.push(LintFinding::info(
            LintId::OtherFormat,
            p.line,
            format!(
                "job {} publishes {} packages ({}), a format the setup does not have ({}): its AWS side \
                 is checked, its publishing is not",
                job.id,
                p.format,
                p.client.command(),
                setup.join(", ")
            ),
            format!(
                "nothing to fix for the setup's {}; the {} repository format needs its own setup",
                setup.join(", "),
                p.format
            ),
        ));
    }
    out
}

/// A call of a local reusable workflow, judged as the caller runs it; findings point at the
/// caller's `uses:` line and name the called file's line.
fn caller_part(wf: &Workflow, job: &Job, called: &Called, ctx: &LintContext) -> Part {
    let view = reusable::as_called(wf, job, &called.workflow);
    let src = Source::new(&called.text);
    let at = job.uses.as_ref().map_or(job.line, |(_, l)| *l);
    let unpassed = reusable::unpassed_secrets(job, &called.workflow);
    let note = if unpassed.is_empty() {
        String::new()
    } else {
        format!(" (it passes no secret {})", unpassed.join(", "))
    };
    let mut part = Part::default();
    for inner in &view.jobs {
        let (p, _) = job_part(&view, inner, &src, ctx);
        part.publishes |= p.publishes;
        part.other |= p.other;
        part.touches_aws |= p.touches_aws;
        let relevant = p.findings.into_iter().filter(|f| {
            matches!(
                f.id,
                LintId::IdTokenMissing
                    | LintId::RoleArnMismatch
                    | LintId::RegionMismatch
                    | LintId::SubjectNotTrusted
                    | LintId::UntrustedTrigger
            )
        });
        part.findings.extend(relevant.map(|f| {
            let (message, fix) = match f.id {
                LintId::IdTokenMissing => (
                    format!(
                        "job {} calls {}, whose job {} runs configure-aws-credentials with a role, but \
                         job {} has no `id-token: write` to give it (a called job gets at most its \
                         caller's permissions)",
                        job.id, called.path, inner.id, job.id
                    ),
                    format!(
                        "give job {} `permissions: {{id-token: write, contents: read}}`",
                        job.id
                    ),
                ),
                LintId::RoleArnMismatch | LintId::RegionMismatch => (
                    format!(
                        "job {} calls {} (job {}, line {}){}: {}",
                        job.id,
                        called.path,
                        inner.id,
                        f.line,
                        if f.id == LintId::RoleArnMismatch {
                            note.as_str()
                        } else {
                            ""
                        },
                        f.message
                    ),
                    f.fix,
                ),
                _ => (
                    format!("job {} calls {} (job {}): {}", job.id, called.path, inner.id, f.message),
                    f.fix,
                ),
            };
            LintFinding {
                line: at,
                message,
                fix,
                ..f
            }
        }));
    }
    part
}

/// Lints one parsed workflow; `siblings` are the files its local `uses:` may name.
pub fn workflow(
    wf: &Workflow,
    src: &Source,
    ctx: &LintContext,
    siblings: &[LocalFile],
) -> FileLint {
    let lines = |from: usize, script: &str| src.script_lines(from, script);
    let mut all = Part::default();
    for job in &wf.jobs {
        let (part, others) = job_part(wf, job, src, ctx);
        all.findings.extend(other_format(job, &others, ctx));
        let called = reusable::called(job, siblings).map(|c| caller_part(wf, job, &c, ctx));
        for p in std::iter::once(part).chain(called) {
            all.publishes |= p.publishes;
            all.other |= p.other;
            all.touches_aws |= p.touches_aws;
            all.findings.extend(p.findings);
        }
    }
    let mut findings = all.findings;
    if !all.publishes && !all.other && (all.touches_aws || ctx.require_publish_job) {
        let jobs: Vec<&Job> = wf.jobs.iter().collect();
        let client = publishers::likely_client(&jobs, &ctx.formats);
        findings.push(publish::no_publish_job(wf, all.touches_aws, client));
    }
    findings.extend(token::findings(wf, &lines));
    findings.extend(keys::findings(wf, ctx, &lines));
    findings.extend(injection::findings(wf, src));
    findings.extend(pinning::unpinned(wf, ctx));
    findings.extend(hygiene::permissions(wf));
    findings.sort_by(|a, b| a.line.cmp(&b.line).then(a.id.cmp(&b.id)));
    findings.dedup();
    FileLint {
        findings,
        error: None,
        publishes: all.publishes,
        touches_aws: all.touches_aws,
        publishes_other: all.other,
        called_only: wf.only_called(),
    }
}
