//! The Python tools the tests drive as real processes (pip, twine, a venv), each run isolated
//! from the user's configuration and with a deadline.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use crate::common;

/// A deadline for each child process (pip, twine, venv), generous for a loaded machine.
const TOOL_DEADLINE: Duration = Duration::from_secs(600);

pub struct Tools {
    pip: PathBuf,
    twine: PathBuf,
    python: PathBuf,
}

pub fn tools() -> Option<Tools> {
    Some(Tools {
        pip: common::python_tool("pip")?,
        twine: common::python_tool("twine")?,
        python: common::python_tool("python3")?,
    })
}

/// Runs a child process isolated from the user's pip/twine configuration (files and `PIP_*` /
/// `TWINE_*` variables, e.g. a `PIP_FIND_LINKS` that could satisfy a requirement without the
/// sandbox) and keyring.
pub async fn run(program: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = tokio::process::Command::new(program);
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("PIP_") || key.starts_with("TWINE_") {
            cmd.env_remove(key.as_ref());
        }
    }
    cmd.args(args)
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env("PIP_NO_INPUT", "1")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .kill_on_drop(true);
    tokio::time::timeout(TOOL_DEADLINE, cmd.output())
        .await
        .unwrap_or_else(|_| panic!("{} did not finish within the deadline", program.display()))
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()))
}

pub fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Options for every pip run: no cache, no prompts, no keyring, only this index.
fn pip_args<'a>(command: &[&'a str], index_url: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let common = [
        "--no-cache-dir",
        "--no-input",
        "--keyring-provider",
        "disabled",
    ];
    [command, &common, &["--index-url", index_url], rest].concat()
}

pub async fn pip_download(t: &Tools, index_url: &str, dest: &Path, requirement: &str) -> Output {
    let dest = dest.to_str().expect("utf-8 path");
    let args = pip_args(
        &["download", "--no-deps"],
        index_url,
        &["-d", dest, requirement],
    );
    run(&t.pip, &args, &[]).await
}

/// A throw-away venv (no pip of its own: the project's pip installs into it with `--python`).
pub async fn throwaway_venv(t: &Tools, dir: &Path) -> PathBuf {
    let venv = dir.join("venv");
    let out = run(
        &t.python,
        &["-m", "venv", "--without-pip", venv.to_str().expect("utf-8")],
        &[],
    )
    .await;
    assert!(out.status.success(), "venv: {}", text(&out));
    venv.join("bin/python")
}

pub async fn pip_install(t: &Tools, python: &Path, index_url: &str, requirement: &str) -> Output {
    let python = python.to_str().expect("utf-8");
    let args = pip_args(&["--python", python, "install"], index_url, &[requirement]);
    run(&t.pip, &args, &[]).await
}

pub async fn twine_upload(t: &Tools, endpoint: &str, token: &str, file: &Path) -> Output {
    let args = [
        "upload",
        "--repository-url",
        endpoint,
        "--non-interactive",
        "--disable-progress-bar",
        file.to_str().expect("utf-8"),
    ];
    let envs = [("TWINE_USERNAME", "aws"), ("TWINE_PASSWORD", token)];
    run(&t.twine, &args, &envs).await
}
