//! Who can make the job run: the `sub` GitHub sends for each run that reaches it, against what the
//! role trusts, and whether untrusted code (pull_request_target, fork pull requests) can reach it.

use super::super::expr;
use super::super::model::{Job, Workflow};
use super::super::subjects::runs;
use super::super::trust::TrustSource;
use super::{LintContext, LintFinding, LintId};
use crate::policy::{RunClaims, Tri};

/// `subject-not-trusted`: one finding per trigger whose runs (or some of them) send a subject the
/// trust policy does not accept.
pub fn subjects(wf: &Workflow, job: &Job, ctx: &LintContext) -> Vec<LintFinding> {
    let Some(trust) = &ctx.trust else {
        return Vec::new();
    };
    let mut out: Vec<LintFinding> = Vec::new();
    let mut reported: Vec<String> = Vec::new();
    for run in runs(wf, job, &ctx.default_branch) {
        if reported.contains(&run.event) {
            continue;
        }
        let Some(suffix) = &run.suffix else {
            let line = job.environment.as_ref().map_or(job.line, |(_, l)| *l);
            reported.push(run.event.clone());
            out.push(LintFinding::warning(
                LintId::SubjectNotTrusted,
                line,
                format!(
                    "job {} names its environment with an expression, so cawiz cannot tell the \
                     subject GitHub sends for {}",
                    job.id,
                    run.describe()
                ),
                "name the environment literally (environment: NAME)".to_owned(),
            ));
            continue;
        };
        let sub = trust.subject(&run.shown_suffix(suffix));
        let environment = job.environment.as_ref().map(|(e, _)| e.as_str());
        let claims = RunClaims::concrete(
            suffix,
            run.git_ref.as_deref().unwrap_or("refs/heads/main"),
            environment,
            &run.describe(),
        );
        let audience = job
            .aws_step()
            .and_then(|s| s.input("audience"))
            .map(|i| i.value.as_str());
        match trust.accepts(&claims, audience) {
            Tri::Yes => continue,
            Tri::Maybe(why) => {
                reported.push(run.event.clone());
                let line = job.environment.as_ref().map_or(run.line, |(_, l)| *l);
                out.push(LintFinding::warning(
                    LintId::SubjectNotTrusted,
                    line,
                    format!(
                        "job {}: cawiz cannot tell whether {} accepts sub {sub:?} of {}: {why}",
                        job.id,
                        trust.origin(),
                        run.describe()
                    ),
                    "check it with a run (cawiz verify)".to_owned(),
                ));
                continue;
            }
            Tri::No => {}
        }
        reported.push(run.event.clone());
        let line = job.environment.as_ref().map_or(run.line, |(_, l)| *l);
        let compared = match &trust.source {
            TrustSource::Live { .. } => String::new(),
            TrustSource::Setup(_) => {
                " (compared with the setup, not a live trust policy)".to_owned()
            }
        };
        out.push(LintFinding::error(
            LintId::SubjectNotTrusted,
            line,
            format!(
                "job {}: {} makes GitHub send sub {sub:?}, which {} does not accept (it accepts {}){compared}; \
                 AssumeRoleWithWebIdentity fails with \"Not authorized to perform \
                 sts:AssumeRoleWithWebIdentity\"",
                job.id,
                run.describe(),
                trust.origin(),
                trust.describe()
            ),
            format!(
                "limit the job to runs the role trusts (its if: and triggers, as `cawiz workflow print` \
                 does for this scope), or make the trust policy accept {sub:?} (`cawiz init --scope …` \
                 then apply the role)"
            ),
        ));
    }
    out
}

/// `untrusted-trigger`: the job holding AWS credentials runs on `pull_request_target`, or on
/// `pull_request` without requiring a pull request from this repository.
pub fn untrusted_triggers(wf: &Workflow, job: &Job) -> Vec<LintFinding> {
    let branches = expr::condition(job.condition.as_deref());
    let mut out = Vec::new();
    for trigger in &wf.triggers {
        let reaches = |guarded_ok: bool| {
            branches
                .iter()
                .any(|b| b.allows_event(&trigger.event) && !(guarded_ok && b.same_repository))
        };
        let message = match trigger.event.as_str() {
            "pull_request_target" if reaches(false) => format!(
                "job {} holds AWS credentials and runs on pull_request_target: that event runs with the \
                 repository's secrets and write token for pull requests from anyone",
                job.id
            ),
            "pull_request" if reaches(true) => format!(
                "job {} holds AWS credentials and runs on pull_request without requiring a pull request \
                 from this repository: code from forks would run in it",
                job.id
            ),
            _ => continue,
        };
        out.push(LintFinding::error(
            LintId::UntrustedTrigger,
            trigger.line,
            message,
            format!(
                "publish on release or workflow_dispatch only (`if: github.event_name == 'release' || \
                 github.event_name == 'workflow_dispatch'` on job {}); a pull request job that needs AWS \
                 must require `github.event.pull_request.head.repo.full_name == github.repository`",
                job.id
            ),
        ));
    }
    out
}
