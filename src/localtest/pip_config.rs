//! `cawiz test --write-pip-config`: the guide's `pip config set global.index-url URL`, done so
//! that the token never shows. `pip config set` would put the URL, token included, in pip's argv,
//! which every user of the machine can read (`ps`), and leaves the file world-readable. Instead pip
//! is asked where its user configuration file is (`pip config debug`), cawiz writes the file
//! itself — mode 0600, atomically (a random temporary name created with `create_new`, then a
//! rename), never through a symbolic link — and pip reads the value back on its stdout (which
//! cawiz masks): no argv ever holds the token.

mod ini;

use std::path::{Path, PathBuf};

use super::process::{Isolation, run_quiet};
use super::tools::{Tool, find_python};
use super::{LocalTestError, Secret, Target, expiry_text, index_url, masked_index_url};

/// The key written, as pip names it.
const KEY: &str = "index-url";

/// The warning to show before [`write_pip_config`], which the user must confirm.
pub fn pip_config_warning(target: &Target, now: i64) -> String {
    format!(
        "This sets global.index-url in your user pip configuration to {}, replacing the index pip \
         uses for every install. The URL holds a CodeArtifact token that {}; after that every pip \
         install fails — with 401, or with 404 (\"No matching distribution\"), as CodeArtifact \
         sometimes answers an expired token — until you log in again. Undo with: python3 -m pip config --user unset \
         global.index-url",
        masked_index_url(&target.endpoint),
        expiry_text(target.expires_at, now)
    )
}

/// Sets `global.index-url` to the repository's index URL (with its token) in the user's pip
/// configuration file (the user must have confirmed it, see [`pip_config_warning`]) and checks
/// that pip reads it back. Returns the file written.
pub async fn write_pip_config(
    target: &Target,
    python: Option<&Path>,
) -> Result<PathBuf, LocalTestError> {
    let url = index_url(&target.endpoint, &target.token);
    if url.chars().any(char::is_control) {
        return Err(LocalTestError::PipConfig {
            path: PathBuf::new(),
            reason: "the repository's endpoint holds control characters: not written".to_owned(),
        });
    }
    let python = find_python(python)?;
    let files = user_files(&python, &target.token).await?;
    let path = file_to_change(&files)?;
    write_setting(&path, &url)?;
    read_back(&python, &path, &url, &target.token).await?;
    Ok(path)
}

/// pip's user configuration files (`pip config debug`, section `user:`), in loading order.
async fn user_files(python: &Tool, token: &Secret) -> Result<Vec<PathBuf>, LocalTestError> {
    let debug = python.module("pip").args(["config", "debug"]);
    let outcome = run_quiet(&debug, token, Isolation::UserConfig).await?;
    if !outcome.success {
        return Err(LocalTestError::CommandFailed {
            command: debug.display(token),
            detail: outcome.failure_detail(),
        });
    }
    let files = parse_user_files(&outcome.stdout);
    if files.is_empty() {
        return Err(LocalTestError::CommandFailed {
            command: debug.display(token),
            detail: "it names no user configuration file".to_owned(),
        });
    }
    Ok(files)
}

/// The files under `user:` in `pip config debug`'s output (`  PATH, exists: BOOL`).
fn parse_user_files(lines: &[String]) -> Vec<PathBuf> {
    let mut in_user = false;
    let mut files = Vec::new();
    for line in lines {
        if !line.starts_with(' ') {
            in_user = line.trim_end() == "user:";
        } else if in_user
            && !line.starts_with("   ")
            && let Some((path, _)) = line.trim().rsplit_once(", exists: ")
        {
            files.push(PathBuf::from(path));
        }
    }
    files
}

/// The file `pip config --user set` would change: the last one that already sets the key, else
/// the last one (pip's most specific).
fn file_to_change(files: &[PathBuf]) -> Result<PathBuf, LocalTestError> {
    let sets_key =
        |path: &PathBuf| std::fs::read(path).is_ok_and(|text| ini::has_global(&text, KEY));
    files
        .iter()
        .rev()
        .find(|p| sets_key(p))
        .or_else(|| files.last())
        .cloned()
        .ok_or_else(|| LocalTestError::PipConfig {
            path: PathBuf::new(),
            reason: "pip names no user configuration file".to_owned(),
        })
}

/// Sets the key in `path` (created if missing): only a regular file is changed, never a link.
fn write_setting(path: &Path, url: &str) -> Result<(), LocalTestError> {
    let refuse = |reason: String| LocalTestError::PipConfig {
        path: path.to_path_buf(),
        reason,
    };
    let current = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = std::fs::read_link(path)
                .map(|t| format!(" to {}", t.display()))
                .unwrap_or_default();
            return Err(refuse(format!(
                "is a symbolic link{target}: cawiz does not write through links; replace the link \
                 with a file, or set index-url in the file it names yourself"
            )));
        }
        Ok(meta) if !meta.is_file() => return Err(refuse("is not a regular file".to_owned())),
        Ok(_) => std::fs::read(path).map_err(|e| refuse(format!("cannot be read: {e}")))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(refuse(format!("cannot be read: {e}"))),
    };
    let text = ini::set_global(&current, KEY, url);
    write_private(path, &text).map_err(|e| refuse(format!("cannot be written: {e}")))
}

/// Replaces `path` with `bytes`, readable by the owner only (`crate::atomic`: a temporary file
/// beside it with a random name, created exclusively, mode 0600, synced, then renamed over `path`
/// — a rename replaces a link, it never writes through one), its directory created 0700 first.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    crate::atomic::write(path, bytes, 0o600)
}

/// `pip config --user get global.index-url` gives `url` (the value travels on pip's stdout, which
/// cawiz reads and masks, never on its argv).
async fn read_back(
    python: &Tool,
    path: &Path,
    url: &str,
    token: &Secret,
) -> Result<(), LocalTestError> {
    let get = python
        .module("pip")
        .args(["config", "--user", "get", "--", "global.index-url"]);
    let outcome = run_quiet(&get, token, Isolation::UserConfig).await?;
    // The outcome's lines are masked already: compare masked with masked.
    let expected = super::mask(url, token);
    if outcome.success && outcome.first_stdout() == Some(expected.as_str()) {
        return Ok(());
    }
    let read = match outcome.first_stdout() {
        // Another file's URL may hold another token.
        Some(value) if outcome.success => super::mask_url_credentials(value),
        _ => outcome.failure_detail(),
    };
    Err(LocalTestError::PipConfig {
        path: path.to_path_buf(),
        reason: format!(
            "written, but pip reads global.index-url as {read} (does PIP_CONFIG_FILE name another \
             file?)"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_files_come_from_pip_config_debug() {
        let out: Vec<String> = [
            "env_var:",
            "  PIP_CERT='/etc/ca.pem'",
            "env:",
            "global:",
            "  /etc/xdg/pip/pip.conf, exists: False",
            "  /etc/pip.conf, exists: True",
            "    global.cert: /etc/ca.pem",
            "site:",
            "  /venv/pip.conf, exists: False",
            "user:",
            "  /home/me/.pip/pip.conf, exists: True",
            "    global.timeout: 60",
            "  /home/me/.config/pip/pip.conf, exists: False",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        assert_eq!(
            parse_user_files(&out),
            [
                PathBuf::from("/home/me/.pip/pip.conf"),
                PathBuf::from("/home/me/.config/pip/pip.conf")
            ]
        );
        assert!(parse_user_files(&out[..9]).is_empty());
    }

    #[test]
    fn the_file_that_sets_the_key_is_changed_else_the_last() {
        let dir = tempfile::tempdir().unwrap();
        let legacy = dir.path().join("legacy.conf");
        let new = dir.path().join("new.conf");
        let files = [legacy.clone(), new.clone()];
        assert_eq!(file_to_change(&files).unwrap(), new);
        std::fs::write(&legacy, "[global]\nindex_url = https://x/simple/\n").unwrap();
        assert_eq!(file_to_change(&files).unwrap(), legacy);
        std::fs::write(&new, "[global]\nindex-url = https://y/simple/\n").unwrap();
        assert_eq!(file_to_change(&files).unwrap(), new);
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private_and_replaced_atomically() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pip/pip.conf");
        write_setting(&path, "https://aws:t@h/simple/").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);

        // A world-readable file of the user's becomes private, its other settings kept.
        std::fs::write(&path, "[global]\ntimeout = 5\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_setting(&path, "https://aws:t@h/simple/").unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[global]\nindex-url = https://aws:t@h/simple/\ntimeout = 5\n"
        );
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["pip.conf"], "no temporary file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere.conf");
        std::fs::write(&elsewhere, "[global]\ntimeout = 5\n").unwrap();
        let path = dir.path().join("pip.conf");
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        let err = write_setting(&path, "https://aws:t@h/simple/").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&elsewhere).unwrap(),
            "[global]\ntimeout = 5\n"
        );
        assert!(
            std::fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}
