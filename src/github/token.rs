//! Where the GitHub token comes from: `GITHUB_TOKEN`, then `GH_TOKEN`, then `gh auth token` when the
//! GitHub CLI is installed. The lookup takes the environment and the `gh` program as parameters so
//! tests do not depend on the machine.

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// How long `gh auth token` may take before cawiz gives up on it.
pub const GH_TIMEOUT: Duration = Duration::from_secs(3);

/// Where a token was found (shown to the user; the token itself never is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    GithubTokenEnv,
    GhTokenEnv,
    GhCli,
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenSource::GithubTokenEnv => "the GITHUB_TOKEN environment variable",
            TokenSource::GhTokenEnv => "the GH_TOKEN environment variable",
            TokenSource::GhCli => "`gh auth token` (GitHub CLI)",
        })
    }
}

/// The token for the API at `api_url` from the process environment, or from `gh auth token
/// --hostname HOST` (the API URL's host, [`super::gh_hostname`]) when `gh` is on PATH: gh holds a
/// token per host, and a github.com token must not go to another host. Blocking (up to
/// [`GH_TIMEOUT`] for `gh`): from async code, call it in `spawn_blocking`.
pub fn token_from_env(api_url: &str) -> Option<(String, TokenSource)> {
    let host = super::gh_hostname(api_url);
    token_from(
        |name| std::env::var(name).ok(),
        // No host, no question: without it gh would answer with github.com's token.
        host.is_some().then_some(Path::new("gh")),
        host.as_deref(),
    )
}

/// The token from `env` (`GITHUB_TOKEN`, then `GH_TOKEN`; blank values are skipped), else from
/// `gh auth token` run as `gh` (a program name looked up on PATH, or a path; `None` disables it),
/// for `hostname` when given (GitHub Enterprise). Failures of `gh` are ignored.
pub fn token_from(
    env: impl Fn(&str) -> Option<String>,
    gh: Option<&Path>,
    hostname: Option<&str>,
) -> Option<(String, TokenSource)> {
    for (name, source) in [
        ("GITHUB_TOKEN", TokenSource::GithubTokenEnv),
        ("GH_TOKEN", TokenSource::GhTokenEnv),
    ] {
        if let Some(token) = env(name).map(|t| t.trim().to_owned())
            && !token.is_empty()
        {
            return Some((token, source));
        }
    }
    let token = gh_auth_token(gh?, hostname, GH_TIMEOUT)?;
    Some((token, TokenSource::GhCli))
}

/// Runs `gh auth token [--hostname HOST]` ([`crate::child`]'s way); `None` when it is missing,
/// fails, prints nothing or takes longer than `timeout`.
pub(crate) fn gh_auth_token(
    gh: &Path,
    hostname: Option<&str>,
    timeout: Duration,
) -> Option<String> {
    // As every child of cawiz: absolute program, a directory of its own, a cleared environment.
    let scratch = crate::child::scratch_dir().ok()?;
    let mut cmd = Command::new(crate::child::resolve(gh)?);
    crate::child::prepare(&mut cmd, crate::child::Profile::Gh, scratch.path());
    cmd.args(["auth", "token"]);
    if let Some(host) = hostname {
        cmd.args(["--hostname", host]);
    }
    let mut child = cmd
        .env("GH_PROMPT_DISABLED", "1")
        .env("GH_NO_UPDATE_NOTIFIER", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                // Timed out or cannot be waited on: stop it; the outcome no longer matters.
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    };
    if !status.success() {
        return None;
    }
    let mut out = String::new();
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    let token = out.trim();
    (!token.is_empty() && !token.contains(char::is_whitespace)).then(|| token.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn script(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// Runs `f` until it gives `Some`: a script just written can fail once to execute ("text file
    /// busy") while another test thread forks.
    fn eventually<T>(f: impl Fn() -> Option<T>) -> Option<T> {
        (0..20).find_map(|_| {
            f().or_else(|| {
                std::thread::sleep(Duration::from_millis(50));
                None
            })
        })
    }

    #[cfg(unix)]
    #[test]
    fn gh_output_is_the_token_and_failures_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let gh = script(
            dir.path(),
            "gh",
            r#"[ "$1 $2" = "auth token" ] || exit 2; echo "gho_cli$4""#,
        );
        let failing = script(dir.path(), "failing", "echo 'not logged in' >&2; exit 1");
        let silent = script(dir.path(), "silent", "exit 0");
        let slow = script(dir.path(), "slow", "exec sleep 30");
        assert_eq!(
            eventually(|| token_from(|_| None, Some(&gh), None)),
            Some(("gho_cli".to_owned(), TokenSource::GhCli))
        );
        assert_eq!(
            eventually(|| gh_auth_token(&gh, Some(".ghe.example"), GH_TIMEOUT)).as_deref(),
            Some("gho_cli.ghe.example")
        );
        assert_eq!(token_from(|_| None, Some(&failing), None), None);
        assert_eq!(token_from(|_| None, Some(&silent), None), None);
        let missing = dir.path().join("no-such-gh");
        assert_eq!(token_from(|_| None, Some(&missing), None), None);
        assert_eq!(gh_auth_token(&slow, None, Duration::from_millis(100)), None);
    }

    /// gh starts in an empty directory of its own with only what it needs of cawiz's environment.
    #[cfg(unix)]
    #[test]
    fn gh_runs_outside_the_working_tree_with_a_cleared_environment() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let gh = script(
            dir.path(),
            "gh",
            &format!(
                "{{ echo \"CWD $(pwd)\"; ls -A | sed 's/^/FILE /'; env | sed 's/^/ENV /'; }} > '{}'; echo gho_cli",
                log.display()
            ),
        );
        assert!(eventually(|| gh_auth_token(&gh, None, GH_TIMEOUT)).is_some());
        let logged = std::fs::read_to_string(&log).unwrap();
        let cwd = logged.lines().find_map(|l| l.strip_prefix("CWD ")).unwrap();
        assert_ne!(Path::new(cwd), std::env::current_dir().unwrap());
        assert!(!logged.contains("FILE "), "an empty directory: {logged}");

        let mut wanted: Vec<String> =
            crate::child::inherited(std::env::vars_os(), crate::child::Profile::Gh)
                .into_iter()
                .map(|(k, _)| k.to_string_lossy().into_owned())
                .collect();
        wanted.extend(["GH_PROMPT_DISABLED".into(), "GH_NO_UPDATE_NOTIFIER".into()]);
        // What sh sets itself.
        wanted.extend(["PWD".into(), "OLDPWD".into(), "SHLVL".into(), "_".into()]);
        let got: Vec<&str> = logged
            .lines()
            .filter_map(|l| l.strip_prefix("ENV ")?.split('=').next())
            .collect();
        let extra: Vec<&&str> = got
            .iter()
            .filter(|n| !wanted.iter().any(|w| w == *n))
            .collect();
        assert!(extra.is_empty(), "gh got {extra:?}");
        assert!(got.contains(&"PATH"), "{logged}");
    }

    #[test]
    fn blank_variables_are_skipped() {
        let env = |name: &str| match name {
            "GITHUB_TOKEN" => Some("  ".to_owned()),
            "GH_TOKEN" => Some("ghp_b\n".to_owned()),
            _ => None,
        };
        assert_eq!(
            token_from(env, None, None),
            Some(("ghp_b".to_owned(), TokenSource::GhTokenEnv))
        );
        assert_eq!(token_from(|_| None, None, None), None);
    }
}
