//! Lints any workflow file for what breaks or endangers publishing to CodeArtifact. Every finding
//! has a stable id (the SPEC's table), a severity, a line, a message and a fix. What the lint
//! knows of the real world (the role's ARN and trust policy, the region, the repository's
//! variables and secrets) comes in a [`LintContext`]; a check it has no facts for is skipped.

mod hygiene;
mod publish;
pub(super) mod source;
mod subject;
mod upload;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::github::ActionsVariables;
use crate::policy::Severity;

use super::model::{self, Job, Workflow};
use super::pins::Pin;
use super::trust::Trust;
use super::yaml::{self, YamlError};

pub use source::Source;

/// The finding ids (SPEC item 8's lint table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LintId {
    NoPublishJob,
    IdTokenMissing,
    RoleArnMismatch,
    RegionMismatch,
    SubjectNotTrusted,
    SkipExistingUnsupported,
    UploadToPypi,
    UntrustedTrigger,
    UnpinnedAction,
    ExcessivePermissions,
}

impl LintId {
    pub const ALL: [LintId; 10] = [
        LintId::NoPublishJob,
        LintId::IdTokenMissing,
        LintId::RoleArnMismatch,
        LintId::RegionMismatch,
        LintId::SubjectNotTrusted,
        LintId::SkipExistingUnsupported,
        LintId::UploadToPypi,
        LintId::UntrustedTrigger,
        LintId::UnpinnedAction,
        LintId::ExcessivePermissions,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LintId::NoPublishJob => "no-publish-job",
            LintId::IdTokenMissing => "id-token-missing",
            LintId::RoleArnMismatch => "role-arn-mismatch",
            LintId::RegionMismatch => "region-mismatch",
            LintId::SubjectNotTrusted => "subject-not-trusted",
            LintId::SkipExistingUnsupported => "skip-existing-unsupported",
            LintId::UploadToPypi => "upload-to-pypi",
            LintId::UntrustedTrigger => "untrusted-trigger",
            LintId::UnpinnedAction => "unpinned-action",
            LintId::ExcessivePermissions => "excessive-permissions",
        }
    }
}

impl fmt::Display for LintId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintFinding {
    pub id: LintId,
    pub severity: Severity,
    /// 1-based.
    pub line: usize,
    pub message: String,
    pub fix: String,
}

impl LintFinding {
    fn error(id: LintId, line: usize, message: String, fix: String) -> Self {
        Self {
            id,
            severity: Severity::Error,
            line,
            message,
            fix,
        }
    }

    fn warning(id: LintId, line: usize, message: String, fix: String) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(id, line, message, fix)
        }
    }
}

/// What the lint knows of the setup and the live resources (unknown facts skip their checks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintContext {
    /// The setup's region (`region-mismatch`).
    pub region: Option<String>,
    /// The role's ARN (from GetRole, else built from the setup).
    pub role_arn: Option<String>,
    /// The Actions variables at every level a job sees (its environment's, the repository's,
    /// the organisation's), when a token could read them.
    pub variables: Option<ActionsVariables>,
    /// The repository's Actions secret names, when a token could read them.
    pub secrets: Option<Vec<String>>,
    /// What the role's trust policy accepts as `sub` (`subject-not-trusted`).
    pub trust: Option<Trust>,
    /// The repository's default branch (scheduled runs, the sample dispatch ref).
    pub default_branch: String,
    /// Report `no-publish-job` even for a file that does not touch AWS (a file named explicitly).
    pub require_publish_job: bool,
    /// The pins whose `uses:` values the `unpinned-action` fix suggests.
    pub pins: Vec<Pin>,
}

impl LintContext {
    /// A context with no facts but the shipped pins.
    pub fn offline() -> Self {
        Self {
            default_branch: "main".to_owned(),
            pins: super::pins::shipped(),
            ..Self::default()
        }
    }
}

/// The result of linting one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileLint {
    /// Sorted by line.
    pub findings: Vec<LintFinding>,
    /// The file is not YAML (no findings then).
    pub error: Option<YamlError>,
    /// Some job assumes AWS credentials and uploads.
    pub publishes: bool,
    /// Some job configures AWS credentials or talks to CodeArtifact.
    pub touches_aws: bool,
}

impl FileLint {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity >= Severity::Error)
            .count()
            + usize::from(self.error.is_some())
    }

    /// The lines with an error or warning (for marking the file), most severe per line.
    pub fn marked_lines(&self) -> BTreeMap<usize, Severity> {
        let mut marks: BTreeMap<usize, Severity> = BTreeMap::new();
        for f in &self.findings {
            let mark = marks.entry(f.line).or_insert(f.severity);
            *mark = (*mark).max(f.severity);
        }
        if let Some(e) = &self.error {
            marks.insert(e.line, Severity::Error);
        }
        marks
    }
}

/// True for a job that runs a command uploading Python distributions.
fn uploads(job: &Job) -> bool {
    job.scripts().any(|(_, script, _)| upload::uploads(script))
}

/// The jobs that talk to CodeArtifact: they configure AWS credentials, or a script names it.
fn touches_aws(job: &Job) -> bool {
    job.aws_step().is_some()
        || job
            .scripts()
            .any(|(_, script, _)| script.contains("codeartifact"))
}

/// Lints `text` (one workflow file).
pub fn lint(text: &str, ctx: &LintContext) -> FileLint {
    let root = match yaml::parse(text) {
        Ok(root) => root,
        Err(error) => {
            return FileLint {
                findings: Vec::new(),
                error: Some(error),
                publishes: false,
                touches_aws: false,
            };
        }
    };
    let workflow = model::read(&root);
    let source = Source::new(text);
    lint_workflow(&workflow, &source, ctx)
}

fn lint_workflow(wf: &Workflow, src: &Source, ctx: &LintContext) -> FileLint {
    let publishes = wf.jobs.iter().any(|j| j.aws_step().is_some() && uploads(j));
    let aws = wf.jobs.iter().any(touches_aws);
    let mut findings = Vec::new();
    if !publishes && (aws || ctx.require_publish_job) {
        findings.push(publish::no_publish_job(wf, aws));
    }
    for job in &wf.jobs {
        if let Some(step) = job.aws_step() {
            findings.extend(publish::aws_step(wf, job, step, ctx));
            findings.extend(subject::untrusted_triggers(wf, job));
            if publish::uses_oidc(step) {
                findings.extend(subject::subjects(wf, job, ctx));
            }
        }
        if touches_aws(job) {
            findings.extend(upload::uploads_findings(wf, job, src));
        }
    }
    findings.extend(hygiene::unpinned(wf, ctx));
    findings.extend(hygiene::permissions(wf));
    findings.sort_by(|a, b| a.line.cmp(&b.line).then(a.id.cmp(&b.id)));
    findings.dedup();
    FileLint {
        findings,
        error: None,
        publishes,
        touches_aws: aws,
    }
}

#[cfg(test)]
mod tests;
