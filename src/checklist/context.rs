//! What every check and apply needs: the clients, the setup, the resolved account, GitHub access,
//! and the last local test.

use std::path::PathBuf;

use crate::aws::Clients;
use crate::github::GithubClient;
use crate::setup::Setup;
use crate::state::LocalTestRecord;

/// How `apply` runs the local test item (SPEC item 7).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalTestConfig {
    /// Package fetched through the repository; `None` = the default (`six`).
    pub package: Option<String>,
    /// Also upload (a probe package, or `dist_dir`'s files) and reinstall it.
    pub publish: bool,
    pub dist_dir: Option<PathBuf>,
    /// Python interpreter for pip (default: `python3` on PATH).
    pub python: Option<PathBuf>,
    pub twine: Option<PathBuf>,
}

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
    pub local_test_config: LocalTestConfig,
    /// Refuse every write (`--read-only`).
    pub read_only: bool,
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
