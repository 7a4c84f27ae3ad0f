//! The cawiz binary as a user runs it against an in-process sandbox: AWS through
//! AWS_ENDPOINT_URL, GitHub through GITHUB_API_URL, a state file in a temp dir.

use std::path::{Path, PathBuf};
use std::process::Output;

use cawiz_sandbox::SandboxHandle;
use serde_json::Value;

pub struct Cli {
    pub url: String,
    pub github: String,
    pub dir: tempfile::TempDir,
    pub python: Option<PathBuf>,
    /// `--python PATH` for the commands that run pip (empty without a venv python).
    pub python_args: Vec<String>,
}

impl Cli {
    pub fn new(sb: &SandboxHandle) -> Self {
        let python = super::python_tool("python");
        Self {
            url: sb.url().to_owned(),
            github: sb.github_url(),
            dir: tempfile::tempdir().expect("temp dir"),
            python_args: python
                .iter()
                .flat_map(|p| ["--python".to_owned(), p.display().to_string()])
                .collect(),
            python,
        }
    }

    pub fn state(&self) -> PathBuf {
        self.dir.path().join("state.json")
    }

    /// Runs `cawiz --state STATE ARGS…` with a clean AWS and GitHub environment.
    pub async fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[]).await
    }

    /// The same with more environment variables.
    pub async fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let endpoint = [("AWS_ENDPOINT_URL".to_owned(), self.url.clone())];
        super::cawiz(self.dir.path(), &self.state(), &self.github, &endpoint)
            .args(args)
            .envs(env.iter().copied())
            .output()
            .await
            .expect("cawiz runs")
    }

    pub async fn init(&self, github: &str, domain: &str, repository: &str) {
        let out = self
            .run(&[
                "init",
                "--non-interactive",
                "--github",
                github,
                "--domain",
                domain,
                "--repository",
                repository,
            ])
            .await;
        assert_ok(&out);
    }

    /// `init --non-interactive` for octo-org/widgets (domain octo-org, repository widgets) with
    /// `extra` flags; it must succeed.
    pub async fn init_with(&self, extra: &[&str]) {
        let mut args = vec![
            "init",
            "--non-interactive",
            "--github",
            "octo-org/widgets",
            "--domain",
            "octo-org",
            "--repository",
            "widgets",
        ];
        args.extend_from_slice(extra);
        let out = self.run(&args).await;
        assert_ok(&out);
    }

    /// `apply --yes --only ITEM…`: it must succeed.
    pub async fn apply_only(&self, items: &[&str]) {
        let mut args = vec!["apply", "--yes"];
        for item in items {
            args.extend(["--only", item]);
        }
        assert_ok(&self.run(&args).await);
    }

    pub async fn status_json(&self) -> (Value, bool) {
        let out = self.run(&["status", "--json"]).await;
        let doc: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("status --json is JSON ({e}): {}", text(&out)));
        (doc, out.status.success())
    }

    /// `args` followed by `--python PATH` (when there is one).
    pub fn with_python<'a>(&'a self, args: &[&'a str]) -> Vec<&'a str> {
        let python = self.python_args.iter().map(String::as_str);
        args.iter().copied().chain(python).collect()
    }
}

pub fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn assert_ok(out: &Output) {
    assert!(out.status.success(), "{}", text(out));
    assert_no_panic(out);
}

pub fn assert_no_panic(out: &Output) {
    let all = text(out);
    for bad in ["panicked", "RUST_BACKTRACE", "Location:", "stack backtrace"] {
        assert!(!all.contains(bad), "{bad:?} reached the user:\n{all}");
    }
}

pub fn statuses(doc: &Value) -> Vec<(String, String)> {
    doc["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["item"].as_str().unwrap_or_default().to_owned(),
                i["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

pub fn item<'a>(doc: &'a Value, key: &str) -> &'a Value {
    doc["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["item"] == key))
        .unwrap_or_else(|| panic!("item {key} in {doc}"))
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("state file")
}
