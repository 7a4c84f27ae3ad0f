//! The package the package-level causes look at, read by what they need to know (issue 23: a
//! package of an old account has thousands of versions, 50 a page): DescribePackage (whether it
//! exists, its origin controls), DescribePackageVersion for the version in question, and one page
//! of the newest `Published` versions (the latest, and whether any is published). No call lists
//! every version.

use crate::aws::{AwsError, PackageInfo, PackageVersionInfo};
use crate::checklist::Context;
use crate::listing::{Listed, Listing};

/// The package the package-level causes look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// As given (`--package`, pyproject's `name`, or the repository's name).
    pub given: String,
    /// PEP 503: what CodeArtifact's API takes.
    pub normalized: String,
    pub version: Option<String>,
}

/// The status pip and twine see.
pub const PUBLISHED: &str = "Published";

/// How many of the newest versions the evidence names.
const SHOWN: usize = 10;

/// A read the package causes make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageCall {
    /// DescribePackage: whether the package exists, its origin controls.
    DescribePackage,
    /// DescribePackageVersion of the version in question.
    DescribePackageVersion(String),
    /// One page of ListPackageVersions, status `Published`, newest first.
    NewestPublished,
}

/// The reads for `target`: the version in question is asked for only when there is one.
pub fn plan(target: &Target) -> Vec<PackageCall> {
    let mut calls = vec![PackageCall::DescribePackage];
    calls.extend(
        target
            .version
            .clone()
            .map(PackageCall::DescribePackageVersion),
    );
    calls.push(PackageCall::NewestPublished);
    calls
}

/// The package as the repository holds it (asked for by its PEP 503 name).
#[derive(Debug, Clone)]
pub struct PackageRead {
    pub info: Result<Option<PackageInfo>, AwsError>,
    /// The version in question (`None`: there is none to look for).
    pub version: Option<Result<Option<PackageVersionInfo>, AwsError>>,
    /// The newest `Published` versions, newest first (`None`: no such package).
    pub published: Result<Option<Listed<PackageVersionInfo>>, AwsError>,
}

enum Answer {
    Package(Result<Option<PackageInfo>, AwsError>),
    Version(Result<Option<PackageVersionInfo>, AwsError>),
    Newest(Result<Option<Listed<PackageVersionInfo>>, AwsError>),
}

async fn call(ctx: &Context, target: &Target, call: &PackageCall) -> Answer {
    let s = &ctx.setup;
    let (domain, owner, repo) = (&s.domain, &ctx.account, &s.repository);
    let name = &target.normalized;
    let c = &ctx.clients;
    match call {
        PackageCall::DescribePackage => {
            Answer::Package(c.describe_package(domain, owner, repo, name).await)
        }
        PackageCall::DescribePackageVersion(version) => Answer::Version(
            c.describe_package_version(domain, owner, repo, name, version)
                .await,
        ),
        PackageCall::NewestPublished => Answer::Newest(
            c.newest_package_versions(domain, owner, repo, name, Some(PUBLISHED))
                .await,
        ),
    }
}

/// Makes the plan's reads, all at once.
pub async fn read(ctx: &Context, target: &Target) -> PackageRead {
    let calls = plan(target);
    let answers = futures::future::join_all(calls.iter().map(|c| call(ctx, target, c))).await;
    let mut read = PackageRead {
        info: Ok(None),
        version: None,
        published: Ok(None),
    };
    for answer in answers {
        match answer {
            Answer::Package(info) => read.info = info,
            Answer::Version(version) => read.version = Some(version),
            Answer::Newest(published) => read.published = published,
        }
    }
    read
}

impl PackageRead {
    /// Whether a `Published` version is known (`None`: the listing could not be read).
    pub fn any_published(&self) -> Option<bool> {
        match &self.published {
            Ok(Some(listed)) => Some(!listed.items.is_empty()),
            Ok(None) => Some(false),
            Err(_) => None,
        }
    }

    /// "newest published: 0.2.0, 0.1.9, … (1,000 listed, newest first; more not read)".
    pub fn newest_line(&self) -> String {
        let Ok(Some(listed)) = &self.published else {
            return "no Published version listed".to_owned();
        };
        if listed.items.is_empty() {
            return "no Published version (ListPackageVersions, status Published)".to_owned();
        }
        let shown: Vec<&str> = listed
            .items
            .iter()
            .take(SHOWN)
            .map(|v| v.version.as_str())
            .collect();
        let more = listed.items.len().saturating_sub(SHOWN);
        format!(
            "newest published: {}{} (ListPackageVersions, newest first: {} listed{})",
            shown.join(", "),
            if more > 0 { ", …" } else { "" },
            listed.items.len(),
            if listed.listing.complete {
                ""
            } else {
                ", older ones not read"
            }
        )
    }

    /// The listing read, for `--json`.
    pub fn listing(&self) -> Option<&Listing> {
        match &self.published {
            Ok(Some(listed)) => Some(&listed.listing),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(version: Option<&str>) -> Target {
        Target {
            given: "Widgets".to_owned(),
            normalized: "widgets".to_owned(),
            version: version.map(str::to_owned),
        }
    }

    #[test]
    fn the_version_in_question_is_asked_for_by_name_and_never_listed() {
        assert_eq!(
            plan(&target(Some("1.2.0"))),
            vec![
                PackageCall::DescribePackage,
                PackageCall::DescribePackageVersion("1.2.0".to_owned()),
                PackageCall::NewestPublished,
            ]
        );
        assert_eq!(
            plan(&target(None)),
            vec![PackageCall::DescribePackage, PackageCall::NewestPublished]
        );
    }

    fn version(v: &str) -> PackageVersionInfo {
        PackageVersionInfo {
            version: v.to_owned(),
            status: PUBLISHED.to_owned(),
            origin_type: Some("INTERNAL".to_owned()),
            origin_repository: Some("widgets".to_owned()),
            external_connection: None,
        }
    }

    fn read_with(items: Vec<PackageVersionInfo>, complete: bool) -> PackageRead {
        let listing = Listing {
            operation: "ListPackageVersions".to_owned(),
            what: "the newest Published versions of widgets in widgets".to_owned(),
            pages: 1,
            items: items.len(),
            complete,
        };
        PackageRead {
            info: Ok(None),
            version: None,
            published: Ok(Some(Listed { items, listing })),
        }
    }

    #[test]
    fn the_evidence_names_the_newest_few_and_says_when_older_ones_were_not_read() {
        let many: Vec<PackageVersionInfo> = (0..1000)
            .rev()
            .map(|n| version(&format!("0.1.{n}")))
            .collect();
        let read = read_with(many, false);
        assert_eq!(read.any_published(), Some(true));
        let line = read.newest_line();
        assert!(
            line.starts_with("newest published: 0.1.999, 0.1.998,"),
            "{line}"
        );
        assert!(line.contains("1000 listed, older ones not read"), "{line}");
        assert!(!line.contains("0.1.989"), "ten at most: {line}");
        let none = read_with(Vec::new(), true);
        assert_eq!(none.any_published(), Some(false));
        assert!(none.newest_line().starts_with("no Published version"));
    }
}
