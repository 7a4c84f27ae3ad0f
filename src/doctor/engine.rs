//! Runs the doctor: reads the evidence once, judges every cause of the asked symptoms, puts the
//! cause the latest failed run's log names first, and ranks the rest.

use crate::checklist::Context;
use crate::setup::normalize_package_name;

use super::causes::Symptom;
use super::evidence::{Evidence, gather};
use super::package::Target;
use super::report::{CauseReport, Diagnosis, SymptomReport, Verdict};
use super::{
    consumers, index_config, names, not_found, notifications, npm, oidc, publish, resource,
};

/// What to diagnose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// Empty: all three.
    pub symptoms: Vec<Symptom>,
    /// `--package`; default: the working tree's `pyproject.toml` name, else the repository's.
    pub package: Option<String>,
    /// `--version`; default: `pyproject.toml`'s version.
    pub version: Option<String>,
}

/// The package and version to look at, and where they came from.
pub fn target(ctx: &Context, request: &Request, notes: &mut Vec<String>) -> Target {
    let project = ctx
        .workflow
        .root
        .as_deref()
        .and_then(crate::setup::pyproject::read)
        .unwrap_or_default();
    let (name, version) = (project.name, project.version);
    let name = name.filter(|n| {
        let valid = crate::setup::validate(crate::setup::Field::PackageName, n);
        if let Err(e) = &valid {
            notes.push(format!(
                "pyproject.toml's [project] name {n:?} is not a valid package name ({}): ignored",
                e.rule
            ));
        }
        valid.is_ok()
    });
    let given = match (&request.package, name) {
        (Some(p), _) => p.clone(),
        (None, Some(n)) => {
            notes.push(format!("package {n}: the name in pyproject.toml"));
            n
        }
        (None, None) => {
            notes.push(format!(
                "package {}: the repository's name (no --package, no valid name in a pyproject.toml here)",
                ctx.setup.github_repo
            ));
            ctx.setup.github_repo.clone()
        }
    };
    let version = request.version.clone().or_else(|| {
        let v = version?;
        notes.push(format!("version {v}: pyproject.toml's"));
        Some(v)
    });
    Target {
        normalized: normalize_package_name(&given),
        given,
        version,
    }
}

fn judge(symptom: Symptom, e: &Evidence, ctx: &Context) -> Vec<CauseReport> {
    match symptom {
        Symptom::Oidc => {
            let mut out = vec![
                oidc::provider_missing(e, ctx),
                oidc::provider_audience(e),
                oidc::role_missing(e, ctx),
            ];
            out.extend(oidc::trust(e, ctx));
            out.push(oidc::role_arn_variable(e));
            out.push(oidc::id_token_permission(e));
            out.push(oidc::session_duration(e));
            out
        }
        Symptom::Publish403 => {
            let mut out = vec![
                publish::policy_missing(e, ctx),
                publish::policy_not_attached(e, ctx),
                publish::token_denied(e),
                publish::publish_denied(e),
                publish::boundary_or_scp(e),
                resource::resource_policy(e, ctx),
                publish::names_mismatch(e, ctx),
                publish::origin_blocked(e),
                publish::version_exists(e),
                publish::upload_target(e),
            ];
            out.extend(npm::causes(e, ctx));
            out
        }
        Symptom::NotFound => {
            let mut out = not_found::upstream(e, ctx);
            out.extend([
                not_found::package_not_published(e, ctx),
                not_found::version_status(e, ctx),
                not_found::wrong_endpoint(e, ctx),
                not_found::token_expired(e),
                index_config::index_config(e, ctx),
                names::name_normalization(e),
            ]);
            out
        }
        Symptom::Consumer403 => consumers::causes(e, ctx),
        Symptom::NoNotification => notifications::causes(e, ctx),
    }
}

/// Marks the cause the latest failed run's log names, as `pipeline::cause` settled it: its
/// matched line and what settled it come first in the evidence; a fact read now that shows the
/// cause is still there (origin controls blocking the name) makes it fail.
fn mark_from_log(causes: &mut [CauseReport], e: &Evidence) {
    let Some(Ok(Some(view))) = &e.run else {
        return;
    };
    let Some(d) = &view.diagnosis else {
        return;
    };
    if let Some(c) = causes.iter_mut().find(|c| c.cause.id == d.cause) {
        c.from_log = true;
        let mut first = vec![format!(
            "run #{} ({}) failed: {}",
            view.run.run_number, view.run.html_url, d.evidence
        )];
        first.extend(d.facts.iter().cloned());
        c.evidence.splice(0..0, first);
        if d.confirmed.is_some() {
            c.verdict = Verdict::Fail;
        }
    }
}

fn run_note(e: &Evidence) -> Option<String> {
    match &e.run {
        None => Some("no GitHub token: the pipeline's runs were not read".to_owned()),
        Some(Err(err)) => Some(format!("the pipeline's runs could not be read: {err}")),
        Some(Ok(None)) => Some("the publish workflow has not run yet".to_owned()),
        Some(Ok(Some(view))) => Some(match &view.diagnosis {
            Some(d) => format!(
                "latest run #{} failed: {} ({})",
                view.run.run_number, d.title, d.cause
            ),
            None => format!(
                "latest run #{}: {}",
                view.run.run_number,
                view.run.conclusion.as_deref().unwrap_or(&view.run.status)
            ),
        }),
    }
}

/// Diagnoses `request`'s symptoms from one concurrent reading of everything.
pub async fn diagnose(ctx: &Context, request: &Request) -> Diagnosis {
    let mut notes = Vec::new();
    let target = target(ctx, request, &mut notes);
    let evidence = gather(ctx, target).await;
    notes.extend(run_note(&evidence));
    notes.extend(evidence.pip_note());
    let symptoms = if request.symptoms.is_empty() {
        Symptom::of(&ctx.setup)
    } else {
        request.symptoms.clone()
    };
    let reports = symptoms
        .into_iter()
        .map(|symptom| {
            let mut causes = judge(symptom, &evidence, ctx);
            mark_from_log(&mut causes, &evidence);
            SymptomReport::ranked(symptom, causes)
        })
        .collect();
    Diagnosis {
        package: evidence.target.normalized.clone(),
        version: evidence.target.version.clone(),
        symptoms: reports,
        notes,
        listings: evidence.listings(),
    }
}
