//! "403 on publish", npm's own causes: the project's package.json and `.npmrc`, judged where the
//! workflow item judges them (`checklist::workflow::project`, the scope confirmed by
//! SimulatePrincipalPolicy), so the item and the doctor never disagree.

use crate::checklist::Context;
use crate::checklist::workflow::project::NPM_CAUSES;
use crate::format::Format;
use crate::format::npm_project::{Level, NpmFinding};

use super::evidence::Evidence;
use super::report::{CauseReport, Verdict, report};

fn judge(cause: &'static str, findings: &[NpmFinding]) -> CauseReport {
    let found: Vec<&NpmFinding> = findings.iter().filter(|f| f.cause == cause).collect();
    let verdict = match found.iter().map(|f| f.level).max() {
        Some(Level::Error) => Verdict::Fail,
        Some(Level::Warning) => Verdict::Warn,
        None => Verdict::Ok,
    };
    let evidence = if found.is_empty() {
        vec![
            "package.json and the project's .npmrc (read from the working tree): nothing found"
                .to_owned(),
        ]
    } else {
        found
            .iter()
            .map(|f| format!("{}:{}: {}", f.file, f.line, f.message))
            .collect()
    };
    report(cause, verdict, evidence)
}

/// The npm causes: skipped without the npm format, unknown without a working tree.
pub(super) fn causes(e: &Evidence, ctx: &Context) -> Vec<CauseReport> {
    let verdict_for_all = if ctx.setup.format(Format::Npm).is_none() {
        Some(Verdict::Skip("the setup has no npm format".to_owned()))
    } else if ctx.workflow.root.is_none() {
        Some(Verdict::Unknown(
            "not run in a working tree: package.json and .npmrc were not read".to_owned(),
        ))
    } else {
        None
    };
    NPM_CAUSES
        .into_iter()
        .map(|cause| match (&verdict_for_all, &e.workflow.facts.npm) {
            (Some(v), _) => report(cause, v.clone(), vec![]),
            (None, Some(findings)) => judge(cause, findings),
            (None, None) => report(
                cause,
                Verdict::Unknown("package.json and .npmrc were not read".to_owned()),
                vec![],
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_fails_its_cause_only() {
        let f = NpmFinding {
            cause: "npm-token-config",
            level: Level::Error,
            file: ".npmrc",
            line: 2,
            message: "literal".to_owned(),
            fix: "delete".to_owned(),
        };
        let r = judge("npm-token-config", std::slice::from_ref(&f));
        assert_eq!(r.verdict, Verdict::Fail);
        assert_eq!(r.evidence, vec![".npmrc:2: literal".to_owned()]);
        assert_eq!(r.cause.id, "npm-token-config");
        let r = judge("npm-registry-elsewhere", &[f]);
        assert_eq!(r.verdict, Verdict::Ok);
        assert_eq!(r.cause.id, "npm-registry-elsewhere");
    }
}
