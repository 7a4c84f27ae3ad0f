//! What the role must be allowed to do — each publish action on the ARN it needs — and
//! SimulatePrincipalPolicy of exactly that, as the role (its ARN as GetRole returns it).

use crate::aws::{AwsError, Simulation};
use crate::policy::{domain_arn, probe_package_arns, repository_arn};

use super::super::Context;

pub const SERVICE_NAME_KEY: &str = "sts:AWSServiceName";
pub const CODEARTIFACT_SERVICE: &str = "codeartifact.amazonaws.com";

/// Actions needed on one resource ARN, with string context values.
pub type Group = (Vec<&'static str>, String, Vec<(&'static str, &'static str)>);

/// What the role does to the project's package, on its ARN in each format of the setup.
const PACKAGE_ACTIONS: [&str; 4] = [
    "codeartifact:PublishPackageVersion",
    "codeartifact:PutPackageMetadata",
    "codeartifact:DescribePackageVersion",
    "codeartifact:ListPackageVersions",
];

/// (actions, resource ARN, context) groups, one SimulatePrincipalPolicy call each: the domain,
/// the repository, the project's package per format (`pypi//NAME`, `npm/SCOPE/NAME`), the bearer
/// token.
pub fn groups(ctx: &Context) -> Vec<Group> {
    let s = &ctx.setup;
    let a = &ctx.account;
    let packages = probe_package_arns(s, a)
        .into_iter()
        .map(|arn| (PACKAGE_ACTIONS.to_vec(), arn, vec![]));
    let mut groups = vec![
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
    ];
    groups.extend(packages);
    groups.push((
        vec!["sts:GetServiceBearerToken"],
        "*".to_owned(),
        vec![(SERVICE_NAME_KEY, CODEARTIFACT_SERVICE)],
    ));
    groups
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
