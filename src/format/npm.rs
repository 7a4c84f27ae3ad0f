//! npm: `package.json` in the tree; npm, pnpm (`pnpm-lock.yaml`) or yarn (`yarn.lock`); upstream
//! `npm-store` on `public:npmjs`; a scoped name's scope, without `@`, is CodeArtifact's namespace
//! (`package/D/R/npm/SCOPE/NAME`), names are kept as written (npm's are lower case).

use std::path::Path;

use super::{Client, Detected, Format, PackageFormat, tree};

pub struct Npm;

/// `@scope/name` → (`scope`, `name`); an unscoped name has no scope.
pub fn split_scope(name: &str) -> (Option<&str>, &str) {
    match name.strip_prefix('@').and_then(|rest| rest.split_once('/')) {
        Some((scope, bare)) => (Some(scope), bare),
        None => (None, name),
    }
}

/// npm's rule for a scope (and a name): lower case, URL-safe, not starting with `.` or `_`, at
/// most 214 characters.
pub(super) fn check_scope(scope: &str) -> Result<(), String> {
    let url_safe = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._~".contains(c);
    let ok = (1..=214).contains(&scope.len())
        && !scope.starts_with(['.', '_'])
        && scope.chars().all(url_safe);
    if ok {
        Ok(())
    } else {
        Err(
            "an npm scope (without @) is 1–214 lower-case letters, digits, '-', '.', '_' or '~', \
             not starting with '.' or '_'"
                .to_owned(),
        )
    }
}

/// The scope of package.json's `name`, when it has a valid one.
fn scope_of_package_json(text: &str) -> Option<String> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    let name = json.get("name")?.as_str()?;
    let (scope, _) = split_scope(name);
    scope.filter(|s| check_scope(s).is_ok()).map(str::to_owned)
}

impl PackageFormat for Npm {
    fn format(&self) -> Format {
        Format::Npm
    }

    fn title(&self) -> &'static str {
        "npm"
    }

    fn clients(&self) -> &'static [Client] {
        &[Client::Npm, Client::Pnpm, Client::Yarn]
    }

    fn detect(&self, dir: &Path) -> Option<Detected> {
        let text = tree::read_text(dir, "package.json")?;
        let (client, evidence) = if tree::has_file(dir, "pnpm-lock.yaml") {
            (Client::Pnpm, "pnpm-lock.yaml")
        } else if tree::has_file(dir, "yarn.lock") {
            (Client::Yarn, "yarn.lock")
        } else {
            (Client::Npm, "package.json")
        };
        Some(Detected {
            client,
            namespace: scope_of_package_json(&text),
            evidence,
        })
    }

    fn external_connections(&self) -> &'static [&'static str] {
        &["public:npmjs"]
    }

    fn default_upstream(&self) -> Option<&'static str> {
        Some("npm-store")
    }

    fn check_namespace(&self, namespace: &str) -> Result<(), String> {
        check_scope(namespace)
    }

    fn api_name(&self, name: &str) -> (Option<String>, String) {
        let (scope, bare) = split_scope(name);
        (scope.map(str::to_owned), bare.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_and_scope_come_from_the_tree() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(Npm.detect(dir.path()), None);
        std::fs::write(
            dir.path().join("package.json"),
            r#"{"name": "@octo-org/widgets", "version": "1.0.0"}"#,
        )
        .expect("write");
        let found = Npm.detect(dir.path()).expect("npm project");
        assert_eq!(found.client, Client::Npm);
        assert_eq!(found.namespace.as_deref(), Some("octo-org"));
        std::fs::write(dir.path().join("yarn.lock"), "").expect("write");
        assert_eq!(Npm.detect(dir.path()).map(|d| d.client), Some(Client::Yarn));
        std::fs::write(dir.path().join("pnpm-lock.yaml"), "").expect("write");
        assert_eq!(Npm.detect(dir.path()).map(|d| d.client), Some(Client::Pnpm));
    }

    #[test]
    fn a_bad_scope_is_no_namespace() {
        assert_eq!(scope_of_package_json(r#"{"name": "@Octo/w"}"#), None);
        assert_eq!(scope_of_package_json(r#"{"name": "w"}"#), None);
        assert_eq!(scope_of_package_json("not json"), None);
        assert_eq!(
            scope_of_package_json("{\"name\": \"@a\\u001b]0;x/w\"}"),
            None
        );
    }

    #[test]
    fn scoped_names_split_for_the_api() {
        assert_eq!(
            Npm.api_name("@octo-org/widgets"),
            (Some("octo-org".to_owned()), "widgets".to_owned())
        );
        assert_eq!(Npm.api_name("is-number"), (None, "is-number".to_owned()));
        assert!(Npm.check_namespace("octo-org").is_ok());
        assert!(Npm.check_namespace("@octo").is_err());
        assert!(Npm.check_namespace("_x").is_err());
    }
}
