//! The checklist: nine items in dependency order (and the optional ones a setup adds: notifications
//! when `notify` is set), each with a status, and the plan steps that
//! would bring it to done (each with its equivalent `aws` CLI command).
//!
//! This file holds the data and rules; `checklist/<item>.rs` check each item (AWS calls only through
//! `crate::aws`), `action.rs` is what apply can change, and `engine.rs` runs checks concurrently and
//! applies plans in dependency order.

mod action;
mod as_role;
mod branch;
mod confirm;
mod consumers;
mod context;
mod destroy;
mod domain;
mod engine;
mod execute;
mod learned;
mod local_test;
pub mod notifications;
pub mod oidc;
pub mod pipeline_run;
mod report;
mod repository;
pub mod role;
pub mod rows;
mod upstream;
mod variables;
pub mod workflow;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::aws::{AwsError, AwsErrorKind};
use crate::github::{GithubError, GithubErrorKind};
use crate::policy::Finding;

pub use action::{Action, POLICY_DESCRIPTION, ROLE_DESCRIPTION};
pub use branch::on_default_branch;
pub use confirm::{Reads, confirm, confirmed, expected_account, unconfirmed};
pub use context::Context;
pub use destroy::{describe as describe_removal, destroy};
pub use engine::*;
pub use execute::{ApplyError, Outcome, pypi_target};
pub use learned::Learned;
pub use report::{Details, Document, Report};
pub use variables::expected_variables;

/// A classified failure of a check, from AWS or GitHub, with the fix to try.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ItemError {
    pub kind: AwsErrorKind,
    pub message: String,
    pub fix: String,
}

impl From<AwsError> for ItemError {
    fn from(e: AwsError) -> Self {
        Self {
            kind: e.kind,
            fix: e.fix(),
            message: e.to_string(),
        }
    }
}

impl From<GithubError> for ItemError {
    fn from(e: GithubError) -> Self {
        let kind = match e.kind() {
            GithubErrorKind::Unauthorized => AwsErrorKind::ExpiredCredentials,
            GithubErrorKind::Forbidden => AwsErrorKind::AccessDenied,
            GithubErrorKind::RateLimited => AwsErrorKind::Throttled,
            GithubErrorKind::NotFound => AwsErrorKind::NotFound,
            GithubErrorKind::Conflict => AwsErrorKind::Conflict,
            GithubErrorKind::Network | GithubErrorKind::InvalidConfig | GithubErrorKind::Other => {
                AwsErrorKind::Other
            }
        };
        Self {
            kind,
            fix: e.fix(),
            message: e.to_string(),
        }
    }
}

/// One checklist item. Order = the order of the wizard and of `apply`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemId {
    Domain,
    Repository,
    Upstream,
    OidcProvider,
    Role,
    Variables,
    LocalTest,
    Workflow,
    PipelineRun,
    /// Optional: only when the setup has `notify` endpoints ([`ItemId::for_setup`]).
    Notifications,
    /// Optional: only when the setup names consumers ([`ItemId::of`]).
    Consumers,
}

impl ItemId {
    pub const ALL: [ItemId; 9] = [
        ItemId::Domain,
        ItemId::Repository,
        ItemId::Upstream,
        ItemId::OidcProvider,
        ItemId::Role,
        ItemId::Variables,
        ItemId::LocalTest,
        ItemId::Workflow,
        ItemId::PipelineRun,
    ];

    /// The items a setup may add to [`ItemId::ALL`], in checklist order after it.
    pub const OPTIONAL: [ItemId; 2] = [ItemId::Notifications, ItemId::Consumers];

    /// Whether `setup` has this item: every one of [`ItemId::ALL`]; an optional one when its
    /// input is set.
    pub fn in_setup(self, setup: &crate::setup::Setup) -> bool {
        match self {
            ItemId::Notifications => !setup.notify.is_empty(),
            ItemId::Consumers => !setup.consumers.is_empty(),
            _ => true,
        }
    }

    /// The items of `setup`, in checklist order: [`ItemId::ALL`] and the optional ones it has.
    pub fn for_setup(setup: Option<&crate::setup::Setup>) -> Vec<ItemId> {
        ItemId::ALL
            .into_iter()
            .chain(
                ItemId::OPTIONAL
                    .into_iter()
                    .filter(|i| setup.is_some_and(|s| i.in_setup(s))),
            )
            .collect()
    }

    /// The items of `setup` ([`ItemId::for_setup`] of a setup).
    pub fn of(setup: &crate::setup::Setup) -> Vec<ItemId> {
        ItemId::for_setup(Some(setup))
    }

    /// The items that must be done before this one can be checked meaningfully or applied.
    pub fn depends_on(self) -> &'static [ItemId] {
        match self {
            ItemId::Domain | ItemId::OidcProvider => &[],
            ItemId::Repository => &[ItemId::Domain],
            ItemId::Upstream => &[ItemId::Repository],
            ItemId::Role => &[ItemId::OidcProvider, ItemId::Domain],
            ItemId::Variables => &[ItemId::Role, ItemId::Repository],
            ItemId::LocalTest => &[ItemId::Upstream],
            // The workflow reads the variables (vars.AWS_ROLE_ARN, vars.AWS_REGION, …).
            ItemId::Workflow => &[ItemId::Variables],
            // A run needs the workflow on the default branch.
            ItemId::PipelineRun => &[ItemId::Workflow],
            // The rule filters on the repository's events.
            ItemId::Notifications => &[ItemId::Repository],
            // The policies are the domain's and the repository's.
            ItemId::Consumers => &[ItemId::Repository],
        }
    }

    /// The name used on the command line (`--only upstream`) and in the state file.
    pub fn key(self) -> &'static str {
        match self {
            ItemId::Domain => "domain",
            ItemId::Repository => "repository",
            ItemId::Upstream => "upstream",
            ItemId::OidcProvider => "oidc_provider",
            ItemId::Role => "role",
            ItemId::Variables => "variables",
            ItemId::LocalTest => "local_test",
            ItemId::Workflow => "workflow",
            ItemId::PipelineRun => "pipeline_run",
            ItemId::Notifications => "notifications",
            ItemId::Consumers => "consumers",
        }
    }

    pub fn from_key(key: &str) -> Option<ItemId> {
        let key = key.replace('-', "_");
        ItemId::ALL
            .into_iter()
            .chain(ItemId::OPTIONAL)
            .find(|i| i.key() == key)
    }

    pub fn title(self) -> &'static str {
        match self {
            ItemId::Domain => "CodeArtifact domain",
            ItemId::Repository => "Repository",
            ItemId::Upstream => "PyPI upstream",
            ItemId::OidcProvider => "GitHub OIDC provider",
            ItemId::Role => "IAM role and policy",
            ItemId::Variables => "GitHub variables",
            ItemId::LocalTest => "Local test",
            ItemId::Workflow => "Publish workflow",
            ItemId::PipelineRun => "Pipeline run",
            ItemId::Notifications => "Notifications",
            ItemId::Consumers => "Consumer accounts",
        }
    }

    /// The title in at most 10 characters (a narrow sidebar).
    pub fn short_title(self) -> &'static str {
        match self {
            ItemId::Domain => "Domain",
            ItemId::Repository => "Repository",
            ItemId::Upstream => "Upstream",
            ItemId::OidcProvider => "OIDC",
            ItemId::Role => "Role",
            ItemId::Variables => "Variables",
            ItemId::LocalTest => "Local test",
            ItemId::Workflow => "Workflow",
            ItemId::PipelineRun => "Pipeline",
            ItemId::Notifications => "Notify",
            ItemId::Consumers => "Consumers",
        }
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Done {
        summary: String,
    },
    Missing {
        summary: String,
    },
    /// Exists but differs from what the setup wants; `diff` lines are ready to show.
    Drift {
        summary: String,
        diff: Vec<String>,
        findings: Vec<Finding>,
    },
    Blocked {
        by: ItemId,
    },
    Error(ItemError),
    Unknown {
        reason: String,
    },
}

impl Status {
    /// The one-word name used by `status --json` and the state file.
    pub fn kind(&self) -> &'static str {
        match self {
            Status::Done { .. } => "done",
            Status::Missing { .. } => "missing",
            Status::Drift { .. } => "drift",
            Status::Blocked { .. } => "blocked",
            Status::Error(_) => "error",
            Status::Unknown { .. } => "unknown",
        }
    }

    /// The one-character mark used in lists (terminal output and the TUI).
    pub fn glyph(&self) -> &'static str {
        match self {
            Status::Done { .. } => "✓",
            Status::Missing { .. } => "✗",
            Status::Drift { .. } => "~",
            Status::Blocked { .. } => "…",
            Status::Error(_) => "!",
            Status::Unknown { .. } => "?",
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(self, Status::Done { .. })
    }

    pub fn summary(&self) -> String {
        match self {
            Status::Done { summary }
            | Status::Missing { summary }
            | Status::Drift { summary, .. } => summary.clone(),
            Status::Blocked { by } => format!("waiting for: {by}"),
            Status::Error(e) => format!("{} — {}", e.message, e.fix),
            Status::Unknown { reason } => reason.clone(),
        }
    }
}

/// One step of a plan: what apply would do, and the `aws` CLI command that does the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub item: ItemId,
    pub description: String,
    /// The equivalent shell command (already quoted for a POSIX shell).
    pub command: String,
}

/// The first dependency of `item` that is not done, given the statuses known so far.
pub fn blocked_by(item: ItemId, done: impl Fn(ItemId) -> bool) -> Option<ItemId> {
    item.depends_on().iter().copied().find(|d| !done(*d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_point_backwards_only() {
        for item in ItemId::ALL {
            for dep in item.depends_on() {
                assert!(dep < &item, "{item:?} depends on later item {dep:?}");
            }
        }
    }

    #[test]
    fn optional_items_exist_only_with_their_input() {
        let mut setup = crate::setup::Setup::for_github("octo-org", "widgets");
        assert_eq!(ItemId::for_setup(Some(&setup)), ItemId::ALL.to_vec());
        assert_eq!(ItemId::for_setup(None), ItemId::ALL.to_vec());
        setup.notify = vec!["email:x@example.com".into()];
        let items = ItemId::for_setup(Some(&setup));
        assert_eq!(items.last(), Some(&ItemId::Notifications));
        assert_eq!(items.len(), ItemId::ALL.len() + 1);
        assert_eq!(
            ItemId::from_key("notifications"),
            Some(ItemId::Notifications)
        );
    }

    #[test]
    fn keys_round_trip() {
        for item in ItemId::ALL.into_iter().chain(ItemId::OPTIONAL) {
            assert_eq!(ItemId::from_key(item.key()), Some(item));
        }
        assert_eq!(
            ItemId::from_key("oidc-provider"),
            Some(ItemId::OidcProvider)
        );
        assert_eq!(ItemId::from_key("nope"), None);
    }

    #[test]
    fn optional_items_exist_only_when_the_setup_asks_for_them() {
        let mut setup = crate::setup::Setup::for_github("octo-org", "widgets");
        assert_eq!(ItemId::of(&setup), ItemId::ALL.to_vec());
        setup.consumers = vec![crate::consumers::Consumer::Account("222233334444".into())];
        let items = ItemId::of(&setup);
        assert_eq!(items.last(), Some(&ItemId::Consumers));
        assert_eq!(items.len(), ItemId::ALL.len() + 1);
        assert_eq!(ItemId::from_key("consumers"), Some(ItemId::Consumers));
        assert!(
            ItemId::Consumers
                .depends_on()
                .iter()
                .all(|d| items.contains(d))
        );
    }

    #[test]
    fn blocked_by_names_the_first_missing_dependency() {
        assert_eq!(
            blocked_by(ItemId::Upstream, |_| false),
            Some(ItemId::Repository)
        );
        assert_eq!(
            blocked_by(ItemId::Role, |i| i == ItemId::OidcProvider),
            Some(ItemId::Domain)
        );
        assert_eq!(blocked_by(ItemId::Domain, |_| false), None);
    }
}
