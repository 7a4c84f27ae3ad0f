//! An npm project's own configuration, judged for publishing to the setup's repository: the
//! classic mistakes of FAILURES.md's npm entry, each named by the doctor's cause id.
//!
//! - `npm-registry-elsewhere`: `publishConfig.registry` in package.json (it overrides every
//!   `.npmrc` and the workflow's setup-node), or the project's `.npmrc` (npm reads it before the
//!   user config setup-node writes) sends `npm publish` to another registry; a registry URL
//!   without its final `/`.
//! - `npm-scope-namespace`: the package's scope is not the setup's npm namespace, so the
//!   publish policy's `package/D/R/npm/NAMESPACE/*` does not cover it (AccessDenied, 403).
//! - `npm-token-config`: a literal token (`_authToken`, `_auth`, `_password`) in the project's
//!   `.npmrc`: readable by anyone who reads the repository, and dead within 12 hours (a
//!   CodeArtifact token's longest life); `always-auth`, which npm 9 and later no longer know.
//!
//! Pure: the caller reads the files (never through a link out of the tree) and says whether git
//! tracks `.npmrc`. Values read from the files are quoted with `{:?}` (escaped) in messages; a
//! token's value is never repeated.

use reqwest::Url;

use super::npm::split_scope;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Warning,
    Error,
}

/// Where the setup's packages go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpmTarget {
    pub domain: String,
    pub owner: String,
    pub region: String,
    pub repository: String,
    /// The setup's npm namespace (a scope without `@`), when it has one.
    pub namespace: Option<String>,
    /// The endpoint GetRepositoryEndpoint answers, when known (the sandbox's is on loopback).
    pub endpoint: Option<String>,
}

impl NpmTarget {
    /// The registry URL of the setup's repository, as the workflow and `.npmrc` should name it.
    pub fn registry(&self) -> String {
        self.endpoint.clone().unwrap_or_else(|| {
            format!(
                "https://{}-{}.d.codeartifact.{}.amazonaws.com/npm/{}/",
                self.domain, self.owner, self.region, self.repository
            )
        })
    }
}

/// The project files, as read from the working tree's root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NpmProject {
    pub package_json: Option<String>,
    pub npmrc: Option<String>,
    /// Whether git tracks `.npmrc` (`None`: not known).
    pub npmrc_tracked: Option<bool>,
}

/// One mistake, at a line of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpmFinding {
    /// The doctor's cause id.
    pub cause: &'static str,
    pub level: Level,
    pub file: &'static str,
    /// 1-based.
    pub line: usize,
    pub message: String,
    pub fix: String,
}

/// Where a registry URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Registry {
    This,
    /// This repository, without the final `/` npm needs.
    ThisWithoutSlash,
    /// A value npm takes from the environment (`${VAR}`): not judged.
    FromEnvironment,
    Elsewhere,
}

fn same_place(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim().trim_end_matches('/').to_ascii_lowercase();
    norm(a) == norm(b)
}

fn classify(value: &str, target: &NpmTarget) -> Registry {
    let value = value.trim();
    if value.contains("${") {
        return Registry::FromEnvironment;
    }
    let this = target.registry();
    let official = NpmTarget {
        endpoint: None,
        ..target.clone()
    }
    .registry();
    let matches = same_place(value, &this) || same_place(value, &official);
    match (matches, value.ends_with('/')) {
        (true, true) => Registry::This,
        (true, false) => Registry::ThisWithoutSlash,
        (false, _) => Registry::Elsewhere,
    }
}

/// What a URL is, for a message: its host and path (never its query or credentials).
fn shown(value: &str) -> String {
    match Url::parse(value.trim()) {
        Ok(u) => format!(
            "{:?}",
            format!("{}{}", u.host_str().unwrap_or(""), u.path())
        ),
        Err(_) => format!("{:?}", value.trim()),
    }
}

/// One `key=value` line of an ini file as npm reads it (`;` and `#` start comments).
#[derive(Debug, Clone, PartialEq, Eq)]
struct RcLine {
    line: usize,
    key: String,
    value: String,
}

fn rc_lines(text: &str) -> Vec<RcLine> {
    text.lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            let t = raw.trim();
            if t.is_empty() || t.starts_with([';', '#']) {
                return None;
            }
            let (key, value) = t.split_once('=')?;
            let value = value.trim().trim_matches('"').trim_matches('\'');
            Some(RcLine {
                line: i + 1,
                key: key.trim().to_owned(),
                value: value.to_owned(),
            })
        })
        .collect()
}

/// The 1-based line of the first `"key"` in `text` after line `from` (1 when not found).
fn json_line(text: &str, key: &str, from: usize) -> usize {
    let quoted = format!("\"{key}\"");
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| l.contains(&quoted))
        .map_or(from.max(1), |(i, _)| i + 1)
}

/// package.json's `name`, when it is a name npm accepts (a scope as npm's rule, then lower-case
/// URL-safe characters): what may be put in an ARN.
pub fn package_name(text: &str) -> Option<String> {
    let name = package_json(text)?.name?;
    let (scope, bare) = split_scope(&name);
    let url_safe = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._~".contains(c);
    let scope_ok = scope.is_none_or(|s| super::npm::check_scope(s).is_ok());
    let bare_ok = (1..=214).contains(&bare.len()) && bare.chars().all(url_safe);
    (scope_ok && bare_ok).then_some(name)
}

struct PackageJson {
    name: Option<String>,
    publish_registry: Option<String>,
}

fn package_json(text: &str) -> Option<PackageJson> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(PackageJson {
        name: v.get("name").and_then(|n| n.as_str()).map(str::to_owned),
        publish_registry: v
            .get("publishConfig")
            .and_then(|p| p.get("registry"))
            .and_then(|r| r.as_str())
            .map(str::to_owned),
    })
}

fn elsewhere(
    file: &'static str,
    line: usize,
    what: String,
    value: &str,
    target: &NpmTarget,
    fix: String,
) -> Option<NpmFinding> {
    let registry = target.registry();
    let (level, message) = match classify(value, target) {
        Registry::This | Registry::FromEnvironment => return None,
        Registry::ThisWithoutSlash => (
            Level::Error,
            format!("{what} names this repository without the final '/' npm needs ({registry})"),
        ),
        Registry::Elsewhere => (
            Level::Error,
            format!(
                "{what} sends `npm publish` to {}, not to this repository ({registry})",
                shown(value)
            ),
        ),
    };
    Some(NpmFinding {
        cause: "npm-registry-elsewhere",
        level,
        file,
        line,
        message,
        fix,
    })
}

fn publish_config(text: &str, pkg: &PackageJson, target: &NpmTarget) -> Option<NpmFinding> {
    let value = pkg.publish_registry.as_deref()?;
    let line = json_line(text, "registry", json_line(text, "publishConfig", 1));
    elsewhere(
        "package.json",
        line,
        "package.json's publishConfig.registry (it overrides every .npmrc and setup-node)"
            .to_owned(),
        value,
        target,
        format!(
            "remove publishConfig.registry (the workflow sets the registry), or set it to {}",
            target.registry()
        ),
    )
}

/// The `.npmrc` line that decides where `scope`'s packages (or unscoped ones) publish.
fn deciding_line<'a>(lines: &'a [RcLine], scope: Option<&str>) -> Option<&'a RcLine> {
    let scoped = scope.and_then(|s| {
        let key = format!("@{s}:registry");
        lines.iter().rev().find(|l| l.key == key)
    });
    scoped.or_else(|| lines.iter().rev().find(|l| l.key == "registry"))
}

fn npmrc_registry(lines: &[RcLine], scope: Option<&str>, target: &NpmTarget) -> Option<NpmFinding> {
    let l = deciding_line(lines, scope)?;
    let registry = target.registry();
    let fix = match scope {
        // A scoped package sent to the default registry: the scope's own line is what is missing
        // (the project may well install its public dependencies from npmjs).
        Some(s) if l.key == "registry" => format!(
            "add the scope's registry line to .npmrc: `@{}:registry={registry}` (npm sends @{}              packages there, whatever `registry=` says)",
            crate::escape::line(s),
            crate::escape::line(s)
        ),
        _ => format!(
            "remove the line from .npmrc, or point it at {registry} (`{}={registry}`)",
            crate::escape::line(&l.key)
        ),
    };
    elsewhere(
        ".npmrc",
        l.line,
        format!(
            "the project's .npmrc ({}, read before the user config setup-node writes)",
            crate::escape::line(&l.key)
        ),
        &l.value,
        target,
        fix,
    )
}

fn scope_namespace(text: &str, name: &str, target: &NpmTarget) -> Option<NpmFinding> {
    let namespace = target.namespace.as_deref()?;
    let (scope, _) = split_scope(name);
    if scope == Some(namespace) {
        return None;
    }
    let arn = format!(
        "package/{}/{}/npm/{namespace}/*",
        target.domain, target.repository
    );
    let what = match scope {
        Some(s) => format!("is in the scope {:?}", format!("@{s}")),
        None => "has no scope".to_owned(),
    };
    Some(NpmFinding {
        cause: "npm-scope-namespace",
        level: Level::Error,
        file: "package.json",
        line: json_line(text, "name", 1),
        message: format!(
            "the package {:?} {what}, but the setup's npm namespace is {namespace:?}: the publish \
             policy covers {arn} only, so `npm publish` is denied (403)",
            name
        ),
        fix: format!(
            "name the package @{namespace}/…, or set the setup's namespace to the package's scope \
             (`cawiz init --format npm@SCOPE`) and apply the role"
        ),
    })
}

const TOKEN_KEYS: [&str; 3] = ["_authToken", "_auth", "_password"];

fn token_key(key: &str) -> Option<&'static str> {
    let last = key.rsplit(':').next().unwrap_or(key);
    TOKEN_KEYS.into_iter().find(|t| *t == last)
}

fn literal_tokens(lines: &[RcLine], tracked: Option<bool>, target: &NpmTarget) -> Vec<NpmFinding> {
    let place = match tracked {
        Some(true) => "committed .npmrc",
        Some(false) => ".npmrc in the working tree (not committed yet)",
        None => ".npmrc in the working tree",
    };
    let auth_line = format!(
        "{}:_authToken=${{NODE_AUTH_TOKEN}}",
        target
            .registry()
            .trim_start_matches("https:")
            .trim_start_matches("http:")
    );
    let mut out: Vec<NpmFinding> = lines
        .iter()
        .filter(|l| !l.value.is_empty() && !l.value.contains("${"))
        .filter_map(|l| Some((l, token_key(&l.key)?)))
        .map(|(l, kind)| NpmFinding {
            cause: "npm-token-config",
            level: Level::Error,
            file: ".npmrc",
            line: l.line,
            message: format!(
                "the {place} holds a literal {kind}: anyone who can read the repository can use \
                 it, and a CodeArtifact token expires within 12 hours, so publishing breaks then"
            ),
            fix: format!(
                "delete the line (and rotate the credential); let the workflow's setup-node write \
                 `{auth_line}` from the token it gets"
            ),
        })
        .collect();
    out.extend(
        lines
            .iter()
            .filter(|l| l.key == "always-auth")
            .map(|l| NpmFinding {
                cause: "npm-token-config",
                level: Level::Warning,
                file: ".npmrc",
                line: l.line,
                message: "always-auth is no longer an npm option (npm 9 and later ignore it)"
                    .to_owned(),
                fix: "delete the line: the token line for the registry is enough".to_owned(),
            }),
    );
    out
}

/// Every mistake of `project` for publishing to `target`, sorted by file and line.
pub fn check(project: &NpmProject, target: &NpmTarget) -> Vec<NpmFinding> {
    let mut out = Vec::new();
    let pkg = project
        .package_json
        .as_deref()
        .and_then(|t| Some((t, package_json(t)?)));
    let scope = pkg
        .as_ref()
        .and_then(|(_, p)| p.name.as_deref())
        .and_then(|n| split_scope(n).0)
        .map(str::to_owned);
    if let Some((text, p)) = &pkg {
        if let Some(name) = &p.name {
            out.extend(scope_namespace(text, name, target));
        }
        out.extend(publish_config(text, p, target));
    }
    if let Some(rc) = &project.npmrc {
        let lines = rc_lines(rc);
        let overridden = pkg
            .as_ref()
            .is_some_and(|(_, p)| p.publish_registry.is_some());
        if !overridden {
            out.extend(npmrc_registry(&lines, scope.as_deref(), target));
        }
        out.extend(literal_tokens(&lines, project.npmrc_tracked, target));
    }
    out.sort_by(|a, b| (a.file, a.line).cmp(&(b.file, b.line)));
    out
}

#[cfg(test)]
mod tests;
