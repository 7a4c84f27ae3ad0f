//! The workflow item end to end: the built binary in a git working tree against the in-process
//! sandbox (AWS through AWS_ENDPOINT_URL, GitHub through GITHUB_API_URL). Missing → written →
//! done; a broken file → drift with its lint ids; an unconfirmed write or apply leaves the user's
//! file alone; the commit offer creates the branch and the pull request (or commits to main);
//! destroy deletes only a file cawiz wrote and left unchanged; lint's JSON and exit codes.

mod common;

use std::path::PathBuf;
use std::process::Output;

use cawiz_sandbox::SandboxHandle;
use common::arrange::BROKEN_WORKFLOW as BROKEN;
use serde_json::Value;

const PATH: &str = ".github/workflows/publish.yml";

struct Repo {
    url: String,
    github: String,
    dir: tempfile::TempDir,
}

impl Repo {
    /// A git working tree (no remote) with a setup for octo-org/widgets.
    async fn new(sb: &SandboxHandle) -> Self {
        let repo = Self {
            url: sb.url().to_owned(),
            github: sb.github_url(),
            dir: tempfile::tempdir().expect("temp dir"),
        };
        common::git_init(repo.dir.path());
        let out = repo
            .run(&["init", "--non-interactive", "--github", "octo-org/widgets"])
            .await;
        assert_ok(&out);
        repo
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join(PATH)
    }

    fn read(&self) -> Option<String> {
        std::fs::read_to_string(self.file()).ok()
    }

    fn write(&self, text: &str) {
        std::fs::create_dir_all(self.file().parent().expect("dir")).expect("mkdir");
        std::fs::write(self.file(), text).expect("write");
    }

    async fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[]).await
    }

    async fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let endpoint = [("AWS_ENDPOINT_URL".to_owned(), self.url.clone())];
        common::cawiz(
            self.dir.path(),
            &self.dir.path().join("state.json"),
            &self.github,
            &endpoint,
        )
        .args(args)
        .envs(env.iter().copied())
        .output()
        .await
        .expect("cawiz runs")
    }

    /// The workflow item of `status --json`.
    async fn item(&self) -> Value {
        let out = self.run(&["status", "--json"]).await;
        let doc: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("status --json ({e}): {}", text(&out)));
        doc["items"]
            .as_array()
            .and_then(|items| items.iter().find(|i| i["item"] == "workflow").cloned())
            .unwrap_or_else(|| panic!("no workflow item: {doc:#}"))
    }
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assert_ok(out: &Output) {
    assert!(out.status.success(), "{}", text(out));
    let all = text(out);
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(!all.contains(bad), "{bad:?} reached the user:\n{all}");
    }
}

fn lint_ids(item: &Value) -> Vec<String> {
    item["workflow"]["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|f| f["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_then_written_then_done_and_print_is_what_was_written() {
    let sb = common::start_sandbox("complete").await;
    let repo = Repo::new(&sb).await;
    let before = repo.item().await;
    assert_eq!(before["status"], "missing", "{before:#}");
    assert!(
        before["plan"][0]["command"]
            .as_str()
            .is_some_and(|c| c.contains("cawiz workflow print > .github/workflows/publish.yml")),
        "{before:#}"
    );

    let out = repo
        .run(&["workflow", "write", "--yes", "--commit", "none"])
        .await;
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("+permissions: {}"),
        "the diff comes first: {stdout}"
    );
    assert!(
        stdout.contains("git push"),
        "--commit none gives the git commands: {stdout}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("resolved through GitHub"),
        "the pins were looked up: {}",
        text(&out)
    );
    let written = repo.read().expect("written");
    assert!(written.contains("id-token: write"));
    assert!(
        sb.mutating_calls().is_empty(),
        "--commit none writes nothing on GitHub"
    );

    let after = repo.item().await;
    assert_eq!(after["status"], "done", "{after:#}");
    assert!(
        after["summary"]
            .as_str()
            .is_some_and(|s| s.contains("not on main yet")),
        "{after:#}"
    );

    let print = repo.run(&["workflow", "print"]).await;
    assert_ok(&print);
    assert_eq!(String::from_utf8_lossy(&print.stdout), written);

    let lint = repo.run(&["workflow", "lint"]).await;
    assert_ok(&lint);
    assert!(String::from_utf8_lossy(&lint.stdout).contains("publish.yml: 0 errors, 0 warnings"));

    // Idempotent: nothing left to do.
    let again = repo.run(&["apply", "--yes", "--only", "workflow"]).await;
    assert_ok(&again);
    assert!(String::from_utf8_lossy(&again.stdout).contains("Nothing to do"));
    let state: Value = serde_json::from_str(
        &std::fs::read_to_string(repo.dir.path().join("state.json")).expect("state"),
    )
    .expect("JSON");
    assert!(
        state["created"]
            .as_array()
            .is_some_and(|c| c.iter().any(|r| r["kind"] == "workflow_file")),
        "the written file is recorded for destroy: {state:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_workflow_is_drift_and_an_unconfirmed_apply_leaves_it_alone() {
    let sb = common::start_sandbox("complete").await;
    let repo = Repo::new(&sb).await;
    repo.write(BROKEN);
    let item = repo.item().await;
    assert_eq!(item["status"], "drift", "{item:#}");
    let ids = lint_ids(&item);
    for id in [
        "id-token-missing",
        "region-mismatch",
        "upload-to-pypi",
        "unpinned-action",
        "excessive-permissions",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id} in {ids:?}");
    }
    assert!(
        item["diff"].as_array().is_some_and(|d| !d.is_empty()),
        "{item:#}"
    );

    // lint: exit 1, JSON with ids and lines.
    let out = repo.run(&["workflow", "lint", "--json"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("lint JSON");
    let file = &doc["files"][0];
    assert_eq!(file["path"], PATH);
    let region = file["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["id"] == "region-mismatch"))
        .expect("region-mismatch");
    assert_eq!(region["line"], 17);
    assert_eq!(region["severity"], "error");
    assert!(
        region["fix"]
            .as_str()
            .is_some_and(|f| f.contains("us-east-1"))
    );

    // No terminal and no --yes: refused, the file untouched (apply and write alike).
    for args in [
        &["apply", "--only", "workflow"][..],
        &["workflow", "write"][..],
    ] {
        let out = repo.run(args).await;
        assert!(!out.status.success(), "{args:?}: {}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--yes"),
            "{}",
            text(&out)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("-          aws-region: eu-west-1"),
            "what is lost is shown: {stdout}"
        );
        assert_eq!(
            repo.read().as_deref(),
            Some(BROKEN),
            "{args:?} left the file alone"
        );
    }
    assert!(sb.mutating_calls().is_empty());

    // With --yes: replaced, committed on a new branch with a pull request (the default).
    let out = repo.run(&["apply", "--yes", "--only", "workflow"]).await;
    assert_ok(&out);
    assert_ne!(repo.read().as_deref(), Some(BROKEN));
    assert_eq!(repo.item().await["status"], "done");
    let pulls = sb.github_pull_requests("octo-org", "widgets");
    assert_eq!(pulls.len(), 1, "{pulls:?}");
    assert_eq!(
        (pulls[0].head.as_str(), pulls[0].base.as_str()),
        ("cawiz/publish-workflow", "main")
    );
    assert_eq!(
        sb.github_file("octo-org", "widgets", Some("cawiz/publish-workflow"), PATH),
        repo.read()
    );
    assert_eq!(
        sb.github_file("octo-org", "widgets", None, PATH),
        None,
        "main untouched"
    );

    // A file that was there before is not cawiz's to destroy.
    let out = repo.run(&["destroy", "--yes"]).await;
    assert_ok(&out);
    assert!(repo.read().is_some(), "a replaced file is kept by destroy");
}

#[tokio::test(flavor = "multi_thread")]
async fn commit_to_the_default_branch_then_the_copies_are_the_same() {
    let sb = common::start_sandbox("complete").await;
    let repo = Repo::new(&sb).await;
    let out = repo
        .run(&["workflow", "write", "--yes", "--commit", "default"])
        .await;
    assert_ok(&out);
    assert_eq!(
        sb.github_file("octo-org", "widgets", None, PATH),
        repo.read()
    );
    assert!(sb.github_pull_requests("octo-org", "widgets").is_empty());
    let item = repo.item().await;
    assert_eq!(item["status"], "done", "{item:#}");
    assert!(
        item["facts"].as_array().is_some_and(|f| f
            .iter()
            .any(|f| f["label"] == "on main" && f["value"] == "the same as the working tree")),
        "{item:#}"
    );
    // Nothing to commit any more.
    let out = repo.run(&["workflow", "write", "--yes"]).await;
    assert_ok(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Nothing to write."));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_done_file_not_on_main_is_offered_as_a_pull_request() {
    let sb = common::start_sandbox("complete").await;
    let repo = Repo::new(&sb).await;
    assert_ok(
        &repo
            .run(&["workflow", "write", "--yes", "--commit", "none"])
            .await,
    );
    let out = repo.run(&["workflow", "write", "--yes"]).await;
    assert_ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("pull request #1"),
        "{}",
        text(&out)
    );
    assert_eq!(
        sb.github_branches("octo-org", "widgets"),
        ["cawiz/publish-workflow", "main"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn destroy_deletes_the_written_file_unless_it_was_changed() {
    let sb = common::start_sandbox("complete").await;
    let repo = Repo::new(&sb).await;
    assert_ok(
        &repo
            .run(&["workflow", "write", "--yes", "--commit", "none"])
            .await,
    );
    let written = repo.read().expect("written");
    repo.write(&format!("{written}# my change\n"));
    let out = repo.run(&["destroy", "--yes"]).await;
    assert_ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("left in place"),
        "{}",
        text(&out)
    );
    assert!(
        repo.read().is_some_and(|t| t.ends_with("# my change\n")),
        "your edit is kept"
    );

    repo.write(&written);
    let out = repo.run(&["destroy", "--yes"]).await;
    assert_ok(&out);
    assert_eq!(repo.read(), None, "unchanged: deleted");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_token_the_shipped_pins_and_the_git_commands() {
    let sb = common::start_sandbox("complete").await;
    let repo = Repo::new(&sb).await;
    let no_token = [("GITHUB_TOKEN", ""), ("GH_TOKEN", "")];
    let out = repo.run_with(&["workflow", "print"], &no_token).await;
    assert_ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the commit SHAs cawiz ships"),
        "{}",
        text(&out)
    );
    let out = repo
        .run_with(&["workflow", "write", "--yes"], &no_token)
        .await;
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("needs you"), "{stdout}");
    assert!(stdout.contains("gh pr create"), "{stdout}");
    assert!(repo.read().is_some());
    assert!(sb.mutating_calls().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn lint_named_files_and_a_tree_without_a_publishing_workflow() {
    let sb = common::start_sandbox("complete").await;
    let repo = Repo::new(&sb).await;
    // A tree with only a CI workflow: one no-publish-job for the directory.
    let ci = repo.dir.path().join(".github/workflows/ci.yml");
    std::fs::create_dir_all(ci.parent().expect("dir")).expect("mkdir");
    std::fs::write(
        &ci,
        "on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps:\n      - run: make test\n",
    )
    .expect("write");
    let out = repo.run(&["workflow", "lint", "--json"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let files = doc["files"].as_array().expect("files");
    assert_eq!(
        files[0]["findings"],
        Value::Array(vec![]),
        "ci.yml itself is fine"
    );
    assert_eq!(files[1]["path"], ".github/workflows");
    assert_eq!(files[1]["findings"][0]["id"], "no-publish-job");

    // Named files: one publishing among them is enough; the one file named must publish; the
    // corpus's clean one passes; a missing one is an error.
    let clean = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/workflows/clean/single-job.yml")
        .display()
        .to_string();
    let ci = ci.display().to_string();
    let out = repo.run(&["workflow", "lint", &clean]).await;
    assert_ok(&out);
    let out = repo.run(&["workflow", "lint", &ci, &clean]).await;
    assert_ok(&out);
    let out = repo.run(&["workflow", "lint", "--json", &ci]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["files"][0]["findings"][0]["id"], "no-publish-job");
    assert_eq!(doc["files"][0]["findings"][0]["line"], 3, "the jobs: line");
    let out = repo.run(&["workflow", "lint", "nope.yml"]).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read nope.yml"));
}
