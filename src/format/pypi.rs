//! PyPI: `pyproject.toml`, `setup.py` or `setup.cfg` in the tree; pip+twine, uv (`uv.lock`) or
//! poetry (`poetry.lock`, or a `[tool.poetry]` table); upstream `pypi-store` on `public:pypi`;
//! names PEP 503-normalised in API calls and ARNs, no namespace (`pypi//NAME`).

use std::path::Path;

use super::{Client, Detected, Format, PackageFormat, tree};
use crate::setup::rules::normalize_package_name;

pub struct Pypi;

/// Whether a pyproject.toml text has a `[tool.poetry]` table.
fn has_tool_poetry(text: &str) -> bool {
    toml::from_str::<toml::Table>(text).is_ok_and(|t| {
        t.get("tool")
            .and_then(|tool| tool.get("poetry"))
            .is_some_and(toml::Value::is_table)
    })
}

/// The client the lock files (and pyproject.toml's tables) name, with the file that says so.
fn client_in(dir: &Path) -> (Client, &'static str) {
    if tree::has_file(dir, "uv.lock") {
        return (Client::Uv, "uv.lock");
    }
    if tree::has_file(dir, "poetry.lock") {
        return (Client::Poetry, "poetry.lock");
    }
    if tree::read_text(dir, "pyproject.toml").is_some_and(|t| has_tool_poetry(&t)) {
        return (Client::Poetry, "pyproject.toml [tool.poetry]");
    }
    (Client::Twine, "pyproject.toml")
}

impl PackageFormat for Pypi {
    fn format(&self) -> Format {
        Format::Pypi
    }

    fn title(&self) -> &'static str {
        "PyPI"
    }

    fn clients(&self) -> &'static [Client] {
        &[Client::Twine, Client::Uv, Client::Poetry]
    }

    fn detect(&self, dir: &Path) -> Option<Detected> {
        let project = ["pyproject.toml", "setup.py", "setup.cfg"]
            .into_iter()
            .find(|f| tree::has_file(dir, f))?;
        let (client, lock) = client_in(dir);
        Some(Detected {
            client,
            namespace: None,
            evidence: if client == Client::Twine {
                project
            } else {
                lock
            },
        })
    }

    fn external_connections(&self) -> &'static [&'static str] {
        &["public:pypi"]
    }

    fn default_upstream(&self) -> Option<&'static str> {
        Some("pypi-store")
    }

    fn check_namespace(&self, _namespace: &str) -> Result<(), String> {
        Err("PyPI packages have no namespace".to_owned())
    }

    fn api_name(&self, name: &str) -> (Option<String>, String) {
        (None, normalize_package_name(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        dir
    }

    /// Files of a tree (name, text) and the client detection should find.
    type Case<'a> = (&'a [(&'a str, &'a str)], Option<Client>);

    #[test]
    fn the_client_comes_from_the_lock_files() {
        let cases: [Case<'_>; 6] = [
            (&[], None),
            (
                &[("pyproject.toml", "[project]\nname='w'\n")],
                Some(Client::Twine),
            ),
            (&[("setup.py", "")], Some(Client::Twine)),
            (&[("pyproject.toml", ""), ("uv.lock", "")], Some(Client::Uv)),
            (
                &[("setup.cfg", ""), ("poetry.lock", "")],
                Some(Client::Poetry),
            ),
            (
                &[("pyproject.toml", "[tool.poetry]\nname = 'w'\n")],
                Some(Client::Poetry),
            ),
        ];
        for (files, expected) in cases {
            let dir = tree_with(files);
            assert_eq!(
                Pypi.detect(dir.path()).map(|d| d.client),
                expected,
                "{files:?}"
            );
        }
    }

    #[test]
    fn names_are_pep_503_without_namespace() {
        assert_eq!(Pypi.api_name("My_Pkg"), (None, "my-pkg".to_owned()));
        assert!(Pypi.check_namespace("x").is_err());
    }
}
