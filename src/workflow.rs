//! The publish workflow (SPEC item 8): generate it from the setup (`generate`, with the action
//! pins of `pins`), read any workflow file (`yaml`, `model`) and lint it with the SPEC's finding
//! ids (`lint`), judging its runs' OIDC subjects (`subjects`) against what the role trusts
//! (`trust`). Pure: the facts come in, nothing here does I/O but `files` (the working tree).

pub mod calls;
pub mod diff;
pub mod expr;
pub mod files;
pub mod generate;
pub mod lint;
pub mod model;
pub mod pins;
pub mod subjects;
pub mod trust;
pub mod view;
pub mod yaml;

pub use files::{
    LocalFile, TreeError, WORKFLOWS_DIR, git_root, sha256_hex, workflow_files, write_atomic,
    write_in_tree,
};
pub use generate::{WORKFLOW_PATH, generate, probe_name, scope_note};
pub use lint::{Client, FileLint, Format, LintContext, LintFinding, LintId, lint, lint_in};
pub use pins::{Pin, PinSource, Pins};
pub use trust::{Trust, TrustSource};
pub use view::FileView;

/// The file that publishes to CodeArtifact among `files` (each linted among the others, for the
/// reusable workflows they call): the one at [`WORKFLOW_PATH`] when it publishes, else the first
/// that publishes (a caller before the reusable workflow it calls), else the first that touches
/// AWS without publishing another format.
pub fn publishing<'a>(
    files: &'a [LocalFile],
    ctx: &LintContext,
) -> Option<(&'a LocalFile, FileLint)> {
    let linted: Vec<(&LocalFile, FileLint)> = files
        .iter()
        .map(|f| (f, lint_in(&f.text, ctx, files)))
        .collect();
    let preferred = |l: &(&LocalFile, FileLint)| l.0.relative == WORKFLOW_PATH;
    let pick = linted
        .iter()
        .position(|l| l.1.publishes && preferred(l))
        .or_else(|| {
            linted
                .iter()
                .position(|l| l.1.publishes && !l.1.called_only)
        })
        .or_else(|| linted.iter().position(|l| l.1.publishes))
        .or_else(|| {
            linted
                .iter()
                .position(|l| l.1.touches_aws && !l.1.publishes_other)
        })?;
    linted.into_iter().nth(pick)
}

/// Where cawiz writes the workflow in a tree holding `files`: the publishing file when there is
/// one, else [`WORKFLOW_PATH`] unless another file already has that name (then
/// `.github/workflows/publish-codeartifact.yml`).
pub fn target_path(files: &[LocalFile], publishing: Option<&LocalFile>) -> String {
    if let Some(p) = publishing {
        return p.relative.clone();
    }
    if files.iter().any(|f| f.relative == WORKFLOW_PATH) {
        format!("{WORKFLOWS_DIR}/publish-codeartifact.yml")
    } else {
        WORKFLOW_PATH.to_owned()
    }
}
