//! What every check and apply needs: the clients, the setup, the resolved account, GitHub access,
//! and the last local test.

use crate::aws::Clients;
use crate::github::GithubClient;
use crate::localtest::Options;
use crate::policy::{new_role_arn, policy_arn};
use crate::setup::Setup;
use crate::state::{CreatedResource, Known, LocalTestRecord};

use super::learned::Learned;

use super::workflow::WorkflowSettings;

#[derive(Debug, Clone)]
pub struct Context {
    pub clients: Clients,
    pub setup: Setup,
    /// From GetCallerIdentity (and equal to `setup.account_id` when that is set).
    pub account: String,
    /// The caller's ARN, shown in headers and reports.
    pub caller_arn: String,
    pub github: GithubClient,
    pub local_test: Option<LocalTestRecord>,
    /// How the local test item runs (package, publish, tools).
    pub local_test_config: Options,
    /// Refuse every write (`--read-only`).
    pub read_only: bool,
    /// What cawiz created for this setup (the state's record): only that may be replaced whole.
    pub created: Vec<CreatedResource>,
    /// Where the workflow's working tree is and how apply commits the file.
    pub workflow: WorkflowSettings,
    /// When the setup or what cawiz applied last changed (seconds since the epoch, from the state's
    /// history): a pipeline run older than that proves nothing about the current setup.
    pub setup_changed_at: Option<u64>,
    /// Facts recorded by earlier checks, for this account: reads that need them start at once
    /// (each is confirmed by the same wave, and re-read when stale).
    pub known: Known,
    /// What this session's checks learn, for the state file.
    pub learned: Learned,
}

impl Context {
    /// The ARN the role gets when cawiz creates it (no path). An existing role's ARN is the one
    /// GetRole returns.
    pub fn role_arn(&self) -> String {
        new_role_arn(&self.setup.region, &self.account, &self.setup.role_name)
    }

    pub fn policy_arn(&self) -> String {
        policy_arn(&self.setup.region, &self.account, &self.setup.policy_name)
    }

    /// A note when cawiz created the `kind` resource `id` in another region than this session's
    /// (a check here cannot see it; destroy still finds it there).
    pub fn created_elsewhere(&self, kind: &str, id: &str) -> Option<String> {
        let region = self
            .created
            .iter()
            .filter(|r| r.kind == kind && r.id == id)
            .find_map(|r| r.region.as_deref())
            .filter(|r| *r != self.setup.region)?;
        Some(format!(
            "cawiz created the {kind} {id} in {region}; this check looked in {} (--region). Run with \
             --region {region} to see it there.",
            self.setup.region
        ))
    }

    /// Whether the state records that cawiz created the `kind` resource `id`.
    pub fn created_by_cawiz(&self, kind: &str, id: &str) -> bool {
        self.created.iter().any(|r| r.kind == kind && r.id == id)
    }

    /// `domain/repository`, the key a local test record is kept under.
    pub fn local_test_target(&self) -> String {
        format!("{}/{}", self.setup.domain, self.setup.repository)
    }
}
