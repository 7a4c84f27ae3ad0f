//! The real linters on what cawiz writes (TESTING.md layer 9): the workflow generated for every
//! subject scope and both auth methods passes actionlint (with shellcheck on the `run:` scripts)
//! and zizmor (`--offline`, `--strict-collection`) with zero findings, in its regular persona and
//! in its auditor persona (every audit, every confidence: what a security review would raise). A broken
//! control file proves each linter really runs and reports.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use cawiz::setup::{AuthMethod, Setup, SubjectScope};
use cawiz::workflow::{Pins, generate};

fn setups() -> Vec<(String, Setup)> {
    let scopes = [
        SubjectScope::AllRefs,
        SubjectScope::Branch("main".into()),
        SubjectScope::Branch("release/v2".into()),
        SubjectScope::Tags,
        SubjectScope::PullRequests,
        SubjectScope::Environment("production".into()),
    ];
    let mut out = Vec::new();
    for scope in scopes {
        for auth in [AuthMethod::Oidc, AuthMethod::AccessKeys] {
            let mut s = Setup::for_github("octo-org", "widgets");
            s.scope = scope.clone();
            s.auth = auth;
            let name = format!("{scope}-{auth:?}")
                .to_lowercase()
                .replace([':', '/'], "-");
            out.push((name, s));
        }
    }
    out
}

/// The linters from the venv (`scripts/test` installs them), their directory first on PATH so
/// that actionlint finds shellcheck.
struct Linters {
    actionlint: PathBuf,
    zizmor: PathBuf,
    path: String,
}

fn linters() -> Option<Linters> {
    let actionlint = common::python_tool("actionlint")?;
    let zizmor = common::python_tool("zizmor")?;
    let shellcheck = common::python_tool("shellcheck")?;
    let dir = shellcheck.parent().expect("bin dir").display().to_string();
    let path = format!(
        "{dir}:{}",
        std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".to_owned())
    );
    Some(Linters {
        actionlint,
        zizmor,
        path,
    })
}

impl Linters {
    fn command(&self, program: &Path) -> Command {
        let mut c = Command::new(program);
        c.env("PATH", &self.path)
            .env_remove("GITHUB_TOKEN")
            .env_remove("GH_TOKEN")
            .env_remove("ZIZMOR_GITHUB_TOKEN");
        c
    }

    /// actionlint's findings (one per line), and its exit code.
    fn actionlint(&self, file: &Path) -> (Option<i32>, String) {
        let out = self
            .command(&self.actionlint)
            .args(["-no-color", "-oneline"])
            .arg(file)
            .output()
            .expect("actionlint runs");
        (
            out.status.code(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    }

    /// zizmor's JSON findings and its exit code, in the regular persona.
    fn zizmor(&self, file: &Path) -> (Option<i32>, serde_json::Value, String) {
        self.zizmor_as(file, "regular")
    }

    /// zizmor's JSON findings and its exit code, in `persona` (`regular`, `pedantic`, `auditor`).
    fn zizmor_as(&self, file: &Path, persona: &str) -> (Option<i32>, serde_json::Value, String) {
        let out = self
            .command(&self.zizmor)
            .args([
                "--offline",
                "--strict-collection",
                "--no-progress",
                "--persona",
                persona,
                "--format",
                "json",
            ])
            .arg(file)
            .output()
            .expect("zizmor runs");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let json = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
        (
            out.status.code(),
            json,
            format!("{stdout}{}", String::from_utf8_lossy(&out.stderr)),
        )
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(".github/workflows").join(format!("{name}.yml"));
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn every_generated_workflow_passes_actionlint_and_zizmor() {
    let Some(linters) = linters() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let pins = Pins::shipped("test");
    for (name, setup) in setups() {
        let file = write(dir.path(), &name, &generate(&setup, &pins));
        let (code, output) = linters.actionlint(&file);
        assert_eq!(code, Some(0), "actionlint on {name}:\n{output}");
        assert!(output.trim().is_empty(), "actionlint on {name}:\n{output}");
        for persona in ["regular", "auditor"] {
            let (code, json, output) = linters.zizmor_as(&file, persona);
            assert_eq!(code, Some(0), "zizmor ({persona}) on {name}:\n{output}");
            assert_eq!(
                json,
                serde_json::json!([]),
                "zizmor ({persona}) on {name}:\n{output}"
            );
        }
    }
}

#[test]
fn the_linters_do_report_a_broken_workflow() {
    let Some(linters) = linters() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "broken",
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo $GREETING\n",
    );
    let (code, output) = linters.actionlint(&file);
    assert_eq!(code, Some(1), "{output}");
    assert!(output.contains("SC2086"), "shellcheck ran: {output}");
    let (code, json, output) = linters.zizmor(&file);
    assert!(code.is_some_and(|c| c >= 11), "{output}");
    let idents: Vec<&str> = json
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["ident"].as_str()).collect())
        .unwrap_or_default();
    assert!(idents.contains(&"unpinned-uses"), "{output}");
    assert!(idents.contains(&"artipacked"), "{output}");
}

#[test]
fn the_lint_corpus_is_valid_workflow_syntax() {
    // The corpus (tests/workflows) is written like real workflows: actionlint, shellcheck off (its
    // style warnings are not the corpus's point), finds no error in any file but the deprecated
    // ::set-output one file uses on purpose.
    let Some(linters) = linters() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/workflows");
    for kind in ["clean", "broken"] {
        for entry in std::fs::read_dir(corpus.join(kind)).expect("corpus") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|x| x == "yml") {
                let name = path.file_stem().and_then(|s| s.to_str()).expect("name");
                write(
                    dir.path(),
                    name,
                    &std::fs::read_to_string(&path).expect("read"),
                );
            }
        }
    }
    std::fs::create_dir_all(dir.path().join(".git")).expect("a repository for actionlint");
    let out = linters
        .command(&linters.actionlint)
        .current_dir(dir.path())
        .args([
            "-no-color",
            "-oneline",
            "-shellcheck=",
            "-ignore",
            "set-output",
        ])
        .output()
        .expect("actionlint runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{text}");
}
