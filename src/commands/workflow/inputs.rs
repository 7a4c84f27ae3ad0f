//! What `cawiz workflow lint` reads: the files named (each with the workflows of the
//! `.github/workflows` directory holding it), else the working tree's workflows.

use crate::cli::LintArgs;
use crate::workflow::{LocalFile, WORKFLOWS_DIR, git_root, workflow_files};

use super::super::CliError;

/// One file to lint, and the workflows beside it (what its local `uses:` may call).
pub struct Input {
    pub path: String,
    pub text: String,
    pub siblings: Vec<LocalFile>,
}

/// The workflows of the `.github/workflows` directory holding `file`, if it is in one.
fn siblings_of(file: &std::path::Path) -> Vec<LocalFile> {
    let dir = file.parent().filter(|d| d.ends_with(WORKFLOWS_DIR));
    dir.and_then(|d| d.parent()?.parent())
        .and_then(|root| workflow_files(root).ok())
        .unwrap_or_default()
}

/// The files to lint: those named, else the working tree's workflows.
pub fn lint_inputs(args: &LintArgs) -> Result<(Vec<Input>, bool), CliError> {
    if !args.files.is_empty() {
        let files = args
            .files
            .iter()
            .map(|p| {
                std::fs::read(p)
                    .map(|b| Input {
                        path: p.display().to_string(),
                        text: String::from_utf8_lossy(&b).into_owned(),
                        siblings: siblings_of(p),
                    })
                    .map_err(|e| CliError::plain(format!("cannot read {}: {e}", p.display())))
            })
            .collect::<Result<Vec<_>, _>>()?;
        return Ok((files, true));
    }
    let root = std::env::current_dir()
        .ok()
        .as_deref()
        .and_then(git_root)
        .ok_or_else(|| {
            CliError::new(
                "not in a git working tree, and no file named",
                "run it in the repository's clone, or name the files: cawiz workflow lint FILE…",
            )
        })?;
    let files = workflow_files(&root).map_err(|e| {
        CliError::plain(format!(
            "cannot read {}: {e}",
            root.join(WORKFLOWS_DIR).display()
        ))
    })?;
    let inputs = files
        .iter()
        .map(|f| Input {
            path: f.relative.clone(),
            text: f.text.clone(),
            siblings: files.clone(),
        })
        .collect();
    Ok((inputs, false))
}
