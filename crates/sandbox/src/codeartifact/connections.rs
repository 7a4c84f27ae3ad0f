//! AssociateExternalConnection and DisassociateExternalConnection.

use serde_json::{Value, json};

use super::input::{self, Violations};
use super::{Ctx, find_domain, find_domain_mut, repositories};
use crate::protocol::{ApiError, ApiResult};
use crate::world::World;

/// The public repositories CodeArtifact can connect to, with their package format.
pub const EXTERNAL_CONNECTIONS: &[(&str, &str)] = &[
    ("public:npmjs", "npm"),
    ("public:pypi", "pypi"),
    ("public:maven-central", "maven"),
    ("public:maven-googleandroid", "maven"),
    ("public:maven-gradleplugins", "maven"),
    ("public:maven-commonsware", "maven"),
    ("public:maven-clojars", "maven"),
    ("public:nuget-org", "nuget"),
    ("public:ruby-gems-org", "ruby"),
    ("public:crates-io", "cargo"),
];

/// The package format of a known external connection.
pub fn format_of(name: &str) -> Option<&'static str> {
    EXTERNAL_CONNECTIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
}

/// The `external-connection` parameter, checked against the pattern and the known names.
fn connection_name<'q>(cx: &'q Ctx) -> ApiResult<&'q str> {
    let name = input::required(&cx.q, "external-connection", "externalConnection")?;
    let mut v = Violations::default();
    v.length("externalConnection", name, 2, 100);
    v.pattern(
        "externalConnection",
        name,
        input::is_external_connection_name(name),
        input::EXTERNAL_CONNECTION_PATTERN,
    );
    v.finish()?;
    Ok(name)
}

pub fn associate(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let name = connection_name(cx)?;
    if format_of(name).is_none() {
        let known: Vec<&str> = EXTERNAL_CONNECTIONS.iter().map(|(n, _)| *n).collect();
        return Err(ApiError::new(
            "ValidationException",
            format!(
                "{name} is not a valid external connection name; valid names: {}",
                known.join(", ")
            ),
        ));
    }
    let domain = find_domain(world, &cx.q, cx.region)?;
    let repo = super::find_repository(domain, &cx.q)?;
    match repo.external_connection.as_deref() {
        Some(current) if current == name => {
            return Err(ApiError::new(
                "ConflictException",
                format!(
                    "Repository {} already has the external connection {name}",
                    repo.name
                ),
            ));
        }
        Some(current) => {
            return Err(ApiError::new(
                "ServiceQuotaExceededException",
                format!(
                    "Repository {} already has the external connection {current}; only one external connection per repository is allowed",
                    repo.name
                ),
            ));
        }
        None => {}
    }
    set_connection(world, cx, Some(name))
}

pub fn disassociate(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let name = connection_name(cx)?;
    let domain = find_domain(world, &cx.q, cx.region)?;
    let repo = super::find_repository(domain, &cx.q)?;
    if repo.external_connection.as_deref() != Some(name) {
        return Err(ApiError::new(
            "ResourceNotFoundException",
            format!(
                "External connection {name} is not associated with repository {}",
                repo.name
            ),
        ));
    }
    set_connection(world, cx, None)
}

/// Sets (or clears) the external connection of the repository `cx` names, which exists, and
/// answers with its description.
fn set_connection(world: &mut World, cx: &Ctx, connection: Option<&str>) -> ApiResult<Value> {
    let domain = find_domain_mut(world, &cx.q, cx.region)?;
    let name = super::find_repository(domain, &cx.q)?.name.clone();
    if let Some(r) = domain.repositories.get_mut(&name) {
        r.external_connection = connection.map(str::to_owned);
    }
    let repo = super::find_repository(domain, &cx.q)?;
    Ok(json!({ "repository": repositories::description(domain, repo) }))
}
