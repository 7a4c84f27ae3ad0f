//! CodeArtifact (REST-JSON): domains, repositories, external connections, authorization tokens,
//! endpoints and package listings, with AWS's naming rules and error codes.

use std::time::Duration;

use axum::http::Method;
use axum::http::request::Parts;
use axum::response::Response;
use serde_json::json;

use super::Shared;
use super::protocol::{ApiError, ApiResult, Query, json_response};
use super::world::{AuthToken, Domain, Repository, World, epoch_seconds};

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
        _ => return None,
    };
    Some(op)
}

pub fn handle(
    shared: &Shared,
    operation: &str,
    parts: &Parts,
    body: &[u8],
    region: &str,
) -> ApiResult<Response> {
    let q = Query::parse(parts.uri.query());
    let _ = (body, region);
    let mut world = shared.world();
    match operation {
        "GetAuthorizationToken" => get_authorization_token(&mut world, &q),
        "GetRepositoryEndpoint" => get_repository_endpoint(&world, &q, &shared.base_url),
        other => Err(ApiError::new(
            "UnknownOperationException",
            format!("not yet implemented: {other}"),
        )),
    }
}

/// Default and bounds of GetAuthorizationToken's `duration` (seconds).
const TOKEN_DEFAULT: Duration = Duration::from_secs(12 * 3600);
const TOKEN_MIN_SECS: u64 = 900;
const TOKEN_MAX_SECS: u64 = 43_200;

fn get_authorization_token(world: &mut World, q: &Query) -> ApiResult<Response> {
    let domain = find_domain(world, q)?;
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
        },
    );
    Ok(json_response(
        json!({ "authorizationToken": token, "expiration": epoch_seconds(expires) }),
    ))
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

fn get_repository_endpoint(world: &World, q: &Query, base_url: &str) -> ApiResult<Response> {
    let domain = find_domain(world, q)?;
    let repo = find_repository(domain, q)?;
    let format = q.required("format")?;
    if format != "pypi" {
        return Err(ApiError::new(
            "ValidationException",
            format!("The cawiz sandbox serves only the pypi format, not {format}"),
        ));
    }
    Ok(json_response(
        json!({ "repositoryEndpoint": endpoint_url(base_url, domain, &repo.name, format) }),
    ))
}

/// The domain named by `domain` (and `domain-owner`, default: the caller's account).
pub fn find_domain<'w>(world: &'w World, q: &Query) -> ApiResult<&'w Domain> {
    let name = q.required("domain")?;
    if let Some(owner) = q.get("domain-owner")
        && owner != world.account_id
    {
        return Err(domain_not_found(name, owner));
    }
    world
        .domains
        .get(name)
        .ok_or_else(|| domain_not_found(name, &world.account_id))
}

pub fn find_repository<'d>(domain: &'d Domain, q: &Query) -> ApiResult<&'d Repository> {
    let name = q.required("repository")?;
    domain
        .repositories
        .get(name)
        .ok_or_else(|| repository_not_found(&domain.name, name))
}

pub fn domain_not_found(name: &str, owner: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFoundException",
        format!("Domain {name} not found in account {owner}"),
    )
}

pub fn repository_not_found(domain: &str, name: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFoundException",
        format!("Repository {name} not found in domain {domain}"),
    )
}
