//! The loopback AWS + PyPI + GitHub emulator.
//!
//! One axum server on loopback answers the AWS operations cawiz uses — STS and IAM (query protocol,
//! XML) and CodeArtifact (REST-JSON) — plus a PyPI endpoint per CodeArtifact repository, so that the
//! real AWS SDKs, the AWS CLI, pip and twine work against it unchanged. Requests are routed by the
//! service name in the SigV4 credential scope of the `Authorization` header; any key is accepted.
//! Under `/github` it also answers the GitHub REST endpoints cawiz uses (repository, OIDC subject
//! claim, Actions variables and secrets, files, pull requests, releases), for tokens starting with
//! `ghp_sandbox`, and plays GitHub Actions runs of the repository's workflows (`actions`).
//!
//! Use [`start`] from code (tests, `cawiz --sandbox`) and [`serve`] for a foreground server that
//! prints how to reach it (`cawiz sandbox`). This crate depends on nothing of cawiz: it stands in for
//! AWS and GitHub, so it keeps its own rules (names, matching) rather than sharing the product's.

mod actions;
mod arrange;
mod authz;
mod caller;
mod codeartifact;
mod events;
mod fault;
mod github;
mod iam;
mod matching;
mod observe;
mod oidc;
mod order;
mod protocol;
mod public;
mod pypi;
mod registry;
mod router;
mod scenario;
mod simulate;
mod sns;
mod sts;
pub mod wheel;
mod world;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures::FutureExt as _;

pub use actions::{JobInfo, RunInfo};
pub use fault::Fault;
pub use github::{PullRequestInfo, SANDBOX_GITHUB_TOKEN};
/// The operations the sandbox answers, per service (e.g. to tell its IAM/STS calls apart).
pub use iam::OPERATIONS as IAM_OPERATIONS;
pub use scenario::SCENARIOS;
pub use sts::OPERATIONS as STS_OPERATIONS;

pub mod iam_cases;
pub use order::Step as RequestStep;

/// The account id the sandbox emulates unless told otherwise (moto's default too, so the two agree).
pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";
/// The access key id printed for users to paste: AWS's documented example key (secret scanners,
/// cawiz's own included, know it is no secret); the sandbox accepts any key.
pub const SANDBOX_ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
/// The secret printed for users to paste; never checked.
pub const SANDBOX_SECRET_ACCESS_KEY: &str = "cawiz-sandbox-secret";
/// The region printed for users to paste.
pub const SANDBOX_REGION: &str = "us-east-1";

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("invalid sandbox configuration: {0}")]
    Config(String),
    #[error("unknown scenario {0:?}; known scenarios: empty, complete, guide")]
    UnknownScenario(String),
    #[error("scenario {name}: {message}")]
    Scenario { name: String, message: String },
    #[error("cannot bind {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("sandbox server failed: {0}")]
    Serve(std::io::Error),
}

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub host: IpAddr,
    pub port: u16,
    pub scenario: String,
    pub account_id: String,
    pub latency: Duration,
    pub faults: Vec<Fault>,
    pub fault_seed: u64,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            scenario: "empty".to_owned(),
            account_id: DEFAULT_ACCOUNT_ID.to_owned(),
            latency: Duration::ZERO,
            faults: Vec::new(),
            fault_seed: 1,
        }
    }
}

impl SandboxConfig {
    /// A default (empty, fault-free) configuration starting from `scenario`.
    pub fn scenario(name: &str) -> Self {
        Self {
            scenario: name.to_owned(),
            ..Self::default()
        }
    }

    pub fn validate(&self) -> Result<(), SandboxError> {
        if !self.host.is_loopback() {
            return Err(SandboxError::Config(format!(
                "--host {}: the sandbox only listens on loopback addresses (127.0.0.0/8, ::1)",
                self.host
            )));
        }
        if self.account_id.len() != 12 || !self.account_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SandboxError::Config(format!(
                "--account-id {:?}: an AWS account id is exactly 12 digits",
                self.account_id
            )));
        }
        if !SCENARIOS.contains(&self.scenario.as_str()) {
            return Err(SandboxError::UnknownScenario(self.scenario.clone()));
        }
        Ok(())
    }
}

/// Everything the request handlers share. The world is behind a plain mutex that is never held
/// across an `.await`.
pub(crate) struct Shared {
    pub world: Mutex<world::World>,
    pub faults: Mutex<fault::FaultInjector>,
    pub calls: Mutex<BTreeMap<String, u64>>,
    /// The order requests arrived and were answered in (and answers held for tests).
    pub order: order::Order,
    pub latency: Duration,
    pub base_url: String,
    pub public: public::PublicIndex,
    /// The stand-in for the public npm registry (`public:npmjs`).
    pub public_npm: registry::npm::public::PublicNpm,
}

impl Shared {
    pub fn world(&self) -> std::sync::MutexGuard<'_, world::World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running sandbox. Dropping it stops the server.
pub struct SandboxHandle {
    url: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), std::io::Error>>>,
}

impl SandboxHandle {
    /// Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash): the value for `AWS_ENDPOINT_URL`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn account_id(&self) -> String {
        self.shared.world().account_id.clone()
    }

    /// The GitHub API base URL, `{url}/github`: the value for `GithubClient::new` or
    /// `GITHUB_API_URL`. The sandbox accepts [`SANDBOX_GITHUB_TOKEN`] there.
    pub fn github_url(&self) -> String {
        format!("{}{}", self.url, github::PATH_PREFIX)
    }

    /// The scenario's GitHub repository as `(owner, repo)`, when it names one (`complete`,
    /// `guide`). Any other repository is served too, created on first use.
    pub fn github_repository(&self) -> Option<(String, String)> {
        self.shared.world().github.scenario_repo.clone()
    }

    /// The Actions variables of a GitHub repository (name → value), read without an API call;
    /// empty for a repository not used yet.
    pub fn github_variables(&self, owner: &str, repo: &str) -> BTreeMap<String, String> {
        self.shared
            .world()
            .github
            .get(owner, repo)
            .map(|r| {
                r.variables
                    .values()
                    .map(|v| (v.name.clone(), v.value.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The plain value of an Actions secret, unsealed with the repository's secret key (the API
    /// never returns it; this proves what a client sealed). `None` when there is no such secret.
    pub fn github_secret(&self, owner: &str, repo: &str, name: &str) -> Option<String> {
        self.shared
            .world()
            .github
            .get(owner, repo)?
            .open_secret(name)
    }

    /// Switches a GitHub repository (created if need be) between the classic OIDC subject
    /// `repo:OWNER/REPO:…` and the immutable `repo:OWNER@OWNER_ID/REPO@REPO_ID:…`. Returns `false`
    /// for a name GitHub rejects.
    pub fn set_github_immutable_subject(&self, owner: &str, repo: &str, immutable: bool) -> bool {
        let mut world = self.shared.world();
        let now = world.now();
        match world.github.repo_mut(owner, repo, now) {
            Some(r) => {
                r.immutable_subject = immutable;
                true
            }
            None => false,
        }
    }

    /// Puts the account in an organisation whose service control policies are `documents` (JSON
    /// policy documents; AWS's default `FullAWSAccess` is implied), or in none when empty. There is
    /// no Organizations API in the sandbox: this is how a test makes an SCP deny something.
    pub fn set_service_control_policies(&self, documents: &[serde_json::Value]) {
        self.shared.world().service_control_policies =
            documents.iter().map(ToString::to_string).collect();
    }

    /// A GitHub OIDC token for a job of `owner/repo` (audience `sts.amazonaws.com`), as the
    /// `/github/_oidc/token` endpoint mints it: for tests that need one without an HTTP call.
    pub fn web_identity_token(
        &self,
        owner: &str,
        repo: &str,
        git_ref: &str,
        event_name: &str,
        environment: Option<&str>,
    ) -> Option<String> {
        let mut world = self.shared.world();
        let now = world.now();
        let job = oidc::Job {
            git_ref: git_ref.to_owned(),
            event_name: event_name.to_owned(),
            environment: environment.map(str::to_owned),
            audience: oidc::DEFAULT_AUDIENCE.to_owned(),
            workflow_path: ".github/workflows/publish.yml".to_owned(),
            run_id: 1,
        };
        github::oidc_token::mint_for(&mut world.github, owner, repo, &job, now).ok()
    }

    /// Every CodeArtifact authorization token handed out so far (for tests that prove a token
    /// never reached a file or an output).
    pub fn issued_tokens(&self) -> Vec<String> {
        self.shared.world().tokens.keys().cloned().collect()
    }

    /// How many times each operation was called (by AWS operation name, e.g. `CreateRole`,
    /// `PypiUpload`/`PypiSimple`/`PypiDownload` for the PyPI endpoint, or `GitHub:ListVariables`,
    /// `GitHub:CreateVariable`, … for the GitHub API).
    pub fn calls(&self) -> BTreeMap<String, u64> {
        self.shared
            .calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Calls of operations that change state (anything not named Get*, List*, Describe*, Simulate*,
    /// Download* — also after `GitHub:` — or a PyPI read).
    pub fn mutating_calls(&self) -> BTreeMap<String, u64> {
        self.calls()
            .into_iter()
            .filter(|(op, _)| router::is_mutating(op))
            .collect()
    }

    /// Moves the sandbox's clock forward, e.g. to expire authorization tokens in a test.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.world().clock.advance(by);
    }

    /// Stops the server and waits for it to finish.
    pub async fn stop(mut self) -> Result<(), SandboxError> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            match task.await {
                Ok(result) => result.map_err(SandboxError::Serve)?,
                Err(join) => return Err(SandboxError::Serve(std::io::Error::other(join))),
            }
        }
        Ok(())
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Starts a sandbox on the current tokio runtime and returns once it accepts connections.
pub async fn start(config: SandboxConfig) -> Result<SandboxHandle, SandboxError> {
    config.validate()?;
    let addr = SocketAddr::new(config.host, config.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| SandboxError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| SandboxError::Bind { addr, source })?;
    let url = match addr {
        SocketAddr::V4(a) => format!("http://{}:{}", a.ip(), a.port()),
        SocketAddr::V6(a) => format!("http://[{}]:{}", a.ip(), a.port()),
    };
    let world = scenario::load(&config.scenario, &config.account_id)?;
    let shared = Arc::new(Shared {
        world: Mutex::new(world),
        faults: Mutex::new(fault::FaultInjector::new(
            config.faults.clone(),
            config.fault_seed,
        )),
        calls: Mutex::new(BTreeMap::new()),
        order: order::Order::default(),
        latency: config.latency,
        base_url: url.clone(),
        public: public::PublicIndex::load(),
        public_npm: registry::npm::public::PublicNpm::load(),
    });
    let app = router::app(shared.clone());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await
    });
    Ok(SandboxHandle {
        url,
        addr,
        shared,
        shutdown: Some(tx),
        task: Some(task),
    })
}

/// The lines a user pastes into a shell to point AWS tools (and cawiz's GitHub client) at a sandbox.
pub fn env_lines(url: &str) -> Vec<String> {
    vec![
        format!("export AWS_ENDPOINT_URL={url}"),
        format!("export AWS_ACCESS_KEY_ID={SANDBOX_ACCESS_KEY_ID}"),
        format!("export AWS_SECRET_ACCESS_KEY={SANDBOX_SECRET_ACCESS_KEY}"),
        format!("export AWS_REGION={SANDBOX_REGION}"),
        // The AWS CLI and boto3 read AWS_DEFAULT_REGION, the Rust SDK AWS_REGION.
        format!("export AWS_DEFAULT_REGION={SANDBOX_REGION}"),
        format!("export GITHUB_API_URL={url}{}", github::PATH_PREFIX),
        format!("export GITHUB_TOKEN={SANDBOX_GITHUB_TOKEN}"),
    ]
}

/// Starts a sandbox, prints its URL and the environment to paste, and serves until Ctrl-C.
pub async fn serve(config: SandboxConfig) -> Result<(), SandboxError> {
    let handle = start(config.clone()).await?;
    // Listen for Ctrl-C before the banner says to press it: a SIGINT right after the banner must
    // stop the server cleanly, not kill the process. The first poll installs the handler.
    let mut interrupted = Box::pin(tokio::signal::ctrl_c());
    let early = interrupted.as_mut().now_or_never();
    println!(
        "cawiz sandbox listening on {} (scenario {}, account {})",
        handle.url(),
        config.scenario,
        config.account_id
    );
    println!("Point AWS tools at it by pasting:");
    for line in env_lines(handle.url()) {
        println!("  {line}");
    }
    let repository = handle
        .github_repository()
        .map(|(owner, repo)| format!("; scenario repository {owner}/{repo}"))
        .unwrap_or_default();
    println!(
        "GitHub API: {} (any owner/repo{repository}). The GITHUB_TOKEN line also reaches `gh`: \
         paste it only in a shell used for the sandbox.",
        handle.github_url()
    );
    if !config.faults.is_empty() || !config.latency.is_zero() {
        println!(
            "Injected: latency {} ms; faults: {}",
            config.latency.as_millis(),
            config
                .faults
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!("Press Ctrl-C to stop.");
    use std::io::Write as _;
    std::io::stdout().flush().map_err(SandboxError::Serve)?;
    match early {
        Some(result) => result,
        None => interrupted.await,
    }
    .map_err(SandboxError::Serve)?;
    handle.stop().await
}
