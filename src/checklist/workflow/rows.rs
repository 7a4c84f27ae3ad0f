//! The workflow's check as rows: one per lint id of the SPEC (fail on an error finding, warn on
//! a warning, else ok, an info finding as evidence), each finding's line as evidence. The Workflow screen draws its findings
//! with the file; these rows are for `status --json` and the doctor's reading.

use crate::policy::Severity;
use crate::workflow::{FileLint, LintId};

use super::super::ItemId;
use super::super::rows::{Row, Verdict};

/// The rows of `lint` for the file at `path`.
pub fn rows(path: &str, lint: &FileLint) -> Vec<Row> {
    LintId::ALL
        .into_iter()
        .map(|id| {
            let found: Vec<_> = lint.findings.iter().filter(|f| f.id == id).collect();
            // An info finding is a fact: the row stays ok, with the finding as its evidence.
            let verdict = if found.iter().any(|f| f.severity >= Severity::Error) {
                Verdict::Fail
            } else if found.iter().any(|f| f.severity == Severity::Warning) {
                Verdict::Warn
            } else {
                Verdict::Ok
            };
            let mut row = Row::new(format!("lint:{id}"), id.as_str(), verdict);
            for f in &found {
                row = row.evidence(format!("{path}:{}: {}", f.line, f.message));
            }
            if let Some(f) = found.first() {
                row = row.fix(f.fix.clone(), Some(ItemId::Workflow));
            }
            row
        })
        .collect()
}

/// No publishing workflow: one failing row.
pub fn missing(path: &str) -> Vec<Row> {
    vec![
        Row::new(
            "publishing-workflow",
            "A workflow publishes to CodeArtifact",
            Verdict::Fail,
        )
        .evidence(format!("none in .github/workflows ({path} to write)"))
        .fix("write it (apply)", Some(ItemId::Workflow)),
    ]
}
