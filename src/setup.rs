//! The setup: the inputs a user gives cawiz, validated with AWS's and GitHub's own naming rules, with
//! defaults and detection of the GitHub repository from `git remote get-url origin`.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// The input fields, named as the user sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    /// The AWS profile (`--profile`, `AWS_PROFILE`).
    Profile,
    Region,
    AccountId,
    Domain,
    Repository,
    Upstream,
    ExternalConnection,
    GithubOwner,
    GithubRepo,
    Branch,
    Environment,
    /// The subject scope as typed (`all`, `branch:NAME`, …).
    Scope,
    RoleName,
    PolicyName,
    /// A Python package name (`--package`, pyproject.toml's `[project] name`).
    PackageName,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Profile => "AWS profile",
            Field::Region => "region",
            Field::AccountId => "account id",
            Field::Domain => "domain",
            Field::Repository => "repository",
            Field::Upstream => "upstream repository",
            Field::ExternalConnection => "external connection",
            Field::GithubOwner => "GitHub owner",
            Field::GithubRepo => "GitHub repository",
            Field::Branch => "branch",
            Field::Environment => "environment",
            Field::Scope => "subject scope",
            Field::RoleName => "role name",
            Field::PolicyName => "policy name",
            Field::PackageName => "package name",
        })
    }
}

/// A rejected input: which field, what was typed, and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {value:?}: {rule}")]
pub struct FieldError {
    pub field: Field,
    pub value: String,
    pub rule: String,
}

fn re(pattern: &str) -> Regex {
    // Patterns are literals in this file and covered by tests; an invalid one is a programming error.
    #[allow(clippy::expect_used)]
    Regex::new(pattern).expect("valid built-in pattern")
}

static REGION: LazyLock<Regex> = LazyLock::new(|| re(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$"));
static ACCOUNT: LazyLock<Regex> = LazyLock::new(|| re(r"^[0-9]{12}$"));
static DOMAIN: LazyLock<Regex> = LazyLock::new(|| re(r"^[a-z][a-z0-9-]*[a-z0-9]$"));
static REPOSITORY: LazyLock<Regex> = LazyLock::new(|| re(r"^[A-Za-z0-9][A-Za-z0-9._-]*$"));
static GH_OWNER: LazyLock<Regex> = LazyLock::new(|| re(r"^[A-Za-z0-9][A-Za-z0-9-]*$"));
static GH_REPO: LazyLock<Regex> = LazyLock::new(|| re(r"^[A-Za-z0-9._-]+$"));
static IAM_NAME: LazyLock<Regex> = LazyLock::new(|| re(r"^[A-Za-z0-9_+=,.@-]+$"));
/// PEP 508's name: letters and digits at both ends, `.`, `_`, `-` between; never a leading `-`,
/// so a name can never be read as an option by pip.
static PACKAGE_NAME: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$"));

/// The external connections CodeArtifact offers (AssociateExternalConnection).
pub const EXTERNAL_CONNECTIONS: &[&str] = &[
    "public:pypi",
    "public:npmjs",
    "public:maven-central",
    "public:maven-googleandroid",
    "public:maven-gradleplugins",
    "public:maven-commonsware",
    "public:maven-clojars",
    "public:nuget-org",
    "public:ruby-gems-org",
    "public:crates-io",
];

fn check(field: Field, value: &str, ok: bool, rule: &str) -> Result<(), FieldError> {
    if ok {
        Ok(())
    } else {
        Err(FieldError {
            field,
            value: value.to_owned(),
            rule: rule.to_owned(),
        })
    }
}

fn len_between(value: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&value.chars().count())
}

/// Every field's first rule: nothing that would end a YAML line, a shell comment or a terminal
/// sequence early (control characters, bidi overrides: see [`crate::escape::is_unsafe`]).
fn no_control_characters(field: Field, value: &str) -> Result<(), FieldError> {
    check(
        field,
        value,
        !value.chars().any(crate::escape::is_unsafe),
        "control characters (line breaks, tabs, escapes, bidi overrides) are not allowed: retype it",
    )
}

/// A branch name `git check-ref-format --branch` accepts (and `git branch` creates): no control
/// characters, space, `~ ^ : ? * [ \`, `..` or `@{`; not `@`, `HEAD` or starting with `-`; no
/// empty component (`/` at either end, `//`), none starting with `.` or ending in `.lock`; not
/// ending in `.`.
fn is_git_branch(name: &str) -> bool {
    let forbidden = |c: char| c.is_ascii_control() || " ~^:?*[\\".contains(c);
    !name.is_empty()
        && !matches!(name, "@" | "HEAD")
        && !name.starts_with('-')
        && !name.ends_with('.')
        && !name.contains("..")
        && !name.contains("@{")
        && !name.chars().any(forbidden)
        && name
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.') && !part.ends_with(".lock"))
}

pub fn validate(field: Field, value: &str) -> Result<(), FieldError> {
    no_control_characters(field, value)?;
    match field {
        Field::Profile => Ok(()),
        Field::Region => check(
            field,
            value,
            REGION.is_match(value),
            "an AWS region looks like us-east-1, eu-west-3 or us-gov-west-1",
        ),
        Field::AccountId => check(
            field,
            value,
            ACCOUNT.is_match(value),
            "an AWS account id is exactly 12 digits",
        ),
        Field::Domain => check(
            field,
            value,
            len_between(value, 2, 50) && DOMAIN.is_match(value),
            "a CodeArtifact domain name is 2–50 characters: lower-case letters, digits and hyphens, \
             starting with a letter and not ending with a hyphen",
        ),
        Field::Repository | Field::Upstream => check(
            field,
            value,
            len_between(value, 2, 100) && REPOSITORY.is_match(value),
            "a CodeArtifact repository name is 2–100 characters: letters, digits, '.', '_' and '-', \
             starting with a letter or digit",
        ),
        Field::ExternalConnection => check(
            field,
            value,
            EXTERNAL_CONNECTIONS.contains(&value),
            "must be one of AWS's public connections, e.g. public:pypi",
        ),
        Field::GithubOwner => check(
            field,
            value,
            len_between(value, 1, 39) && GH_OWNER.is_match(value),
            "a GitHub owner is 1–39 letters, digits or hyphens and cannot start with a hyphen",
        ),
        Field::GithubRepo => check(
            field,
            value,
            len_between(value, 1, 100) && GH_REPO.is_match(value) && value != "." && value != "..",
            "a GitHub repository name is 1–100 letters, digits, '.', '_' or '-'",
        ),
        Field::Branch => check(
            field,
            value,
            is_git_branch(value),
            "not a valid git branch name (git check-ref-format: no spaces, '..', '@{', '~', '^', ':', \
             '?', '*', '[' or '\\'; no part starting with '.' or ending in '.lock'; no '//'; not \
             starting with '-' or '/', not ending with '/' or '.'; not '@' or 'HEAD')",
        ),
        Field::Scope => parse_scope(value).map(|_| ()),
        Field::Environment => check(
            field,
            value,
            len_between(value, 1, 255) && !value.contains(':'),
            "a GitHub environment name is 1–255 characters (GitHub's rule) and, for cawiz, has no ':' \
             (it would end the environment in the OIDC subject)",
        ),
        Field::RoleName => check(
            field,
            value,
            len_between(value, 1, 64) && IAM_NAME.is_match(value),
            "an IAM role name is 1–64 characters: letters, digits and + = , . @ _ -",
        ),
        Field::PolicyName => check(
            field,
            value,
            len_between(value, 1, 128) && IAM_NAME.is_match(value),
            "an IAM policy name is 1–128 characters: letters, digits and + = , . @ _ -",
        ),
        Field::PackageName => check(
            field,
            value,
            PACKAGE_NAME.is_match(value),
            "a Python package name (PEP 508) is ASCII letters and digits, with '.', '_' or '-' \
             only between them",
        ),
    }
}

/// `value` when it is a valid [`Field::PackageName`] (for clap's `value_parser`).
pub fn package_name(value: &str) -> Result<String, FieldError> {
    validate(Field::PackageName, value).map(|()| value.to_owned())
}

/// `OWNER/REPO` (or a GitHub remote URL) → both parts, each checked.
pub fn parse_github(text: &str) -> Result<(String, String), FieldError> {
    let text = text.trim().trim_end_matches(".git");
    if let Some(parsed) = parse_github_remote(text) {
        return Ok(parsed);
    }
    let (owner, repo) = text.split_once('/').ok_or_else(|| FieldError {
        field: Field::GithubRepo,
        value: text.to_owned(),
        rule: "write it as OWNER/REPO, e.g. octo-org/widgets".to_owned(),
    })?;
    validate(Field::GithubOwner, owner)?;
    validate(Field::GithubRepo, repo)?;
    Ok((owner.to_owned(), repo.to_owned()))
}

/// Owner and repository from a git remote URL: `https://github.com/o/r(.git)`,
/// `ssh://git@github.com/o/r(.git)`, `git@github.com:o/r(.git)` (and GitHub Enterprise hosts).
pub fn parse_github_remote(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    let path = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        rest.split_once('/')?.1
    } else if let Some(rest) = url.strip_prefix("ssh://") {
        rest.split_once('/')?.1
    } else if let Some((userhost, path)) = url.split_once(':') {
        if !userhost.contains('@') {
            return None;
        }
        path
    } else {
        return None;
    };
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let (owner, repo) = path.split_once('/')?;
    let owner = owner.rsplit('@').next().unwrap_or(owner);
    if repo.contains('/') {
        return None;
    }
    (validate(Field::GithubOwner, owner).is_ok() && validate(Field::GithubRepo, repo).is_ok())
        .then(|| (owner.to_owned(), repo.to_owned()))
}

/// OIDC (a role GitHub assumes) or long-lived access keys stored as secrets (less secure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    #[default]
    Oidc,
    AccessKeys,
}

pub const DEFAULT_REGION: &str = "us-east-1";
pub const DEFAULT_UPSTREAM: &str = "pypi-store";
pub const DEFAULT_EXTERNAL_CONNECTION: &str = "public:pypi";
pub const DEFAULT_ROLE_NAME: &str = "GitHubActions-CodeArtifact";
pub const DEFAULT_POLICY_NAME: &str = "CodeArtifact-Publish-Policy";

/// Everything the checklist needs to know. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    pub profile: Option<String>,
    pub region: String,
    /// From STS GetCallerIdentity when not given.
    pub account_id: Option<String>,
    pub domain: String,
    pub repository: String,
    pub upstream: String,
    pub external_connection: String,
    pub github_owner: String,
    pub github_repo: String,
    pub scope: SubjectScope,
    pub role_name: String,
    pub policy_name: String,
    pub auth: AuthMethod,
}

impl Setup {
    /// A setup for `owner/repo` with the SPEC's defaults: domain = owner lower-cased, repository =
    /// the GitHub repository name.
    pub fn for_github(owner: &str, repo: &str) -> Self {
        Self {
            profile: None,
            region: DEFAULT_REGION.to_owned(),
            account_id: None,
            domain: owner.to_lowercase(),
            repository: repo.to_owned(),
            upstream: DEFAULT_UPSTREAM.to_owned(),
            external_connection: DEFAULT_EXTERNAL_CONNECTION.to_owned(),
            github_owner: owner.to_owned(),
            github_repo: repo.to_owned(),
            scope: SubjectScope::AllRefs,
            role_name: DEFAULT_ROLE_NAME.to_owned(),
            policy_name: DEFAULT_POLICY_NAME.to_owned(),
            auth: AuthMethod::Oidc,
        }
    }

    /// Every rule every field breaks (empty when the setup is valid).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut fields: Vec<(Field, &str)> = self
            .profile
            .iter()
            .map(|p| (Field::Profile, p.as_str()))
            .collect();
        fields.extend([
            (Field::Region, self.region.as_str()),
            (Field::Domain, &self.domain),
            (Field::Repository, &self.repository),
            (Field::Upstream, &self.upstream),
            (Field::ExternalConnection, &self.external_connection),
            (Field::GithubOwner, &self.github_owner),
            (Field::GithubRepo, &self.github_repo),
            (Field::RoleName, &self.role_name),
            (Field::PolicyName, &self.policy_name),
        ]);
        if let Some(account) = &self.account_id {
            fields.push((Field::AccountId, account));
        }
        match &self.scope {
            SubjectScope::Branch(b) => fields.push((Field::Branch, b)),
            SubjectScope::Environment(e) => fields.push((Field::Environment, e)),
            _ => {}
        }
        let mut errors: Vec<FieldError> = fields
            .into_iter()
            .filter_map(|(f, v)| validate(f, v).err())
            .collect();
        errors.extend(upstream_differs(&self.upstream, &self.repository).err());
        errors
    }

    /// A file-name-safe name for this setup (`owner-repo`), used for the state file.
    pub fn slug(&self) -> String {
        format!("{}-{}", self.github_owner, self.github_repo).to_lowercase()
    }
}

pub mod pyproject;
mod scope;
pub use scope::{SubjectScope, parse_scope};

#[cfg(test)]
mod tests;

/// The upstream's rule beyond its name: it is not the repository itself.
pub fn upstream_differs(upstream: &str, repository: &str) -> Result<(), FieldError> {
    check(
        Field::Upstream,
        upstream,
        upstream != repository,
        "must differ from the repository (a repository cannot be its own upstream)",
    )
}

/// A package name in PEP 503 normal form: lower case, each run of `-`, `_` and `.` as one `-`.
pub fn normalize_package_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.extend(c.to_lowercase());
            in_sep = false;
        }
    }
    out
}

/// The GitHub `owner/repo` of `git remote get-url origin` in `dir`, when it is a GitHub remote
/// (git hardened against the clone's configuration: [`crate::child::git`]).
pub fn detect_github(dir: &std::path::Path) -> Option<(String, String)> {
    let out = crate::child::git::command(dir)?
        .args(["remote", "get-url", "--", "origin"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    parse_github_remote(String::from_utf8_lossy(&out.stdout).trim())
}
