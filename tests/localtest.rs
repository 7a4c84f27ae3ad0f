//! The local test (SPEC item 7) against the sandbox with the real pip and twine of the project's
//! venv: a token and endpoint from the real SDK, then `cawiz::localtest::run`. Every test also
//! checks that the token appears nowhere in what was streamed or returned.

mod common;

use std::path::{Path, PathBuf};

use aws_sdk_codeartifact::types::PackageFormat;
use cawiz::localtest::{
    self, Line, LocalTestError, Options, Report, Secret, StepKind, Target, expiry_text, now_epoch,
};
use cawiz_sandbox::SandboxHandle;

async fn target(sb: &SandboxHandle, domain: &str, repo: &str) -> Target {
    let ca = common::codeartifact(sb.url());
    let endpoint = ca
        .get_repository_endpoint()
        .domain(domain)
        .repository(repo)
        .format(PackageFormat::Pypi)
        .send()
        .await
        .expect("GetRepositoryEndpoint")
        .repository_endpoint
        .expect("an endpoint");
    let token = ca
        .get_authorization_token()
        .domain(domain)
        .send()
        .await
        .expect("GetAuthorizationToken");
    Target {
        endpoint,
        token: Secret::new(token.authorization_token.expect("a token")),
        expires_at: token.expiration.map(|t| t.secs()),
        repository: repo.to_owned(),
    }
}

/// Options using the venv's python and twine (None: skipped, CAWIZ_SKIP_PYTHON_TESTS=1).
fn options(publish: bool) -> Option<Options> {
    Some(Options {
        publish,
        python: Some(common::python_tool("python")?),
        twine: Some(common::python_tool("twine")?),
        ..Options::default()
    })
}

/// Runs the local test, collecting every streamed line.
async fn run(target: &Target, options: &Options) -> (Result<Report, LocalTestError>, Vec<Line>) {
    let mut lines = Vec::new();
    let result = localtest::run(target, options, |line| lines.push(line)).await;
    (result, lines)
}

fn transcript(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| format!("{l:?}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Nothing streamed or returned (report, its JSON, error) holds the token in any form.
fn assert_token_hidden(token: &str, result: &Result<Report, LocalTestError>, lines: &[Line]) {
    let encoded = urlencoding::encode(token).into_owned();
    let mut everything = transcript(lines);
    match result {
        Ok(report) => {
            everything.push_str(&format!("{report:?}"));
            everything.push_str(&serde_json::to_string(report).expect("json"));
        }
        Err(e) => everything.push_str(&format!("{e} {e:?}")),
    }
    assert!(
        !everything.contains(token) && !everything.contains(&encoded),
        "the token leaked:\n{everything}"
    );
}

fn report(result: Result<Report, LocalTestError>, lines: &[Line]) -> Report {
    result.unwrap_or_else(|e| panic!("local test error: {e}\n{}", transcript(lines)))
}

/// Runs the local test and checks that the token stayed hidden; the report (it must be one) and
/// the streamed lines.
async fn run_hidden(target: &Target, options: &Options) -> (Report, Vec<Line>) {
    let (result, lines) = run(target, options).await;
    assert_token_hidden(target.token.expose(), &result, &lines);
    (report(result, &lines), lines)
}

fn kinds(report: &Report) -> Vec<StepKind> {
    report.steps.iter().map(|s| s.kind).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_through_the_upstream_passes() {
    let Some(opts) = options(false) else { return };
    let sb = common::start_sandbox("complete").await;
    let t = target(&sb, "octo-org", "widgets").await;
    let (r, lines) = run_hidden(&t, &opts).await;

    assert!(r.passed(), "{r:#?}\n{}", transcript(&lines));
    assert_eq!(kinds(&r), [StepKind::PipDownload]);
    let step = &r.steps[0];
    assert_eq!(step.detail, "downloaded six-1.17.0");
    assert!(
        step.command
            .starts_with("PIP_INDEX_URL='http://aws:****@127.0.0.1:"),
        "{}",
        step.command
    );
    assert!(step.command.contains(" -m pip download --no-deps "));
    assert!(step.command.ends_with(" six"), "{}", step.command);
    assert!(r.probe.is_none() && r.uploaded.is_empty());
    assert!(matches!(&lines[0], Line::Step(s) if s.starts_with("using pip ")));
    assert!(
        lines
            .iter()
            .any(|l| matches!(l, Line::Stdout(s) if s.contains("six-1.17.0"))),
        "{}",
        transcript(&lines)
    );
    assert!(sb.calls().get("PypiDownload").copied().unwrap_or(0) >= 1);
    assert_eq!(sb.calls().get("PypiUpload"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_uploads_a_probe_that_codeartifact_lists_and_pip_installs() {
    let Some(opts) = options(true) else { return };
    let sb = common::start_sandbox("complete").await;
    let t = target(&sb, "octo-org", "widgets").await;
    let (r, lines) = run_hidden(&t, &opts).await;

    assert!(r.passed(), "{r:#?}\n{}", transcript(&lines));
    assert_eq!(
        kinds(&r),
        [
            StepKind::PipDownload,
            StepKind::TwineUpload,
            StepKind::PipInstall
        ]
    );
    let (name, version) = r.probe.clone().expect("a probe");
    assert_eq!(name, "widgets-cawiz-probe");
    assert!(version.starts_with("0.0."), "{version}");
    assert_eq!(r.uploaded, vec![(name.clone(), version.clone())]);

    let upload = &r.steps[1];
    assert!(
        upload
            .command
            .starts_with("TWINE_USERNAME=aws TWINE_PASSWORD='****' ")
    );
    assert!(upload.command.contains(" upload --non-interactive "));
    assert!(upload.detail.contains(&version), "{}", upload.detail);
    let install = &r.steps[2];
    assert!(install.command.contains(" -m venv "), "{}", install.command);
    assert!(
        install.detail.contains(&format!("__version__ {version}")),
        "{}",
        install.detail
    );

    let listed = common::codeartifact(sb.url())
        .list_package_versions()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Pypi)
        .package(&name)
        .send()
        .await
        .expect("ListPackageVersions");
    let versions: Vec<(&str, Option<&str>)> = listed
        .versions()
        .iter()
        .map(|v| {
            let origin = v.origin().and_then(|o| o.origin_type()).map(|o| o.as_str());
            (v.version(), origin)
        })
        .collect();
    assert_eq!(versions, [(version.as_str(), Some("INTERNAL"))]);
    assert_eq!(sb.calls().get("PypiUpload").copied(), Some(1));

    // A second run uploads a new probe version: no conflict.
    let (again, lines) = run(&t, &opts).await;
    let again = report(again, &lines);
    assert!(again.passed(), "{again:#?}");
    assert_ne!(again.probe.expect("probe").1, version);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_uploads_the_dist_dir_and_installs_it() {
    let Some(mut opts) = options(true) else {
        return;
    };
    let sb = common::start_sandbox("complete").await;
    let t = target(&sb, "octo-org", "widgets").await;
    let dist = tempfile::tempdir().expect("tempdir");
    let wheel = cawiz_sandbox::wheel::build_simple("Widgets_Core", "2.1.0", "core").expect("wheel");
    std::fs::write(dist.path().join(&wheel.filename), &wheel.bytes).expect("write");
    std::fs::write(dist.path().join("notes.txt"), "not a distribution").expect("write");
    opts.dist_dir = Some(dist.path().to_path_buf());

    let (r, lines) = run_hidden(&t, &opts).await;
    assert!(r.passed(), "{r:#?}\n{}", transcript(&lines));
    assert_eq!(r.probe, None);
    assert_eq!(
        r.uploaded,
        vec![("widgets-core".to_owned(), "2.1.0".to_owned())]
    );
    assert!(
        r.steps[1].command.ends_with(".whl"),
        "{}",
        r.steps[1].command
    );
    assert!(!r.steps[1].command.contains("notes.txt"));
    assert_eq!(r.steps[2].detail, "installed widgets-core 2.1.0");

    // The same files again: the version exists, twine fails with 409 and the run stops there.
    let (result, lines) = run(&t, &opts).await;
    let r = report(result, &lines);
    assert!(!r.passed());
    assert_eq!(kinds(&r), [StepKind::PipDownload, StepKind::TwineUpload]);
    assert!(
        r.steps[1].detail.contains("409"),
        "{}\n{}",
        r.steps[1].detail,
        transcript(&lines)
    );
    assert!(r.steps[1].detail.contains("bump the version"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_fails_the_first_step_and_stays_hidden() {
    let Some(opts) = options(true) else { return };
    let sb = common::start_sandbox("complete").await;
    let mut t = target(&sb, "octo-org", "widgets").await;
    let wrong = "cawizsbx.WrongToken-4711";
    t.token = Secret::new(wrong);
    let (r, lines) = run_hidden(&t, &opts).await;

    assert!(!r.passed());
    assert_eq!(
        kinds(&r),
        [StepKind::PipDownload],
        "the run stops at the failure"
    );
    let step = &r.steps[0];
    assert!(!step.ok);
    assert!(step.detail.contains("401"), "{}", step.detail);
    assert!(step.detail.contains("expired"), "a hint: {}", step.detail);
    assert!(!step.detail.contains('\n'));
    assert_eq!(sb.calls().get("PypiUpload"), None);
    assert!(
        lines
            .iter()
            .any(|l| matches!(l, Line::Step(s) if s.starts_with("pip download failed: "))),
        "{}",
        transcript(&lines)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_fails_the_first_step() {
    let Some(opts) = options(false) else { return };
    let sb = common::start_sandbox("complete").await;
    let t = target(&sb, "octo-org", "widgets").await;
    let expires = t.expires_at.expect("an expiry");
    assert!(expiry_text(Some(expires), now_epoch()).starts_with("expires in 1"));
    sb.advance_clock(std::time::Duration::from_secs(13 * 3600));
    let (r, _) = run_hidden(&t, &opts).await;
    assert!(!r.passed());
    assert!(r.steps[0].detail.contains("401"), "{}", r.steps[0].detail);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_answered_with_404_gets_the_token_hint() {
    let Some(opts) = options(false) else { return };
    let sb = common::start_sandbox_with_faults("complete", &["PypiBadToken=404"]).await;
    let t = target(&sb, "octo-org", "widgets").await;
    sb.advance_clock(std::time::Duration::from_secs(13 * 3600));
    let (r, _) = run_hidden(&t, &opts).await;
    assert!(!r.passed());
    let detail = &r.steps[0].detail;
    let failure = detail.split(" — ").next().unwrap_or_default();
    assert!(
        failure.contains("No matching distribution") && !failure.contains("401"),
        "CodeArtifact answered 404: {detail}"
    );
    assert!(detail.contains("404 instead of 401"), "{detail}");
    assert!(detail.contains("fresh token"), "{detail}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_package_fails_cleanly() {
    let Some(mut opts) = options(true) else {
        return;
    };
    opts.package = "cawiz-no-such-package".to_owned();
    let sb = common::start_sandbox("complete").await;
    let t = target(&sb, "octo-org", "widgets").await;
    let (r, _) = run_hidden(&t, &opts).await;
    assert!(!r.passed());
    assert_eq!(kinds(&r), [StepKind::PipDownload]);
    let detail = &r.steps[0].detail;
    assert!(
        detail.contains("No matching distribution found for cawiz-no-such-package"),
        "{detail}"
    );
    assert!(detail.contains("check the upstream"), "{detail}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_upstream_the_download_fails() {
    let Some(opts) = options(false) else { return };
    let sb = common::start_sandbox("guide").await;
    let t = target(&sb, "acme-geo", "earth-polychromatic-api").await;
    let (r, _) = run_hidden(&t, &opts).await;
    assert!(!r.passed());
    assert!(r.steps[0].detail.contains("No matching distribution"));
}

fn offline_target() -> Target {
    Target {
        endpoint: "http://127.0.0.1:9/octo-org-123456789012/pypi/widgets/".to_owned(),
        token: Secret::new("cawizsbx.offline-token"),
        expires_at: None,
        repository: "widgets".to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_tools_and_bad_dist_dirs_are_errors_before_any_step() {
    let t = offline_target();
    let no_python = Options {
        python: Some(PathBuf::from("/nonexistent/python3")),
        ..Options::default()
    };
    let (result, lines) = run(&t, &no_python).await;
    match result {
        Err(LocalTestError::ToolNotFound { tool, install }) => {
            assert_eq!(tool, "Python");
            assert!(install.contains("/nonexistent/python3"), "{install}");
        }
        other => panic!("{other:?}"),
    }
    assert!(lines.is_empty());

    let Some(mut opts) = options(true) else {
        return;
    };
    opts.twine = Some(PathBuf::from("/nonexistent/twine"));
    let (result, lines) = run(&t, &opts).await;
    match result {
        Err(e @ LocalTestError::ToolNotFound { .. }) => {
            let text = e.to_string();
            assert!(text.starts_with("twine not found"), "{text}");
            assert!(text.contains("python3 -m pip install twine"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    assert!(lines.is_empty(), "{}", transcript(&lines));

    let Some(mut opts) = options(true) else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, reason) in [
        (dir.path().join("missing"), "does not exist"),
        (dir.path().to_path_buf(), "holds no wheel or sdist"),
    ] {
        opts.dist_dir = Some(path.clone());
        let (result, lines) = run(&t, &opts).await;
        match result {
            Err(e @ LocalTestError::BadDistDir { .. }) => {
                let text = e.to_string();
                assert!(text.contains(&path.display().to_string()), "{text}");
                assert!(text.contains(reason), "{text}");
            }
            other => panic!("{other:?}"),
        }
        assert!(lines.is_empty(), "{}", transcript(&lines));
    }
}

/// A stand-in for python or twine: logs its argv, its working directory and its whole environment
/// to `log`, and acts just enough like the real tool for the run to reach the next step.
#[cfg(unix)]
fn fake_tool(dir: &Path, name: &str, log: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let script = format!(
        r#"#!/bin/sh
log='{log}'
echo "ARGV $*" >> "$log"
echo "CWD $(pwd)" >> "$log"
env | sed 's/^/ENV /' >> "$log"
case "$*" in
  "-I -u -m pip --version") echo "pip 99.0 from /fake (python 3.99)";;
  "--version") echo "twine version 99.0";;
  "-I -u -m pip download"*)
    prev=""
    for a in "$@"; do
      [ "$prev" = "--dest" ] && : > "$a/six-1.17.0-py3-none-any.whl"
      prev="$a"
    done;;
  "upload"*) echo "Uploading distributions to fake";;
  "-I -u -m venv"*) echo "Error: fake python has no venv" >&2; exit 1;;
esac
"#,
        log = log.display()
    );
    let path = dir.join(name);
    std::fs::write(&path, script).expect("write fake tool");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_travels_in_the_environment_never_in_argv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("log");
    let opts = Options {
        publish: true,
        python: Some(fake_tool(dir.path(), "python", &log)),
        twine: Some(fake_tool(dir.path(), "twine", &log)),
        ..Options::default()
    };
    let t = offline_target();
    let token = t.token.expose();
    let (r, _) = run_hidden(&t, &opts).await;
    let logged = std::fs::read_to_string(&log).expect("log");

    // Step 3 fails (no venv in the fake): a failed step, not an error, and the run ends.
    assert_eq!(
        kinds(&r),
        [
            StepKind::PipDownload,
            StepKind::TwineUpload,
            StepKind::PipInstall
        ]
    );
    assert!(r.steps[0].ok && r.steps[1].ok && !r.steps[2].ok, "{r:#?}");
    assert_eq!(
        r.steps[2].detail,
        "cannot create a venv: Error: fake python has no venv"
    );

    for line in logged.lines().filter(|l| l.starts_with("ARGV ")) {
        assert!(!line.contains(token), "token in argv: {line}");
    }
    // Each run: its own directory, never this one; the token only where it is needed.
    let runs: Vec<&str> = logged.split("ARGV ").skip(1).collect();
    assert_eq!(runs.len(), 5, "{logged}");
    let here = std::env::current_dir().expect("cwd");
    for run in &runs {
        let argv = run.lines().next().unwrap_or_default();
        let cwd = run
            .lines()
            .find_map(|l| l.strip_prefix("CWD "))
            .expect("a working directory");
        assert_ne!(Path::new(cwd), here, "{argv} ran here");
        assert_ne!(Path::new(cwd), dir.path(), "{argv} ran beside the tools");
        let needs_token = argv.contains("-m pip download") || argv.starts_with("upload ");
        assert_eq!(run.contains(token), needs_token, "{argv}:\n{run}");
        for unwanted in ["ENV CARGO", "ENV RUST", "ENV AWS_", "ENV GITHUB_TOKEN"] {
            assert!(!run.contains(unwanted), "{argv} got {unwanted}:\n{run}");
        }
    }
    assert!(
        logged.contains("ARGV -I -u -m pip download --no-deps --no-cache-dir --disable-pip-version-check --progress-bar off --dest "),
        "{logged}"
    );
    assert!(logged.contains("/download -- six\n"), "{logged}");
    let index = format!("ENV PIP_INDEX_URL=http://aws:{token}@127.0.0.1:9/");
    assert!(logged.contains(&index), "{logged}");
    assert!(logged.contains("ENV PIP_CONFIG_FILE=/dev/null"), "{logged}");
    assert!(
        logged.contains(&format!("ENV TWINE_PASSWORD={token}")),
        "{logged}"
    );
    assert!(logged.contains("ENV TWINE_USERNAME=aws"), "{logged}");
    assert!(
        logged.contains("ARGV upload --non-interactive --disable-progress-bar --repository-url http://127.0.0.1:9/octo-org-123456789012/pypi/widgets/ -- /"),
        "{logged}"
    );
    assert!(logged.contains("widgets_cawiz_probe-0.0."), "{logged}");
}
