//! git in a clone someone else wrote. The clone's `.git/config` is the attacker's: several of
//! git's settings name programs git runs (git-config(1)), so every git cawiz starts overrides them
//! on the command line, where configuration wins over every file. What cannot be overridden by
//! name — filter, diff and merge drivers (`filter.<driver>.clean`, `diff.<driver>.textconv`, …)
//! that the clone's `.gitattributes` selects — runs only when git reads file contents; cawiz runs
//! git only for what reads neither the index nor the files (`git remote get-url`), and a new git
//! call must stay so.

use std::path::Path;
use std::process::Command;

use super::{NULL_DEVICE, Profile, prepare, which};

/// The settings that name a program git would run, each set to run nothing:
/// - `core.fsmonitor`: a hook program run whenever git refreshes the index (`status`, `diff`, …);
/// - `core.hooksPath`: where hooks are (the clone's `.git/hooks` by default) — the null device
///   holds none;
/// - `core.sshCommand`, `core.gitProxy`: programs run to reach a remote;
/// - `protocol.allow=never`: no transport at all (`ext::` commands, `file://` running
///   `remote.<name>.uploadpack`, remote helpers `git-remote-<vcs>`);
/// - `core.askPass`, `credential.helper` (empty: the list is reset): programs asked for secrets;
/// - `core.pager` (and `--no-pager`), `core.editor`, `sequence.editor`: interactive helpers;
/// - `safe.bareRepository=explicit`: a bare repository planted in the clone is never found by
///   discovery (git honours this one only from protected configuration, which the command line
///   is).
pub fn hardening() -> Vec<String> {
    vec![
        "core.fsmonitor=false".to_owned(),
        format!("core.hooksPath={NULL_DEVICE}"),
        "core.sshCommand=ssh".to_owned(),
        "core.gitProxy=none".to_owned(),
        "protocol.allow=never".to_owned(),
        "core.askPass=".to_owned(),
        "credential.helper=".to_owned(),
        "core.pager=cat".to_owned(),
        "core.editor=false".to_owned(),
        "sequence.editor=false".to_owned(),
        "safe.bareRepository=explicit".to_owned(),
    ]
}

/// git, ready for a subcommand, to run in `repo`: the program from PATH's absolute entries,
/// `--no-pager` and every [`hardening`] setting as `-c`, the environment of [`Profile::Git`], no
/// prompts and no optional locks (a read never writes the index). `None` when git is missing.
pub fn command(repo: &Path) -> Option<Command> {
    let mut command = Command::new(which("git")?);
    prepare(&mut command, Profile::Git, repo);
    command
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .arg("--no-pager");
    for setting in hardening() {
        command.arg("-c").arg(setting);
    }
    Some(command)
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn script(path: &Path, body: &str) {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// A clone whose `.git/config` runs a program through `core.fsmonitor` and through every hook
    /// of `core.hooksPath`; each writes `PWNED` in `dir`. Returns the clone and the marker.
    fn hostile_clone(dir: &Path) -> (PathBuf, PathBuf) {
        let clone = dir.join("clone");
        std::fs::create_dir_all(&clone).unwrap();
        let ok = Command::new("git")
            .args(["init", "-q"])
            .current_dir(&clone)
            .env("HOME", dir)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        let marker = dir.join("PWNED");
        let body = format!("echo \"$0 $*\" >> '{}'", marker.display());
        let fsmonitor = dir.join("fsmonitor");
        script(&fsmonitor, &body);
        let hooks = dir.join("hooks");
        std::fs::create_dir_all(&hooks).unwrap();
        for hook in [
            "post-index-change",
            "pre-commit",
            "post-checkout",
            "reference-transaction",
        ] {
            script(&hooks.join(hook), &body);
        }
        std::fs::write(clone.join("file.txt"), "content\n").unwrap();
        let config = format!(
            "\n[core]\n\tfsmonitor = {}\n\thooksPath = {}\n[remote \"origin\"]\n\turl = https://github.com/Octo-Org/Widgets.git\n",
            fsmonitor.display(),
            hooks.display()
        );
        let path = clone.join(".git/config");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(&config);
        std::fs::write(&path, text).unwrap();
        (clone, marker)
    }

    #[test]
    fn a_clones_fsmonitor_and_hooks_never_run() {
        let dir = tempfile::tempdir().unwrap();
        let (clone, marker) = hostile_clone(dir.path());

        // git reading the index through the hardened command: nothing of the clone runs.
        for args in [&["status", "--porcelain"][..], &["add", "--", "file.txt"]] {
            let out = command(&clone).unwrap().args(args).output().unwrap();
            assert!(out.status.success(), "{args:?}: {out:?}");
        }
        let out = command(&clone)
            .unwrap()
            .args(["remote", "get-url", "--", "origin"])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "https://github.com/Octo-Org/Widgets.git"
        );
        assert!(
            !marker.exists(),
            "{}",
            std::fs::read_to_string(&marker).unwrap_or_default()
        );

        // The same clone with a plain git runs the clone's program: the test can fail.
        let out = Command::new("git")
            .args(["status", "--porcelain"])
            .current_dir(&clone)
            .env("HOME", dir.path())
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(marker.exists(), "the hostile clone is not hostile");
    }

    #[test]
    fn the_remote_is_detected_through_the_hardened_git() {
        let dir = tempfile::tempdir().unwrap();
        let (clone, marker) = hostile_clone(dir.path());
        assert_eq!(
            crate::setup::detect_github(&clone),
            Some(("Octo-Org".to_owned(), "Widgets".to_owned()))
        );
        assert!(!marker.exists());
    }
}
