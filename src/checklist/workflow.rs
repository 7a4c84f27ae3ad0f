//! Item 8, the publish workflow: the working tree's workflow that publishes to CodeArtifact,
//! linted against the live facts (the role's trust and ARN, the region, the repository's
//! variables), and the default branch's copy (what Actions runs). Missing: no publishing workflow;
//! drift: lint errors (the diff to the generated file); done: none. Apply writes the generated
//! file (after showing what is lost) and commits it (a pull request by default).

mod action;
mod assess;
mod execute;
mod pins;
pub mod project;
mod read;
mod rows;
mod secrets;
mod tags;

use std::path::PathBuf;

use crate::workflow::generate;

use super::{Context, Report};

pub use action::{BRANCH, COMMIT_MESSAGE, CommitMode, WorkflowAction};
pub use assess::{assess, pending_commit};
pub use execute::{describe_removal, execute, file_id, remove};
pub use pins::resolve as resolve_pins;
pub use read::{Facts, Local, Pending, Remote, read, setup_formats};
pub use tags::resolve as resolve_tags;

/// The `kind` a file cawiz wrote is recorded under (for `destroy`).
pub const FILE_KIND: &str = "workflow_file";

/// Where the workflow's working tree is, and how apply commits the file it writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkflowSettings {
    /// The root of the git working tree cawiz runs in (`None`: not in one).
    pub root: Option<PathBuf>,
    pub commit: CommitMode,
}

impl WorkflowSettings {
    /// The working tree holding `dir` (cawiz's current directory).
    pub fn here(dir: &std::path::Path) -> Self {
        Self {
            root: crate::workflow::git_root(dir),
            commit: CommitMode::Auto,
        }
    }
}

pub async fn check(ctx: &Context) -> Report {
    let facts = read(ctx).await;
    let generated = generate(&ctx.setup, &facts.pins);
    let mut report = assess(ctx, &facts, &generated);
    report.details.listings = facts.listings;
    report
}
