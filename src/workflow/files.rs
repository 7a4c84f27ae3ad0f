//! The workflow files of a working tree: where the repository root is, which files there are, the
//! one that publishes, and writing a file atomically.

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

/// Why a workflow file cannot be read or written where asked.
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    #[error("{path:?} is not a path inside the repository")]
    BadPath { path: String },
    #[error(
        "{} is a symbolic link to {}, outside the repository {}: cawiz neither reads nor writes \
         through it",
        link.display(), target.display(), root.display()
    )]
    LeavesTree {
        link: PathBuf,
        target: PathBuf,
        root: PathBuf,
    },
    #[error("{} is a symbolic link: cawiz does not write through links", path.display())]
    LinkedFile { path: PathBuf },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The parts of `relative` (`/`-separated), none empty, `.` or `..`.
fn parts(relative: &str) -> Result<Vec<&str>, TreeError> {
    let parts: Vec<&str> = relative.split('/').collect();
    if relative.is_empty() || parts.iter().any(|p| matches!(*p, "" | "." | "..")) {
        return Err(TreeError::BadPath {
            path: relative.to_owned(),
        });
    }
    Ok(parts)
}

/// `entry` as a path inside `root` (both canonical): itself, or where its link points when that is
/// inside the tree (a link inside the tree to inside the tree is followed; one leaving it is not).
fn inside(root: &Path, entry: PathBuf) -> Result<PathBuf, TreeError> {
    if !std::fs::symlink_metadata(&entry)?.file_type().is_symlink() {
        return Ok(entry);
    }
    let target = entry.canonicalize()?;
    if target.starts_with(root) {
        Ok(target)
    } else {
        Err(TreeError::LeavesTree {
            link: entry,
            target,
            root: root.to_path_buf(),
        })
    }
}

/// The directory `dir/name` inside `root` (canonical paths), created when missing and `create`;
/// `None` when missing otherwise.
fn subdir(root: &Path, dir: &Path, name: &str, create: bool) -> Result<Option<PathBuf>, TreeError> {
    let entry = dir.join(name);
    match std::fs::symlink_metadata(&entry) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
            match std::fs::create_dir(&entry) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e.into()),
                _ => {}
            }
            inside(root, entry).map(Some)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
        Ok(_) => {
            let resolved = inside(root, entry)?;
            if resolved.is_dir() {
                Ok(Some(resolved))
            } else {
                Err(
                    std::io::Error::other(format!("{} is not a directory", resolved.display()))
                        .into(),
                )
            }
        }
    }
}

/// The directory of `relative`'s parts before the last, inside `root` (canonical).
fn tree_dir(root: &Path, dirs: &[&str], create: bool) -> Result<Option<PathBuf>, TreeError> {
    let mut dir = root.to_path_buf();
    for name in dirs {
        match subdir(root, &dir, name, create)? {
            Some(next) => dir = next,
            None => return Ok(None),
        }
    }
    Ok(Some(dir))
}

/// `.github/workflows/*.yml` and `*.yaml` under `root`, sorted by name (none when the directory
/// does not exist). Files that are not UTF-8 are read lossily. Links are followed only inside the
/// tree: a linked directory leaving it is an error, a linked file leaving it is left out.
pub fn workflow_files(root: &Path) -> Result<Vec<LocalFile>, TreeError> {
    let root = root.canonicalize()?;
    let Some(dir) = tree_dir(&root, &parts(WORKFLOWS_DIR)?, false)? else {
        return Ok(Vec::new());
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        let is_workflow = path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x == "yml" || x == "yaml");
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !is_workflow {
            continue;
        }
        let resolved = match inside(&root, path.clone()) {
            Ok(p) if p.is_file() => p,
            Ok(_) => continue,
            Err(e) => {
                tracing::warn!("workflow file left out: {e}");
                continue;
            }
        };
        let bytes = std::fs::read(&resolved)?;
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

/// Writes `text` at `relative` (`/`-separated) under the repository `root`, atomically
/// ([`crate::atomic::write`]), creating directories; returns the path written. Never writes
/// outside the tree: a `..` part, a linked directory leaving the tree, or a link at the file
/// itself are refused (a linked directory inside the tree is followed). The check reads the tree
/// as it is; it does not guard against another process swapping directories meanwhile.
pub fn write_in_tree(root: &Path, relative: &str, text: &str) -> Result<PathBuf, TreeError> {
    let parts = parts(relative)?;
    let Some((file, dirs)) = parts.split_last() else {
        return Err(TreeError::BadPath {
            path: relative.to_owned(),
        });
    };
    let root = root.canonicalize()?;
    let dir = tree_dir(&root, dirs, true)?.ok_or_else(|| TreeError::BadPath {
        path: relative.to_owned(),
    })?;
    let path = dir.join(file);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_symlink() => return Err(TreeError::LinkedFile { path }),
        _ => {}
    }
    crate::atomic::write(&path, text.as_bytes(), 0o644)?;
    Ok(path)
}

/// Writes `text` to `path` atomically ([`crate::atomic::write`]), creating directories.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    crate::atomic::write(path, text.as_bytes(), 0o644)
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

    #[cfg(unix)]
    mod links {
        use super::*;
        use std::os::unix::fs::symlink;

        /// A repository root (with `.git`) and a directory outside it.
        fn tree() -> (tempfile::TempDir, PathBuf, PathBuf) {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("repo");
            let outside = dir.path().join("outside");
            std::fs::create_dir_all(root.join(".git")).unwrap();
            std::fs::create_dir_all(&outside).unwrap();
            (dir, root, outside)
        }

        const PATH: &str = ".github/workflows/publish.yml";

        fn entries(dir: &Path) -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        }

        #[test]
        fn a_linked_github_directory_leaving_the_tree_is_refused() {
            let (_dir, root, outside) = tree();
            symlink(&outside, root.join(".github")).unwrap();
            let err = write_in_tree(&root, PATH, "x").unwrap_err();
            assert!(matches!(err, TreeError::LeavesTree { .. }), "{err}");
            assert!(err.to_string().contains("outside the repository"), "{err}");
            assert!(entries(&outside).is_empty(), "nothing written outside");
            assert!(workflow_files(&root).is_err(), "not read through it either");
        }

        #[test]
        fn a_linked_workflows_directory_leaving_the_tree_is_refused() {
            let (_dir, root, outside) = tree();
            std::fs::create_dir_all(root.join(".github")).unwrap();
            symlink(&outside, root.join(".github/workflows")).unwrap();
            assert!(matches!(
                write_in_tree(&root, PATH, "x"),
                Err(TreeError::LeavesTree { .. })
            ));
            assert!(entries(&outside).is_empty());
        }

        #[test]
        fn a_linked_file_is_never_written_through() {
            let (_dir, root, outside) = tree();
            let target = outside.join("credentials");
            std::fs::write(&target, "secret").unwrap();
            std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
            symlink(&target, root.join(PATH)).unwrap();
            let err = write_in_tree(&root, PATH, "x").unwrap_err();
            assert!(matches!(err, TreeError::LinkedFile { .. }), "{err}");
            assert_eq!(std::fs::read_to_string(&target).unwrap(), "secret");
            let files = workflow_files(&root).unwrap();
            assert!(
                files.is_empty(),
                "a file linked out of the tree is not read: {files:?}"
            );
        }

        #[test]
        fn a_link_inside_the_tree_is_followed() {
            let (_dir, root, _outside) = tree();
            std::fs::create_dir_all(root.join("ci/github")).unwrap();
            symlink("ci/github", root.join(".github")).unwrap();
            let written = write_in_tree(&root, PATH, "inside").unwrap();
            assert_eq!(
                std::fs::read_to_string(root.join("ci/github/workflows/publish.yml")).unwrap(),
                "inside"
            );
            assert!(
                written.starts_with(root.canonicalize().unwrap()),
                "{written:?}"
            );
            assert_eq!(workflow_files(&root).unwrap().len(), 1);
        }

        #[test]
        fn paths_that_climb_out_are_refused() {
            let (_dir, root, outside) = tree();
            for bad in [
                "../outside/x.yml",
                "/etc/x.yml",
                "",
                ".github/../../outside/x.yml",
            ] {
                assert!(
                    matches!(
                        write_in_tree(&root, bad, "x"),
                        Err(TreeError::BadPath { .. })
                    ),
                    "{bad}"
                );
            }
            assert!(entries(&outside).is_empty());
        }

        #[test]
        fn the_temporary_file_has_a_fresh_name_and_is_never_a_planted_link() {
            let (_dir, root, outside) = tree();
            let victim = outside.join("victim");
            std::fs::write(&victim, "keep").unwrap();
            let dir = root.join(".github/workflows");
            std::fs::create_dir_all(&dir).unwrap();
            // The name the old code used: `.NAME.PID.tmp`.
            let planted = dir.join(format!(".publish.yml.{}.tmp", std::process::id()));
            symlink(&victim, &planted).unwrap();
            write_in_tree(&root, PATH, "new").unwrap();
            assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
            assert_eq!(
                std::fs::read_to_string(dir.join("publish.yml")).unwrap(),
                "new"
            );
            assert_eq!(
                entries(&dir).len(),
                2,
                "the planted link and the file: {:?}",
                entries(&dir)
            );
        }
    }
}
