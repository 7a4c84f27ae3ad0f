//! The local test (SPEC item 7): proves with the user's real clients, run as child processes, that
//! a CodeArtifact repository works for each format of the setup: a package read through the
//! repository (which proves the upstream), and, when the user opts in, a probe published. pip and
//! twine (and a reinstall in a throw-away venv) for `pypi`, or uv or poetry; npm for `npm`
//! ([`run_client`]; each client's temporary configuration in its own file).
//!
//! This module never touches the AWS SDK: the caller obtains the token (GetAuthorizationToken) and
//! the endpoint (GetRepositoryEndpoint, the format's) and passes them in a [`Target`]. The token
//! never appears in anything this module prints or returns: every [`Line`], [`StepResult`] and
//! error is masked with [`mask`]. The token reaches pip through `PIP_INDEX_URL`, twine through
//! `TWINE_PASSWORD`, npm through `NODE_AUTH_TOKEN`, uv and poetry through their credential
//! variables, always in the child's environment, never its argv or a file; the children run as
//! [`crate::child`] starts every child (`python -I`, a directory of their own, a cleared
//! environment) with `PIP_CONFIG_FILE` set to the null device so the user's pip configuration
//! cannot interfere, and the user's pip configuration is only ever changed by
//! [`write_pip_config`].

mod client_report;
mod clients;
mod narrator;
mod npm;
mod pip_config;
mod pip_view;
mod poetry;
mod process;
mod steps;
mod temp;
#[cfg(test)]
mod tests;
mod tools;
mod uv;

pub use client_report::ClientReport;
pub use clients::run_client;
pub use pip_config::{pip_config_warning, write_pip_config};
pub use pip_view::{PipAnswer, PipView, mask_url_credentials, pip_view};
pub use tools::dist_name_version;

use std::fmt;
use std::path::PathBuf;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The package fetched through the repository to prove the upstream, unless told otherwise.
pub const DEFAULT_PACKAGE: &str = "six";

/// What replaces the token in everything shown.
pub const MASK: &str = "****";

/// A secret (the CodeArtifact authorization token). `Debug` and `Display` print `****`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself: only for a child process's environment, never for display.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

/// The repository under test, as the caller obtained it from CodeArtifact.
#[derive(Debug, Clone)]
pub struct Target {
    /// GetRepositoryEndpoint(format=pypi), with its trailing slash:
    /// `https://DOMAIN-OWNER.d.codeartifact.REGION.amazonaws.com/pypi/REPO/`.
    pub endpoint: String,
    /// GetAuthorizationToken's token.
    pub token: Secret,
    /// When the token expires (epoch seconds), if known.
    pub expires_at: Option<i64>,
    /// The repository name (names the generated probe package).
    pub repository: String,
}

/// What the local test does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The package fetched through the repository to prove the upstream.
    pub package: String,
    /// Opt-in: upload (twine) and reinstall (pip, throw-away venv).
    pub publish: bool,
    /// With `publish`: upload the wheels and sdists in this directory instead of a generated probe.
    pub dist_dir: Option<PathBuf>,
    /// The Python interpreter; default `python3` on PATH, then `python`.
    pub python: Option<PathBuf>,
    /// twine; default `twine` on PATH, else `python -m twine`.
    pub twine: Option<PathBuf>,
    /// Run as the role (a sandbox-minted OIDC token, AssumeRoleWithWebIdentity), not as you.
    pub as_role: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            package: DEFAULT_PACKAGE.to_owned(),
            publish: false,
            dist_dir: None,
            python: None,
            twine: None,
            as_role: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    PipDownload,
    TwineUpload,
    PipInstall,
    NpmPing,
    NpmInstall,
    NpmPublish,
    UvInstall,
    UvPublish,
    PoetryAdd,
    PoetryPublish,
}

impl StepKind {
    /// A short name for lists and logs: `pip download`, `twine upload`, `pip install`.
    pub fn label(self) -> &'static str {
        match self {
            Self::PipDownload => "pip download",
            Self::TwineUpload => "twine upload",
            Self::PipInstall => "pip install",
            Self::NpmPing => "npm ping",
            Self::NpmInstall => "npm install",
            Self::NpmPublish => "npm publish",
            Self::UvInstall => "uv pip install",
            Self::UvPublish => "uv publish",
            Self::PoetryAdd => "poetry add",
            Self::PoetryPublish => "poetry publish",
        }
    }
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One sub-step's outcome. Holds no token: safe to print and to record in the state file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepResult {
    pub kind: StepKind,
    pub ok: bool,
    /// The command(s) run, shell-quoted and masked (several joined with ` && `).
    pub command: String,
    /// One line: what was proven (`downloaded six-1.17.0`), or why it failed (pip's or twine's
    /// last error line, masked).
    pub detail: String,
}

/// The local test's outcome. A failing step ends the run, so it is the last one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub steps: Vec<StepResult>,
    /// The generated probe package (name, version), when one was built and uploaded.
    pub probe: Option<(String, String)>,
    /// Every (name, version) uploaded: the probe, or the distributions of `dist_dir`.
    #[serde(default)]
    pub uploaded: Vec<(String, String)>,
}

impl Report {
    /// Every step that ran succeeded (and at least one ran).
    pub fn passed(&self) -> bool {
        !self.steps.is_empty() && self.steps.iter().all(|s| s.ok)
    }
}

/// Streamed output, already masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A line a child process wrote to stdout.
    Stdout(String),
    /// A line a child process wrote to stderr.
    Stderr(String),
    /// cawiz's own narration: a step starting, a command about to run, a step's result.
    Step(String),
}

impl Line {
    pub fn text(&self) -> &str {
        match self {
            Self::Stdout(s) | Self::Stderr(s) | Self::Step(s) => s,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LocalTestError {
    #[error("{tool} not found: {install}")]
    ToolNotFound { tool: String, install: String },
    #[error("cannot {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("distribution directory {}: {reason}", path.display())]
    BadDistDir { path: PathBuf, reason: String },
    #[error("`{command}` failed: {detail}")]
    CommandFailed { command: String, detail: String },
    #[error("{0}")]
    Input(crate::setup::FieldError),
    #[error("pip configuration {}: {reason}", path.display())]
    PipConfig { path: PathBuf, reason: String },
}

impl LocalTestError {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            what: what.into(),
            source,
        }
    }
}

/// Runs the local test: `pip download` of `options.package` through the repository, then, with
/// `options.publish`, `twine upload` and `pip install` in a throw-away venv. Streams every line of
/// output (masked) through `on_line`. A failing pip or twine is a failed [`StepResult`] that ends
/// the run, not an error; errors are missing tools, a bad `dist_dir` and I/O failures.
pub async fn run(
    target: &Target,
    options: &Options,
    mut on_line: impl FnMut(Line) + Send,
) -> Result<Report, LocalTestError> {
    steps::run(target, options, &mut on_line).await
}

/// `text` with the token (raw, URL-encoded, and as an HTTP Basic credential) replaced by `****`.
pub fn mask(text: &str, token: &Secret) -> String {
    let raw = token.expose();
    if raw.is_empty() {
        return text.to_owned();
    }
    let mut out = text.replace(raw, MASK);
    let encoded = urlencoding::encode(raw);
    if encoded != raw {
        out = out.replace(encoded.as_ref(), MASK);
    }
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("aws:{raw}"));
    out.replace(&basic, MASK)
}

/// pip's index URL, with credentials: `https://aws:TOKEN@HOST/pypi/REPO/simple/`. Callers must
/// [`mask`] it before showing it; prefer [`masked_index_url`] for display.
pub fn index_url(endpoint: &str, token: &Secret) -> String {
    with_credentials(endpoint, &urlencoding::encode(token.expose()))
}

/// The index URL as shown to people: `https://aws:****@HOST/pypi/REPO/simple/`.
pub fn masked_index_url(endpoint: &str) -> String {
    with_credentials(endpoint, MASK)
}

fn with_credentials(endpoint: &str, password: &str) -> String {
    let (scheme, rest) = match endpoint.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), endpoint),
    };
    let slash = if rest.ends_with('/') { "" } else { "/" };
    format!("{scheme}aws:{password}@{rest}{slash}simple/")
}

/// The countdown shown next to a token: `expires in 11 h 59 min`, `expired 3 min ago`.
pub fn expiry_text(expires_at: Option<i64>, now: i64) -> String {
    let Some(at) = expires_at else {
        return "expiry unknown".to_owned();
    };
    let left = at - now;
    if left > 0 {
        format!("expires in {}", duration_text(left))
    } else if left == 0 {
        "expires now".to_owned()
    } else {
        format!("expired {} ago", duration_text(-left))
    }
}

fn duration_text(secs: i64) -> String {
    let (h, m) = (secs / 3600, secs % 3600 / 60);
    match (h, m) {
        (0, 0) => format!("{secs} s"),
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// Seconds since the Unix epoch (0 if the clock is before it), signed like token expiries.
pub fn now_epoch() -> i64 {
    i64::try_from(crate::state::now_secs()).unwrap_or(i64::MAX)
}
