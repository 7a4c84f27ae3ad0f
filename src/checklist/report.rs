//! What a check found about one item: its status, the details a screen shows, and the actions
//! apply would take (the plan).

use crate::aws::Simulation;
use crate::policy::{DiffLine, Finding};
use crate::state::ItemRecord;

use super::{ItemId, Status, Step, action::Action};

/// A policy document as a screen shows it: expected vs actual, drifted lines marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    pub lines: Vec<DiffLine>,
}

/// Everything a check learned, for screens and `status --json`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    /// Label → value rows (owner, ARN, endpoint, …).
    pub facts: Vec<(String, String)>,
    pub documents: Vec<Document>,
    pub findings: Vec<Finding>,
    pub simulations: Vec<Simulation>,
    /// What the check could not see, or assumed.
    pub notes: Vec<String>,
    /// The check's sub-checks as traffic-light rows (the status follows from them).
    pub rows: Vec<super::rows::Row>,
    /// The workflow item's file: its lines with the offending ones marked, the lint findings,
    /// and the diff writing would make.
    pub workflow: Option<crate::workflow::FileView>,
    /// The pipeline-run item's latest run: jobs, steps, and the cause when it failed.
    pub run: Option<crate::pipeline::RunView>,
    /// The listings the check read (where no by-name read exists), with their pages.
    pub listings: Vec<crate::listing::Listing>,
}

impl Details {
    /// The rows an item's screen lists: none where the screen draws its own list instead (the
    /// workflow's findings with the file, the pipeline run's jobs and steps).
    pub fn screen_rows(&self) -> &[super::rows::Row] {
        if self.workflow.is_some() || self.run.is_some() {
            &[]
        } else {
            &self.rows
        }
    }

    pub fn fact(&mut self, label: &str, value: impl Into<String>) {
        self.facts.push((label.to_owned(), value.into()));
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub item: ItemId,
    pub status: Status,
    pub details: Details,
    /// What apply would do, in order (empty when done).
    pub actions: Vec<Action>,
}

impl Report {
    pub fn new(item: ItemId, status: Status) -> Self {
        Self {
            item,
            status,
            details: Details::default(),
            actions: Vec::new(),
        }
    }

    /// The status as the state file keeps it, checked at `at` (seconds since the epoch).
    pub fn record(&self, at: u64) -> ItemRecord {
        ItemRecord {
            status: self.status.kind().to_owned(),
            summary: self.status.summary(),
            checked_at: at,
        }
    }

    pub fn steps(&self, region: &str) -> Vec<Step> {
        self.actions
            .iter()
            .map(|a| Step {
                item: self.item,
                description: a.describe(),
                command: a.command(region),
            })
            .collect()
    }
}
