//! PyPI packages in a repository, and the resource policies on domains and repositories: the
//! evidence the doctor reads. `Ok(None)` where "does not exist" is an answer (the package, the
//! version, or a policy that was never put: AWS answers ResourceNotFoundException for each).
//!
//! Every call takes a package name in any spelling and asks CodeArtifact with its PEP 503 form:
//! pip and twine accept `My_Pkg`, but "the normalized name must be used in CodeArtifact CLI or API
//! requests" (User Guide, "Python package name normalization"), where `My_Pkg` is not found.
//!
//! A package of an old account has thousands of versions (50 a page by default): cawiz asks for
//! the version in question (DescribePackageVersion) and, for "the newest" and "any published",
//! reads one page of up to 1,000 sorted newest first — never every page.

use aws_sdk_codeartifact::types::{
    PackageFormat, PackageOriginRestrictions, PackageVersionOrigin, PackageVersionSortType,
    PackageVersionStatus, PackageVersionSummary,
};

use super::{AwsError, Clients, found};
use crate::listing::{Listed, Listing};
use crate::setup::normalize_package_name;

/// ListPackageVersions' largest page (`maxResults`, service model: 1–1000).
pub const MAX_VERSIONS_PAGE: i32 = 1000;

/// What DescribePackage says about a package (format pypi).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageInfo {
    /// The name asked for (PEP 503).
    pub name: String,
    /// The name CodeArtifact answers with (`PackageDescription.name`): PyPI names are stored
    /// PEP 503-normalised, and the API finds a package only by that form.
    pub normalized_name: Option<String>,
    /// `originConfiguration.restrictions.publish`: `ALLOW` or `BLOCK`.
    pub origin_publish: Option<String>,
    /// `originConfiguration.restrictions.upstream`: `ALLOW` or `BLOCK`.
    pub origin_upstream: Option<String>,
}

/// One version as ListPackageVersions lists it (`PackageVersionSummary`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageVersionInfo {
    pub version: String,
    /// `Published`, `Unlisted`, `Archived`, `Disposed`, `Deleted` or `Unfinished`.
    pub status: String,
    /// `origin.originType`: `INTERNAL` (published to the domain), `EXTERNAL` (fetched through an
    /// external connection) or `UNKNOWN`.
    pub origin_type: Option<String>,
    /// `origin.domainEntryPoint.repositoryName`: the repository it was published to.
    pub origin_repository: Option<String>,
    /// `origin.domainEntryPoint.externalConnectionName`: the connection it came through.
    pub external_connection: Option<String>,
}

fn restrictions(r: Option<&PackageOriginRestrictions>) -> (Option<String>, Option<String>) {
    (
        r.map(|r| r.publish().as_str().to_owned()),
        r.map(|r| r.upstream().as_str().to_owned()),
    )
}

fn info(version: &str, status: &str, origin: Option<&PackageVersionOrigin>) -> PackageVersionInfo {
    let entry = origin.and_then(|o| o.domain_entry_point());
    PackageVersionInfo {
        version: version.to_owned(),
        status: status.to_owned(),
        origin_type: origin
            .and_then(|o| o.origin_type())
            .map(|t| t.as_str().to_owned()),
        origin_repository: entry.and_then(|e| e.repository_name()).map(str::to_owned),
        external_connection: entry
            .and_then(|e| e.external_connection_name())
            .map(str::to_owned),
    }
}

fn version_info(v: &PackageVersionSummary) -> PackageVersionInfo {
    info(v.version(), v.status().as_str(), v.origin())
}

/// What ListPackageVersions was asked for, in words.
fn newest_what(package: &str, repository: &str, status: Option<&str>) -> String {
    let which = status.map_or_else(|| "versions".to_owned(), |s| format!("{s} versions"));
    format!("the newest {which} of {package} in {repository}")
}

/// One page of a listing: the first page's not-found means there is nothing to list (`None`);
/// a later page's is an error (what was being listed vanished midway).
fn page<T>(result: Result<T, AwsError>, first: bool) -> Result<Option<T>, AwsError> {
    if first {
        found(result)
    } else {
        result.map(Some)
    }
}

impl Clients {
    /// DescribePackage (format pypi). `None` when the package, its repository or its domain does
    /// not exist.
    pub async fn describe_package(
        &self,
        domain: &str,
        owner: &str,
        repository: &str,
        package: &str,
    ) -> Result<Option<PackageInfo>, AwsError> {
        const OP: &str = "DescribePackage";
        let package = normalize_package_name(package);
        let result = self
            .codeartifact
            .describe_package()
            .domain(domain)
            .domain_owner(owner)
            .repository(repository)
            .format(PackageFormat::Pypi)
            .package(&package)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e));
        let Some(out) = found(result)? else {
            return Ok(None);
        };
        let description = out.package();
        let (origin_publish, origin_upstream) = restrictions(
            description
                .and_then(|p| p.origin_configuration())
                .and_then(|c| c.restrictions()),
        );
        Ok(Some(PackageInfo {
            name: package.clone(),
            normalized_name: description.and_then(|p| p.name()).map(str::to_owned),
            origin_publish,
            origin_upstream,
        }))
    }

    /// DescribePackageVersion (format pypi): the version in question. `None` when the package or
    /// the version does not exist.
    pub async fn describe_package_version(
        &self,
        domain: &str,
        owner: &str,
        repository: &str,
        package: &str,
        version: &str,
    ) -> Result<Option<PackageVersionInfo>, AwsError> {
        const OP: &str = "DescribePackageVersion";
        let package = normalize_package_name(package);
        let result = self
            .codeartifact
            .describe_package_version()
            .domain(domain)
            .domain_owner(owner)
            .repository(repository)
            .format(PackageFormat::Pypi)
            .package(&package)
            .package_version(version)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e));
        let Some(out) = found(result)? else {
            return Ok(None);
        };
        Ok(out.package_version().map(|d| {
            let status = d.status().map_or("", |s| s.as_str());
            info(d.version().unwrap_or(version), status, d.origin())
        }))
    }

    /// The newest versions (format pypi), of `status` only when given: one page of
    /// ListPackageVersions sorted by publish time, newest first, up to 1,000 — the listing
    /// says whether that was all. `None` when the package does not exist.
    pub async fn newest_package_versions(
        &self,
        domain: &str,
        owner: &str,
        repository: &str,
        package: &str,
        status: Option<&str>,
    ) -> Result<Option<Listed<PackageVersionInfo>>, AwsError> {
        const OP: &str = "ListPackageVersions";
        let package = normalize_package_name(package);
        let result = self
            .codeartifact
            .list_package_versions()
            .domain(domain)
            .domain_owner(owner)
            .repository(repository)
            .format(PackageFormat::Pypi)
            .package(&package)
            .set_status(status.map(PackageVersionStatus::from))
            .sort_by(PackageVersionSortType::PublishedTime)
            .max_results(MAX_VERSIONS_PAGE)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e));
        let Some(out) = found(result)? else {
            return Ok(None);
        };
        let items: Vec<PackageVersionInfo> = out.versions().iter().map(version_info).collect();
        let listing = Listing {
            operation: OP.to_owned(),
            what: newest_what(&package, repository, status),
            pages: 1,
            items: items.len(),
            complete: out.next_token().is_none(),
        };
        Ok(Some(Listed { items, listing }))
    }

    /// ListPackageVersionAssets (format pypi, all pages): the file names. `None` when the package
    /// or the version does not exist.
    pub async fn list_package_version_assets(
        &self,
        domain: &str,
        owner: &str,
        repository: &str,
        package: &str,
        version: &str,
    ) -> Result<Option<Vec<String>>, AwsError> {
        const OP: &str = "ListPackageVersionAssets";
        let package = normalize_package_name(package);
        let mut pages = self
            .codeartifact
            .list_package_version_assets()
            .domain(domain)
            .domain_owner(owner)
            .repository(repository)
            .format(PackageFormat::Pypi)
            .package(package)
            .package_version(version)
            .into_paginator()
            .send();
        let mut names = Vec::new();
        let mut first = true;
        while let Some(result) = pages.next().await {
            let result = result.map_err(|e| AwsError::from_sdk(OP, &e));
            let Some(out) = page(result, std::mem::take(&mut first))? else {
                return Ok(None);
            };
            names.extend(out.assets().iter().map(|a| a.name().to_owned()));
        }
        Ok(Some(names))
    }

    /// The domain's resource policy document (GetDomainPermissionsPolicy). `None` when it has
    /// none (or the domain does not exist).
    pub async fn domain_permissions_policy(
        &self,
        domain: &str,
        owner: &str,
    ) -> Result<Option<String>, AwsError> {
        const OP: &str = "GetDomainPermissionsPolicy";
        let result = self
            .codeartifact
            .get_domain_permissions_policy()
            .domain(domain)
            .domain_owner(owner)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e));
        Ok(found(result)?.and_then(|out| out.policy()?.document().map(str::to_owned)))
    }

    /// The repository's resource policy document (GetRepositoryPermissionsPolicy). `None` when
    /// it has none (or the repository does not exist).
    pub async fn repository_permissions_policy(
        &self,
        domain: &str,
        owner: &str,
        repository: &str,
    ) -> Result<Option<String>, AwsError> {
        const OP: &str = "GetRepositoryPermissionsPolicy";
        let result = self
            .codeartifact
            .get_repository_permissions_policy()
            .domain(domain)
            .domain_owner(owner)
            .repository(repository)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e));
        Ok(found(result)?.and_then(|out| out.policy()?.document().map(str::to_owned)))
    }
}
