//! "Package not found", uv's and poetry's own index configuration (`index-config`): the
//! project's pyproject.toml and poetry.toml judged by [`crate::format::pypi_project`] against the
//! repository's PyPI endpoint (GetRepositoryEndpoint, read with the rest of the evidence).

use crate::checklist::Context;
use crate::format::pypi_project::{IndexFinding, PypiTarget, check_poetry, check_uv};
use crate::format::{Client, Format, tree};

use super::evidence::Evidence;
use super::report::{CauseReport, Verdict, report};

const ID: &str = "index-config";

fn target(e: &Evidence, ctx: &Context) -> PypiTarget {
    let s = &ctx.setup;
    PypiTarget {
        domain: s.domain.clone(),
        owner: ctx.account.clone(),
        region: s.region.clone(),
        repository: s.repository.clone(),
        endpoint: e.endpoint.as_ref().ok().filter(|u| !u.is_empty()).cloned(),
    }
}

fn findings(client: Client, root: &std::path::Path, t: &PypiTarget) -> Option<Vec<IndexFinding>> {
    let pyproject = tree::read_text(root, "pyproject.toml").unwrap_or_default();
    match client {
        Client::Uv => Some(check_uv(&pyproject, t)),
        Client::Poetry => Some(check_poetry(
            &pyproject,
            tree::read_text(root, "poetry.toml").as_deref(),
            t,
        )),
        _ => None,
    }
}

/// Skipped unless the setup's PyPI client is uv or poetry; unknown outside a working tree.
pub(super) fn index_config(e: &Evidence, ctx: &Context) -> CauseReport {
    let Some(pypi) = ctx.setup.format(Format::Pypi) else {
        return report(
            ID,
            Verdict::Skip("the setup has no pypi format".to_owned()),
            vec![],
        );
    };
    let Some(root) = ctx.workflow.root.as_deref() else {
        return report(
            ID,
            Verdict::Unknown("not run in a working tree: pyproject.toml was not read".to_owned()),
            vec![],
        );
    };
    let Some(found) = findings(pypi.client, root, &target(e, ctx)) else {
        return report(
            ID,
            Verdict::Skip(format!(
                "the setup's PyPI client is {}: pip's own index is judged by wrong-endpoint",
                pypi.client.key()
            )),
            vec![],
        );
    };
    if found.is_empty() {
        let files = match pypi.client {
            Client::Poetry => {
                "pyproject.toml's [[tool.poetry.source]] and poetry.toml's repositories"
            }
            _ => "pyproject.toml's [[tool.uv.index]]",
        };
        return report(
            ID,
            Verdict::Ok,
            vec![format!("{files}: nothing names the repository wrongly")],
        );
    }
    let evidence = found
        .iter()
        .map(|f| format!("{}:{}: {} ({})", f.file, f.line, f.message, f.fix))
        .collect();
    report(ID, Verdict::Fail, evidence)
}
