//! CodeArtifact's EventBridge event for a package version change (CodeArtifact User Guide,
//! "CodeArtifact event format and example"): `detail-type` "CodeArtifact Package Version State
//! Change", `source` `aws.codeartifact`, the package's ARN in `resources`, and in `detail` the
//! domain, owner, repository, package coordinates, the version's state and revision, what changed,
//! `operationType`, a `sequenceNumber` per package version and an `eventDeduplicationId`. It is put
//! on the default bus of the domain's region (`events::deliver`); the domain owner is the one
//! account that receives it (the sandbox's repositories are all administered by that account).

use base64::Engine as _;
use serde_json::{Value, json};

use super::packages::find_package;
use crate::sns::Outgoing;
use crate::world::{World, iso8601};

/// One package version that was created, or given another asset.
pub struct Change<'a> {
    pub domain: &'a str,
    pub repository: &'a str,
    pub format: &'a str,
    /// `None` for formats without namespaces (pypi) and unscoped npm packages: sent as `null`.
    pub namespace: Option<&'a str>,
    /// As CodeArtifact stores it (PEP 503-normalised for pypi, without the scope for npm).
    pub package: &'a str,
    pub version: &'a str,
    /// A new version (`Created`), or an asset added to one (`Updated`).
    pub created: bool,
}

/// The event for `change`, or `None` when the domain or version is not (or no longer) there.
pub fn event(world: &mut World, change: &Change) -> Option<Value> {
    let domain = world.domains.get(change.domain)?;
    let region = World::domain_region(domain).to_owned();
    let owner = domain.owner.clone();
    let repo = domain.repositories.get(change.repository)?;
    let package = find_package(
        domain,
        repo,
        change.format,
        change.namespace,
        change.package,
    );
    let stored = package.ok()?.versions.get(change.version)?;
    let (state, revision) = (stored.status.clone(), stored.revision.clone());
    let key = format!(
        "{}/{}/{}/{}/{}/{}",
        change.domain,
        change.repository,
        change.format,
        change.namespace.unwrap_or_default(),
        change.package,
        change.version
    );
    let counter = world.events.sequence.entry(key).or_insert(0);
    *counter += 1;
    let sequence = *counter;
    let arn = format!(
        "arn:aws:codeartifact:{region}:{owner}:package/{}/{}/{}/{}/{}",
        change.domain,
        change.repository,
        change.format,
        change.namespace.unwrap_or_default(),
        change.package
    );
    let dedup = base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 32]>());
    Some(json!({
        "version": "0",
        "id": crate::sns::uuid(),
        "detail-type": "CodeArtifact Package Version State Change",
        "source": "aws.codeartifact",
        "account": owner,
        "time": iso8601(world.now()),
        "region": region,
        "resources": [arn],
        "detail": {
            "domainName": change.domain,
            "domainOwner": owner,
            "repositoryName": change.repository,
            "packageFormat": change.format,
            "packageNamespace": change.namespace,
            "packageName": change.package,
            "packageVersion": change.version,
            "packageVersionState": state,
            "packageVersionRevision": revision,
            "changes": {
                "assetsAdded": 1,
                "assetsRemoved": 0,
                "metadataUpdated": change.created,
                "assetsUpdated": 0,
                "statusChanged": change.created
            },
            "operationType": if change.created { "Created" } else { "Updated" },
            "sequenceNumber": sequence,
            "eventDeduplicationId": dedup
        }
    }))
}

/// Emits the event for `change` on its region's default bus: the SNS messages it causes.
pub fn emit(world: &mut World, base_url: &str, change: &Change) -> Vec<Outgoing> {
    let Some(event) = event(world, change) else {
        return Vec::new();
    };
    let region = event["region"].as_str().unwrap_or_default().to_owned();
    world.events.emitted.push(event.clone());
    crate::events::deliver::put_event(world, base_url, &region, &event)
}
