//! What a completed run proves: a verification succeeds only when the run's publish job ran and
//! published — the version it built is in the repository (DescribePackageVersion of that
//! version: status `Published`; a probe package gains a version per verification, so its versions
//! are never listed). A run whose publish job was skipped proves nothing, whatever its conclusion. The
//! version follows from the run: the probe package at `0.0.<run id>.<attempt>` (the generated
//! workflow's version) when its probe steps ran, the project at its release tag (without `v`)
//! for a release.

use crate::aws::{AwsError, Clients, PackageVersionInfo};
use crate::github::RunJob;
use crate::setup::{Setup, SubjectScope, normalize_package_name};

use super::RunView;
use super::scope::skip_reason;

/// A package version a run published.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Publication {
    pub package: String,
    pub version: String,
}

/// What a run proved about publishing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Its publish job ran and the version is in the repository.
    Published(Publication),
    /// Still going.
    Running,
    /// It failed (the run's diagnosis says why).
    Failed,
    /// It succeeded, but its publish job was skipped.
    Skipped { reason: String },
    /// The publish job succeeded, yet the version is not in the repository.
    NotInRepository(Publication),
    /// Which version it published cannot be told.
    Unconfirmed { reason: String },
}

impl Outcome {
    /// Whether the run proves the pipeline publishes.
    pub fn proves(&self) -> bool {
        matches!(self, Outcome::Published(_))
    }

    /// The outcome's word in `verify --json`.
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::Published(_) => "published",
            Outcome::Running => "running",
            Outcome::Failed => "failed",
            Outcome::Skipped { .. } => "skipped",
            Outcome::NotInRepository(_) => "not-published",
            Outcome::Unconfirmed { .. } => "unconfirmed",
        }
    }

    /// One sentence about `name` (`run #N`) and `repository` (`DOMAIN/REPO`).
    pub fn summary(&self, name: &str, repository: &str) -> String {
        match self {
            Outcome::Published(p) => {
                format!(
                    "{name} published {} {} to {repository}",
                    p.package, p.version
                )
            }
            Outcome::Running => format!("{name} has not ended yet"),
            Outcome::Failed => format!("{name} failed"),
            Outcome::Skipped { reason } => {
                format!("{name} ended without publishing: its publish job was skipped — {reason}")
            }
            Outcome::NotInRepository(p) => format!(
                "{name}'s publish job succeeded, but {} {} is not in {repository} \
                 (DescribePackageVersion): the upload went elsewhere",
                p.package, p.version
            ),
            Outcome::Unconfirmed { reason } => {
                format!("{name} succeeded, but what it published cannot be confirmed: {reason}")
            }
        }
    }
}

/// A job that publishes: by its name (cawiz's is "Publish to CodeArtifact").
pub fn publishes(job: &RunJob) -> bool {
    job.name.to_lowercase().contains("publish")
}

/// Whether the run's publishing jobs were all skipped (none known: not skipped).
pub fn publish_skipped(view: &RunView) -> bool {
    let mut publishing = view.jobs.iter().filter(|j| publishes(j)).peekable();
    publishing.peek().is_some() && publishing.all(|j| j.conclusion.as_deref() == Some("skipped"))
}

/// Whether a step building or fetching the probe ran and succeeded.
fn probe_ran(view: &RunView) -> bool {
    view.jobs.iter().flat_map(|j| &j.steps).any(|s| {
        s.name.to_lowercase().contains("probe") && s.conclusion.as_deref() == Some("success")
    })
}

/// The version the run should have published: the probe, or the release's project (`project`:
/// its `[project].name`, when cawiz can read it); why it cannot tell otherwise.
pub fn expected(view: &RunView, probe: &str, project: Option<&str>) -> Result<Publication, String> {
    let run = &view.run;
    if probe_ran(view) {
        return Ok(Publication {
            package: probe.to_owned(),
            version: format!("0.0.{}.{}", run.id, run.run_attempt),
        });
    }
    let tag = run.head_branch.as_deref().unwrap_or_default();
    match (run.event.as_str(), project) {
        ("release", Some(name)) => Ok(Publication {
            package: normalize_package_name(name),
            version: tag.trim_start_matches(['v', 'V']).to_owned(),
        }),
        ("release", None) => Err(format!(
            "the release {tag} published the project, whose name cawiz cannot read (no \
             pyproject.toml [project] name here): verify with the probe (cawiz verify)"
        )),
        (event, _) => Err(format!(
            "this {event} run published the project, not the probe, at a version cawiz cannot \
             tell: verify with the probe (cawiz verify)"
        )),
    }
}

/// The outcome, given what CodeArtifact answered about the expected version (DescribePackageVersion:
/// `None` or an empty list when the version is not in the repository).
pub fn judge(
    view: &RunView,
    scope: &SubjectScope,
    expected: Result<Publication, String>,
    listed: Option<&[PackageVersionInfo]>,
) -> Outcome {
    let run = &view.run;
    if !run.completed() {
        return Outcome::Running;
    }
    if !run.succeeded() {
        return Outcome::Failed;
    }
    if publish_skipped(view) {
        return Outcome::Skipped {
            reason: skip_reason(run, scope),
        };
    }
    let publication = match expected {
        Ok(p) => p,
        Err(reason) => return Outcome::Unconfirmed { reason },
    };
    let there = listed
        .unwrap_or_default()
        .iter()
        .any(|v| v.version == publication.version && v.status == "Published");
    if there {
        Outcome::Published(publication)
    } else {
        Outcome::NotInRepository(publication)
    }
}

/// The outcome of `view` for `setup`, reading the repository (through `clients`) only when the
/// run succeeded with its publish job and cawiz knows the version to look for.
pub async fn outcome(
    clients: &Clients,
    setup: &Setup,
    account: &str,
    view: &RunView,
    project: Option<&str>,
) -> Result<Outcome, AwsError> {
    let probe = crate::workflow::probe_name(setup);
    let expected = expected(view, &probe, project);
    let needs_version = view.run.completed() && view.run.succeeded() && !publish_skipped(view);
    let described = match (&expected, needs_version) {
        (Ok(p), true) => {
            clients
                .describe_package_version(
                    &setup.domain,
                    account,
                    &setup.repository,
                    &p.package,
                    &p.version,
                )
                .await?
        }
        _ => None,
    };
    let described = described.as_ref().map(std::slice::from_ref);
    Ok(judge(view, &setup.scope, expected, described))
}

#[cfg(test)]
mod tests;
