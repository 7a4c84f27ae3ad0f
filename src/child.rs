//! How cawiz starts every child process (pip, twine, venv, git, gh). cawiz runs inside clones
//! other people wrote, so nothing of the clone may decide what a child runs:
//! - the program is an absolute path: a bare name is looked up only in the absolute entries of
//!   `PATH` (a relative entry such as `.` would find a program in the clone), and a relative path
//!   is made absolute before the child changes directory;
//! - the child starts in an empty directory of its own ([`scratch_dir`]), never in the user's
//!   working directory (`python -m` puts that directory first on the import path, and pip takes
//!   an existing file or directory named like a requirement for a local project) — except git,
//!   which must run in the repository and is hardened instead ([`git`]);
//! - its environment is cleared and gets back only what its tool needs ([`Profile`]): never
//!   cawiz's AWS credentials or GitHub token, never `PYTHONPATH`, `GIT_DIR` or the like;
//! - stdin is the null device: no prompt waits for an answer.
//!
//! Positional arguments follow `--` in every command line cawiz builds, so a value that starts
//! with `-` stays a value. git needs more (its configuration can name programs): see [`git`].

mod env;
pub mod git;

pub use env::{Profile, inherited};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The null device (what `PIP_CONFIG_FILE` and `core.hooksPath` point at to mean "nothing").
#[cfg(windows)]
pub const NULL_DEVICE: &str = "nul";
#[cfg(not(windows))]
pub const NULL_DEVICE: &str = "/dev/null";

/// Clears `command`'s environment and gives back what `profile` needs from cawiz's; runs it in
/// `dir` with stdin closed.
pub fn prepare(command: &mut Command, profile: Profile, dir: &Path) {
    command
        .env_clear()
        .envs(inherited(std::env::vars_os(), profile))
        .current_dir(dir)
        .stdin(Stdio::null());
}

/// A new empty directory for one child to start in (removed when dropped).
pub fn scratch_dir() -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix("cawiz-child-").tempdir()
}

/// `program` as an absolute path: a path with a directory part as given (made absolute), a bare
/// name looked up with [`which`]; `None` when it is not an executable file.
pub fn resolve(program: &Path) -> Option<PathBuf> {
    if program.components().count() > 1 || program.is_absolute() {
        let path = std::path::absolute(program).ok()?;
        is_executable(&path).then_some(path)
    } else {
        which(&program.to_string_lossy())
    }
}

/// The first executable `name` in the absolute entries of `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    which_in(&std::env::var_os("PATH")?, name)
}

/// The first executable `name` in the absolute entries of `path` (a `PATH` value). Relative
/// entries (`.`, `bin`, the empty entry that means `.`) are skipped: they name the working
/// directory, which is the clone.
pub fn which_in(path: &std::ffi::OsStr, name: &str) -> Option<PathBuf> {
    std::env::split_paths(path)
        .filter(|dir| dir.is_absolute())
        .find_map(|dir| {
            let candidates = [dir.join(name), dir.join(format!("{name}.exe"))];
            candidates.into_iter().find(|c| is_executable(c))
        })
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        path.metadata()
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;

    fn executable(dir: &Path, name: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt as _;
        let path = dir.join(name);
        std::fs::write(&path, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[test]
    fn path_lookup_skips_relative_entries() {
        let dir = tempfile::tempdir().unwrap();
        let found = executable(dir.path(), "tool");
        let absolute = dir.path().as_os_str().to_owned();
        assert_eq!(which_in(&absolute, "tool"), Some(found.clone()));
        assert_eq!(which_in(&absolute, "other"), None);

        // The same directory named relatively (as `.` would name the clone) is never searched.
        let cwd = std::env::current_dir().unwrap();
        let inside = tempfile::tempdir_in(cwd.join("target")).unwrap();
        executable(inside.path(), "tool");
        let relative = inside.path().strip_prefix(&cwd).unwrap();
        assert!(relative.is_relative());
        let path = std::env::join_paths([relative, Path::new("")]).unwrap();
        assert_eq!(which_in(&path, "tool"), None);
        let path = std::env::join_paths([relative, dir.path()]).unwrap();
        assert_eq!(which_in(&path, "tool"), Some(found));
    }

    #[test]
    fn programs_resolve_to_absolute_paths() {
        let cwd = std::env::current_dir().unwrap();
        let inside = tempfile::tempdir_in(cwd.join("target")).unwrap();
        let tool = executable(inside.path(), "tool");
        let relative = inside.path().strip_prefix(&cwd).unwrap().join("tool");
        assert_eq!(resolve(&relative), Some(tool.clone()));
        assert_eq!(resolve(&tool), Some(tool));
        assert_eq!(resolve(&inside.path().join("missing")), None);
        std::fs::write(inside.path().join("data"), "").unwrap();
        assert_eq!(resolve(&inside.path().join("data")), None, "not executable");
    }
}
