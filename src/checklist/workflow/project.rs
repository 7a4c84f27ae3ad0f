//! The project's own npm configuration (package.json, the project's `.npmrc`), judged by
//! [`crate::format::npm_project`] when the setup has the npm format: a workflow that is right can
//! still publish elsewhere, or be denied, because of them. Read from the working tree's root only,
//! never through a link (`format::tree`); whether git tracks `.npmrc` is not asked (cawiz runs git
//! only for what reads neither the index nor the files).

use std::path::Path;

use crate::format::npm_project::{self, Level, NpmFinding, NpmProject, NpmTarget, check};
use crate::format::{Format, tree};
use crate::policy::format_package_arn;

const SCOPE: &str = "npm-scope-namespace";
const PUBLISH: &str = "codeartifact:PublishPackageVersion";

use super::super::Context;
use super::super::ItemId;
use super::super::rows::{Row, Verdict};

/// The cause ids these findings carry, in the rows' order.
pub const NPM_CAUSES: [&str; 3] = [
    "npm-registry-elsewhere",
    "npm-scope-namespace",
    "npm-token-config",
];

/// The npm project files at `root`.
pub fn read_project(root: &Path) -> NpmProject {
    NpmProject {
        package_json: tree::read_text(root, "package.json"),
        npmrc: tree::read_text(root, ".npmrc"),
        npmrc_tracked: None,
    }
}

/// Whether a registry URL in the project needs the repository's real endpoint to be judged.
fn names_a_registry(p: &NpmProject) -> bool {
    p.package_json
        .as_deref()
        .is_some_and(|t| t.contains("publishConfig"))
        || p.npmrc.as_deref().is_some_and(|t| t.contains("registry"))
}

/// The setup's npm target, without the endpoint.
fn target(ctx: &Context) -> Option<NpmTarget> {
    let s = &ctx.setup;
    let npm = s.format(Format::Npm)?;
    Some(NpmTarget {
        domain: s.domain.clone(),
        owner: ctx.account.clone(),
        region: s.region.clone(),
        repository: s.repository.clone(),
        namespace: npm.namespace.clone(),
        endpoint: None,
    })
}

/// The findings of the working tree's npm files (`None`: the setup has no npm format or no tree).
/// The repository's npm endpoint is asked for only when a file names a registry.
pub async fn read(ctx: &Context) -> Option<Vec<NpmFinding>> {
    let mut target = target(ctx)?;
    let root = ctx.workflow.root.as_deref()?;
    let project = read_project(root);
    if names_a_registry(&project) {
        let s = &ctx.setup;
        target.endpoint = ctx
            .clients
            .repository_endpoint(&s.domain, &ctx.account, &s.repository, Format::Npm)
            .await
            .ok()
            .filter(|e| !e.is_empty());
    }
    let findings = check(&project, &target);
    Some(confirm_scope(ctx, &project, findings).await)
}

/// The ARN package.json's package publishes to, when its name is valid.
fn package_arn(ctx: &Context, project: &NpmProject) -> Option<String> {
    let name = npm_project::package_name(project.package_json.as_deref()?)?;
    let (scope, bare) = crate::format::npm_split_scope(&name);
    Some(format_package_arn(
        &ctx.setup,
        &ctx.account,
        Format::Npm,
        scope,
        bare,
    ))
}

/// An `npm-scope-namespace` finding is what the setup says; the role's policies decide. It is
/// kept only when SimulatePrincipalPolicy denies PublishPackageVersion on the package's real ARN
/// (with that evidence); dropped when they allow it; a warning saying so when the simulation
/// could not run.
async fn confirm_scope(
    ctx: &Context,
    project: &NpmProject,
    mut findings: Vec<NpmFinding>,
) -> Vec<NpmFinding> {
    let Some(at) = findings.iter().position(|f| f.cause == SCOPE) else {
        return findings;
    };
    let answer = match package_arn(ctx, project) {
        Some(arn) => ctx
            .clients
            .simulate(&ctx.role_arn(), &[PUBLISH], &arn, &[])
            .await
            .map(|sims| (arn, sims)),
        None => return findings,
    };
    let f = &mut findings[at];
    match answer {
        Ok((_, sims)) if !sims.is_empty() && sims.iter().all(|s| s.allowed()) => {
            findings.remove(at);
        }
        Ok((arn, sims)) => {
            let decision = sims.first().map_or("no answer", |s| s.decision.as_str());
            f.message = format!(
                "{} (SimulatePrincipalPolicy on {arn}: {decision})",
                f.message
            );
        }
        Err(e) => {
            f.level = Level::Warning;
            f.message = format!(
                "{} — not confirmed: SimulatePrincipalPolicy failed ({e})",
                f.message
            );
        }
    }
    findings
}

/// One row per cause: fail on an error, warn on a warning, each finding's place as evidence.
pub fn rows(findings: &[NpmFinding]) -> Vec<Row> {
    NPM_CAUSES
        .into_iter()
        .map(|cause| {
            let found: Vec<&NpmFinding> = findings.iter().filter(|f| f.cause == cause).collect();
            let verdict = match found.iter().map(|f| f.level).max() {
                Some(Level::Error) => Verdict::Fail,
                Some(Level::Warning) => Verdict::Warn,
                None => Verdict::Ok,
            };
            let mut row = Row::new(format!("npm:{cause}"), cause, verdict);
            for f in &found {
                row = row.evidence(format!("{}:{}: {}", f.file, f.line, f.message));
            }
            if let Some(f) = found.first() {
                row = row.fix(f.fix.clone(), Some(ItemId::Workflow));
            }
            row
        })
        .collect()
}

/// The error findings, for the item's summary (`package.json:4 npm-registry-elsewhere`).
pub fn errors(findings: &[NpmFinding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .map(|f| format!("{}:{} {}", f.file, f.line, f.cause))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_not_followed_and_rows_follow_levels() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(outside.path().join("rc"), "_authToken=x").expect("write");
        std::os::unix::fs::symlink(outside.path().join("rc"), dir.path().join(".npmrc"))
            .expect("link");
        assert_eq!(read_project(dir.path()).npmrc, None);
        let findings = vec![NpmFinding {
            cause: "npm-token-config",
            level: Level::Warning,
            file: ".npmrc",
            line: 3,
            message: "m".to_owned(),
            fix: "f".to_owned(),
        }];
        let rows = rows(&findings);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2].verdict, Verdict::Warn);
        assert_eq!(rows[2].evidence, vec![".npmrc:3: m".to_owned()]);
        assert_eq!(rows[0].verdict, Verdict::Ok);
        assert!(errors(&findings).is_empty());
    }
}
