//! The three steps of the local test and the narration around them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::narrator::{Narrator, OnLine};
use super::tools::{self, Tool};
use super::{LocalTestError, Options, Report, StepKind, StepResult, Target};
use super::{index_url, now_epoch};

/// How often `pip install` is tried when the new version is not listed yet (CodeArtifact can take
/// a few seconds to list a version just published), and the pause between tries.
const INSTALL_ATTEMPTS: u32 = 3;
const INSTALL_RETRY_PAUSE: Duration = Duration::from_secs(5);

pub(super) async fn run(
    target: &Target,
    options: &Options,
    on_line: OnLine<'_>,
) -> Result<Report, LocalTestError> {
    let token = &target.token;
    // Everything that can be found missing or wrong is checked before the first step runs.
    crate::setup::validate(crate::setup::Field::PackageName, &options.package)
        .map_err(LocalTestError::Input)?;
    let python = tools::find_python(options.python.as_deref())?;
    let pip_version = tools::check_pip(&python, token).await?;
    let publish = if options.publish {
        let files = match &options.dist_dir {
            Some(dir) => Some(tools::dist_files(dir)?),
            None => None,
        };
        let (twine, twine_version) =
            tools::find_twine(options.twine.as_deref(), &python, token).await?;
        Some((twine, twine_version, files))
    } else {
        None
    };
    let tmp = tempfile::Builder::new()
        .prefix("cawiz-localtest-")
        .tempdir()
        .map_err(|e| LocalTestError::io("create a temporary directory", e))?;

    let mut narrator = Narrator::new(token, on_line);
    narrator.say(&format!("using {pip_version}"));
    if let Some((_, twine_version, _)) = &publish {
        narrator.say(&format!("using {twine_version}"));
    }
    let mut report = Report::default();

    let step = download(&mut narrator, target, &python, tmp.path(), &options.package).await?;
    let ok = step.ok;
    report.steps.push(step);
    let Some((twine, _, files)) = publish else {
        return Ok(report);
    };
    if !ok {
        return Ok(report);
    }

    let (files, probe) = match files {
        Some(files) => (files, None),
        None => {
            let (file, name, version) = build_probe(&target.repository, tmp.path())?;
            (vec![file], Some((name, version)))
        }
    };
    let dists: Vec<(String, String)> = dedup(
        files
            .iter()
            .filter_map(|f| tools::dist_name_version(&f.file_name()?.to_string_lossy())),
    );
    let step = upload(&mut narrator, target, &twine, &files, &dists).await?;
    let ok = step.ok;
    report.steps.push(step);
    if !ok {
        return Ok(report);
    }
    report.probe = probe.clone();
    report.uploaded = dists.clone();

    let step = install(&mut narrator, target, &python, tmp.path(), &dists, probe).await?;
    report.steps.push(step);
    drop(tmp);
    Ok(report)
}

/// Step 1: `pip download` of `package` through the repository (proves the upstream).
async fn download(
    n: &mut Narrator<'_, '_>,
    target: &Target,
    python: &Tool,
    tmp: &Path,
    package: &str,
) -> Result<StepResult, LocalTestError> {
    let kind = StepKind::PipDownload;
    n.begin(
        kind,
        &format!(
            "{package} through {} (proves reading through the upstream)",
            target.repository
        ),
    );
    let dest = tmp.join("download");
    std::fs::create_dir_all(&dest)
        .map_err(|e| LocalTestError::io(format!("create {}", dest.display()), e))?;
    let pip = python
        .module("pip")
        .args(["download", "--no-deps", "--no-cache-dir"])
        .args(["--disable-pip-version-check", "--progress-bar", "off"])
        .arg("--dest")
        .arg(&dest)
        .args(["--", package])
        .env("PIP_INDEX_URL", index_url(&target.endpoint, &target.token));
    let outcome = n.exec(&pip).await?;
    if !outcome.success {
        return Ok(n.finish(kind, false, &with_hint(&outcome.failure_detail())));
    }
    let mut downloaded: Vec<String> = std::fs::read_dir(&dest)
        .map_err(|e| LocalTestError::io(format!("read {}", dest.display()), e))?
        .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
        .collect();
    downloaded.sort();
    Ok(match downloaded.first() {
        Some(file) => {
            let what = tools::dist_name_version(file).map_or_else(
                || file.clone(),
                |(name, version)| format!("{name}-{version}"),
            );
            n.finish(kind, true, &format!("downloaded {what}"))
        }
        None => n.finish(kind, false, "pip reported success but downloaded no file"),
    })
}

/// Builds the probe wheel `<repository>-cawiz-probe` with a unique version in `tmp/probe`.
pub(super) fn build_probe(
    repository: &str,
    tmp: &Path,
) -> Result<(PathBuf, String, String), LocalTestError> {
    let name = tools::probe_name(repository);
    let version = format!("0.0.{}.{}", now_epoch(), rand::random::<u16>());
    let summary = format!(
        "Probe uploaded by cawiz to prove publishing to {repository} works; safe to delete"
    );
    let wheel = crate::sandbox::wheel::build_simple(&name, &version, &summary)
        .map_err(|e| LocalTestError::io("build the probe wheel", e))?;
    let dir = tmp.join("probe");
    let file = dir.join(&wheel.filename);
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&file, &wheel.bytes))
        .map_err(|e| LocalTestError::io(format!("write {}", file.display()), e))?;
    Ok((file, name, version))
}

/// Step 2: `twine upload` of `files`, the token in twine's environment only.
async fn upload(
    n: &mut Narrator<'_, '_>,
    target: &Target,
    twine: &Tool,
    files: &[PathBuf],
    dists: &[(String, String)],
) -> Result<StepResult, LocalTestError> {
    let kind = StepKind::TwineUpload;
    let what = describe(dists);
    n.begin(kind, &format!("{what} to {}", target.repository));
    let twine = twine
        .invocation()
        .args(["upload", "--non-interactive", "--disable-progress-bar"])
        .args(["--repository-url", &target.endpoint, "--"])
        .args(files)
        .env("TWINE_USERNAME", "aws")
        .env("TWINE_PASSWORD", target.token.expose());
    let outcome = n.exec(&twine).await?;
    Ok(if outcome.success {
        let count = files.len();
        let s = if count == 1 { "" } else { "s" };
        n.finish(kind, true, &format!("uploaded {what} ({count} file{s})"))
    } else {
        n.finish(kind, false, &with_hint(&outcome.failure_detail()))
    })
}

/// Step 3: a throw-away venv, `pip install` of what was uploaded, and for the probe an import.
async fn install(
    n: &mut Narrator<'_, '_>,
    target: &Target,
    python: &Tool,
    tmp: &Path,
    dists: &[(String, String)],
    probe: Option<(String, String)>,
) -> Result<StepResult, LocalTestError> {
    let kind = StepKind::PipInstall;
    n.begin(kind, &format!("{} in a throw-away venv", describe(dists)));
    let venv = tmp.join("venv");
    let outcome = n.exec(&python.module("venv").arg("--").arg(&venv)).await?;
    if !outcome.success {
        let detail = format!("cannot create a venv: {}", outcome.failure_detail());
        return Ok(n.finish(kind, false, &detail));
    }
    let venv_python = tools::venv_python(&venv);
    let pip = venv_python
        .module("pip")
        .args(["install", "--no-cache-dir"])
        .args(["--disable-pip-version-check", "--progress-bar", "off", "--"])
        .args(
            dists
                .iter()
                .map(|(name, version)| format!("{name}=={version}")),
        )
        .env("PIP_INDEX_URL", index_url(&target.endpoint, &target.token));
    let mut attempt = 1;
    loop {
        let outcome = n.exec(&pip).await?;
        if outcome.success {
            break;
        }
        let detail = outcome.failure_detail();
        if attempt >= INSTALL_ATTEMPTS || !is_not_found(&detail) {
            return Ok(n.finish(kind, false, &with_hint(&detail)));
        }
        n.say(&format!(
            "not listed yet; trying again in {} s (CodeArtifact can take a few seconds to list a \
             new version)",
            INSTALL_RETRY_PAUSE.as_secs()
        ));
        tokio::time::sleep(INSTALL_RETRY_PAUSE).await;
        attempt += 1;
    }
    let Some((name, version)) = probe else {
        return Ok(n.finish(kind, true, &format!("installed {}", describe(dists))));
    };
    let module = tools::module_name(&name);
    let code = format!("import importlib; print(importlib.import_module({module:?}).__version__)");
    let outcome = n
        .exec(&venv_python.invocation().args(["-c", &code]))
        .await?;
    Ok(match outcome.first_stdout() {
        Some(found) if outcome.success && found == version => n.finish(
            kind,
            true,
            &format!("installed {name} {version}; import {module} gives __version__ {found}"),
        ),
        Some(found) if outcome.success => n.finish(
            kind,
            false,
            &format!(
                "installed {name}, but import {module} gives __version__ {found}, not {version}"
            ),
        ),
        _ => n.finish(
            kind,
            false,
            &format!(
                "installed {name}, but cannot import {module}: {}",
                outcome.failure_detail()
            ),
        ),
    })
}

/// `a 1.0, b 2.0`.
fn describe(dists: &[(String, String)]) -> String {
    if dists.is_empty() {
        return "the distributions".to_owned();
    }
    dists
        .iter()
        .map(|(name, version)| format!("{name} {version}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn dedup(items: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

fn is_not_found(detail: &str) -> bool {
    detail.contains("No matching distribution") || detail.contains("Could not find a version")
}

/// Whether `detail` names the HTTP status `code` as a number of its own (not inside another
/// number, such as a loopback port `127.0.0.1:37403`).
fn names_status(detail: &str, code: &str) -> bool {
    detail.match_indices(code).any(|(at, _)| {
        let before = detail[..at].chars().next_back();
        let after = detail[at + code.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// `detail` with what it most likely means, for the HTTP statuses people meet here.
pub(super) fn with_hint(detail: &str) -> String {
    let hint = if names_status(detail, "401") || detail.contains("Unauthorized") {
        Some("the token is wrong or has expired: get a new one")
    } else if names_status(detail, "403") || detail.contains("Forbidden") {
        Some(
            "the identity lacks a CodeArtifact permission, or package origin controls block this \
             package",
        )
    } else if names_status(detail, "409") || detail.contains("Conflict") {
        Some("this version already exists in the repository: bump the version")
    } else if is_not_found(detail) {
        Some(
            "no such package or version through this repository (check the upstream) — or the \
             token is wrong or expired: CodeArtifact may answer 404 instead of 401, so get a fresh \
             token first",
        )
    } else {
        None
    };
    match hint {
        Some(hint) => format!("{detail} — {hint}"),
        None => detail.to_owned(),
    }
}
