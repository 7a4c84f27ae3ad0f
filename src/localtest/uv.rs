//! The local test with uv: the repository as uv's default index named `codeartifact`
//! (`UV_DEFAULT_INDEX`), its credentials in `UV_INDEX_CODEARTIFACT_USERNAME`/`_PASSWORD`, the upload
//! in `UV_PUBLISH_URL`/`UV_PUBLISH_USERNAME=aws`/`UV_PUBLISH_PASSWORD`: all in uv's environment
//! only, with no configuration file read (`UV_NO_CONFIG`) and a temporary cache and home. Then
//! `uv pip install --target` of a public package through the upstream and, when asked,
//! `uv publish` of the probe wheel.

use std::path::Path;

use super::client_report::ClientReport;
use super::narrator::{Narrator, OnLine};
use super::process::{Invocation, Outcome};
use super::steps::{build_probe, with_hint};
use super::temp::{scratch, subdir};
use super::tools::Tool;
use super::{LocalTestError, Options, StepKind, StepResult, Target};

/// The name the repository has as uv's index (and so in its credential variables).
pub(super) const INDEX_NAME: &str = "codeartifact";

/// uv's index: `codeartifact=ENDPOINT/simple/`, no credentials in it.
pub(super) fn default_index(endpoint: &str) -> String {
    let slash = if endpoint.ends_with('/') { "" } else { "/" };
    format!("{INDEX_NAME}={endpoint}{slash}simple/")
}

/// What every uv child gets: no configuration file, no Python downloads, no keyring, no
/// progress bars, a cache and a home of its own.
fn base(tool: &Tool, tmp: &Path) -> Invocation {
    tool.invocation()
        .env("UV_NO_CONFIG", "1")
        .env("UV_CACHE_DIR", tmp.join("cache").display().to_string())
        .env("HOME", tmp.join("home").display().to_string())
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("UV_KEYRING_PROVIDER", "disabled")
        .env("UV_NO_PROGRESS", "1")
}

/// The variables that make the repository uv's only index.
pub(super) fn index_env(target: &Target) -> Vec<(&'static str, String)> {
    vec![
        ("UV_DEFAULT_INDEX", default_index(&target.endpoint)),
        ("UV_INDEX_CODEARTIFACT_USERNAME", "aws".to_owned()),
        (
            "UV_INDEX_CODEARTIFACT_PASSWORD",
            target.token.expose().to_owned(),
        ),
    ]
}

/// The variables `uv publish` uploads with.
pub(super) fn publish_env(target: &Target) -> Vec<(&'static str, String)> {
    vec![
        ("UV_PUBLISH_URL", target.endpoint.clone()),
        ("UV_PUBLISH_USERNAME", "aws".to_owned()),
        ("UV_PUBLISH_PASSWORD", target.token.expose().to_owned()),
    ]
}

fn with_env(mut invocation: Invocation, env: Vec<(&'static str, String)>) -> Invocation {
    invocation.env.extend(env);
    invocation
}

/// One line saying why uv failed: its `error:` and `hint:` lines.
pub(super) fn failure(outcome: &Outcome) -> String {
    let lines: Vec<&str> = outcome
        .stderr
        .iter()
        .map(|l| l.trim())
        .filter(|l| {
            l.starts_with("error:") || l.starts_with("hint:") || l.starts_with("Caused by:")
        })
        .take(3)
        .collect();
    if lines.is_empty() {
        outcome.failure_detail()
    } else {
        lines.join(" ")
    }
}

pub(super) async fn run(
    tool: &Tool,
    target: &Target,
    options: &Options,
    on_line: OnLine<'_>,
) -> Result<ClientReport, LocalTestError> {
    let tmp = scratch("cawiz-uv-")?;
    subdir(tmp.path(), "home")?;
    let mut n = Narrator::new(&target.token, on_line);
    let mut report = ClientReport::default();
    let step = install(&mut n, tool, tmp.path(), target, options).await?;
    let ok = step.ok;
    report.steps.push(step);
    if !ok || !options.publish {
        return Ok(report);
    }
    let (file, name, version) = build_probe(&target.repository, tmp.path())?;
    let step = publish(&mut n, tool, tmp.path(), target, &file, &name, &version).await?;
    if step.ok {
        report.uploaded.push((name, version));
    }
    report.steps.push(step);
    drop(tmp);
    Ok(report)
}

async fn install(
    n: &mut Narrator<'_, '_>,
    tool: &Tool,
    tmp: &Path,
    target: &Target,
    options: &Options,
) -> Result<StepResult, LocalTestError> {
    let kind = StepKind::UvInstall;
    let package = &options.package;
    n.begin(
        kind,
        &format!(
            "{package} through {} (proves reading through the upstream)",
            target.repository
        ),
    );
    let dest = subdir(tmp, "target")?;
    let mut invocation = base(tool, tmp)
        .args(["pip", "install", "--no-deps", "--target"])
        .arg(&dest);
    if let Some(python) = &options.python {
        invocation = invocation.arg("--python").arg(python);
    }
    let invocation = with_env(invocation.args(["--", package.as_str()]), index_env(target));
    let outcome = n.exec(&invocation).await?;
    if !outcome.success {
        return Ok(n.finish(kind, false, &with_hint(&failure(&outcome))));
    }
    Ok(match installed(&dest, package) {
        Some(version) => n.finish(kind, true, &format!("installed {package} {version}")),
        None => n.finish(
            kind,
            false,
            &format!("uv reported success but {package} is not in the target directory"),
        ),
    })
}

/// The version of `package` installed in `dir` (its `NAME-VERSION.dist-info`).
fn installed(dir: &Path, package: &str) -> Option<String> {
    let wanted = crate::setup::rules::normalize_package_name(package);
    std::fs::read_dir(dir).ok()?.find_map(|entry| {
        let name = entry.ok()?.file_name().to_string_lossy().into_owned();
        let (dist, version) = name.strip_suffix(".dist-info")?.rsplit_once('-')?;
        (crate::setup::rules::normalize_package_name(dist) == wanted).then(|| version.to_owned())
    })
}

async fn publish(
    n: &mut Narrator<'_, '_>,
    tool: &Tool,
    tmp: &Path,
    target: &Target,
    file: &Path,
    name: &str,
    version: &str,
) -> Result<StepResult, LocalTestError> {
    let kind = StepKind::UvPublish;
    n.begin(kind, &format!("{name} {version} to {}", target.repository));
    let invocation = with_env(
        base(tool, tmp).args(["publish", "--"]).arg(file),
        publish_env(target),
    );
    let outcome = n.exec(&invocation).await?;
    Ok(n.published(kind, &outcome, |o| with_hint(&failure(o)), (name, version)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::localtest::Secret;

    fn target() -> Target {
        Target {
            endpoint: "https://o-1.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/".to_owned(),
            token: Secret::new("tok-SECRET"),
            expires_at: None,
            repository: "widgets".to_owned(),
        }
    }

    #[test]
    fn the_repository_is_the_default_index_with_credentials_apart() {
        let env = index_env(&target());
        assert_eq!(
            env[0],
            (
                "UV_DEFAULT_INDEX",
                "codeartifact=https://o-1.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/simple/"
                    .to_owned()
            )
        );
        assert!(!env[0].1.contains("SECRET"), "no token in the index URL");
        assert!(env.contains(&("UV_INDEX_CODEARTIFACT_USERNAME", "aws".to_owned())));
        assert!(env.contains(&("UV_INDEX_CODEARTIFACT_PASSWORD", "tok-SECRET".to_owned())));
        let publish = publish_env(&target());
        assert!(publish.contains(&(
            "UV_PUBLISH_URL",
            "https://o-1.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/".to_owned()
        )));
        assert!(publish.contains(&("UV_PUBLISH_USERNAME", "aws".to_owned())));
        assert!(publish.contains(&("UV_PUBLISH_PASSWORD", "tok-SECRET".to_owned())));
    }

    #[test]
    fn uv_reads_no_configuration_and_the_token_is_never_an_argument() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let tool = Tool::new(std::path::PathBuf::from("/usr/bin/uv"));
        let invocation = with_env(
            base(&tool, tmp.path()).args(["pip", "install", "--", "six"]),
            index_env(&target()),
        );
        assert!(invocation.env.contains(&("UV_NO_CONFIG", "1".to_owned())));
        assert!(
            invocation
                .args
                .iter()
                .all(|a| !a.to_string_lossy().contains("SECRET"))
        );
        assert!(!invocation.display(&target().token).contains("SECRET"));
    }

    #[test]
    fn the_installed_version_comes_from_the_dist_info() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(tmp.path().join("six-1.17.0.dist-info")).expect("dir");
        std::fs::create_dir(tmp.path().join("six")).expect("dir");
        assert_eq!(installed(tmp.path(), "six").as_deref(), Some("1.17.0"));
        assert_eq!(installed(tmp.path(), "Six").as_deref(), Some("1.17.0"));
        assert_eq!(installed(tmp.path(), "requests"), None);
    }
}
