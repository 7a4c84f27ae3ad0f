//! ARNs cawiz builds, each in the partition of the setup's region (`aws`, `aws-us-gov`, `aws-cn`,
//! and the isolated ones). ARNs AWS returns (a role's, with its path) are used as AWS gives them;
//! these are for what does not exist yet and for the resources whose names fix their ARN.

use crate::format::{Format, FormatSetup};
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
    format_package_arn(setup, account, Format::Pypi, None, package)
}

/// The ARN of package `name` of `format` in `namespace` in the configured repository:
/// `package/DOMAIN/REPO/FORMAT/NAMESPACE/NAME`, the namespace segment empty for a package without
/// one (`pypi//NAME`, an unscoped npm package).
pub fn format_package_arn(
    setup: &Setup,
    account: &str,
    format: Format,
    namespace: Option<&str>,
    name: &str,
) -> String {
    format!(
        "{}:package/{}/{}/{format}/{}/{name}",
        codeartifact_base(setup, account),
        setup.domain,
        setup.repository,
        namespace.unwrap_or_default()
    )
}

/// What the publish policy grants of one format's packages: `FORMAT/NAMESPACE/*` when the setup
/// names the namespace (an npm scope), else `FORMAT/*` (every namespace and none).
fn format_packages(setup: &Setup, account: &str, entry: &FormatSetup) -> String {
    let tail = match &entry.namespace {
        Some(ns) => format!("{}/{ns}/*", entry.format),
        None => format!("{}/*", entry.format),
    };
    format!(
        "{}:package/{}/{}/{tail}",
        codeartifact_base(setup, account),
        setup.domain,
        setup.repository
    )
}

/// Per format of the setup, the ARN of the project's package that the role must be able to
/// publish: the GitHub repository's name as the format's API takes it, in the setup's namespace
/// (`pypi//widgets`, `npm/octo-org/widgets`).
pub fn probe_package_arns(setup: &Setup, account: &str) -> Vec<String> {
    setup
        .formats
        .iter()
        .map(|entry| {
            let (namespace, name) = entry.module().api_name(&setup.github_repo.to_lowercase());
            let namespace = entry.namespace.clone().or(namespace);
            format_package_arn(setup, account, entry.format, namespace.as_deref(), &name)
        })
        .collect()
}

/// The resources of the publish policy's CodeArtifact statement: the domain (a token), the
/// setup's repository and its packages of the setup's formats (in their namespaces), in the
/// configured region — never the domain's other repositories: publishing into the upstream proxy
/// is how dependency confusion starts.
pub fn publish_resources(setup: &Setup, account: &str) -> Vec<String> {
    let mut out = vec![
        domain_arn(setup, account),
        repository_arn(setup, account, &setup.repository),
    ];
    out.extend(
        setup
            .formats
            .iter()
            .map(|entry| format_packages(setup, account, entry)),
    );
    out
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

    #[test]
    fn package_arns_follow_each_format_and_namespace() {
        let mut setup = Setup::for_github("octo-org", "Widgets");
        setup.formats =
            crate::format::parse_formats("pypi:uv, npm@octo-org", &[]).expect("formats");
        let base = "arn:aws:codeartifact:us-east-1:123456789012";
        let account = "123456789012";
        assert_eq!(
            publish_resources(&setup, account),
            [
                format!("{base}:domain/octo-org"),
                format!("{base}:repository/octo-org/Widgets"),
                format!("{base}:package/octo-org/Widgets/pypi/*"),
                format!("{base}:package/octo-org/Widgets/npm/octo-org/*"),
            ]
        );
        assert_eq!(
            probe_package_arns(&setup, account),
            [
                format!("{base}:package/octo-org/Widgets/pypi//widgets"),
                format!("{base}:package/octo-org/Widgets/npm/octo-org/widgets"),
            ]
        );
        setup.formats = crate::format::parse_formats("npm", &[]).expect("formats");
        assert_eq!(
            publish_resources(&setup, account)[2],
            format!("{base}:package/octo-org/Widgets/npm/*")
        );
        assert_eq!(
            probe_package_arns(&setup, account),
            [format!("{base}:package/octo-org/Widgets/npm//widgets")]
        );
    }
}
