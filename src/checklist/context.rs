//! What every check and apply needs: the clients, the setup, the resolved account, GitHub access,
//! and the last local test.

use crate::aws::Clients;
use crate::github::GithubClient;
use crate::localtest::Options;
use crate::setup::Setup;
use crate::state::LocalTestRecord;

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
    /// Where the workflow's working tree is and how apply commits the file.
    pub workflow: WorkflowSettings,
}

impl Context {
    pub fn role_arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:role/{}",
            self.account, self.setup.role_name
        )
    }

    pub fn policy_arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:policy/{}",
            self.account, self.setup.policy_name
        )
    }

    /// `domain/repository`, the key a local test record is kept under.
    pub fn local_test_target(&self) -> String {
        format!("{}/{}", self.setup.domain, self.setup.repository)
    }
}
