//! The local test with poetry: a temporary project whose only package source is the repository
//! (`[[tool.poetry.source]] codeartifact`, priority primary, no credentials in it), poetry's
//! configuration, cache and data in temporary directories (`POETRY_CONFIG_DIR`,
//! `POETRY_CACHE_DIR`, `POETRY_DATA_DIR`), the credentials in `POETRY_HTTP_BASIC_CODEARTIFACT_*`
//! and the upload URL in `POETRY_REPOSITORIES_CODEARTIFACT_URL`: all in poetry's environment only.
//! Then `poetry add --lock` of a public package (resolved through the upstream) and, when asked,
//! `poetry publish --build -r codeartifact` of a probe project.

use std::path::Path;

use super::client_report::ClientReport;
use super::narrator::{Narrator, OnLine};
use super::process::{Invocation, Outcome};
use super::steps::with_hint;
use super::temp::{scratch, subdir, write_new};
use super::tools::{Tool, module_name, probe_name};
use super::{LocalTestError, Options, StepKind, StepResult, Target, now_epoch};

/// The repository's name as poetry's source and repository (and so in its variables).
pub(super) const SOURCE: &str = "codeartifact";

/// A TOML basic string of `value` (JSON's escapes are TOML's).
fn toml_string(value: &str) -> String {
    serde_json::Value::from(value).to_string()
}

/// The index URL of the repository (`ENDPOINT/simple/`), without credentials.
fn simple_url(endpoint: &str) -> String {
    let slash = if endpoint.ends_with('/') { "" } else { "/" };
    format!("{endpoint}{slash}simple/")
}

/// The project that resolves through the repository: no package of its own, one source.
pub(super) fn resolve_project(endpoint: &str) -> String {
    format!(
        "[project]\nname = \"cawiz-localtest\"\nversion = \"0.0.0\"\nrequires-python = \">=3.8\"\n\n\
         [tool.poetry]\npackage-mode = false\n\n\
         [[tool.poetry.source]]\nname = \"{SOURCE}\"\nurl = {}\npriority = \"primary\"\n",
        toml_string(&simple_url(endpoint))
    )
}

/// The probe project: `name` at `version`, its module, built by poetry-core.
pub(super) fn probe_project(name: &str, version: &str, repository: &str) -> String {
    format!(
        "[project]\nname = {}\nversion = {}\ndescription = {}\nrequires-python = \">=3.8\"\n\n\
         [tool.poetry]\npackages = [{{ include = {} }}]\n\n\
         [build-system]\nrequires = [\"poetry-core>=2.0\"]\nbuild-backend = \"poetry.core.masonry.api\"\n",
        toml_string(name),
        toml_string(version),
        toml_string(&format!(
            "Probe published by cawiz to prove publishing to {repository} works; safe to delete"
        )),
        toml_string(&module_name(name)),
    )
}

/// poetry's environment: its own configuration, cache, data and home, no prompts, no keyring,
/// the repository's credentials and upload URL.
pub(super) fn env(tmp: &Path, target: &Target) -> Vec<(&'static str, String)> {
    let dir = |name: &str| tmp.join(name).display().to_string();
    vec![
        ("POETRY_CONFIG_DIR", dir("config")),
        ("POETRY_CACHE_DIR", dir("cache")),
        ("POETRY_DATA_DIR", dir("data")),
        ("HOME", dir("home")),
        ("POETRY_VIRTUALENVS_IN_PROJECT", "true".to_owned()),
        ("POETRY_NO_INTERACTION", "1".to_owned()),
        ("POETRY_KEYRING_ENABLED", "false".to_owned()),
        (
            "POETRY_REPOSITORIES_CODEARTIFACT_URL",
            target.endpoint.clone(),
        ),
        ("POETRY_HTTP_BASIC_CODEARTIFACT_USERNAME", "aws".to_owned()),
        (
            "POETRY_HTTP_BASIC_CODEARTIFACT_PASSWORD",
            target.token.expose().to_owned(),
        ),
    ]
}

/// `poetry --no-ansi --directory PROJECT ARGS…` with [`env`].
fn poetry(tool: &Tool, tmp: &Path, project: &Path, target: &Target) -> Invocation {
    let mut invocation = tool
        .invocation()
        .arg("--no-ansi")
        .arg("--directory")
        .arg(project);
    invocation.env.extend(env(tmp, target));
    invocation
}

/// One line saying why poetry failed: its last non-empty lines.
fn failure(outcome: &Outcome) -> String {
    let lines: Vec<&str> = outcome
        .stderr
        .iter()
        .chain(&outcome.stdout)
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with("Creating virtualenv"))
        .collect();
    match lines.len() {
        0 => outcome.failure_detail(),
        n => lines[n.saturating_sub(3)..].join(" "),
    }
}

pub(super) async fn run(
    tool: &Tool,
    target: &Target,
    options: &Options,
    on_line: OnLine<'_>,
) -> Result<ClientReport, LocalTestError> {
    let tmp = scratch("cawiz-poetry-")?;
    for dir in ["config", "cache", "data", "home"] {
        subdir(tmp.path(), dir)?;
    }
    let mut n = Narrator::new(&target.token, on_line);
    let mut report = ClientReport::default();
    let step = add(&mut n, tool, tmp.path(), target, &options.package).await?;
    let ok = step.ok;
    report.steps.push(step);
    if !ok || !options.publish {
        return Ok(report);
    }
    let name = probe_name(&target.repository);
    let version = format!("0.0.{}.{}", now_epoch(), rand::random::<u16>());
    let step = publish(&mut n, tool, tmp.path(), target, &name, &version).await?;
    if step.ok {
        report.uploaded.push((name, version));
    }
    report.steps.push(step);
    drop(tmp);
    Ok(report)
}

async fn add(
    n: &mut Narrator<'_, '_>,
    tool: &Tool,
    tmp: &Path,
    target: &Target,
    package: &str,
) -> Result<StepResult, LocalTestError> {
    let kind = StepKind::PoetryAdd;
    n.begin(
        kind,
        &format!(
            "{package} resolved through {} (proves reading through the upstream)",
            target.repository
        ),
    );
    let project = subdir(tmp, "resolve")?;
    write_new(
        &project.join("pyproject.toml"),
        &resolve_project(&target.endpoint),
    )?;
    let invocation = poetry(tool, tmp, &project, target).args(["add", "--lock", "--", package]);
    let outcome = n.exec(&invocation).await?;
    if !outcome.success {
        return Ok(n.finish(kind, false, &with_hint(&failure(&outcome))));
    }
    Ok(
        match locked_version(&project.join("poetry.lock"), package) {
            Some(version) => n.finish(
                kind,
                true,
                &format!("resolved {package} {version} (poetry.lock)"),
            ),
            None => n.finish(
                kind,
                false,
                &format!("poetry reported success but poetry.lock does not hold {package}"),
            ),
        },
    )
}

/// The version poetry.lock at `path` pins `package` to.
fn locked_version(path: &Path, package: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let lock: toml::Table = toml::from_str(&text).ok()?;
    let wanted = crate::setup::rules::normalize_package_name(package);
    lock.get("package")?.as_array()?.iter().find_map(|p| {
        let name = p.get("name")?.as_str()?;
        (crate::setup::rules::normalize_package_name(name) == wanted)
            .then(|| p.get("version")?.as_str().map(str::to_owned))?
    })
}

async fn publish(
    n: &mut Narrator<'_, '_>,
    tool: &Tool,
    tmp: &Path,
    target: &Target,
    name: &str,
    version: &str,
) -> Result<StepResult, LocalTestError> {
    let kind = StepKind::PoetryPublish;
    n.begin(kind, &format!("{name} {version} to {}", target.repository));
    let project = subdir(tmp, "probe")?;
    write_new(
        &project.join("pyproject.toml"),
        &probe_project(name, version, &target.repository),
    )?;
    let module = subdir(&project, &module_name(name))?;
    write_new(
        &module.join("__init__.py"),
        &format!("__version__ = {}\n", toml_string(version)),
    )?;
    let invocation = poetry(tool, tmp, &project, target).args(["publish", "--build", "-r", SOURCE]);
    let outcome = n.exec(&invocation).await?;
    Ok(n.published(kind, &outcome, |o| with_hint(&failure(o)), (name, version)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::localtest::Secret;

    const ENDPOINT: &str = "https://o-1.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/";

    fn target() -> Target {
        Target {
            endpoint: ENDPOINT.to_owned(),
            token: Secret::new("tok-SECRET"),
            expires_at: None,
            repository: "widgets".to_owned(),
        }
    }

    #[test]
    fn the_project_source_is_the_repository_without_credentials() {
        let text = resolve_project(ENDPOINT);
        let doc: toml::Table = toml::from_str(&text).expect("TOML");
        let source = &doc["tool"]["poetry"]["source"][0];
        assert_eq!(source["name"].as_str(), Some("codeartifact"));
        assert_eq!(source["url"].as_str(), Some(&*format!("{ENDPOINT}simple/")));
        assert_eq!(source["priority"].as_str(), Some("primary"));
        assert!(!text.contains("SECRET"));
        let probe: toml::Table =
            toml::from_str(&probe_project("widgets-cawiz-probe", "0.0.1.2", "widgets"))
                .expect("TOML");
        assert_eq!(
            probe["project"]["name"].as_str(),
            Some("widgets-cawiz-probe")
        );
    }

    #[test]
    fn poetry_gets_temporary_places_and_the_token_only_in_its_environment() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let env = env(tmp.path(), &target());
        for var in [
            "POETRY_CONFIG_DIR",
            "POETRY_CACHE_DIR",
            "POETRY_DATA_DIR",
            "HOME",
        ] {
            let (_, value) = env.iter().find(|(k, _)| *k == var).expect(var);
            assert!(
                value.starts_with(&*tmp.path().display().to_string()),
                "{var}"
            );
        }
        assert!(env.contains(&("POETRY_REPOSITORIES_CODEARTIFACT_URL", ENDPOINT.to_owned())));
        assert!(env.contains(&("POETRY_HTTP_BASIC_CODEARTIFACT_USERNAME", "aws".to_owned())));
        assert!(env.contains(&(
            "POETRY_HTTP_BASIC_CODEARTIFACT_PASSWORD",
            "tok-SECRET".to_owned()
        )));
        let tool = Tool::new(std::path::PathBuf::from("/usr/bin/poetry"));
        let invocation = poetry(&tool, tmp.path(), tmp.path(), &target()).args(["publish"]);
        assert!(
            invocation
                .args
                .iter()
                .all(|a| !a.to_string_lossy().contains("SECRET"))
        );
        assert!(!invocation.display(&target().token).contains("SECRET"));
    }

    #[test]
    fn the_locked_version_is_read_from_poetry_lock() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let lock = tmp.path().join("poetry.lock");
        std::fs::write(
            &lock,
            "[[package]]\nname = \"six\"\nversion = \"1.17.0\"\n\n[metadata]\nlock-version = \"2.1\"\n",
        )
        .expect("write");
        assert_eq!(locked_version(&lock, "Six").as_deref(), Some("1.17.0"));
        assert_eq!(locked_version(&lock, "requests"), None);
    }
}
