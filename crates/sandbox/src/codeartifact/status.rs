//! Package version statuses: UpdatePackageVersionsStatus, DisposePackageVersions, and what each
//! status means to package managers (CodeArtifact User Guide, "Package version status" and
//! "Update package version status"):
//!
//! - `Published` — listed and downloadable;
//! - `Unlisted` — downloadable, but not in the version lists returned to package managers;
//! - `Archived` — neither listed nor downloadable; can be moved back to `Published`/`Unlisted`;
//! - `Disposed` — neither listed nor downloadable, its assets deleted; only
//!   DisposePackageVersions sets it, and nothing moves a version out of it.
//!
//! UpdatePackageVersionsStatus takes `Published`, `Unlisted` or `Archived` as `targetStatus`
//! (`Unfinished` cannot be returned to; `Disposed` is DisposePackageVersions' job).

use serde_json::Value;

use super::Ctx;
use super::batch::{self, Batch, Outcome, precondition};
use super::input::{self, Violations};
use crate::protocol::{ApiError, ApiResult, json_body};
use crate::world::{PackageVersion, World, aws_id};

pub const PUBLISHED: &str = "Published";
pub const UNLISTED: &str = "Unlisted";
pub const ARCHIVED: &str = "Archived";
pub const DISPOSED: &str = "Disposed";

/// The statuses UpdatePackageVersionsStatus may set.
const UPDATE_TARGETS: &[&str] = &[PUBLISHED, UNLISTED, ARCHIVED];

/// Whether package managers see the version in the package's version list (the PyPI simple index).
pub fn listed(status: &str) -> bool {
    status == PUBLISHED
}

/// Whether the version's assets can be downloaded from the repository.
pub fn downloadable(status: &str) -> bool {
    status == PUBLISHED || status == UNLISTED
}

/// `targetStatus`, required, and one UpdatePackageVersionsStatus may set.
fn target_status(body: &Value) -> ApiResult<String> {
    let target = input::body_string(body, "targetStatus")?
        .ok_or_else(|| input::null("targetStatus"))?
        .to_owned();
    let mut v = Violations::default();
    v.enumeration("targetStatus", &target, input::VERSION_STATUSES);
    v.finish()?;
    if !UPDATE_TARGETS.contains(&target.as_str()) {
        let hint = if target == DISPOSED {
            " To dispose of package versions, use DisposePackageVersions."
        } else {
            ""
        };
        return Err(ApiError::new(
            "ValidationException",
            format!(
                "Invalid targetStatus {target}: the status of a package version can be updated to \
                 Published, Unlisted or Archived.{hint}"
            ),
        ));
    }
    Ok(target)
}

/// Sets `status` on `version`, with a new revision (the version's metadata changed).
fn set_status(version: &mut PackageVersion, status: &str) {
    if version.status != status {
        version.status = status.to_owned();
        version.revision = aws_id("REV");
    }
}

/// Why a version may not move to `target` (only a Disposed version is stuck).
fn transition_refused(version: &PackageVersion, target: &str) -> Option<batch::Refusal> {
    (version.status == DISPOSED && target != DISPOSED).then(|| {
        (
            "NOT_ALLOWED",
            format!(
                "Version {} is Disposed: its assets are deleted and its status cannot be changed to {target}",
                version.version
            ),
        )
    })
}

/// Applies `target` to each version of the batch that meets its preconditions.
fn apply(world: &mut World, cx: &Ctx, batch: &Batch, target: &str) -> ApiResult<Value> {
    batch::with_package(world, cx, |repo, key| {
        let mut outcome = Outcome::default();
        let Some(package) = repo.packages.get_mut(key) else {
            return outcome.into_json();
        };
        for version in &batch.versions {
            let checked = precondition(batch, key, version, package.versions.get(version))
                .and_then(|found| transition_refused(found, target).map_or(Ok(()), Err));
            if let Err(refusal) = checked {
                outcome.fail(version, refusal);
                continue;
            }
            if let Some(found) = package.versions.get_mut(version) {
                set_status(found, target);
                if target == DISPOSED {
                    found.files.clear();
                }
                outcome.succeed(version, &found.revision, &found.status);
            }
        }
        outcome.into_json()
    })
}

/// `POST /v1/package/versions/update_status`.
pub fn update(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let body = json_body(cx.body)?;
    let batch = batch::parse(&body)?;
    let target = target_status(&body)?;
    apply(world, cx, &batch, &target)
}

/// `POST /v1/package/versions/dispose`: status `Disposed`, assets deleted.
pub fn dispose(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let body = json_body(cx.body)?;
    let batch = batch::parse(&body)?;
    apply(world, cx, &batch, DISPOSED)
}
