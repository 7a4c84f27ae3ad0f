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

/// A trust policy of one statement trusting `provider` for audience `sts.amazonaws.com` and the
/// `sub` values given (`like`: under `StringLike`, else `StringEquals`): for tests and examples.
pub fn subject_trust_policy(provider: &str, subjects: &[(&str, bool)]) -> Value {
    let mut condition = json!({
        "StringEquals": { format!("{GITHUB_OIDC_HOST}:aud"): OIDC_AUDIENCE }
    });
    for (value, like) in subjects {
        let op = if *like { "StringLike" } else { "StringEquals" };
        let entry = &mut condition[op][format!("{GITHUB_OIDC_HOST}:sub")];
        let mut values = strings(Some(entry));
        values.push((*value).to_owned());
        *entry = json!(values);
    }
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Federated": provider },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": condition
        }]
    })
}

pub fn trust_policy(setup: &Setup, account: &str, rules: &SubjectRules) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [trust_statement(setup, account, rules)]
    })
}

/// What the role may do on the upstream repository: read through it, nothing more.
pub const UPSTREAM_READ_ACTIONS: &[&str] = &[
    "codeartifact:ReadFromRepository",
    "codeartifact:GetRepositoryEndpoint",
    "codeartifact:DescribeRepository",
];

/// The least-privilege publish policy: the publish actions on the setup's domain, repository and
/// its packages in the configured region; reading only on the upstream repository; the bearer
/// token for CodeArtifact only.
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
                "Sid": "CodeArtifactReadUpstream",
                "Effect": "Allow",
                "Action": UPSTREAM_READ_ACTIONS,
                "Resource": upstream_resources(setup, account)
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

/// The upstream repositories' ARNs: one string for one upstream, else a list.
fn upstream_resources(setup: &Setup, account: &str) -> Value {
    let arns: Vec<String> = setup
        .upstreams()
        .into_iter()
        .map(|u| repository_arn(setup, account, u))
        .collect();
    match arns.as_slice() {
        [one] => json!(one),
        _ => json!(arns),
    }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// A fact worth knowing, nothing to fix (below every warning: never drift, never an exit code).
    Info,
    Warning,
    Error,
    /// Any GitHub repository could assume the role.
    Critical,
}

impl Severity {
    /// `info`, `warning`, `error`, `critical`: the word the CLI and the JSON print.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Critical => "critical",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
    pub fix: String,
}

mod arn;
pub use arn::{
    domain_arn, format_package_arn, new_role_arn, oidc_provider_arn, package_arn, partition,
    policy_arn, probe_package_arns, publish_resources, repository_arn,
};

mod subject;
pub use subject::{PatternScope, SubjectRules, context};

mod glob;
pub use glob::{covers, glob_match, overlaps};

pub mod eval;
mod operators;
mod principal;
mod terms;
pub use eval::Tri;

mod trust;
pub use trust::{
    Doors, RunClaims, RunVerdict, TrustParts, TrustReview, add_subject, doors, judge_run, narrow,
    narrow_to_scope, review_trust,
};

mod grants;
pub use grants::{CAWIZ_SIDS, broader_than_needed, document_allows, with_cawiz_statements};

mod diff;
pub use diff::{DiffLine, changed_lines, diff_json, pretty_lines};

mod normalize;
pub use normalize::{same_policy, sorted_keys};

mod resource;
pub use resource::{Principal, ResourceDecision, resource_policy_decision};

#[cfg(test)]
mod cases_tests;
#[cfg(test)]
mod resource_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod trust_scope_tests;
#[cfg(test)]
mod trust_tests;
