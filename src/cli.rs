//! Command-line types (clap). Dispatch lives in `main.rs`; behaviour lives in the library modules.

use clap::{Args, Parser, Subcommand};

use crate::sandbox::{Fault, SandboxConfig};

/// cawiz — GitHub Actions → AWS CodeArtifact through OIDC, set up and verified.
#[derive(Debug, Parser)]
#[command(name = "cawiz", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the loopback AWS (STS, IAM, CodeArtifact) and PyPI emulator.
    Sandbox(SandboxArgs),
}

#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// Address to bind. Only loopback addresses are accepted.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to bind; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Starting state: empty, complete or guide.
    #[arg(long, default_value = "empty")]
    pub scenario: String,
    /// The emulated AWS account id (12 digits).
    #[arg(long, default_value = crate::sandbox::DEFAULT_ACCOUNT_ID)]
    pub account_id: String,
    /// Delay added to every request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Make an operation fail: OPERATION=ERRORCODE[@RATE], e.g. GetRole=Throttling@0.5 or
    /// DescribeDomain=AccessDeniedException. OPERATION may be `*`. Repeatable.
    #[arg(long = "fault", value_parser = parse_fault)]
    pub faults: Vec<Fault>,
    /// Seed for rate-limited faults, so a run can be repeated exactly.
    #[arg(long, default_value_t = 1)]
    pub fault_seed: u64,
}

fn parse_fault(s: &str) -> Result<Fault, String> {
    s.parse()
}

impl SandboxArgs {
    pub fn to_config(&self) -> Result<SandboxConfig, crate::sandbox::SandboxError> {
        let host = self.host.parse().map_err(|_| {
            crate::sandbox::SandboxError::Config(format!("--host {}: not an IP address", self.host))
        })?;
        let config = SandboxConfig {
            host,
            port: self.port,
            scenario: self.scenario.clone(),
            account_id: self.account_id.clone(),
            latency: std::time::Duration::from_millis(self.latency_ms),
            faults: self.faults.clone(),
            fault_seed: self.fault_seed,
        };
        config.validate()?;
        Ok(config)
    }
}
