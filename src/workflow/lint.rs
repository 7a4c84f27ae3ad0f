//! Lints any workflow file for what breaks or endangers publishing to CodeArtifact. Every finding
//! has a stable id (the SPEC's table), a severity, a line, a message and a fix. What the lint
//! knows of the real world (the role's ARN and trust policy, the region, the repository's
//! variables and secrets) comes in a [`LintContext`]; a check it has no facts for is skipped.

mod hygiene;
mod id;
mod injection;
mod judge;
mod keys;
mod pinning;
mod publish;
mod publishers;
mod reusable;
mod shell;
pub(super) mod source;
mod subject;
mod taint;
mod token;
mod upload;
mod words;

use std::collections::BTreeMap;

use crate::github::ActionsVariables;
use crate::policy::Severity;
use crate::setup::AuthMethod;

use super::files::LocalFile;
use super::model;
use super::pins::Pin;
use super::trust::Trust;
use super::yaml::{self, YamlError};

pub use id::LintId;
pub use pinning::named_tags;
pub use publishers::{Client, Format};
pub use source::Source;

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

    fn info(id: LintId, line: usize, message: String, fix: String) -> Self {
        Self {
            severity: Severity::Info,
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
    /// The setup's auth method: `long-lived-keys` is an error with OIDC, nothing with access
    /// keys (the setup chose them), a warning when unknown.
    pub auth: Option<AuthMethod>,
    /// The setup's package formats; empty when unknown (every format counts as the setup's).
    pub formats: Vec<Format>,
    /// The commits of the tags the workflows name, looked up through GitHub (`unpinned-action`
    /// pins the tag the workflow names).
    pub tags: Vec<Pin>,
    /// The organisation's secrets this repository may use, when a token could read them.
    pub org_secrets: Option<Vec<String>>,
    /// Environment secrets, by environment, for the environments that could be read.
    pub environment_secrets: BTreeMap<String, Vec<String>>,
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
    /// Some job with AWS credentials publishes a format the setup does not have.
    pub publishes_other: bool,
    /// A reusable workflow only callers run (`on: workflow_call`): they are judged with it.
    pub called_only: bool,
}

impl FileLint {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity >= Severity::Error)
            .count()
            + usize::from(self.error.is_some())
    }

    /// The lines with a finding (for marking the file), most severe per line.
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

/// Lints `text` (one workflow file) alone: a local reusable workflow it calls is not read.
pub fn lint(text: &str, ctx: &LintContext) -> FileLint {
    lint_in(text, ctx, &[])
}

/// Lints `text` among `siblings` (the files of its directory, as `.github/workflows/NAME`): a
/// job calling `./.github/workflows/NAME` is judged with that file read.
pub fn lint_in(text: &str, ctx: &LintContext, siblings: &[LocalFile]) -> FileLint {
    let root = match yaml::parse(text) {
        Ok(root) => root,
        Err(error) => {
            return FileLint {
                error: Some(error),
                ..FileLint::default()
            };
        }
    };
    let workflow = model::read(&root);
    let source = Source::new(text);
    judge::workflow(&workflow, &source, ctx, siblings)
}

#[cfg(test)]
mod tests;
