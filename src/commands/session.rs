//! Opening a session: the sandbox (with --sandbox), the state file, the AWS and GitHub clients, and
//! the caller's identity.

use std::path::{Path, PathBuf};

use crate::aws::{AwsErrorKind, Clients, ConnectOptions};
use crate::checklist::{self, Context, ItemError};
use crate::cli::GlobalArgs;
use crate::github::{DEFAULT_API_URL, GithubClient, GithubError};
use crate::localtest::Options;
use crate::sandbox::{SANDBOX_GITHUB_TOKEN, SandboxConfig, SandboxHandle};
use crate::setup::{DEFAULT_REGION, Field, Setup, detect_github};
use crate::state::{self, State};

use super::CliError;

/// Everything a command needs, for one setup.
pub struct Session {
    pub ctx: Context,
    pub state: State,
    pub path: PathBuf,
    /// Kept alive for the command's duration with --sandbox.
    pub sandbox: Option<SandboxHandle>,
}

impl Session {
    /// Saves the state file (atomically).
    pub fn save(&self) -> Result<(), CliError> {
        state::save(&self.path, &self.state).map_err(CliError::from)
    }
}

/// What clients need of a running sandbox (cloneable into background jobs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxUrls {
    pub aws: String,
    pub github: String,
}

impl SandboxUrls {
    pub fn of(handle: &SandboxHandle) -> Self {
        Self {
            aws: handle.url().to_owned(),
            github: handle.github_url(),
        }
    }
}

pub async fn start_sandbox(global: &GlobalArgs) -> Result<Option<SandboxHandle>, CliError> {
    if !global.sandbox {
        return Ok(None);
    }
    let config = SandboxConfig::scenario(&global.scenario);
    config
        .validate()
        .map_err(|e| CliError::plain(e.to_string()))?;
    crate::sandbox::start(config)
        .await
        .map(Some)
        .map_err(|e| CliError::plain(format!("cannot start the sandbox: {e}")))
}

/// The state file to use: --state, else the setup of the git repository here, else the sandbox
/// scenario's repository, else the only setup there is.
pub fn locate_state(
    global: &GlobalArgs,
    sandbox: Option<&SandboxHandle>,
) -> Result<PathBuf, CliError> {
    find_state(global, sandbox)?.ok_or_else(|| {
        let dir = state::setups_dir(global.sandbox)
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        CliError::new(
            format!("no setup yet (looked in {dir})"),
            "run `cawiz init` (or pass --state PATH)",
        )
    })
}

/// [`locate_state`], with `None` when there is no setup at all yet.
fn find_state(
    global: &GlobalArgs,
    sandbox: Option<&SandboxHandle>,
) -> Result<Option<PathBuf>, CliError> {
    if let Some(path) = &global.state {
        return Ok(Some(path.clone()));
    }
    let dir = state::setups_dir(global.sandbox)?;
    let repo = match sandbox {
        Some(handle) => Some(sandbox_repository(handle)),
        None => repository_here(),
    };
    if let Some((owner, name)) = repo {
        let path = state::setup_file(&dir, &Setup::for_github(&owner, &name));
        if path.exists() || sandbox.is_some() {
            return Ok(Some(path));
        }
    }
    let found = state::list_setups(&dir);
    match found.as_slice() {
        [one] => Ok(Some(one.clone())),
        [] => Ok(None),
        many => Err(CliError::new(
            format!(
                "several setups in {}: {}",
                dir.display(),
                many.iter()
                    .filter_map(|p| p.file_stem())
                    .map(|s| s.to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "run cawiz inside the GitHub repository's clone, or pass --state PATH",
        )),
    }
}

/// What the TUI starts from, found without any network call (so the first frame comes at once):
/// the sandbox (with --sandbox), and the state file with its setup when there is one. Without a
/// setup the TUI asks for the inputs and saves them to `path` (or a new file in the setups dir).
pub struct TuiStart {
    pub sandbox: Option<SandboxHandle>,
    pub path: Option<PathBuf>,
    pub state: Option<State>,
}

pub async fn prepare_tui(global: &GlobalArgs) -> Result<TuiStart, CliError> {
    let sandbox = start_sandbox(global).await?;
    let path = find_state(global, sandbox.as_ref())?;
    let state = match &path {
        Some(p) if p.exists() || sandbox.is_some() => Some(load_state(p, sandbox.as_ref())?),
        _ => None,
    };
    Ok(TuiStart {
        sandbox,
        path,
        state,
    })
}

/// The form's starting values on a first run: the git remote's repository (if any), the region
/// the AWS CLI would use, and the SPEC's default names.
pub async fn default_setup(global: &GlobalArgs) -> Setup {
    let (owner, repo) = repository_here().unwrap_or_default();
    let mut setup = Setup::for_github(&owner, &repo);
    setup.profile = global.profile.clone();
    setup.region = default_region(global).await;
    setup.formats = formats_here();
    setup
}

/// A new setup's region: --region, else the one the AWS CLI would use with the profile (not looked
/// up for the sandbox), else us-east-1.
pub(super) async fn default_region(global: &GlobalArgs) -> String {
    let configured = match &global.region {
        Some(region) => Some(region.clone()),
        None if global.sandbox => None,
        None => crate::aws::default_region(global.profile.as_deref()).await,
    };
    configured.unwrap_or_else(|| DEFAULT_REGION.to_owned())
}

/// The GitHub repository of the git clone cawiz runs in (its `origin` remote), if any.
pub(super) fn repository_here() -> Option<(String, String)> {
    std::env::current_dir()
        .ok()
        .as_deref()
        .and_then(detect_github)
}

/// The formats of the working tree (the current directory), each with its client: pypi with
/// pip+twine when it holds no project cawiz knows.
pub(super) fn formats_here() -> Vec<crate::format::FormatSetup> {
    std::env::current_dir()
        .map(|dir| crate::format::detect_formats(&dir))
        .unwrap_or_else(|_| vec![crate::format::FormatSetup::pypi()])
}

/// The repository a sandbox session is about: the git remote's, else the scenario's, else
/// octo-org/widgets.
fn sandbox_repository(handle: &SandboxHandle) -> (String, String) {
    repository_here()
        .or_else(|| handle.github_repository())
        .unwrap_or_else(|| ("octo-org".to_owned(), "widgets".to_owned()))
}

/// The state for `setup`: the one at `path` updated, or a new one. `path` defaults to the
/// setups directory's file for the setup's repository.
pub fn save_setup(
    path: Option<&Path>,
    sandbox: bool,
    setup: Setup,
    by: &str,
) -> Result<(PathBuf, State), CliError> {
    let path = match path {
        Some(p) => p.to_path_buf(),
        None => state::setup_file(&state::setups_dir(sandbox)?, &setup),
    };
    let state = match state::load(&path)? {
        Some(mut existing) => {
            existing.setup = setup;
            existing.record("setup", by, "setup updated");
            existing
        }
        None => {
            let mut fresh = State::new(setup);
            fresh.record("setup", by, "setup created");
            fresh
        }
    };
    state::save(&path, &state)?;
    Ok((path, state))
}

/// Reads the state at `path`; with --sandbox and no state yet, starts one for the scenario's
/// repository (or the git remote's).
pub fn load_state(path: &Path, sandbox: Option<&SandboxHandle>) -> Result<State, CliError> {
    if let Some(state) = state::load(path)? {
        return Ok(state);
    }
    if let Some(handle) = sandbox {
        let (owner, repo) = sandbox_repository(handle);
        let mut setup = Setup::for_github(&owner, &repo);
        setup.formats = formats_here();
        let state = State::new(setup);
        state::save(path, &state)?;
        return Ok(state);
    }
    Err(CliError::new(
        format!("no setup at {}", path.display()),
        "run `cawiz init` first (or pass --state with an existing state file)",
    ))
}

/// The GitHub client: the sandbox's, or GITHUB_API_URL / github.com with a token from
/// GITHUB_TOKEN, GH_TOKEN or `gh auth token`.
pub(super) async fn github(
    global: &GlobalArgs,
    sandbox: Option<&SandboxUrls>,
) -> Result<GithubClient, GithubError> {
    let (base, token) = match sandbox {
        Some(s) => (s.github.clone(), Some(SANDBOX_GITHUB_TOKEN.to_owned())),
        None => {
            let base = global
                .github_api_url
                .clone()
                .unwrap_or_else(|| DEFAULT_API_URL.to_owned());
            let api_url = base.clone();
            let token =
                tokio::task::spawn_blocking(move || crate::github::token_from_env(&api_url))
                    .await
                    .ok()
                    .flatten()
                    .map(|(t, _)| t);
            (base, token)
        }
    };
    GithubClient::new(&base, token)
}

/// The AWS clients for `setup`, honouring --profile, --region and --endpoint-url (or the sandbox);
/// refused when an endpoint is plain http off loopback.
pub async fn clients(
    global: &GlobalArgs,
    setup: &Setup,
    sandbox: Option<&SandboxUrls>,
) -> Result<Clients, ItemError> {
    match sandbox {
        Some(s) => Ok(crate::sandbox::aws_clients(&s.aws, &setup.region)),
        None => Clients::connect(&connect_options(global, Some(setup)))
            .await
            .map_err(|e| ItemError {
                kind: AwsErrorKind::Other,
                fix: e.fix(),
                message: e.to_string(),
            }),
    }
}

/// How to reach AWS for `setup` (or, before there is one, from the flags alone): --profile over
/// the setup's profile, the setup's region over --region, --endpoint-url.
pub fn connect_options(global: &GlobalArgs, setup: Option<&Setup>) -> ConnectOptions {
    ConnectOptions {
        profile: global
            .profile
            .clone()
            .or_else(|| setup.and_then(|s| s.profile.clone())),
        region: setup
            .map(|s| s.region.clone())
            .or_else(|| global.region.clone()),
        endpoint_url: global.endpoint_url.clone(),
    }
}

/// The checklist's context for `state`'s setup (--region, checked, over the setup's region): the
/// AWS and GitHub clients, then the caller's identity.
pub async fn connect(
    global: &GlobalArgs,
    state: &State,
    sandbox: Option<&SandboxUrls>,
    local_test_config: Options,
) -> Result<Context, ItemError> {
    let mut ctx = prepare(global, state, sandbox, local_test_config).await?;
    let identity = checklist::identify(&ctx.clients, &ctx.setup).await?;
    checklist::confirm(&mut ctx, identity);
    Ok(ctx)
}

/// [`connect`] without waiting for GetCallerIdentity: the account is the expected one (the
/// setup's, else the state's record), to be confirmed by [`checklist::confirmed`].
async fn prepare(
    global: &GlobalArgs,
    state: &State,
    sandbox: Option<&SandboxUrls>,
    local_test_config: Options,
) -> Result<Context, ItemError> {
    let mut setup = state.setup.clone();
    if let Some(region) = &global.region {
        crate::setup::validate(Field::Region, region).map_err(|e| ItemError {
            kind: AwsErrorKind::Other,
            message: e.to_string(),
            fix: "pass a region such as us-east-1".to_owned(),
        })?;
        setup.region = region.clone();
    }
    let clients = clients(global, &setup, sandbox).await?;
    let github = github(global, sandbox).await?;
    let mut ctx = checklist::unconfirmed(
        clients,
        setup,
        github,
        state.local_test.clone(),
        local_test_config,
        global.read_only,
        &state.known,
    );
    ctx.created = state.created.clone();
    ctx.setup_changed_at = setup_changed_at(state);
    if let Ok(dir) = std::env::current_dir() {
        ctx.workflow = checklist::workflow::WorkflowSettings::here(&dir);
    }
    Ok(ctx)
}

/// Opens the session for the setup this command is about.
pub async fn open_session(
    global: &GlobalArgs,
    local_test_config: Options,
) -> Result<Session, CliError> {
    open(global, local_test_config, false).await
}

/// [`open_session`] for read-only commands that confirm the account while they read
/// ([`checklist::confirmed`]): GetCallerIdentity has not run yet.
pub async fn open_unconfirmed(
    global: &GlobalArgs,
    local_test_config: Options,
) -> Result<Session, CliError> {
    open(global, local_test_config, true).await
}

async fn open(
    global: &GlobalArgs,
    local_test_config: Options,
    unconfirmed: bool,
) -> Result<Session, CliError> {
    let sandbox = start_sandbox(global).await?;
    let path = locate_state(global, sandbox.as_ref())?;
    let state = load_state(&path, sandbox.as_ref())?;
    let urls = sandbox.as_ref().map(SandboxUrls::of);
    let ctx = if unconfirmed {
        prepare(global, &state, urls.as_ref(), local_test_config).await?
    } else {
        connect(global, &state, urls.as_ref(), local_test_config).await?
    };
    Ok(Session {
        ctx,
        state,
        path,
        sandbox,
    })
}

/// When the setup or what cawiz applied last changed: the newest history entry that is not a
/// local test or a pipeline run (those prove the setup; they do not change it).
pub fn setup_changed_at(state: &State) -> Option<u64> {
    state
        .history
        .iter()
        .filter(|h| !matches!(h.item.as_str(), "local_test" | "pipeline_run"))
        .map(|h| h.at)
        .max()
}
