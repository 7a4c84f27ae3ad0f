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

/// The trust statement cawiz writes: this account's GitHub provider, audience
/// `sts.amazonaws.com`, and the configured repository's subject for the configured scope.
pub fn trust_statement(setup: &Setup, account: &str, rules: &SubjectRules) -> Value {
    let subject = rules.expected(&setup.scope);
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
        "Effect": "Allow",
        "Principal": { "Federated": oidc_provider_arn(&setup.region, account) },
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition
    })
}

pub fn trust_policy(setup: &Setup, account: &str, rules: &SubjectRules) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [trust_statement(setup, account, rules)]
    })
}

/// The least-privilege publish policy, scoped to the configured region and domain.
pub fn permissions_policy(setup: &Setup, account: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CodeArtifactPublish",
                "Effect": "Allow",
                "Action": CODEARTIFACT_ACTIONS,
                "Resource": publish_resources(setup, account)
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

mod arn;
pub use arn::{
    domain_arn, new_role_arn, oidc_provider_arn, package_arn, partition, policy_arn,
    publish_resources, repository_arn,
};

mod subject;
pub use subject::{PatternScope, SubjectRules, context};

mod trust;
pub use trust::{TrustReview, add_subject, narrow, review_trust};

mod trust_parts;
pub use trust_parts::{TrustParts, trust_parts};

mod grants;
pub use grants::{CAWIZ_SIDS, broader_than_needed, document_allows, with_cawiz_statements};

mod diff;
pub use diff::{DiffLine, changed_lines, diff_json, pretty_lines};

mod normalize;
pub use normalize::{same_policy, sorted_keys};

mod resource;
pub use resource::{Principal, ResourceDecision, resource_policy_decision};

#[cfg(test)]
mod resource_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod trust_tests;
