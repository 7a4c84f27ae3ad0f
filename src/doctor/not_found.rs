//! "Package not found": the upstream chain, whether the package and version were published and
//! in which status, the index pip uses and what it answers, and the name's spelling.

use crate::checklist::{Context, ItemId};
use crate::localtest::mask_url_credentials;

use super::evidence::Evidence;
use super::package::PUBLISHED;
use super::report::{CauseReport, Verdict, fixable, report};

pub(super) fn upstream(e: &Evidence, ctx: &Context) -> Vec<CauseReport> {
    let s = &ctx.setup;
    let (s_upstream, s_connection) = s.first_upstream().unwrap_or(("(none)", "(none)"));
    let ids = [
        "upstream-missing",
        "upstream-not-linked",
        "external-connection-missing",
    ];
    let (upstream, main) = match (&e.upstream, &e.repository) {
        (Ok(u), Ok(m)) => (u, m),
        (Err(err), _) | (_, Err(err)) => {
            return ids
                .iter()
                .map(|id| {
                    fixable(
                        report(id, Verdict::Unknown(err.to_string()), vec![]),
                        ItemId::Upstream,
                    )
                })
                .collect();
        }
    };
    let missing = match upstream {
        Some(u) => report(
            "upstream-missing",
            Verdict::Ok,
            vec![format!("DescribeRepository {}: {}", s_upstream, u.arn)],
        ),
        None => report(
            "upstream-missing",
            Verdict::Fail,
            vec![format!("DescribeRepository {}: not found", s_upstream)],
        ),
    };
    let linked = match main {
        None => report(
            "upstream-not-linked",
            Verdict::Skip(format!("no repository {}", s.repository)),
            vec![],
        ),
        Some(m) => {
            let verdict = if m.upstreams.iter().any(|u| u == s_upstream) {
                Verdict::Ok
            } else {
                Verdict::Fail
            };
            report(
                "upstream-not-linked",
                verdict,
                vec![format!(
                    "DescribeRepository {} upstreams: [{}]",
                    s.repository,
                    m.upstreams.join(", ")
                )],
            )
        }
    };
    let connection = match upstream {
        None => report(
            "external-connection-missing",
            Verdict::Skip(format!("no repository {}", s_upstream)),
            vec![],
        ),
        Some(u) => {
            let available = u
                .external_connections
                .iter()
                .any(|(name, status)| name == s_connection && status == "Available");
            let listed: Vec<String> = u
                .external_connections
                .iter()
                .map(|(n, st)| format!("{n} ({st})"))
                .collect();
            report(
                "external-connection-missing",
                if available {
                    Verdict::Ok
                } else {
                    Verdict::Fail
                },
                vec![format!(
                    "DescribeRepository {} externalConnections: [{}]",
                    s_upstream,
                    listed.join(", ")
                )],
            )
        }
    };
    [missing, linked, connection]
        .into_iter()
        .map(|r| fixable(r, ItemId::Upstream))
        .collect()
}

/// "DescribePackageVersion NAME VERSION in REPO: …".
fn described(e: &Evidence, ctx: &Context, version: &str, what: &str) -> String {
    format!(
        "DescribePackageVersion {} {version} in {}: {what}",
        e.target.normalized, ctx.setup.repository
    )
}

pub(super) fn package_not_published(e: &Evidence, ctx: &Context) -> CauseReport {
    let name = &e.target.normalized;
    let repo = &ctx.setup.repository;
    let newest = e.package.newest_line();
    let (verdict, evidence) = match (&e.target.version, &e.package.version, &e.package.info) {
        (Some(_), Some(Err(err)), _) | (None, _, Err(err)) => {
            (Verdict::Unknown(err.to_string()), vec![])
        }
        (Some(v), Some(Ok(Some(found))), _) => (
            Verdict::Ok,
            vec![described(
                e,
                ctx,
                v,
                &format!("{} ({newest})", found.status),
            )],
        ),
        (Some(v), Some(Ok(None)), _) | (Some(v), None, _) => (
            Verdict::Fail,
            vec![described(e, ctx, v, &format!("not found; {newest}"))],
        ),
        (None, _, Ok(None)) => (
            Verdict::Fail,
            vec![format!("DescribePackage {name} in {repo}: no such package")],
        ),
        (None, _, Ok(Some(_))) => (
            Verdict::Ok,
            vec![format!("DescribePackage {name} in {repo}: found; {newest}")],
        ),
    };
    report("package-not-published", verdict, evidence)
}

pub(super) fn version_status(e: &Evidence, ctx: &Context) -> CauseReport {
    let name = &e.target.normalized;
    let skip = |why: String| report("version-status", Verdict::Skip(why), vec![]);
    let unknown = |err: &dyn std::fmt::Display| {
        report("version-status", Verdict::Unknown(err.to_string()), vec![])
    };
    if let (Some(v), Some(read)) = (&e.target.version, &e.package.version) {
        return match read {
            Err(err) => unknown(err),
            Ok(None) => skip(format!("no version {v} (package-not-published)")),
            Ok(Some(found)) => report(
                "version-status",
                if found.status == PUBLISHED {
                    Verdict::Ok
                } else {
                    Verdict::Fail
                },
                vec![described(e, ctx, v, &format!("status {}", found.status))],
            ),
        };
    }
    match (&e.package.info, e.package.any_published()) {
        (Err(err), _) => unknown(err),
        (Ok(None), _) => skip("no such package (package-not-published)".to_owned()),
        (Ok(Some(_)), None) => match &e.package.published {
            Err(err) => unknown(err),
            Ok(_) => unknown(&"the versions could not be listed"),
        },
        (Ok(Some(_)), Some(any)) => report(
            "version-status",
            if any { Verdict::Ok } else { Verdict::Fail },
            vec![if any {
                format!("{name}: {}", e.package.newest_line())
            } else {
                format!(
                    "DescribePackage finds {name}, ListPackageVersions (status Published) \
                     lists none: every version is Unlisted, Archived or Disposed"
                )
            }],
        ),
    }
}

/// An index or endpoint URL without credentials, `simple/` or trailing slashes, for comparing.
fn bare(url: &str) -> String {
    let masked = mask_url_credentials(url);
    let no_auth = match masked.split_once("://") {
        Some((scheme, rest)) => {
            let rest = rest.split_once('@').map_or(rest, |(_, host)| host);
            format!("{scheme}://{rest}")
        }
        None => masked,
    };
    let trimmed = no_auth.trim_end_matches('/');
    trimmed
        .strip_suffix("/simple")
        .unwrap_or(trimmed)
        .to_lowercase()
}

/// pip's configured index when it is this repository's endpoint: `Ok(true)`.
fn pip_uses_repository(e: &Evidence) -> Result<Option<(bool, String)>, String> {
    let index = e.pip.index_url.clone()?;
    let endpoint = e.endpoint.as_ref().map_err(ToString::to_string)?;
    Ok(index.map(|i| (bare(&i) == bare(endpoint), i)))
}

pub(super) fn wrong_endpoint(e: &Evidence, ctx: &Context) -> CauseReport {
    let endpoint = e.endpoint.as_deref().unwrap_or("?");
    match pip_uses_repository(e) {
        Err(why) => report("wrong-endpoint", Verdict::Unknown(why), vec![]),
        Ok(None) => report(
            "wrong-endpoint",
            Verdict::Skip(
                "pip on this machine has no index-url (it uses pypi.org): if the failing install \
                 runs elsewhere, its index must be the repository's endpoint"
                    .to_owned(),
            ),
            vec![format!(
                "GetRepositoryEndpoint {}: {endpoint}",
                ctx.setup.repository
            )],
        ),
        Ok(Some((same, index))) => report(
            "wrong-endpoint",
            if same { Verdict::Ok } else { Verdict::Fail },
            vec![
                format!("pip config index-url: {index}"),
                format!("GetRepositoryEndpoint {}: {endpoint}", ctx.setup.repository),
            ],
        ),
    }
}

fn auth_failure(line: &str) -> bool {
    let l = line.to_lowercase();
    l.contains("401 error")
        || l.contains("credentials not correct")
        || l.contains("401 client error")
}

pub(super) fn token_expired(e: &Evidence) -> CauseReport {
    match pip_uses_repository(e) {
        Err(why) => return report("token-expired", Verdict::Unknown(why), vec![]),
        Ok(None) | Ok(Some((false, _))) => {
            return report(
                "token-expired",
                Verdict::Skip("pip here does not use the repository's endpoint".to_owned()),
                vec![],
            );
        }
        Ok(Some((true, _))) => {}
    }
    let Some(answer) = &e.pip.versions else {
        return report(
            "token-expired",
            Verdict::Unknown("pip could not be run".to_owned()),
            vec![],
        );
    };
    let name = &e.target.normalized;
    let auth: Vec<String> = answer
        .lines
        .iter()
        .filter(|l| auth_failure(l))
        .cloned()
        .collect();
    if !auth.is_empty() {
        return report("token-expired", Verdict::Fail, auth);
    }
    let published = e.package.any_published() == Some(true);
    if !answer.found && published {
        let mut evidence = vec![format!(
            "pip index versions {name} through the repository found nothing, while ListPackageVersions lists published versions: CodeArtifact may answer 404 for an expired or wrong token"
        )];
        evidence.extend(answer.lines.iter().rev().take(2).cloned());
        return report("token-expired", Verdict::Fail, evidence);
    }
    report(
        "token-expired",
        Verdict::Ok,
        vec![format!(
            "pip index versions {name}: {}",
            answer.lines.first().cloned().unwrap_or_default()
        )],
    )
}
