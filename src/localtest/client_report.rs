//! One format's outcome in the local test: the steps its client ran, or why it could not run.

use super::{Report, StepResult};

/// One format's outcome: its steps, or why it could not run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientReport {
    pub steps: Vec<StepResult>,
    /// The client is not installed (or this cawiz does not drive it): what to do about it.
    pub unknown: Option<String>,
    /// Every (name, version) published.
    pub uploaded: Vec<(String, String)>,
}

impl ClientReport {
    pub(super) fn unknown(reason: impl Into<String>) -> Self {
        Self {
            unknown: Some(reason.into()),
            ..Self::default()
        }
    }

    pub(super) fn from_report(report: Report) -> Self {
        Self {
            steps: report.steps,
            unknown: None,
            uploaded: report.uploaded,
        }
    }
}
