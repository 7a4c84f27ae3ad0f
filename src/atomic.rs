//! Writing a file atomically without trusting what its directory already holds: a temporary file
//! with a random name, created with `create_new` (so never a file or a link planted there) and the
//! target's mode, beside the target; fsync; rename over the target; fsync the directory. The state
//! file and the workflow file are written this way.

use std::io::Write as _;
use std::path::Path;

/// Writes `bytes` to `path` atomically with exactly `mode` (unix permission bits).
/// The directory must exist. A failure leaves the target as it was and no temporary file behind.
pub fn write(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut tmp = builder.tempfile_in(dir)?;
    #[cfg(unix)]
    {
        // Exactly `mode`, whatever the umask did at creation (it can only have narrowed it).
        use std::os::unix::fs::PermissionsExt as _;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
