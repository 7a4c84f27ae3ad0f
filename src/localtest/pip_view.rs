//! What pip on this machine uses for a package, read by pip itself (the doctor's not-found
//! evidence): the index URL from `pip config list` (files and `PIP_INDEX_URL`), and what
//! `pip index versions NAME` answers through it. Credentials in URLs are masked before anything
//! leaves this module.

use std::path::Path;

use super::Secret;
use super::process::{Isolation, Outcome, run_quiet};
use super::tools::find_python;

/// pip's view of one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipView {
    /// The index URL pip is configured with (credentials masked), `None` when pip uses its
    /// default (pypi.org); the error when pip could not be asked.
    pub index_url: Result<Option<String>, String>,
    /// `pip index versions NAME` through that index: whether it listed versions, and its lines
    /// (masked). `None` when pip could not be run.
    pub versions: Option<PipAnswer>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipAnswer {
    pub found: bool,
    pub lines: Vec<String>,
}

/// `scheme://user:secret@host/…` → `scheme://user:****@host/…` everywhere in `text`.
pub fn mask_url_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| c == '/' || c.is_whitespace() || c == '\'' || c == '"')
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rsplit_once('@') {
            Some((userinfo, host)) => {
                let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
                out.push_str(&format!("{user}:****@{host}"));
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The `index-url` of `pip config list` output (`global.index-url='…'`, `:env:.index-url='…'`);
/// the environment wins, then the most specific file (pip lists them in loading order).
fn configured_index(lines: &[String]) -> Option<String> {
    let value = |l: &str| {
        let (key, value) = l.split_once('=')?;
        key.trim()
            .ends_with(".index-url")
            .then(|| value.trim().trim_matches('\'').trim_matches('"').to_owned())
    };
    let env = lines
        .iter()
        .filter(|l| l.starts_with(":env:"))
        .find_map(|l| value(l));
    env.or_else(|| lines.iter().rev().find_map(|l| value(l)))
}

fn lines(outcome: &Outcome) -> Vec<String> {
    outcome
        .stdout
        .iter()
        .chain(&outcome.stderr)
        .map(|l| mask_url_credentials(l.trim_end()))
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// Asks pip (the user's configuration and environment, no prompts) about `package`, which must be
/// a valid package name (never an option: pip is not run otherwise).
pub async fn pip_view(python: Option<&Path>, package: &str) -> PipView {
    let not_run = |why: String| PipView {
        index_url: Err(why),
        versions: None,
    };
    if let Err(e) = crate::setup::validate(crate::setup::Field::PackageName, package) {
        return not_run(e.to_string());
    }
    let python = match find_python(python) {
        Ok(p) => p,
        Err(e) => return not_run(e.to_string()),
    };
    let none = Secret::new(String::new());
    let list = python.module("pip").args(["config", "list"]);
    let index = python.module("pip").args([
        "index",
        "versions",
        "--disable-pip-version-check",
        "--",
        package,
    ]);
    let (config, versions) = tokio::join!(
        run_quiet(&list, &none, Isolation::UserConfig),
        run_quiet(&index, &none, Isolation::UserConfig)
    );
    let index_url = match config {
        Ok(o) if o.success => Ok(configured_index(&o.stdout).map(|u| mask_url_credentials(&u))),
        Ok(o) => Err(o.failure_detail()),
        Err(e) => Err(e.to_string()),
    };
    let versions = versions.ok().map(|o| PipAnswer {
        found: o.success,
        lines: lines(&o),
    });
    PipView {
        index_url,
        versions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_urls_are_masked_wherever_they_appear() {
        assert_eq!(
            mask_url_credentials(
                "WARNING: 401 Error, Credentials not correct for https://aws:eyJabc@d-1.example/pypi/r/simple/six/"
            ),
            "WARNING: 401 Error, Credentials not correct for https://aws:****@d-1.example/pypi/r/simple/six/"
        );
        assert_eq!(
            mask_url_credentials("see https://pypi.org/simple/"),
            "see https://pypi.org/simple/"
        );
    }

    #[test]
    fn the_environment_wins_over_files_and_the_last_file_over_earlier_ones() {
        let list = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            configured_index(&list(&[
                "global.index-url='https://a/simple/'",
                "user.index-url='https://b/simple/'",
            ])),
            Some("https://b/simple/".to_owned())
        );
        assert_eq!(
            configured_index(&list(&[
                ":env:.index-url='https://e/simple/'",
                "global.index-url='https://a/simple/'",
            ])),
            Some("https://e/simple/".to_owned())
        );
        assert_eq!(configured_index(&list(&["global.timeout='5'"])), None);
    }
}
