//! The temporary places a client of the local test is configured in: a directory removed when
//! dropped, its subdirectories, and files created new, readable by the user only.

use std::path::PathBuf;

use super::LocalTestError;

/// A temporary directory for one client's configuration, cache and home (removed when dropped).
pub(super) fn scratch(prefix: &str) -> Result<tempfile::TempDir, LocalTestError> {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .map_err(|e| LocalTestError::io("create a temporary directory", e))
}

/// `dir/name`, created.
pub(super) fn subdir(dir: &std::path::Path, name: &str) -> Result<PathBuf, LocalTestError> {
    let path = dir.join(name);
    std::fs::create_dir_all(&path)
        .map_err(|e| LocalTestError::io(format!("create {}", path.display()), e))?;
    Ok(path)
}

/// Writes `text` to a new file `path` (never through an existing file or link), readable by the
/// user only.
pub(super) fn write_new(path: &std::path::Path, text: &str) -> Result<(), LocalTestError> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| LocalTestError::io(format!("write {}", path.display()), e))
}
