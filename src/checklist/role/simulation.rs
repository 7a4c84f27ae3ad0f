//! What the role must be allowed to do — each publish action on the ARN it needs — and
//! SimulatePrincipalPolicy of exactly that, as the role (its ARN as GetRole returns it).

use crate::aws::{AwsError, Simulation};
use crate::policy::{domain_arn, package_arn, repository_arn};
use crate::setup::normalize_package_name;

use super::super::Context;

pub const SERVICE_NAME_KEY: &str = "sts:AWSServiceName";
pub const CODEARTIFACT_SERVICE: &str = "codeartifact.amazonaws.com";

/// Actions needed on one resource ARN, with string context values.
pub type Group = (Vec<&'static str>, String, Vec<(&'static str, &'static str)>);

/// (actions, resource ARN, context) groups, one SimulatePrincipalPolicy call each.
pub fn groups(ctx: &Context) -> Vec<Group> {
    let s = &ctx.setup;
    let a = &ctx.account;
    let package = normalize_package_name(&s.github_repo);
    vec![
        (
            vec![
                "codeartifact:GetAuthorizationToken",
                "codeartifact:DescribeDomain",
            ],
            domain_arn(s, a),
            vec![],
        ),
        (
            vec![
                "codeartifact:ReadFromRepository",
                "codeartifact:GetRepositoryEndpoint",
                "codeartifact:DescribeRepository",
                "codeartifact:ListPackages",
            ],
            repository_arn(s, a, &s.repository),
            vec![],
        ),
        (
            vec![
                "codeartifact:PublishPackageVersion",
                "codeartifact:PutPackageMetadata",
                "codeartifact:DescribePackageVersion",
                "codeartifact:ListPackageVersions",
            ],
            package_arn(s, a, &package),
            vec![],
        ),
        (
            vec!["sts:GetServiceBearerToken"],
            "*".to_owned(),
            vec![(SERVICE_NAME_KEY, CODEARTIFACT_SERVICE)],
        ),
    ]
}

/// Every group simulated concurrently as `role_arn`; the first error wins.
pub async fn simulate(ctx: &Context, role_arn: &str) -> Result<Vec<Simulation>, AwsError> {
    let groups = groups(ctx);
    let calls = groups.iter().map(|(actions, resource, context)| {
        ctx.clients.simulate(role_arn, actions, resource, context)
    });
    let mut out = Vec::new();
    for result in futures::future::join_all(calls).await {
        out.extend(result?);
    }
    Ok(out)
}
