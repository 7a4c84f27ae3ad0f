//! CreateRepository, DescribeRepository, UpdateRepository, DeleteRepository,
//! ListRepositoriesInDomain.

use serde_json::{Value, json};

use super::input::{self, Violations};
use super::paging;
use super::{Ctx, external_connection_format, find_domain, find_domain_mut, upstream_chain};
use crate::protocol::{ApiError, ApiResult, json_body};
use crate::world::{Domain, Repository, World, epoch_seconds};

/// A repository may list at most this many upstream repositories.
pub const MAX_UPSTREAMS: usize = 10;

/// `RepositoryDescription`.
pub fn description(domain: &Domain, repo: &Repository) -> Value {
    let mut out = summary(domain, repo);
    out["upstreams"] = repo
        .upstreams
        .iter()
        .map(|u| json!({ "repositoryName": u }))
        .collect();
    out["externalConnections"] = repo
        .external_connection
        .iter()
        .map(|name| {
            json!({
                "externalConnectionName": name,
                "packageFormat": external_connection_format(name).unwrap_or("generic"),
                "status": "Available",
            })
        })
        .collect();
    out
}

/// `RepositorySummary`.
pub fn summary(domain: &Domain, repo: &Repository) -> Value {
    let mut out = json!({
        "name": repo.name,
        "administratorAccount": domain.owner,
        "domainName": domain.name,
        "domainOwner": domain.owner,
        "arn": repo.arn,
        "createdTime": epoch_seconds(repo.created),
    });
    if let Some(d) = &repo.description {
        out["description"] = json!(d);
    }
    out
}

fn check_description(description: Option<&str>) -> ApiResult<()> {
    let Some(d) = description else {
        return Ok(());
    };
    let mut v = Violations::default();
    v.length("description", d, 0, 1000);
    v.pattern(
        "description",
        d,
        !d.chars().any(char::is_control),
        r"\P{C}*",
    );
    v.finish()
}

/// The body's `upstreams` (`[{"repositoryName": …}]`), if present, with each name checked.
fn body_upstreams(body: &Value) -> ApiResult<Option<Vec<String>>> {
    let list = match body.get("upstreams") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(list)) => list,
        Some(_) => {
            return Err(ApiError::new(
                "SerializationException",
                "upstreams must be a list of {\"repositoryName\": …} objects",
            ));
        }
    };
    let mut names = Vec::with_capacity(list.len());
    let mut v = Violations::default();
    for (i, item) in list.iter().enumerate() {
        let member = format!("upstreams.{}.member.repositoryName", i + 1);
        match item.get("repositoryName") {
            Some(Value::String(name)) => {
                input::check_repository(&mut v, &member, name);
                names.push(name.clone());
            }
            None | Some(Value::Null) => return Err(input::null(&member)),
            Some(_) => {
                return Err(ApiError::new(
                    "SerializationException",
                    format!("{member} must be a string"),
                ));
            }
        }
    }
    v.finish()?;
    Ok(Some(names))
}

/// The upstream rules of CreateRepository and UpdateRepository: at most ten, no repeats, not the
/// repository itself, each one existing already, and no cycle through the new edges.
fn check_upstreams(domain: &Domain, repo: &str, upstreams: &[String]) -> ApiResult<()> {
    if upstreams.len() > MAX_UPSTREAMS {
        return Err(ApiError::new(
            "ServiceQuotaExceededException",
            format!(
                "A repository can have at most {MAX_UPSTREAMS} upstream repositories; {} were given",
                upstreams.len()
            ),
        ));
    }
    for (i, u) in upstreams.iter().enumerate() {
        if upstreams[..i].contains(u) {
            return Err(ApiError::new(
                "ValidationException",
                format!("Upstream repository {u} is listed more than once"),
            ));
        }
        if u == repo {
            return Err(ApiError::new(
                "ValidationException",
                format!("Repository {repo} cannot be an upstream repository of itself"),
            ));
        }
    }
    for u in upstreams {
        if !domain.repositories.contains_key(u) {
            return Err(ApiError::new(
                "ResourceNotFoundException",
                format!(
                    "Upstream repository {u} not found in domain {}: create it before naming it as an upstream",
                    domain.name
                ),
            ));
        }
    }
    for u in upstreams {
        let chain = upstream_chain(domain, u);
        if chain.iter().any(|r| r.name == repo) {
            let path: Vec<&str> = chain.iter().map(|r| r.name.as_str()).collect();
            return Err(ApiError::new(
                "ValidationException",
                format!(
                    "Adding upstream {u} to {repo} would create a cycle: {repo} is already reachable from {u} ({})",
                    path.join(" -> ")
                ),
            ));
        }
    }
    Ok(())
}

fn existing<'d>(domain: &'d Domain, name: &str) -> ApiResult<&'d Repository> {
    domain
        .repositories
        .get(name)
        .ok_or_else(|| super::repository_not_found(domain, name))
}

pub fn create(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let body = json_body(cx.body)?;
    let name = input::required(&cx.q, "repository", "repository")?;
    let desc = input::body_string(&body, "description")?;
    check_description(desc)?;
    let upstreams = body_upstreams(&body)?.unwrap_or_default();
    let domain = find_domain(world, &cx.q, cx.region)?;
    if domain.repositories.contains_key(name) {
        return Err(ApiError::new(
            "ConflictException",
            format!("Repository {name} already exists in domain {}", domain.name),
        ));
    }
    check_upstreams(domain, name, &upstreams)?;
    let mut repo = world.new_repository(&domain.name, name, cx.region, desc.map(str::to_owned));
    repo.upstreams = upstreams;
    let domain = find_domain_mut(world, &cx.q, cx.region)?;
    let out = description(domain, &repo);
    domain.repositories.insert(repo.name.clone(), repo);
    Ok(json!({ "repository": out }))
}

pub fn describe(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let domain = find_domain(world, &cx.q, cx.region)?;
    let repo = super::find_repository(domain, &cx.q)?;
    Ok(json!({ "repository": description(domain, repo) }))
}

pub fn update(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let body = json_body(cx.body)?;
    let name = input::required(&cx.q, "repository", "repository")?;
    let desc = input::body_string(&body, "description")?;
    check_description(desc)?;
    let upstreams = body_upstreams(&body)?;
    let domain = find_domain(world, &cx.q, cx.region)?;
    existing(domain, name)?;
    if let Some(ups) = &upstreams {
        check_upstreams(domain, name, ups)?;
    }
    let domain = find_domain_mut(world, &cx.q, cx.region)?;
    let missing = super::repository_not_found(domain, name);
    let repo = domain.repositories.get_mut(name).ok_or(missing)?;
    if let Some(d) = desc {
        repo.description = Some(d.to_owned());
    }
    if let Some(ups) = upstreams {
        repo.upstreams = ups;
    }
    let domain = find_domain(world, &cx.q, cx.region)?;
    let repo = existing(domain, name)?;
    Ok(json!({ "repository": description(domain, repo) }))
}

pub fn delete(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let name = input::required(&cx.q, "repository", "repository")?;
    let domain = find_domain(world, &cx.q, cx.region)?;
    existing(domain, name)?;
    let downstream: Vec<&str> = domain
        .repositories
        .values()
        .filter(|r| r.upstreams.iter().any(|u| u == name))
        .map(|r| r.name.as_str())
        .collect();
    if !downstream.is_empty() {
        return Err(ApiError::new(
            "ConflictException",
            format!(
                "Repository {name} is an upstream repository of {}; remove it from their upstreams before deleting it",
                downstream.join(", ")
            ),
        ));
    }
    let domain = find_domain_mut(world, &cx.q, cx.region)?;
    let missing = super::repository_not_found(domain, name);
    let removed = domain.repositories.remove(name).ok_or(missing)?;
    Ok(json!({ "repository": description(domain, &removed) }))
}

pub fn list(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let q = &cx.q;
    let mut v = Violations::default();
    let prefix = q.get("repository-prefix");
    if let Some(p) = prefix {
        v.length("repositoryPrefix", p, 2, 100);
        v.pattern(
            "repositoryPrefix",
            p,
            input::is_repository_name(p),
            input::REPOSITORY_PATTERN,
        );
    }
    let admin = q.get("administrator-account");
    if let Some(a) = admin {
        v.pattern(
            "administratorAccount",
            a,
            input::is_account_id(a),
            input::ACCOUNT_PATTERN,
        );
    }
    v.finish()?;
    let size = paging::query_page_size(q)?;
    let domain = find_domain(world, q, cx.region)?;
    let items = domain
        .repositories
        .values()
        .filter(|r| prefix.is_none_or(|p| r.name.starts_with(p)))
        .filter(|_| admin.is_none_or(|a| a == domain.owner))
        .map(|r| (r.name.clone(), summary(domain, r)))
        .collect();
    let (repositories, next) = paging::paginate(items, paging::query_token(q)?, size)?;
    Ok(paging::page_json("repositories", repositories, next))
}
