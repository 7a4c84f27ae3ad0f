//! What the operations on several versions of one package share — DeletePackageVersions,
//! UpdatePackageVersionsStatus and DisposePackageVersions: their body (`versions`,
//! `versionRevisions`, `expectedStatus`), the per-version preconditions, and their answer
//! (`successfulVersions` / `failedVersions` keyed by version).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::input::{self, Violations};
use super::packages::{check_name, find_package, package_params};
use super::{Ctx, find_domain, find_domain_mut, find_repository};
use crate::protocol::{ApiError, ApiResult};
use crate::world::{PackageVersion, Repository, World};

/// The body members every batch operation takes.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub versions: Vec<String>,
    /// `versionRevisions`: version → the revision the caller expects it to have.
    pub revisions: BTreeMap<String, String>,
    /// `expectedStatus`: act only on versions in this status.
    pub expected: Option<String>,
}

fn serialization(message: &str) -> ApiError {
    ApiError::new("SerializationException", message)
}

fn string_list(body: &Value, member: &str) -> ApiResult<Vec<String>> {
    match body.get(member) {
        None | Some(Value::Null) => Err(input::null(member)),
        Some(Value::Array(list)) => list
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| serialization(&format!("{member} must be a list of strings"))),
        Some(_) => Err(serialization(&format!(
            "{member} must be a list of strings"
        ))),
    }
}

fn string_map(body: &Value, member: &str) -> ApiResult<BTreeMap<String, String>> {
    match body.get(member) {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
            .collect::<Option<BTreeMap<String, String>>>()
            .ok_or_else(|| serialization(&format!("{member} must map strings to strings"))),
        Some(_) => Err(serialization(&format!(
            "{member} must map strings to strings"
        ))),
    }
}

/// Reads and checks the batch members of a JSON body (1–100 versions, names as CodeArtifact
/// allows them, `expectedStatus` from the PackageVersionStatus enumeration).
pub fn parse(body: &Value) -> ApiResult<Batch> {
    let versions = string_list(body, "versions")?;
    let revisions = string_map(body, "versionRevisions")?;
    let expected = input::body_string(body, "expectedStatus")?.map(str::to_owned);
    let mut v = Violations::default();
    if versions.is_empty() || versions.len() > 100 {
        v.add(
            "versions",
            &format!("{versions:?}"),
            "Member must have length between 1 and 100",
        );
    }
    for (i, version) in versions.iter().enumerate() {
        check_name(&mut v, &format!("versions.{}.member", i + 1), version);
    }
    for (version, revision) in &revisions {
        check_name(&mut v, "versionRevisions.key", version);
        v.length("versionRevisions.value", revision, 1, 50);
    }
    if let Some(s) = &expected {
        v.enumeration("expectedStatus", s, input::VERSION_STATUSES);
    }
    v.finish()?;
    Ok(Batch {
        versions,
        revisions,
        expected,
    })
}

/// A version that cannot be acted on: its `PackageVersionError` code and message.
pub type Refusal = (&'static str, String);

/// The version named, if it exists and meets the batch's `expectedStatus` and `versionRevisions`.
pub fn precondition<'p>(
    batch: &Batch,
    package: &str,
    version: &str,
    found: Option<&'p PackageVersion>,
) -> Result<&'p PackageVersion, Refusal> {
    let Some(found) = found else {
        return Err((
            "NOT_FOUND",
            format!("Version {version} of package {package} does not exist"),
        ));
    };
    if let Some(expected) = &batch.expected
        && *expected != found.status
    {
        return Err((
            "MISMATCHED_STATUS",
            format!(
                "current status: {}, expected status: {expected}",
                found.status
            ),
        ));
    }
    if let Some(expected) = batch.revisions.get(version)
        && *expected != found.revision
    {
        return Err((
            "MISMATCHED_REVISION",
            format!(
                "current revision: {}, expected revision: {expected}",
                found.revision
            ),
        ));
    }
    Ok(found)
}

/// The answer being built: `successfulVersions` and `failedVersions`.
#[derive(Debug, Default)]
pub struct Outcome {
    ok: Map<String, Value>,
    failed: Map<String, Value>,
}

impl Outcome {
    pub fn succeed(&mut self, version: &str, revision: &str, status: &str) {
        self.ok.insert(
            version.to_owned(),
            json!({ "revision": revision, "status": status }),
        );
    }

    pub fn fail(&mut self, version: &str, (code, message): Refusal) {
        self.failed.insert(
            version.to_owned(),
            json!({ "errorCode": code, "errorMessage": message }),
        );
    }

    pub fn into_json(self) -> Value {
        json!({ "successfulVersions": self.ok, "failedVersions": self.failed })
    }
}

/// Finds the package the request names (any spelling of its name) and runs `change` on its
/// repository with the package's stored key.
pub fn with_package<T>(
    world: &mut World,
    cx: &Ctx,
    change: impl FnOnce(&mut Repository, &str) -> T,
) -> ApiResult<T> {
    let q = &cx.q;
    let (format, namespace, name) = package_params(q)?;
    let domain = find_domain(world, q, cx.region)?;
    let repo = find_repository(domain, q)?;
    let key = find_package(domain, repo, format, namespace, name)?
        .name
        .clone();
    let repo_name = repo.name.clone();
    let domain = find_domain_mut(world, q, cx.region)?;
    let gone = super::repository_not_found(domain, &repo_name);
    let repo = domain.repositories.get_mut(&repo_name).ok_or(gone)?;
    Ok(change(repo, &key))
}
