//! cawiz run inside a hostile clone (issue 22, items 1, 6 and 8): Python packages named like the
//! tools cawiz runs (`pip/`, `twine/`, `venv/`, `sitecustomize.py`) that write a marker when
//! imported, a pyproject.toml whose name is a pip option, a git configuration that names programs
//! to run, and `--write-pip-config` watched through a Python that records its argv. Against the
//! sandbox, with the venv's real pip and twine (skipped without them).

mod common;

use std::path::{Path, PathBuf};

use cawiz::localtest;
use common::cli::{Cli, assert_ok, text};

/// The modules a clone can plant to shadow what cawiz runs with `python -m`, and the files
/// Python imports on its own at start-up.
const SHADOWS: &[&str] = &[
    "pip/__init__.py",
    "pip/__main__.py",
    "twine/__init__.py",
    "twine/__main__.py",
    "venv/__init__.py",
    "venv/__main__.py",
    "ensurepip/__init__.py",
    "ensurepip/__main__.py",
    "sitecustomize.py",
    "usercustomize.py",
    "six.py",
    "widgets_cawiz_probe/__init__.py",
];

/// Plants every [`SHADOWS`] module in `clone`: importing one writes `clone/PWNED-<name>`.
fn plant_shadows(clone: &Path) {
    for module in SHADOWS {
        let path = clone.join(module);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        let marker = clone.join(format!("PWNED-{}", module.replace('/', "-")));
        let code = format!(
            "import pathlib\npathlib.Path({:?}).write_text('imported from the clone')\n",
            marker.display().to_string()
        );
        std::fs::write(&path, code).expect("write a shadow module");
    }
}

/// The markers the clone's code left (none when nothing of it ran).
fn markers(clone: &Path) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(clone)
        .expect("read the clone")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("PWNED"))
        .collect();
    found.sort();
    found
}

/// The complete sandbox setup for octo-org/widgets, run from a git working tree.
async fn clone_with_setup(sb: &cawiz_sandbox::SandboxHandle) -> Option<Cli> {
    let cli = Cli::new(sb);
    cli.python.as_ref()?;
    common::git_init(cli.dir.path());
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    Some(cli)
}

#[tokio::test(flavor = "multi_thread")]
async fn python_children_import_nothing_from_the_clone() {
    let sb = common::start_sandbox("complete").await;
    let Some(cli) = clone_with_setup(&sb).await else {
        return;
    };
    let clone = cli.dir.path();
    plant_shadows(clone);
    // No twine on PATH: cawiz falls back to `python -m twine`, which a `twine/` here would shadow.
    let path = [("PATH", "/usr/bin:/bin")];

    let out = cli
        .run_with(&cli.with_python(&["test", "--publish"]), &path)
        .await;
    assert_eq!(markers(clone), Vec::<String>::new(), "{}", text(&out));
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(" -I "), "Python runs isolated: {stdout}");
    assert!(stdout.contains(" -m twine upload "), "{stdout}");

    let out = cli
        .run_with(&cli.with_python(&["test", "--as-role"]), &path)
        .await;
    assert_eq!(markers(clone), Vec::<String>::new(), "{}", text(&out));
    assert_ok(&out);

    let out = cli
        .run_with(&cli.with_python(&["doctor", "not-found", "--json"]), &path)
        .await;
    assert_eq!(markers(clone), Vec::<String>::new(), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("doctor --json ({e}): {}", text(&out)));
    assert!(
        !doc.to_string().contains("imported from the clone"),
        "{doc:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_package_name_that_is_a_pip_option_never_reaches_pip() {
    let sb = common::start_sandbox("complete").await;
    let Some(cli) = clone_with_setup(&sb).await else {
        return;
    };
    let clone = cli.dir.path();
    let log = |name: &str| clone.join(name);

    // pyproject.toml's name, read by the doctor for `pip index versions NAME`.
    let doctor_log = log("pip-doctor.log");
    std::fs::write(
        clone.join("pyproject.toml"),
        format!(
            "[project]\nname = \"--log={}\"\nversion = \"1.0\"\n",
            doctor_log.display()
        ),
    )
    .expect("write pyproject.toml");
    let out = cli
        .run(&cli.with_python(&["doctor", "not-found", "--json"]))
        .await;
    assert!(
        !doctor_log.exists(),
        "pip took the name as --log: {}",
        text(&out)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("doctor --json ({e}): {}", text(&out)));
    let notes = doc["notes"].to_string();
    assert!(
        notes.contains("pyproject.toml") && notes.contains("not a valid package name"),
        "the doctor says why it ignored the name: {doc:#}"
    );
    assert_eq!(doc["package"], "widgets", "the repository's name instead");

    // --package, for the local test and for the doctor: refused at the flag, before anything runs.
    for (command, file) in [("test", "pip-test.log"), ("doctor", "pip-flag.log")] {
        let flag = format!("--package=--log={}", log(file).display());
        let out = cli.run(&cli.with_python(&[command, &flag])).await;
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--package") && stderr.contains("PEP 508"),
            "{command}: {stderr}"
        );
        assert!(!log(file).exists(), "{command}: {}", text(&out));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_local_test_and_pips_view_refuse_a_name_that_is_an_option() {
    let t = localtest::Target {
        endpoint: "http://127.0.0.1:9/octo-org-123456789012/pypi/widgets/".to_owned(),
        token: localtest::Secret::new("cawizsbx.offline-token"),
        expires_at: None,
        repository: "widgets".to_owned(),
    };
    let opts = localtest::Options {
        package: "--log=/tmp/cawiz-pip.log".to_owned(),
        python: Some(PathBuf::from("/nonexistent/python3")),
        ..localtest::Options::default()
    };
    let mut lines = Vec::new();
    let result = localtest::run(&t, &opts, |line| lines.push(line)).await;
    match result {
        Err(e @ localtest::LocalTestError::Input(_)) => {
            let text = e.to_string();
            assert!(text.starts_with("package name \"--log="), "{text}");
            assert!(text.contains("PEP 508"), "{text}");
        }
        other => panic!("refused before looking for Python: {other:?}"),
    }
    assert!(lines.is_empty());

    // The doctor's view of pip: refused before pip (or even Python) is looked for.
    let view = localtest::pip_view(Some(Path::new("/nonexistent/python3")), "-r/etc/passwd").await;
    assert_eq!(view.versions, None);
    let why = view.index_url.expect_err("not run");
    assert!(why.contains("PEP 508"), "{why}");
}

/// A Python that records each run's argv and working directory in `log`, then runs `python`.
#[cfg(unix)]
fn recording_python(dir: &Path, python: &Path, log: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = dir.join("recording-python");
    let script = format!(
        "#!/bin/sh\nprintf 'ARGV %s\\n' \"$*\" >> '{log}'\nprintf 'CWD %s\\n' \"$(pwd)\" >> '{log}'\nexec '{python}' \"$@\"\n",
        log = log.display(),
        python = python.display()
    );
    std::fs::write(&path, script).expect("write the recording python");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn write_pip_config_keeps_the_token_out_of_argv_and_the_file_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let sb = common::start_sandbox("complete").await;
    let Some(cli) = clone_with_setup(&sb).await else {
        return;
    };
    let clone = cli.dir.path();
    let tools = tempfile::tempdir().expect("tempdir");
    let log = tools.path().join("argv.log");
    let python = recording_python(tools.path(), cli.python.as_deref().expect("python"), &log);
    // What the user had: kept, except the index it replaces.
    let conf = clone.join("home/.config/pip/pip.conf");
    std::fs::create_dir_all(conf.parent().expect("a parent")).expect("mkdir");
    std::fs::write(
        &conf,
        "# mine\n[global]\ntimeout = 60\nindex_url = https://old.example/simple/\n[install]\nno-compile = yes\n",
    )
    .expect("seed pip.conf");
    std::fs::set_permissions(&conf, std::fs::Permissions::from_mode(0o644)).expect("chmod");

    let python_arg = python.display().to_string();
    let out = cli
        .run(&[
            "test",
            "--write-pip-config",
            "--yes",
            "--python",
            &python_arg,
        ])
        .await;
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("expires in"), "the warning stays: {stdout}");

    let written = std::fs::read_to_string(&conf).expect("pip.conf");
    let mode = std::fs::metadata(&conf).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{written}");
    let token = written
        .split("aws:")
        .nth(1)
        .and_then(|rest| rest.split('@').next())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| panic!("a token in the index URL: {written}"));
    assert!(
        written.starts_with("# mine\n[global]\nindex-url = http://aws:"),
        "{written}"
    );
    assert!(
        written.contains("timeout = 60\n[install]\nno-compile = yes\n"),
        "{written}"
    );
    assert!(!written.contains("old.example"), "{written}");
    assert!(!stdout.contains(token), "{stdout}");

    let logged = std::fs::read_to_string(&log).expect("argv log");
    assert!(
        logged.lines().any(|l| l.contains("-m pip config")),
        "{logged}"
    );
    let issued = sb.issued_tokens();
    assert!(issued.iter().any(|t| t == token), "{issued:?}");
    for line in logged.lines() {
        for token in &issued {
            assert!(
                !line.contains(token.as_str()),
                "a token in a child's argv: {line}"
            );
        }
        if let Some(cwd) = line.strip_prefix("CWD ") {
            assert_ne!(Path::new(cwd), clone, "a child ran in the clone: {logged}");
        }
    }
}
