//! Reading the working tree for detection. The tree is untrusted (it may be someone else's clone):
//! only regular files directly in the directory are read, never through a symbolic link, and only
//! up to [`MAX_BYTES`].

use std::io::Read as _;
use std::path::Path;

/// The most a detection file may hold; a bigger one is not read.
pub const MAX_BYTES: u64 = 1 << 20;

/// Whether `dir/name` is a regular file (not a link, not a directory).
pub fn has_file(dir: &Path, name: &str) -> bool {
    std::fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.file_type().is_file())
}

/// The text of the regular file `dir/name`, when it is one, at most [`MAX_BYTES`] long and UTF-8.
pub fn read_text(dir: &Path, name: &str) -> Option<String> {
    let path = dir.join(name);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.file_type().is_file() || meta.len() > MAX_BYTES {
        return None;
    }
    let mut text = String::new();
    std::fs::File::open(&path)
        .ok()?
        .take(MAX_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// Whether a regular file in `dir` ends with one of `suffixes` (`.csproj`).
pub fn has_file_ending(dir: &Path, suffixes: &[&str]) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            suffixes.iter().any(|s| name.ends_with(s)) && e.file_type().is_ok_and(|t| t.is_file())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_big_files_are_not_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(outside.path().join("secret"), "{}").expect("write");
        std::os::unix::fs::symlink(
            outside.path().join("secret"),
            dir.path().join("package.json"),
        )
        .expect("link");
        assert!(!has_file(dir.path(), "package.json"));
        assert_eq!(read_text(dir.path(), "package.json"), None);
        let big = "x".repeat(usize::try_from(MAX_BYTES).expect("fits") + 1);
        std::fs::write(dir.path().join("pyproject.toml"), big).expect("write");
        assert_eq!(read_text(dir.path(), "pyproject.toml"), None);
        std::fs::write(dir.path().join("a.csproj"), "<Project/>").expect("write");
        assert!(has_file_ending(dir.path(), &[".csproj"]));
        assert!(!has_file_ending(dir.path(), &[".fsproj"]));
    }
}
