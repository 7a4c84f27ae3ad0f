//! CodeArtifact (REST-JSON): domains, repositories, external connections, authorization tokens,
//! endpoints and package listings, with AWS's naming rules and error codes.

mod accounts;
mod assets;
mod batch;
mod connections;
mod domains;
mod input;
pub mod notify;
mod origin;
pub mod packages;
mod paging;
mod policies;
mod repositories;
pub mod status;
pub mod versions;

use std::time::Duration;

use axum::http::Method;
use axum::http::request::Parts;
use axum::response::Response;
use serde_json::{Value, json};

use super::Shared;
use super::protocol::{ApiError, ApiResult, Query, json_response};
use super::world::{AuthToken, Domain, Holder, Repository, World, epoch_seconds};

pub use connections::format_of as external_connection_format;
pub use input::{is_account_id, is_domain_name};

/// The operation a method and path name, as the AWS SDK sends them.
pub fn operation(method: &Method, path: &str) -> Option<&'static str> {
    let op = match (method.as_str(), path) {
        ("POST", "/v1/domain") => "CreateDomain",
        ("GET", "/v1/domain") => "DescribeDomain",
        ("DELETE", "/v1/domain") => "DeleteDomain",
        ("POST", "/v1/domains") => "ListDomains",
        ("POST", "/v1/repository") => "CreateRepository",
        ("GET", "/v1/repository") => "DescribeRepository",
        ("PUT", "/v1/repository") => "UpdateRepository",
        ("DELETE", "/v1/repository") => "DeleteRepository",
        ("POST", "/v1/domain/repositories") => "ListRepositoriesInDomain",
        ("POST", "/v1/repository/external-connection") => "AssociateExternalConnection",
        ("DELETE", "/v1/repository/external-connection") => "DisassociateExternalConnection",
        ("POST", "/v1/authorization-token") => "GetAuthorizationToken",
        ("GET", "/v1/repository/endpoint") => "GetRepositoryEndpoint",
        ("POST", "/v1/packages") => "ListPackages",
        ("POST", "/v1/package/versions") => "ListPackageVersions",
        ("GET", "/v1/package/version") => "DescribePackageVersion",
        ("POST", "/v1/package/versions/delete") => "DeletePackageVersions",
        ("GET", "/v1/repository/permissions/policy") => "GetRepositoryPermissionsPolicy",
        ("PUT", "/v1/repository/permissions/policy") => "PutRepositoryPermissionsPolicy",
        ("DELETE", "/v1/repository/permissions/policies") => "DeleteRepositoryPermissionsPolicy",
        ("GET", "/v1/domain/permissions/policy") => "GetDomainPermissionsPolicy",
        ("PUT", "/v1/domain/permissions/policy") => "PutDomainPermissionsPolicy",
        ("DELETE", "/v1/domain/permissions/policy") => "DeleteDomainPermissionsPolicy",
        ("GET", "/v1/package") => "DescribePackage",
        ("POST", "/v1/package") => "PutPackageOriginConfiguration",
        ("POST", "/v1/package/versions/update_status") => "UpdatePackageVersionsStatus",
        ("POST", "/v1/package/versions/dispose") => "DisposePackageVersions",
        ("POST", "/v1/package/version/assets") => "ListPackageVersionAssets",
        _ => return None,
    };
    Some(op)
}

/// The request's parameters as the operations (and the authorisation of role sessions) read them:
/// the query string, and for PutDomainPermissionsPolicy — the one operation that sends the domain
/// in its JSON body — `domain` and `domain-owner` from the body.
pub fn request_query(operation: &str, raw: Option<&str>, body: &[u8]) -> Query {
    let mut q = Query::parse(raw);
    if operation == "PutDomainPermissionsPolicy"
        && let Ok(Value::Object(members)) = serde_json::from_slice::<Value>(body)
    {
        for (member, param) in [("domain", "domain"), ("domainOwner", "domain-owner")] {
            if let Some(Value::String(v)) = members.get(member) {
                q.0.entry(param.to_owned()).or_insert_with(|| v.clone());
            }
        }
    }
    q
}

/// One CodeArtifact request as the operations see it.
pub struct Ctx<'a> {
    pub q: Query,
    pub body: &'a [u8],
    /// The region of the SigV4 scope: new domains and repositories get ARNs in it.
    pub region: &'a str,
    pub base_url: &'a str,
    /// Who is calling: a token they obtain carries their rights.
    pub holder: Holder,
}

pub fn handle(
    shared: &Shared,
    operation: &str,
    parts: &Parts,
    body: &[u8],
    region: &str,
    holder: Holder,
) -> ApiResult<Response> {
    let region = if region.is_empty() {
        super::SANDBOX_REGION
    } else {
        region
    };
    let mut q = request_query(operation, parts.uri.query(), body);
    accounts::default_owner(&mut q, &holder);
    let cx = Ctx {
        q,
        body,
        region,
        base_url: &shared.base_url,
        holder,
    };
    let mut world = shared.world();
    dispatch(&mut world, operation, &cx).map(json_response)
}

/// Runs `operation` on the world: shared query checks first, then the operation.
pub fn dispatch(world: &mut World, operation: &str, cx: &Ctx) -> ApiResult<Value> {
    input::check_common(&cx.q)?;
    if let Some(answer) = accounts::in_other_account(operation, cx) {
        return answer;
    }
    let op: fn(&mut World, &Ctx) -> ApiResult<Value> = match operation {
        "CreateDomain" => domains::create,
        "DescribeDomain" => domains::describe,
        "DeleteDomain" => domains::delete,
        "ListDomains" => domains::list,
        "CreateRepository" => repositories::create,
        "DescribeRepository" => repositories::describe,
        "UpdateRepository" => repositories::update,
        "DeleteRepository" => repositories::delete,
        "ListRepositoriesInDomain" => repositories::list,
        "AssociateExternalConnection" => connections::associate,
        "DisassociateExternalConnection" => connections::disassociate,
        "GetAuthorizationToken" => get_authorization_token,
        "GetRepositoryEndpoint" => get_repository_endpoint,
        "ListPackages" => packages::list_packages,
        "ListPackageVersions" => versions::list,
        "DescribePackageVersion" => versions::describe,
        "DeletePackageVersions" => versions::delete,
        "GetRepositoryPermissionsPolicy" => policies::get_repository,
        "PutRepositoryPermissionsPolicy" => policies::put_repository,
        "DeleteRepositoryPermissionsPolicy" => policies::delete_repository,
        "GetDomainPermissionsPolicy" => policies::get_domain,
        "PutDomainPermissionsPolicy" => policies::put_domain,
        "DeleteDomainPermissionsPolicy" => policies::delete_domain,
        "DescribePackage" => origin::describe,
        "PutPackageOriginConfiguration" => origin::put,
        "UpdatePackageVersionsStatus" => status::update,
        "DisposePackageVersions" => status::dispose,
        "ListPackageVersionAssets" => assets::list,
        other => {
            return Err(ApiError::new(
                "UnknownOperationException",
                format!("{other} is not a CodeArtifact operation the cawiz sandbox emulates"),
            ));
        }
    };
    op(world, cx)
}

/// Default and bounds of GetAuthorizationToken's `duration` (seconds).
const TOKEN_DEFAULT: Duration = Duration::from_secs(12 * 3600);
const TOKEN_MIN_SECS: u64 = 900;
const TOKEN_MAX_SECS: u64 = 43_200;

fn get_authorization_token(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let q = &cx.q;
    let domain = find_domain(world, q, cx.region)?;
    let (name, owner) = (domain.name.clone(), domain.owner.clone());
    let duration = match q.get("duration") {
        None => TOKEN_DEFAULT,
        Some(raw) => match raw.parse::<u64>() {
            Ok(0) => TOKEN_DEFAULT,
            Ok(s) if (TOKEN_MIN_SECS..=TOKEN_MAX_SECS).contains(&s) => Duration::from_secs(s),
            _ => {
                return Err(ApiError::new(
                    "ValidationException",
                    format!(
                        "Duration {raw} is invalid: it must be 0 or between {TOKEN_MIN_SECS} and {TOKEN_MAX_SECS} seconds"
                    ),
                ));
            }
        },
    };
    let expires = world.now() + duration;
    let token = new_token();
    world.tokens.insert(
        token.clone(),
        AuthToken {
            domain: name,
            owner,
            expires,
            holder: cx.holder.clone(),
        },
    );
    Ok(json!({ "authorizationToken": token, "expiration": epoch_seconds(expires) }))
}

/// An opaque token shaped like CodeArtifact's (long, URL-safe).
fn new_token() -> String {
    use base64::Engine as _;
    let bytes: [u8; 96] = rand::random();
    format!(
        "cawizsbx.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The URL of a repository's endpoint for `format` on this sandbox.
pub fn endpoint_url(base_url: &str, domain: &Domain, repository: &str, format: &str) -> String {
    format!(
        "{base_url}/{}-{}/{format}/{repository}/",
        domain.name, domain.owner
    )
}

fn get_repository_endpoint(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let q = &cx.q;
    let domain = find_domain(world, q, cx.region)?;
    let repo = find_repository(domain, q)?;
    let format = q.required("format")?;
    if !SERVED_FORMATS.contains(&format) {
        return Err(ApiError::new(
            "ValidationException",
            format!("The cawiz sandbox serves only the pypi and npm formats, not {format}"),
        ));
    }
    Ok(json!({ "repositoryEndpoint": endpoint_url(cx.base_url, domain, &repo.name, format) }))
}

/// The domain named by `domain` (and `domain-owner`, default: the caller's account) in `region`:
/// CodeArtifact is a regional service, so a domain of another region is not found.
pub fn find_domain<'w>(world: &'w World, q: &Query, region: &str) -> ApiResult<&'w Domain> {
    let name = q.required("domain")?;
    let owner = q.get("domain-owner").unwrap_or(&world.account_id);
    world
        .domains
        .get(name)
        .filter(|d| owner == world.account_id && World::domain_region(d) == region)
        .ok_or_else(|| domain_not_found(name, owner))
}

/// [`find_domain`], for changing it.
pub fn find_domain_mut<'w>(
    world: &'w mut World,
    q: &Query,
    region: &str,
) -> ApiResult<&'w mut Domain> {
    find_domain(world, q, region)?;
    let name = q.required("domain")?;
    let account = world.account_id.clone();
    world
        .domains
        .get_mut(name)
        .ok_or_else(|| domain_not_found(name, &account))
}

pub fn find_repository<'d>(domain: &'d Domain, q: &Query) -> ApiResult<&'d Repository> {
    let name = q.required("repository")?;
    domain
        .repositories
        .get(name)
        .ok_or_else(|| repository_not_found(domain, name))
}

/// CodeArtifact's answer for a domain that does not exist (in this region and account).
pub fn domain_not_found(name: &str, owner: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFoundException",
        format!("Domain not found. Domain '{name}' owned by account '{owner}' does not exist."),
    )
}

/// CodeArtifact's answer for a repository that does not exist in an existing domain.
pub fn repository_not_found(domain: &Domain, name: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFoundException",
        format!(
            "Repository not found. Repository '{name}' in domain '{}' owned by account '{}' does not exist.",
            domain.name, domain.owner
        ),
    )
}

/// `repo` followed by its upstream repositories in the order CodeArtifact searches them: each
/// upstream in its listed priority order, and an upstream's own upstreams before the next one
/// (depth-first, as the "Upstream repository priority order" guide describes). Each repository
/// appears once (its first position); cycles are cut. Empty when `repo` does not exist.
pub fn upstream_chain<'d>(domain: &'d Domain, repo: &str) -> Vec<&'d Repository> {
    fn visit<'d>(domain: &'d Domain, name: &str, out: &mut Vec<&'d Repository>) {
        let Some(repo) = domain.repositories.get(name) else {
            return;
        };
        if out.iter().any(|r| r.name == repo.name) {
            return;
        }
        out.push(repo);
        for upstream in &repo.upstreams {
            visit(domain, upstream, out);
        }
    }
    let mut out = Vec::new();
    visit(domain, repo, &mut out);
    out
}

/// The name of the repository in `repo`'s upstream chain (itself included) that holds the
/// `public:pypi` external connection, if the chain reaches public PyPI at all.
pub fn reaches_public_pypi(domain: &Domain, repo: &str) -> Option<String> {
    upstream_chain(domain, repo)
        .into_iter()
        .find(|r| r.external_connection.as_deref() == Some(PUBLIC_PYPI))
        .map(|r| r.name.clone())
}

/// The formats whose repository endpoint the sandbox serves.
pub const SERVED_FORMATS: &[&str] = &["pypi", "npm"];

/// The external connection name of public PyPI.
pub const PUBLIC_PYPI: &str = "public:pypi";

#[cfg(test)]
mod tests;
