//! The sandbox behind the TUI's rendering tests: a scenario (with faults) started in process and a
//! checklist context connected to it as the TUI connects.

use cawiz::checklist::{self, Context};
use cawiz::github::GithubClient;
use cawiz::localtest::Options;
use cawiz::setup::Setup;
use cawiz::state::LocalTestRecord;
use cawiz_sandbox::{self as sandbox, SANDBOX_GITHUB_TOKEN, SandboxConfig, SandboxHandle};

pub const REGION: &str = "us-east-1";

/// The sandbox for `scenario` with `faults`, and a context for `setup` on it (GetCallerIdentity
/// done). Keep the handle: dropping it stops the sandbox.
pub async fn connected(
    scenario: &str,
    faults: &[&str],
    setup: Setup,
    local_test: Option<LocalTestRecord>,
) -> (SandboxHandle, Context) {
    let mut config = SandboxConfig::scenario(scenario);
    config.faults = faults
        .iter()
        .map(|f| f.parse().expect("fault spec"))
        .collect();
    let sb = sandbox::start(config).await.expect("sandbox starts");
    let github = GithubClient::new(&sb.github_url(), Some(SANDBOX_GITHUB_TOKEN.to_owned()))
        .expect("GitHub client");
    let ctx = checklist::connect(
        cawiz::sandbox::aws_clients(sb.url(), REGION),
        setup,
        github,
        local_test,
        Options::default(),
        false,
    )
    .await
    .expect("connect (GetCallerIdentity)");
    (sb, ctx)
}
