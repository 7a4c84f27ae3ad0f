//! What a consumer does in its own account: log its clients in to this account's repository
//! (`aws codeartifact login --domain-owner THIS_ACCOUNT`: without it the CLI looks for the domain
//! in the consumer's own account), and the identity-policy statement its principals need — the
//! resource policies here grant nothing unless the consumer's own policies allow it too.

use serde_json::{Value, json};

use crate::setup::Setup;
use crate::shell::shell_quote as q;

/// What the consumer's own identity policy must allow.
pub const IDENTITY_ACTIONS: &[&str] = &[
    "codeartifact:GetAuthorizationToken",
    "codeartifact:ReadFromRepository",
    "sts:GetServiceBearerToken",
];

/// One command per client of the setup's formats: `aws codeartifact login --tool …` where the
/// AWS CLI has a tool for it, else the token and endpoint to configure the client with.
pub fn login_commands(setup: &Setup, owner: &str) -> Vec<String> {
    let common = format!(
        "--domain {} --domain-owner {} --region {}",
        q(&setup.domain),
        q(owner),
        q(&setup.region)
    );
    let mut out: Vec<String> = Vec::new();
    for f in &setup.formats {
        let line = match f.client.login_tool() {
            Some(tool) => format!(
                "aws codeartifact login --tool {tool} {common} --repository {}",
                q(&setup.repository)
            ),
            None => format!(
                "aws codeartifact get-authorization-token {common} --query authorizationToken \
                 --output text  # then: aws codeartifact get-repository-endpoint {common} \
                 --repository {} --format {}",
                q(&setup.repository),
                f.format
            ),
        };
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
}

/// The identity-policy document the consumer attaches to its principals (in its own account):
/// a token from this domain, reads from this repository, and the bearer token STS issues for
/// CodeArtifact.
pub fn identity_policy(domain_arn: &str, repository_arn: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["codeartifact:GetAuthorizationToken"],
                "Resource": domain_arn
            },
            {
                "Effect": "Allow",
                "Action": ["codeartifact:ReadFromRepository"],
                "Resource": repository_arn
            },
            {
                "Effect": "Allow",
                "Action": "sts:GetServiceBearerToken",
                "Resource": "*",
                "Condition": {"StringEquals": {"sts:AWSServiceName": "codeartifact.amazonaws.com"}}
            }
        ]
    })
}
