//! CreateDomain, DescribeDomain, DeleteDomain, ListDomains.

use serde_json::{Value, json};

use super::input::{self, Violations};
use super::paging;
use super::{Ctx, find_domain};
use crate::protocol::{ApiError, ApiResult, json_body};
use crate::world::{Domain, World, epoch_seconds};

/// `DomainDescription`.
pub fn description(domain: &Domain, status: &str) -> Value {
    let asset_bytes: usize = domain
        .repositories
        .values()
        .flat_map(|r| r.packages.values())
        .flat_map(|p| p.versions.values())
        .flat_map(|v| v.files.iter())
        .map(|f| f.content.len())
        .sum();
    json!({
        "name": domain.name,
        "owner": domain.owner,
        "arn": domain.arn,
        "status": status,
        "createdTime": epoch_seconds(domain.created),
        "encryptionKey": domain.encryption_key,
        "repositoryCount": domain.repositories.len(),
        "assetSizeBytes": asset_bytes,
        "s3BucketArn": format!(
            "arn:aws:s3:::assets-{}-{}",
            domain.owner,
            World::domain_region(domain)
        ),
    })
}

/// `DomainSummary`.
pub fn summary(domain: &Domain) -> Value {
    json!({
        "name": domain.name,
        "owner": domain.owner,
        "arn": domain.arn,
        "status": "Active",
        "createdTime": epoch_seconds(domain.created),
        "encryptionKey": domain.encryption_key,
    })
}

pub fn create(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let body = json_body(cx.body)?;
    let name = input::required(&cx.q, "domain", "domain")?;
    let key = input::body_string(&body, "encryptionKey")?;
    if let Some(key) = key {
        let mut v = Violations::default();
        v.length("encryptionKey", key, 1, 1011);
        v.pattern(
            "encryptionKey",
            key,
            !key.chars().any(char::is_whitespace),
            r"\S+",
        );
        v.finish()?;
    }
    if let Some(existing) = world.domains.get(name) {
        // In AWS a name is unique per account and region; the sandbox keeps it unique per account
        // (a departure its README names), so another region's domain is a conflict too.
        return Err(ApiError::new(
            "ConflictException",
            format!(
                "Domain {name} already exists in account {} (region {})",
                world.account_id,
                World::domain_region(existing)
            ),
        ));
    }
    let domain = world.new_domain(name, cx.region, key.map(str::to_owned));
    let out = description(&domain, "Active");
    world.domains.insert(domain.name.clone(), domain);
    Ok(json!({ "domain": out }))
}

pub fn describe(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let domain = find_domain(world, &cx.q, cx.region)?;
    Ok(json!({ "domain": description(domain, "Active") }))
}

pub fn delete(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let domain = find_domain(world, &cx.q, cx.region)?;
    if !domain.repositories.is_empty() {
        let names: Vec<&str> = domain.repositories.keys().map(String::as_str).collect();
        return Err(ApiError::new(
            "ConflictException",
            format!(
                "Domain {} cannot be deleted because it contains {} repositories ({}); delete them first",
                domain.name,
                names.len(),
                names.join(", ")
            ),
        ));
    }
    let name = domain.name.clone();
    let removed = world.domains.remove(&name);
    world.tokens.retain(|_, t| t.domain != name);
    let out = removed
        .map(|d| description(&d, "Deleted"))
        .unwrap_or(Value::Null);
    Ok(json!({ "domain": out }))
}

pub fn list(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let body = json_body(cx.body)?;
    let max = match body.get("maxResults") {
        None | Some(Value::Null) => None,
        Some(n) => Some(n.as_i64().ok_or_else(|| {
            ApiError::new("SerializationException", "maxResults must be an integer")
        })?),
    };
    let size = paging::page_size("maxResults", max)?;
    let token = input::body_string(&body, "nextToken")?;
    let items = world
        .domains
        .values()
        .filter(|d| World::domain_region(d) == cx.region)
        .map(|d| (d.name.clone(), summary(d)))
        .collect();
    let (domains, next) = paging::paginate(items, token, size)?;
    Ok(paging::page_json("domains", domains, next))
}
