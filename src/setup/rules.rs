//! The naming rules of the setup's fields (AWS's and GitHub's own), each field's error with the
//! rule it breaks, and PEP 503 names. Kept apart from the setup so that the format modules can
//! use the rules the setup is made of.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::scope::parse_scope;

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
    /// The package formats with their clients (`pypi:uv, npm@octo-org`).
    Formats,
    /// A format's namespace (an npm scope, without `@`).
    Namespace,
    /// An endpoint told when a version is published (`https://…`, `email:ADDR`, `sns:ARN`).
    Notify,
    /// Accounts (or an organisation) allowed to read the repository.
    Consumers,
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
            Field::Formats => "formats",
            Field::Namespace => "namespace",
            Field::Notify => "notify",
            Field::Consumers => "consumer",
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
        // Their own parsers (`crate::format`) say the rules.
        Field::Profile | Field::Formats | Field::Namespace | Field::Notify | Field::Consumers => {
            Ok(())
        }
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
