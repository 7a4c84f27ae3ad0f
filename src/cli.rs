//! Command-line types (clap). Dispatch lives in `main.rs`; behaviour lives in the library modules.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::checklist::ItemId;

use cawiz_sandbox::{Fault, SandboxConfig, SandboxError};

/// cawiz — GitHub Actions → AWS CodeArtifact through OIDC, set up and verified.
#[derive(Debug, Parser)]
#[command(name = "cawiz", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(flatten)]
    pub tui: TuiArgs,
    /// Without a command, cawiz opens the interactive checklist (TUI).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags of the interactive checklist (no command).
#[derive(Debug, Clone, Args)]
pub struct TuiArgs {
    /// Check everything again every SECS seconds (0: only on `r`/`R`).
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub refresh: u64,
    /// Let the mouse select items and scroll (captures the mouse: terminal text selection then
    /// needs Shift).
    #[arg(long)]
    pub mouse: bool,
}

/// Flags every command takes.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// AWS profile (default: the standard credential chain: env, profile, SSO, IMDS).
    #[arg(long, global = true, env = "AWS_PROFILE", hide_env_values = true)]
    pub profile: Option<String>,
    /// AWS region (default: the setup's, else the profile's, else us-east-1).
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// One endpoint for every AWS service. The standard AWS_ENDPOINT_URL and per-service
    /// AWS_ENDPOINT_URL_IAM / _STS / _CODEARTIFACT variables work too.
    #[arg(long, global = true)]
    pub endpoint_url: Option<String>,
    /// The state file (default: one per setup in the user's data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub state: Option<PathBuf>,
    /// Run against a built-in loopback sandbox (AWS and GitHub emulated, nothing real touched).
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// The sandbox's starting state (with --sandbox or `cawiz sandbox`): empty, complete or guide.
    #[arg(long, global = true, default_value = "empty", value_name = "NAME")]
    pub scenario: String,
    /// Refuse every change (checks only).
    #[arg(long, global = true)]
    pub read_only: bool,
    /// GitHub REST API base URL (GitHub Enterprise: https://HOST/api/v3).
    #[arg(
        long,
        global = true,
        env = "GITHUB_API_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub github_api_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Record the setup: GitHub repository, domain, repository names, role (prompts, or flags).
    Init(Box<InitArgs>),
    /// Check every item (concurrently); exit 0 only when all nine are done.
    Status(StatusArgs),
    /// Show what apply would do, with the equivalent aws / gh commands.
    Plan(PlanArgs),
    /// Create or fix what is missing, in dependency order; adopts what exists.
    Apply(ApplyArgs),
    /// Prove the repository works with real pip (and, opted in, twine).
    Test(TestArgs),
    /// Delete what cawiz created (only that), newest first.
    Destroy(DestroyArgs),
    /// The publish workflow: print the generated file, lint workflow files, write it.
    Workflow(WorkflowArgs),
    /// Prove the pipeline: start a run of the publish workflow, watch it, and name the cause
    /// when it fails.
    Verify(VerifyArgs),
    /// Diagnose the guide's troubleshooting symptoms (oidc, publish-403, not-found) cause by
    /// cause from live evidence; exit 0 only when no cause fails.
    Doctor(DoctorArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Run the loopback AWS (STS, IAM, CodeArtifact), PyPI and GitHub emulator.
    Sandbox(SandboxArgs),
}

#[derive(Debug, Clone, Default, Args)]
pub struct InitArgs {
    /// No prompts: take every answer from flags and defaults (for scripts).
    #[arg(long)]
    pub non_interactive: bool,
    /// GitHub OWNER/REPO (default: from `git remote get-url origin`).
    #[arg(long, value_name = "OWNER/REPO")]
    pub github: Option<String>,
    /// CodeArtifact domain (default: the GitHub owner, lower-cased).
    #[arg(long)]
    pub domain: Option<String>,
    /// CodeArtifact repository (default: the GitHub repository name).
    #[arg(long)]
    pub repository: Option<String>,
    /// Package formats, comma-separated, each FORMAT[:CLIENT][@NAMESPACE]: pypi (clients pip,
    /// uv, poetry), npm (npm, pnpm, yarn; @SCOPE without its @). Default: detected from the
    /// working tree (package.json, pyproject.toml and their lock files), else pypi.
    #[arg(long, value_name = "FORMATS")]
    pub format: Option<String>,
    /// Upstream repositories proxying the public registries, one per format in order
    /// (default: pypi-store, npm-store).
    #[arg(long, value_name = "NAMES")]
    pub upstream: Option<String>,
    /// External connections of the upstreams, one per format in order (default: public:pypi,
    /// public:npmjs).
    #[arg(long, value_name = "CONNECTIONS")]
    pub external_connection: Option<String>,
    /// IAM role GitHub Actions assumes.
    #[arg(long, default_value = crate::setup::DEFAULT_ROLE_NAME)]
    pub role_name: String,
    /// Customer-managed publish policy.
    #[arg(long, default_value = crate::setup::DEFAULT_POLICY_NAME)]
    pub policy_name: String,
    /// Which workflow runs may assume the role: all, branch:NAME, tags, pull-requests, environment:NAME.
    #[arg(long, default_value = "all")]
    pub scope: String,
    /// oidc (recommended) or access-keys (long-lived secrets; less secure).
    #[arg(long, default_value = "oidc", value_parser = ["oidc", "access-keys"])]
    pub auth: String,
    /// The AWS account id (default: from GetCallerIdentity).
    #[arg(long)]
    pub account_id: Option<String>,
    /// Tell ENDPOINT when a version is published (repeatable): https://…, email:ADDR, or
    /// sns:TOPIC_ARN (an existing topic, only targeted); http:// only on 127.0.0.1/localhost.
    #[arg(long, value_name = "ENDPOINT")]
    pub notify: Vec<String>,
    /// Another AWS account (12 digits) allowed to read the repository (repeatable).
    #[arg(long = "consumer", value_name = "ACCOUNT_ID")]
    pub consumers: Vec<String>,
    /// An AWS organisation (o-…) whose accounts may read the repository (repeatable).
    #[arg(long = "consumer-org", value_name = "ORG_ID")]
    pub consumer_orgs: Vec<String>,
}

#[derive(Debug, Clone, Default, Args)]
pub struct StatusArgs {
    /// Machine-readable output (the shape is documented in README.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    /// Steps with their commands, for people.
    #[default]
    Text,
    /// A runnable POSIX shell script of the commands, in order.
    Sh,
}

#[derive(Debug, Clone, Default, Args)]
pub struct PlanArgs {
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
}

#[derive(Debug, Clone, Default, Args)]
pub struct ApplyArgs {
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Only this item (repeatable): domain, repository, upstream, oidc-provider, role, variables,
    /// local-test, workflow, pipeline-run, notifications (with --notify).
    #[arg(long, value_name = "ITEM", value_parser = parse_item)]
    pub only: Vec<ItemId>,
    #[command(flatten)]
    pub test: TestOptions,
    /// Where the written workflow is committed: branch (a new branch and a pull request; the
    /// default with a GitHub token), default (the default branch), none (print the git commands).
    #[arg(long, value_enum, value_name = "WHERE")]
    pub commit: Option<CommitTo>,
}

#[derive(Debug, Clone, Default, Args)]
pub struct VerifyArgs {
    /// Publish a real release instead of a manual probe run: it publishes the project's own
    /// version, so TAG should be that version's (default: `v` + the version in pyproject.toml).
    #[arg(long, value_name = "TAG", num_args = 0..=1, default_missing_value = "")]
    pub release: Option<String>,
    /// Do not ask before publishing a release, or before creating the throw-away tag a `tags`
    /// scope is verified on.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print `{"run": …, "diagnosis": …}` instead of the progress.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Default, Args)]
pub struct DoctorArgs {
    /// The symptom: oidc (OIDC authentication failed), publish-403 (403 on publish), not-found
    /// (package not found). Default: all three.
    #[arg(value_parser = parse_symptom, value_name = "SYMPTOM")]
    pub symptom: Option<crate::doctor::Symptom>,
    /// The package to look at (default: the name in ./pyproject.toml, else the repository's).
    #[arg(long, value_name = "NAME", value_parser = crate::setup::package_name)]
    pub package: Option<String>,
    /// The version to look at (default: the version in ./pyproject.toml).
    #[arg(long, value_name = "V")]
    pub version: Option<String>,
    /// The Python interpreter whose pip configuration is checked (default: python3 on PATH).
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,
    /// Print `{"symptoms":[{"symptom","causes":[…]}]}` instead of the rows.
    #[arg(long)]
    pub json: bool,
}

fn parse_symptom(s: &str) -> Result<crate::doctor::Symptom, String> {
    crate::doctor::Symptom::from_key(s).ok_or_else(|| {
        format!("unknown symptom {s:?}; one of: oidc, publish-403, not-found, consumer-403, no-notification")
    })
}

/// Where a written workflow is committed (through the GitHub contents API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CommitTo {
    /// A new branch and a pull request into the default branch.
    Branch,
    /// The default branch itself.
    Default,
    /// Nothing through the API: print the git commands.
    None,
}

/// `--commit` as the checklist's commit mode (none given: a pull request with a token).
pub fn commit_mode(commit: Option<CommitTo>) -> crate::checklist::workflow::CommitMode {
    use crate::checklist::workflow::CommitMode;
    match commit {
        None => CommitMode::Auto,
        Some(CommitTo::Branch) => CommitMode::PullRequest,
        Some(CommitTo::Default) => CommitMode::DefaultBranch,
        Some(CommitTo::None) => CommitMode::None,
    }
}

#[derive(Debug, Args)]
pub struct WorkflowArgs {
    #[command(subcommand)]
    pub command: WorkflowCommand,
}

#[derive(Debug, Subcommand)]
pub enum WorkflowCommand {
    /// Print the workflow cawiz generates for the setup (stdout), the pins' origin on stderr.
    Print,
    /// Lint workflow files (default: the working tree's .github/workflows); exit 1 on any error.
    Lint(LintArgs),
    /// Write the generated workflow into the working tree after showing the diff, then commit it.
    Write(WriteArgs),
}

#[derive(Debug, Clone, Default, Args)]
pub struct LintArgs {
    /// The files to lint (default: .github/workflows/*.yml and *.yaml of the git working tree).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Machine-readable output: {"files":[{"path","findings":[{"id","severity","line","message","fix"}]}]}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Default, Args)]
pub struct WriteArgs {
    /// Do not ask for confirmation (also to replace a file you changed: the diff shows what is lost).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Where to commit it: branch (a pull request; the default with a GitHub token), default, none.
    #[arg(long, value_enum, value_name = "WHERE")]
    pub commit: Option<CommitTo>,
}

#[derive(Debug, Clone, Default, Args)]
pub struct TestOptions {
    /// Package pip fetches through the repository (proves the upstream).
    #[arg(long, default_value = crate::localtest::DEFAULT_PACKAGE, value_parser = crate::setup::package_name)]
    pub package: String,
    /// Also upload with twine (a generated probe package, or --dist files) and reinstall it.
    #[arg(long)]
    pub publish: bool,
    /// Upload these built distributions (wheels, sdists) instead of a probe; implies --publish.
    #[arg(long, value_name = "DIR")]
    pub dist: Option<PathBuf>,
    /// Python interpreter running pip (default: python3 on PATH).
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,
    /// Run as the role, as the workflow would (the sandbox only): a token from the sandbox's
    /// OIDC issuer, AssumeRoleWithWebIdentity, then the test with the session's rights.
    #[arg(long)]
    pub as_role: bool,
}

#[derive(Debug, Clone, Default, Args)]
pub struct TestArgs {
    #[command(flatten)]
    pub options: TestOptions,
    /// After a passing test, point your user pip configuration at the repository
    /// (`pip config --user set global.index-url`; the URL holds a token that expires). Asks first.
    #[arg(long)]
    pub write_pip_config: bool,
    /// Do not ask for confirmation (with --write-pip-config).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Clone, Default, Args)]
pub struct DestroyArgs {
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

fn parse_item(s: &str) -> Result<ItemId, String> {
    ItemId::from_key(s).ok_or_else(|| {
        format!(
            "unknown item {s:?}; one of: {}",
            ItemId::ALL
                .iter()
                .chain(&ItemId::OPTIONAL)
                .map(|i| i.key().replace('_', "-"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// Address to bind. Only loopback addresses are accepted.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to bind; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Starting state (the global --scenario: empty, complete or guide).
    #[arg(skip)]
    pub scenario: String,
    /// The emulated AWS account id (12 digits).
    #[arg(long, default_value = cawiz_sandbox::DEFAULT_ACCOUNT_ID)]
    pub account_id: String,
    /// Delay added to every request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Make an operation fail: OPERATION=ERRORCODE[@RATE|#COUNT], e.g. GetRole=Throttling@0.5,
    /// DescribeDomain=ThrottlingException#2 (the first two calls only) or
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
    /// The sandbox crate's configuration from these flags.
    pub fn to_config(&self) -> Result<SandboxConfig, SandboxError> {
        let host = self.host.parse().map_err(|_| {
            SandboxError::Config(format!("--host {}: not an IP address", self.host))
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
