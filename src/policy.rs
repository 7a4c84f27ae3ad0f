//! Permission and trust policy documents: build them from the setup, parse what IAM returns
//! (URL-encoded JSON), lint trust policies (including the wildcard-subject security finding), diff.

use serde_json::{Value, json};

use crate::setup::Setup;

pub const GITHUB_OIDC_HOST: &str = "token.actions.githubusercontent.com";
pub const GITHUB_OIDC_URL: &str = "https://token.actions.githubusercontent.com";
pub const OIDC_AUDIENCE: &str = "sts.amazonaws.com";
/// Passed on create for older tooling only; AWS validates GitHub's certificate against trusted CAs.
pub const GITHUB_THUMBPRINT: &str = "6938fd4d98bab03faadb97b34396831e3780aea1";

/// The CodeArtifact actions the publish policy grants (SPEC item 5).
pub const CODEARTIFACT_ACTIONS: &[&str] = &[
    "codeartifact:GetAuthorizationToken",
    "codeartifact:GetRepositoryEndpoint",
    "codeartifact:ReadFromRepository",
    "codeartifact:PublishPackageVersion",
    "codeartifact:PutPackageMetadata",
    "codeartifact:DescribePackageVersion",
    "codeartifact:DescribeRepository",
    "codeartifact:DescribeDomain",
    "codeartifact:ListPackages",
    "codeartifact:ListPackageVersions",
];

/// How GitHub spells the `sub` claim's repository part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectFormat {
    /// `repo:OWNER/REPO:…`
    Classic,
    /// `repo:OWNER@OWNER_ID/REPO@REPO_ID:…` (repositories created or renamed after 2026-06-18, or opted in).
    Immutable { owner_id: u64, repo_id: u64 },
}

pub fn subject_prefix(setup: &Setup, format: &SubjectFormat) -> String {
    match format {
        SubjectFormat::Classic => format!("repo:{}/{}", setup.github_owner, setup.github_repo),
        SubjectFormat::Immutable { owner_id, repo_id } => {
            format!(
                "repo:{}@{owner_id}/{}@{repo_id}",
                setup.github_owner, setup.github_repo
            )
        }
    }
}

/// The `sub` value the trust policy should allow.
pub fn expected_subject(setup: &Setup, format: &SubjectFormat) -> String {
    format!("{}:{}", subject_prefix(setup, format), setup.scope.suffix())
}

pub fn oidc_provider_arn(account: &str) -> String {
    format!("arn:aws:iam::{account}:oidc-provider/{GITHUB_OIDC_HOST}")
}

pub fn trust_policy(setup: &Setup, account: &str, format: &SubjectFormat) -> Value {
    let subject = expected_subject(setup, format);
    let sub_operator = if subject.contains(['*', '?']) {
        "StringLike"
    } else {
        "StringEquals"
    };
    let mut condition = json!({
        "StringEquals": { format!("{GITHUB_OIDC_HOST}:aud"): OIDC_AUDIENCE }
    });
    if let Some(map) = condition.as_object_mut() {
        let entry = map.entry(sub_operator).or_insert_with(|| json!({}));
        entry[format!("{GITHUB_OIDC_HOST}:sub")] = Value::String(subject);
    }
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Federated": oidc_provider_arn(account) },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": condition
        }]
    })
}

pub fn domain_arn(setup: &Setup, account: &str) -> String {
    format!(
        "arn:aws:codeartifact:{}:{account}:domain/{}",
        setup.region, setup.domain
    )
}

pub fn repository_arn(setup: &Setup, account: &str, repository: &str) -> String {
    format!(
        "arn:aws:codeartifact:{}:{account}:repository/{}/{repository}",
        setup.region, setup.domain
    )
}

/// The ARN of a PyPI package in the configured repository (namespace empty: `pypi//NAME`).
pub fn package_arn(setup: &Setup, account: &str, package: &str) -> String {
    format!(
        "arn:aws:codeartifact:{}:{account}:package/{}/{}/pypi//{package}",
        setup.region, setup.domain, setup.repository
    )
}

/// The least-privilege publish policy, scoped to the configured region and domain.
pub fn permissions_policy(setup: &Setup, account: &str) -> Value {
    let base = format!("arn:aws:codeartifact:{}:{account}", setup.region);
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CodeArtifactPublish",
                "Effect": "Allow",
                "Action": CODEARTIFACT_ACTIONS,
                "Resource": [
                    format!("{base}:domain/{}", setup.domain),
                    format!("{base}:repository/{}/*", setup.domain),
                    format!("{base}:package/{}/*/*", setup.domain)
                ]
            },
            {
                "Sid": "CodeArtifactBearerToken",
                "Effect": "Allow",
                "Action": "sts:GetServiceBearerToken",
                "Resource": "*",
                "Condition": { "StringEquals": { "sts:AWSServiceName": "codeartifact.amazonaws.com" } }
            }
        ]
    })
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("policy document is not valid JSON: {0}")]
pub struct ParseError(pub String);

/// Parses a policy document as IAM returns it: URL-encoded JSON (moto sometimes sends it plain).
pub fn parse_document(raw: &str) -> Result<Value, ParseError> {
    let trimmed = raw.trim();
    if trimmed.starts_with('{')
        && let Ok(v) = serde_json::from_str(trimmed)
    {
        return Ok(v);
    }
    let decoded = urlencoding::decode(trimmed).map_err(|e| ParseError(e.to_string()))?;
    serde_json::from_str(&decoded).map_err(|e| ParseError(e.to_string()))
}

/// A string or an array of strings, as policy grammar allows.
pub fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// The statements of a document, whether `Statement` is an object or an array.
pub fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

/// IAM's `StringLike` matching: `*` any run, `?` any one character, case-sensitive.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    wildmatch::WildMatch::new(pattern).matches(text)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
    /// Any GitHub repository could assume the role.
    Critical,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
    pub fix: String,
}

mod trust_lint;
pub use trust_lint::lint_trust_policy;

mod diff;
pub use diff::{DiffLine, changed_lines, diff_json, pretty_lines};

mod normalize;
pub use normalize::{same_policy, sorted_keys};

#[cfg(test)]
mod tests;
