//! The setup: the inputs a user gives cawiz, validated with AWS's and GitHub's own naming rules, with
//! defaults and detection of the GitHub repository from `git remote get-url origin`.

use serde::{Deserialize, Serialize};

use crate::format::{Format, FormatSetup};

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
    /// The package formats, each with its client and upstream, in the order the repository lists
    /// the upstreams (at least one).
    pub formats: Vec<FormatSetup>,
    pub github_owner: String,
    pub github_repo: String,
    pub scope: SubjectScope,
    pub role_name: String,
    pub policy_name: String,
    pub auth: AuthMethod,
    /// The endpoints told when a version is published (`https://…`, `email:ADDR`,
    /// `sns:TOPIC_ARN`): the `notifications` item exists only when there is one. A state file
    /// without the field has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notify: Vec<String>,
    /// Other accounts (or an organisation) allowed to read the repository; none when absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consumers: Vec<Consumer>,
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
            formats: vec![FormatSetup::pypi()],
            github_owner: owner.to_owned(),
            github_repo: repo.to_owned(),
            scope: SubjectScope::AllRefs,
            role_name: DEFAULT_ROLE_NAME.to_owned(),
            policy_name: DEFAULT_POLICY_NAME.to_owned(),
            auth: AuthMethod::Oidc,
            notify: Vec::new(),
            consumers: Vec::new(),
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
        errors.extend(self.format_errors());
        errors.extend(self.notify.iter().filter_map(|v| notify_error(v)));
        errors.extend(consumers::consumer_errors(
            &self.consumers,
            self.account_id.as_deref(),
        ));
        errors
    }

    /// The rules the formats break: at least one, each valid, no upstream shared by two.
    fn format_errors(&self) -> Vec<FieldError> {
        let mut errors: Vec<FieldError> = self
            .formats
            .iter()
            .flat_map(|f| f.validate(&self.repository))
            .collect();
        if self.formats.is_empty() {
            errors.push(FieldError {
                field: Field::Formats,
                value: String::new(),
                rule: "name at least one format, e.g. pypi or npm".to_owned(),
            });
        }
        let upstreams = self.upstreams();
        for (i, name) in upstreams.iter().enumerate() {
            if upstreams[..i].contains(name) {
                errors.push(FieldError {
                    field: Field::Upstream,
                    value: (*name).to_owned(),
                    rule: "each format needs its own upstream repository (a repository holds at \
                           most one external connection)"
                        .to_owned(),
                });
            }
        }
        errors
    }

    /// The setup's entry for `format`.
    pub fn format(&self, format: Format) -> Option<&FormatSetup> {
        self.formats.iter().find(|f| f.format == format)
    }

    /// The first format with an upstream (pypi's in a Python setup): the upstream the doctor's
    /// package symptoms look through until they speak every format.
    pub fn first_upstream(&self) -> Option<(&str, &str)> {
        self.formats
            .iter()
            .find_map(|f| Some((f.upstream.as_deref()?, f.external_connection.as_deref()?)))
    }

    /// The upstream repositories, in the formats' order (the order the repository lists them).
    pub fn upstreams(&self) -> Vec<&str> {
        self.formats
            .iter()
            .filter_map(|f| f.upstream.as_deref())
            .collect()
    }

    /// A file-name-safe name for this setup (`owner-repo`), used for the state file.
    pub fn slug(&self) -> String {
        format!("{}-{}", self.github_owner, self.github_repo).to_lowercase()
    }
}

/// The rule a `notify` value breaks (`crate::notify::Endpoint` parses it), if any.
pub fn notify_error(value: &str) -> Option<FieldError> {
    if let Err(e) = validate(Field::Notify, value) {
        return Some(e);
    }
    notify::Endpoint::parse(value).err().map(|e| FieldError {
        field: Field::Notify,
        value: value.to_owned(),
        rule: e.0,
    })
}

/// `notify` values typed in one field: comma- or space-separated.
pub fn parse_notify(text: &str) -> Result<Vec<String>, FieldError> {
    let values: Vec<String> = text
        .split([',', ' '])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect();
    match values.iter().find_map(|v| notify_error(v)) {
        Some(e) => Err(e),
        None => Ok(values),
    }
}

mod consumer;
mod consumers;
pub mod notify;
pub mod pyproject;
pub mod rules;
mod scope;
pub use consumer::{Consumer, ConsumerError};
pub use consumers::{consumer_errors, consumers_text, parse_account, parse_consumers, parse_org};
pub use rules::{
    EXTERNAL_CONNECTIONS, Field, FieldError, normalize_package_name, package_name,
    upstream_differs, validate,
};
pub use scope::{SubjectScope, parse_scope};

#[cfg(test)]
mod tests;

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
