//! The local test with npm: a temporary user configuration (`--userconfig`) naming the
//! repository's npm endpoint as the registry (and as the scope's registry when the format has a
//! namespace), its token read from `NODE_AUTH_TOKEN` in npm's environment; a temporary cache and
//! home. Then `npm ping`, `npm install` of a public package through the upstream, and, when asked,
//! `npm publish` of a probe `@NAMESPACE/cawiz-probe` with a unique version.

use std::path::{Path, PathBuf};

use super::client_report::ClientReport;
use super::narrator::{Narrator, OnLine};
use super::process::{Invocation, Isolation, Outcome};
use super::steps::with_hint;
use super::temp::{scratch, subdir, write_new};
use super::tools::Tool;
use super::{LocalTestError, Options, StepKind, StepResult, Target, now_epoch};

/// The variable the user configuration reads the token from (as actions/setup-node's `.npmrc`).
pub(super) const TOKEN_VAR: &str = "NODE_AUTH_TOKEN";
/// The public package installed through the upstream (`public:npmjs`).
pub(super) const PUBLIC_PACKAGE: &str = "is-number";
/// The probe's name without its scope.
pub(super) const PROBE: &str = "cawiz-probe";

/// The registry URL without its scheme (`//HOST/PATH/`): the key npm files credentials under.
pub(super) fn nerf_dart(endpoint: &str) -> String {
    let rest = endpoint
        .split_once("://")
        .map_or(endpoint, |(_, rest)| rest);
    let slash = if rest.ends_with('/') { "" } else { "/" };
    format!("//{rest}{slash}")
}

/// The registry URL with its trailing slash (npm needs it).
fn registry(endpoint: &str) -> String {
    if endpoint.ends_with('/') {
        endpoint.to_owned()
    } else {
        format!("{endpoint}/")
    }
}

/// Whether `value` can stand in an ini line as it is: printable, no space, no `;`/`#`.
fn ini_safe(value: &str) -> bool {
    !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, ';' | '#' | '\\' | '"' | '\''))
}

/// The user configuration npm gets: the registry, the token from [`TOKEN_VAR`] (never the token
/// itself), the scope's registry when there is a namespace, and no audit, fund or update checks.
pub(super) fn userconfig(
    endpoint: &str,
    namespace: Option<&str>,
) -> Result<String, LocalTestError> {
    let bad = |what: &str| {
        LocalTestError::io(
            "write the npm configuration",
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("the {what} holds characters an .npmrc line cannot"),
            ),
        )
    };
    let registry = registry(endpoint);
    if !ini_safe(&registry) {
        return Err(bad("endpoint"));
    }
    let mut lines = vec![
        format!("registry={registry}"),
        format!("{}:_authToken=${{{TOKEN_VAR}}}", nerf_dart(&registry)),
    ];
    if let Some(scope) = namespace {
        if !ini_safe(scope) || scope.contains(['/', '@', '=']) {
            return Err(bad("namespace"));
        }
        lines.push(format!("@{scope}:registry={registry}"));
    }
    lines.extend(["audit=false", "fund=false", "update-notifier=false"].map(str::to_owned));
    Ok(lines.join("\n") + "\n")
}

/// `@NAMESPACE/cawiz-probe`, or `cawiz-probe` without a namespace.
pub(super) fn probe_name(namespace: Option<&str>) -> String {
    match namespace {
        Some(scope) => format!("@{scope}/{PROBE}"),
        None => PROBE.to_owned(),
    }
}

/// A version no earlier probe had: `0.EPOCH.RANDOM` (no pre-release part: npm 11 wants a tag for
/// those).
fn probe_version() -> String {
    format!("0.{}.{}", now_epoch(), rand::random::<u16>())
}

/// The files of one run: the user configuration, cache, home, and the two package directories.
struct Paths {
    userconfig: PathBuf,
    cache: PathBuf,
    home: PathBuf,
    global: PathBuf,
    install: PathBuf,
    probe: PathBuf,
}

impl Paths {
    fn new(dir: &Path, config: &str) -> Result<Self, LocalTestError> {
        let paths = Self {
            userconfig: dir.join("npmrc"),
            cache: subdir(dir, "cache")?,
            home: subdir(dir, "home")?,
            global: dir.join("global-npmrc"),
            install: subdir(dir, "install")?,
            probe: subdir(dir, "probe")?,
        };
        write_new(&paths.userconfig, config)?;
        let manifest = serde_json::json!({
            "name": "cawiz-localtest", "version": "0.0.0", "private": true,
        });
        write_new(&paths.install.join("package.json"), &manifest.to_string())?;
        Ok(paths)
    }
}

/// `npm --userconfig FILE ARGS…` with the token and the temporary places in its environment.
fn npm(tool: &Tool, paths: &Paths, target: &Target) -> Invocation {
    tool.invocation()
        .arg("--userconfig")
        .arg(&paths.userconfig)
        .env(TOKEN_VAR, target.token.expose())
        .env("HOME", paths.home.display().to_string())
        .env("npm_config_cache", paths.cache.display().to_string())
        .env(
            "npm_config_globalconfig",
            paths.global.display().to_string(),
        )
}

/// One line saying why npm failed: its `npm error` lines, without the code and log lines.
fn failure(outcome: &Outcome) -> String {
    let lines: Vec<&str> = outcome
        .stderr
        .iter()
        .filter_map(|l| l.trim().strip_prefix("npm error"))
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("A complete log") && !l.starts_with("code "))
        .take(2)
        .collect();
    if lines.is_empty() {
        outcome.failure_detail()
    } else {
        lines.join("; ")
    }
}

pub(super) async fn run(
    tool: &Tool,
    namespace: Option<&str>,
    target: &Target,
    options: &Options,
    on_line: OnLine<'_>,
) -> Result<ClientReport, LocalTestError> {
    let tmp = scratch("cawiz-npm-")?;
    let paths = Paths::new(tmp.path(), &userconfig(&target.endpoint, namespace)?)?;
    let mut n = Narrator::new(&target.token, on_line).isolated(Isolation::Node);
    let mut report = ClientReport::default();

    let step = ping(&mut n, tool, &paths, target).await?;
    if !push(&mut report, step) {
        return Ok(report);
    }
    let step = install(&mut n, tool, &paths, target).await?;
    if !push(&mut report, step) || !options.publish {
        return Ok(report);
    }
    let (name, version) = (probe_name(namespace), probe_version());
    let step = publish(&mut n, tool, &paths, target, &name, &version).await?;
    if push(&mut report, step) {
        report.uploaded.push((name, version));
    }
    drop(tmp);
    Ok(report)
}

/// Adds `step`; whether it passed.
fn push(report: &mut ClientReport, step: StepResult) -> bool {
    let ok = step.ok;
    report.steps.push(step);
    ok
}

async fn ping(
    n: &mut Narrator<'_, '_>,
    tool: &Tool,
    paths: &Paths,
    target: &Target,
) -> Result<StepResult, LocalTestError> {
    let kind = StepKind::NpmPing;
    n.begin(kind, &format!("the npm endpoint of {}", target.repository));
    let outcome = n.exec(&npm(tool, paths, target).arg("ping")).await?;
    Ok(if outcome.success {
        n.finish(
            kind,
            true,
            &format!("{} answered", registry(&target.endpoint)),
        )
    } else {
        n.finish(kind, false, &with_hint(&failure(&outcome)))
    })
}

async fn install(
    n: &mut Narrator<'_, '_>,
    tool: &Tool,
    paths: &Paths,
    target: &Target,
) -> Result<StepResult, LocalTestError> {
    let kind = StepKind::NpmInstall;
    n.begin(
        kind,
        &format!(
            "{PUBLIC_PACKAGE} through {} (proves reading through the upstream)",
            target.repository
        ),
    );
    let invocation = npm(tool, paths, target)
        .arg("--prefix")
        .arg(&paths.install)
        .args([
            "install",
            "--no-save",
            "--ignore-scripts",
            "--",
            PUBLIC_PACKAGE,
        ]);
    let outcome = n.exec(&invocation).await?;
    if !outcome.success {
        return Ok(n.finish(kind, false, &with_hint(&failure(&outcome))));
    }
    let manifest = paths
        .install
        .join("node_modules")
        .join(PUBLIC_PACKAGE)
        .join("package.json");
    let version = std::fs::read_to_string(&manifest)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("version")?.as_str().map(str::to_owned));
    Ok(match version {
        Some(v) => n.finish(kind, true, &format!("installed {PUBLIC_PACKAGE} {v}")),
        None => n.finish(
            kind,
            false,
            &format!("npm reported success but {PUBLIC_PACKAGE} is not in node_modules"),
        ),
    })
}

async fn publish(
    n: &mut Narrator<'_, '_>,
    tool: &Tool,
    paths: &Paths,
    target: &Target,
    name: &str,
    version: &str,
) -> Result<StepResult, LocalTestError> {
    let kind = StepKind::NpmPublish;
    n.begin(kind, &format!("{name} {version} to {}", target.repository));
    let manifest = serde_json::json!({
        "name": name, "version": version, "main": "index.js", "license": "MIT",
        "description": format!(
            "Probe published by cawiz to prove publishing to {} works; safe to delete",
            target.repository
        ),
    });
    write_new(&paths.probe.join("package.json"), &manifest.to_string())?;
    write_new(
        &paths.probe.join("index.js"),
        &format!("module.exports = {};\n", serde_json::json!(version)),
    )?;
    let invocation = npm(tool, paths, target)
        .args(["publish", "--ignore-scripts", "--"])
        .arg(&paths.probe);
    let outcome = n.exec(&invocation).await?;
    Ok(n.published(kind, &outcome, |o| with_hint(&failure(o)), (name, version)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENDPOINT: &str =
        "https://octo-org-123456789012.d.codeartifact.us-east-1.amazonaws.com/npm/widgets/";

    #[test]
    fn the_user_configuration_names_the_registry_and_reads_the_token_from_the_environment() {
        let config = userconfig(ENDPOINT, None).expect("config");
        let lines: Vec<&str> = config.lines().collect();
        assert_eq!(lines[0], format!("registry={ENDPOINT}"));
        assert_eq!(
            lines[1],
            "//octo-org-123456789012.d.codeartifact.us-east-1.amazonaws.com/npm/widgets/:_authToken=${NODE_AUTH_TOKEN}"
        );
        assert!(!config.contains(":registry="), "no scope line: {config}");
    }

    #[test]
    fn a_namespace_gets_its_scope_registry_line() {
        let config = userconfig(ENDPOINT, Some("octo-org")).expect("config");
        assert!(
            config
                .lines()
                .any(|l| l == format!("@octo-org:registry={ENDPOINT}")),
            "{config}"
        );
        assert_eq!(probe_name(Some("octo-org")), "@octo-org/cawiz-probe");
        assert_eq!(probe_name(None), "cawiz-probe");
    }

    #[test]
    fn a_registry_without_its_slash_gets_one_and_hostile_values_are_refused() {
        let config = userconfig("http://127.0.0.1:9/o-1/npm/r", None).expect("config");
        assert!(config.starts_with("registry=http://127.0.0.1:9/o-1/npm/r/\n"));
        assert!(config.contains("\n//127.0.0.1:9/o-1/npm/r/:_authToken="));
        assert!(userconfig("http://h/npm/r/\nregistry=http://evil/", None).is_err());
        assert!(userconfig(ENDPOINT, Some("octo\n_authToken=x")).is_err());
        assert!(userconfig(ENDPOINT, Some("a:registry=http://evil/")).is_err());
    }

    #[test]
    fn the_token_is_only_in_the_environment() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths =
            Paths::new(dir.path(), &userconfig(ENDPOINT, None).expect("config")).expect("paths");
        let target = Target {
            endpoint: ENDPOINT.to_owned(),
            token: super::super::Secret::new("tok-SECRET-123"),
            expires_at: None,
            repository: "widgets".to_owned(),
        };
        let tool = Tool::new(PathBuf::from("/usr/bin/npm"));
        let invocation = npm(&tool, &paths, &target).arg("ping");
        assert!(
            invocation
                .args
                .iter()
                .all(|a| !a.to_string_lossy().contains("SECRET"))
        );
        assert!(
            invocation
                .env
                .iter()
                .any(|(k, v)| *k == TOKEN_VAR && v == "tok-SECRET-123")
        );
        let written = std::fs::read_to_string(&paths.userconfig).expect("npmrc");
        assert!(!written.contains("SECRET"), "{written}");
        assert!(!invocation.display(&target.token).contains("SECRET"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&paths.userconfig)
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "readable by the user only");
        }
    }
}
