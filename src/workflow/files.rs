//! The workflow files of a working tree: where the repository root is, which files there are, the
//! one that publishes, and writing a file atomically.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

/// The directory GitHub reads workflows from.
pub const WORKFLOWS_DIR: &str = ".github/workflows";

/// The root of the git working tree holding `start` (the nearest ancestor with a `.git`).
pub fn git_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// A workflow file of the working tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    /// Relative to the repository root, with `/` (`.github/workflows/publish.yml`).
    pub relative: String,
    pub text: String,
}

/// `.github/workflows/*.yml` and `*.yaml` under `root`, sorted by name (none when the directory
/// does not exist). Files that are not UTF-8 are read lossily.
pub fn workflow_files(root: &Path) -> std::io::Result<Vec<LocalFile>> {
    let dir = root.join(WORKFLOWS_DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let is_workflow = path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x == "yml" || x == "yaml");
        if !is_workflow || !path.is_file() {
            continue;
        }
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let bytes = std::fs::read(&path)?;
        files.push(LocalFile {
            relative: format!("{WORKFLOWS_DIR}/{name}"),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        });
    }
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(files)
}

/// Hex SHA-256 of a file's text (what the state records of a file cawiz wrote).
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Writes `text` to `path` atomically (a temp file beside it, then rename), creating directories.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("workflow.yml");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_root_and_the_workflows() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("src/deep")).unwrap();
        assert_eq!(git_root(&root.join("src/deep")).as_deref(), Some(root));
        assert!(workflow_files(root).unwrap().is_empty());
        write_atomic(&root.join(".github/workflows/b.yaml"), "b").unwrap();
        write_atomic(&root.join(".github/workflows/a.yml"), "a").unwrap();
        std::fs::write(root.join(".github/workflows/notes.txt"), "x").unwrap();
        let files = workflow_files(root).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(
            names,
            [".github/workflows/a.yml", ".github/workflows/b.yaml"]
        );
        assert_eq!(files[0].text, "a");
        let leftovers = std::fs::read_dir(root.join(".github/workflows"))
            .unwrap()
            .count();
        assert_eq!(leftovers, 3, "no temp file left");
        assert_eq!(sha256_hex("a").len(), 64);
    }
}
