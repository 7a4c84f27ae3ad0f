//! ARNs cawiz builds, each in the partition of the setup's region (`aws`, `aws-us-gov`, `aws-cn`,
//! and the isolated ones). ARNs AWS returns (a role's, with its path) are used as AWS gives them;
//! these are for what does not exist yet and for the resources whose names fix their ARN.

use crate::setup::Setup;

/// The partition `region` belongs to.
pub fn partition(region: &str) -> &'static str {
    const ISOLATED: [(&str, &str); 4] = [
        ("-isob-", "aws-iso-b"),
        ("-isoe-", "aws-iso-e"),
        ("-isof-", "aws-iso-f"),
        ("-iso-", "aws-iso"),
    ];
    if region.starts_with("cn-") {
        return "aws-cn";
    }
    if region.starts_with("us-gov-") {
        return "aws-us-gov";
    }
    ISOLATED
        .iter()
        .find(|(infix, _)| region.contains(infix))
        .map_or("aws", |(_, partition)| partition)
}

/// The GitHub OIDC provider's ARN in `account` (IAM is global within the region's partition).
pub fn oidc_provider_arn(region: &str, account: &str) -> String {
    format!(
        "arn:{}:iam::{account}:oidc-provider/{}",
        partition(region),
        super::GITHUB_OIDC_HOST
    )
}

/// The ARN a role created by cawiz gets (no path). An existing role's ARN comes from GetRole.
pub fn new_role_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{}:iam::{account}:role/{name}", partition(region))
}

/// A customer-managed policy's ARN (cawiz creates policies without a path).
pub fn policy_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{}:iam::{account}:policy/{name}", partition(region))
}

fn codeartifact_base(setup: &Setup, account: &str) -> String {
    format!(
        "arn:{}:codeartifact:{}:{account}",
        partition(&setup.region),
        setup.region
    )
}

pub fn domain_arn(setup: &Setup, account: &str) -> String {
    format!(
        "{}:domain/{}",
        codeartifact_base(setup, account),
        setup.domain
    )
}

pub fn repository_arn(setup: &Setup, account: &str, repository: &str) -> String {
    format!(
        "{}:repository/{}/{repository}",
        codeartifact_base(setup, account),
        setup.domain
    )
}

/// The ARN of a PyPI package in the configured repository (namespace empty: `pypi//NAME`).
pub fn package_arn(setup: &Setup, account: &str, package: &str) -> String {
    format!(
        "{}:package/{}/{}/pypi//{package}",
        codeartifact_base(setup, account),
        setup.domain,
        setup.repository
    )
}

/// The resources of the publish policy's CodeArtifact statement: the domain (a token), the
/// setup's repository and its packages, in the configured region — never the domain's other
/// repositories: publishing into the upstream proxy is how dependency confusion starts.
pub fn publish_resources(setup: &Setup, account: &str) -> [String; 3] {
    [
        domain_arn(setup, account),
        repository_arn(setup, account, &setup.repository),
        format!(
            "{}:package/{}/{}/*",
            codeartifact_base(setup, account),
            setup.domain,
            setup.repository
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_follow_the_region() {
        for (region, expected) in [
            ("us-east-1", "aws"),
            ("eu-west-3", "aws"),
            ("us-gov-west-1", "aws-us-gov"),
            ("cn-north-1", "aws-cn"),
            ("cn-northwest-1", "aws-cn"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
        ] {
            assert_eq!(partition(region), expected, "{region}");
        }
    }

    #[test]
    fn arns_carry_the_partition() {
        let mut setup = Setup::for_github("octo-org", "widgets");
        setup.region = "us-gov-west-1".to_owned();
        let account = "123456789012";
        assert_eq!(
            oidc_provider_arn(&setup.region, account),
            "arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
        );
        assert_eq!(
            domain_arn(&setup, account),
            "arn:aws-us-gov:codeartifact:us-gov-west-1:123456789012:domain/octo-org"
        );
        assert_eq!(
            package_arn(&setup, account, "widgets"),
            "arn:aws-us-gov:codeartifact:us-gov-west-1:123456789012:package/octo-org/widgets/pypi//widgets"
        );
        assert_eq!(
            policy_arn("cn-north-1", account, "P"),
            "arn:aws-cn:iam::123456789012:policy/P"
        );
        assert_eq!(
            new_role_arn("us-east-1", account, "R"),
            "arn:aws:iam::123456789012:role/R"
        );
    }
}
