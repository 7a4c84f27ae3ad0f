//! npm packages as a repository stores them, and npm's naming of them: a full name
//! `@scope/name` is CodeArtifact's namespace `scope` and package `name`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Package;

/// An npm package in one repository: the CodeArtifact package (name without the scope), its
/// scope (the API's namespace, without `@`), the dist-tags and each version's manifest.
#[derive(Debug, Clone)]
pub struct NpmPackage {
    pub scope: Option<String>,
    pub package: Package,
    pub dist_tags: BTreeMap<String, String>,
    /// The version documents as published (`dist.tarball` is rewritten when served).
    pub manifests: BTreeMap<String, Value>,
}

/// `@scope/name` → (`Some("scope")`, `name`); `name` → (`None`, `name`).
pub fn split_name(full: &str) -> (Option<&str>, &str) {
    match full.strip_prefix('@').and_then(|s| s.split_once('/')) {
        Some((scope, name)) => (Some(scope), name),
        None => (None, full),
    }
}

/// The full npm name of a CodeArtifact namespace and package name.
pub fn full_name(namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(scope) => format!("@{scope}/{name}"),
        None => name.to_owned(),
    }
}
