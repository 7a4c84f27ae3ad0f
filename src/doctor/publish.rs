//! "403 on publish": the publish policy (exists, attached, what the simulation allows, boundaries
//! and SCPs), the resource policies on the domain and repository, the names the workflow passes,
//! the package's origin controls, an existing version, and where the workflow uploads.

use crate::aws::Simulation;
use crate::checklist::{Context, ItemId};
use crate::github::Lookup;

use crate::workflow::LintId;

use super::evidence::Evidence;
use super::report::{CauseReport, Verdict, fixable, report};

const TOKEN_ACTIONS: [&str; 2] = [
    "codeartifact:GetAuthorizationToken",
    "sts:GetServiceBearerToken",
];
pub(super) const PUBLISH: &str = "codeartifact:PublishPackageVersion";

/// Every simulation result: the role check's, then the doctor's package's own.
fn simulations(e: &Evidence) -> Result<Vec<Simulation>, String> {
    let facts = e.role.as_ref().map_err(ToString::to_string)?;
    let mut all = match &facts.simulations {
        Some(Ok(s)) => s.clone(),
        Some(Err(err)) => return Err(format!("SimulatePrincipalPolicy: {err}")),
        None => return Err("no role to simulate (role-missing)".to_owned()),
    };
    if let Some(extra) = &e.package_simulation {
        let extra = extra
            .as_ref()
            .map_err(|err| format!("SimulatePrincipalPolicy: {err}"))?;
        all.retain(|s| s.action != PUBLISH);
        all.extend(extra.iter().cloned());
    }
    Ok(all)
}

fn line(s: &Simulation) -> String {
    let by = s
        .denied_by()
        .map_or_else(String::new, |by| format!(" by {by}"));
    let matched = if s.matched.is_empty() {
        String::new()
    } else {
        format!(" ({})", s.matched.join(", "))
    };
    format!(
        "SimulatePrincipalPolicy {} on {}: {}{by}{matched}",
        s.action, s.resource, s.decision
    )
}

/// Whether every simulated action is allowed (another policy may grant what the configured one
/// does not): then a missing or detached configured policy is not the cause.
fn all_allowed(e: &Evidence) -> bool {
    simulations(e).is_ok_and(|s| !s.is_empty() && s.iter().all(Simulation::allowed))
}

pub(super) fn policy_missing(e: &Evidence, ctx: &Context) -> CauseReport {
    let name = &ctx.setup.policy_name;
    let r = match &e.role {
        Err(err) => report("policy-missing", Verdict::Unknown(err.to_string()), vec![]),
        Ok(f) if f.policy.is_some() => report(
            "policy-missing",
            Verdict::Ok,
            vec![format!("GetPolicy {}: exists", f.policy_arn)],
        ),
        Ok(f) if all_allowed(e) => report(
            "policy-missing",
            Verdict::Ok,
            vec![format!(
                "GetPolicy {}: NoSuchEntity, but the role's other policies allow every publish action",
                f.policy_arn
            )],
        ),
        Ok(f) => report(
            "policy-missing",
            Verdict::Fail,
            vec![format!("GetPolicy {} ({name}): NoSuchEntity", f.policy_arn)],
        ),
    };
    fixable(r, ItemId::Role)
}

pub(super) fn policy_not_attached(e: &Evidence, ctx: &Context) -> CauseReport {
    let role = &ctx.setup.role_name;
    let r = match &e.role {
        Err(err) => report(
            "policy-not-attached",
            Verdict::Unknown(err.to_string()),
            vec![],
        ),
        Ok(f) if f.role.is_none() => report(
            "policy-not-attached",
            Verdict::Skip("no role (role-missing)".to_owned()),
            vec![],
        ),
        Ok(f) if f.policy.is_none() => report(
            "policy-not-attached",
            Verdict::Skip("no policy to attach (policy-missing)".to_owned()),
            vec![],
        ),
        Ok(f) => {
            let attached = f.attached.contains(&f.policy_arn);
            let evidence = vec![format!(
                "ListAttachedRolePolicies {role}: [{}]",
                f.attached.join(", ")
            )];
            let verdict = if attached || all_allowed(e) {
                Verdict::Ok
            } else {
                Verdict::Fail
            };
            report("policy-not-attached", verdict, evidence)
        }
    };
    fixable(r, ItemId::Role)
}

/// A cause judged by the simulation of `actions`: fails when one is not allowed for want of a
/// grant (a boundary's or an SCP's denial is `boundary-or-scp-deny`'s).
fn by_simulation(e: &Evidence, id: &str, actions: &[&str]) -> CauseReport {
    let results = match simulations(e) {
        Ok(r) => r,
        Err(why) => return fixable(report(id, Verdict::Unknown(why), vec![]), ItemId::Role),
    };
    let relevant: Vec<&Simulation> = results
        .iter()
        .filter(|s| actions.contains(&s.action.as_str()))
        .collect();
    let missing = relevant
        .iter()
        .any(|s| !s.allowed() && s.denied_by().is_none());
    let verdict = if missing { Verdict::Fail } else { Verdict::Ok };
    let evidence = relevant.iter().map(|s| line(s)).collect();
    fixable(report(id, verdict, evidence), ItemId::Role)
}

pub(super) fn token_denied(e: &Evidence) -> CauseReport {
    by_simulation(e, "token-denied", &TOKEN_ACTIONS)
}

pub(super) fn publish_denied(e: &Evidence) -> CauseReport {
    by_simulation(e, "publish-denied", &[PUBLISH])
}

pub(super) fn boundary_or_scp(e: &Evidence) -> CauseReport {
    let results = match simulations(e) {
        Ok(r) => r,
        Err(why) => return report("boundary-or-scp-deny", Verdict::Unknown(why), vec![]),
    };
    let denied: Vec<String> = results
        .iter()
        .filter(|s| s.denied_by().is_some())
        .map(line)
        .collect();
    if denied.is_empty() {
        let boundary = e
            .role
            .as_ref()
            .ok()
            .and_then(|f| f.role.as_ref())
            .and_then(|r| r.permissions_boundary.clone());
        let what = boundary.map_or_else(
            || "no permissions boundary; no SCP denies a publish action".to_owned(),
            |b| format!("boundary {b} and the SCPs allow every publish action"),
        );
        return report("boundary-or-scp-deny", Verdict::Ok, vec![what]);
    }
    report("boundary-or-scp-deny", Verdict::Fail, denied)
}

pub(super) fn names_mismatch(e: &Evidence, ctx: &Context) -> CauseReport {
    if e.variable("AWS_REGION").is_none() {
        return fixable(
            report(
                "names-mismatch",
                Verdict::Unknown(
                    "the repository's variables could not be read (no GitHub token or no access)"
                        .to_owned(),
                ),
                vec![],
            ),
            ItemId::Variables,
        );
    }
    let s = &ctx.setup;
    let wanted = [
        ("CODEARTIFACT_DOMAIN", s.domain.as_str()),
        ("CODEARTIFACT_REPOSITORY", s.repository.as_str()),
        ("AWS_REGION", s.region.as_str()),
        ("AWS_ACCOUNT_ID", ctx.account.as_str()),
    ];
    let mut wrong = Vec::new();
    let mut right = Vec::new();
    let mut undecided = Vec::new();
    for (name, value) in wanted {
        match e.variable(name) {
            Some(Lookup::Found(f)) if f.value == value => {
                right.push(format!("{name}={}", f.describe()));
            }
            Some(Lookup::Found(f)) => wrong.push(format!(
                "{name} = {}, but the real one is {value}",
                f.describe()
            )),
            Some(Lookup::Unreadable(why)) => {
                undecided.push(format!("{name}: not found where cawiz could read ({why})"));
            }
            Some(Lookup::Missing) | None => {
                wrong.push(format!("{name} is not set (should be {value})"));
            }
        }
    }
    if let Ok(None) = &e.domain {
        wrong.push(format!(
            "DescribeDomain {} (owner {}): not found in {}",
            s.domain, ctx.account, s.region
        ));
    }
    if let Ok(None) = &e.repository {
        wrong.push(format!("DescribeRepository {}: not found", s.repository));
    }
    wrong.extend(e.lint_lines(LintId::RegionMismatch));
    let verdict = if !wrong.is_empty() {
        Verdict::Fail
    } else if !undecided.is_empty() {
        wrong = undecided;
        Verdict::Unknown("a variable is missing where cawiz could read".to_owned())
    } else {
        wrong.push(format!(
            "variables match the resources: {}",
            right.join(", ")
        ));
        Verdict::Ok
    };
    fixable(report("names-mismatch", verdict, wrong), ItemId::Variables)
}

pub(super) fn origin_blocked(e: &Evidence) -> CauseReport {
    let name = &e.target.normalized;
    match &e.package.info {
        Err(err) => report("origin-blocked", Verdict::Unknown(err.to_string()), vec![]),
        Ok(None) => report(
            "origin-blocked",
            Verdict::Ok,
            vec![format!(
                "DescribePackage {name}: not in the repository yet (a new name may be published)"
            )],
        ),
        Ok(Some(p)) => {
            let publish = p.origin_publish.as_deref().unwrap_or("ALLOW");
            let verdict = if publish == "BLOCK" {
                Verdict::Fail
            } else {
                Verdict::Ok
            };
            report(
                "origin-blocked",
                verdict,
                vec![format!(
                    "DescribePackage {name}: originConfiguration.restrictions.publish = {publish}, upstream = {}",
                    p.origin_upstream.as_deref().unwrap_or("ALLOW")
                )],
            )
        }
    }
}

pub(super) fn version_exists(e: &Evidence) -> CauseReport {
    let name = &e.target.normalized;
    let Some(version) = &e.target.version else {
        return report(
            "version-exists",
            Verdict::Skip(
                "no version to look for (--version, or pyproject.toml's version)".to_owned(),
            ),
            vec![],
        );
    };
    let described = |what: String| format!("DescribePackageVersion {name} {version}: {what}");
    match &e.package.version {
        None => report(
            "version-exists",
            Verdict::Unknown("the version was not read".to_owned()),
            vec![],
        ),
        Some(Err(err)) => report("version-exists", Verdict::Unknown(err.to_string()), vec![]),
        Some(Ok(None)) => report(
            "version-exists",
            Verdict::Ok,
            vec![described(format!("not there; {}", e.package.newest_line()))],
        ),
        Some(Ok(Some(v))) => report(
            "version-exists",
            Verdict::Fail,
            vec![described(format!(
                "exists ({}, origin {})",
                v.status,
                v.origin_type.as_deref().unwrap_or("UNKNOWN")
            ))],
        ),
    }
}

pub(super) fn upload_target(e: &Evidence) -> CauseReport {
    let r = match &e.workflow.file {
        None => report(
            "upload-target",
            Verdict::Unknown("no publishing workflow to read".to_owned()),
            vec![],
        ),
        Some((path, _, _)) => {
            let mut lines = e.lint_lines(LintId::UploadToPypi);
            lines.extend(e.lint_lines(LintId::SkipExistingUnsupported));
            if lines.is_empty() {
                report(
                    "upload-target",
                    Verdict::Ok,
                    vec![format!(
                        "{path}: twine uploads to the repository's endpoint"
                    )],
                )
            } else {
                report("upload-target", Verdict::Fail, lines)
            }
        }
    };
    fixable(r, ItemId::Workflow)
}
