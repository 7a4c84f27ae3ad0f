//! OpenID Connect identity providers.

use super::{Shared, arn_param, constraint};
use crate::protocol::{ApiError, ApiResult, Params, X};
use crate::world::iso8601;

const MAX_THUMBPRINTS: usize = 5;
const MAX_CLIENT_IDS: usize = 100;

fn no_such_provider(arn: &str) -> ApiError {
    ApiError::new(
        "NoSuchEntity",
        format!("OpenIDConnect Provider not found for arn {arn}"),
    )
}

/// The URL rules IAM applies: `https://host[/path]`, no user info, query, fragment or port.
fn check_url(url: &str) -> ApiResult<()> {
    if url.is_empty() || url.len() > 255 {
        return Err(constraint(
            "url",
            url,
            "Member must have length less than or equal to 255",
        ));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(ApiError::new(
            "ValidationError",
            "Invalid Open ID Connect Provider URL",
        ));
    };
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(ApiError::new(
            "ValidationError",
            "Invalid Open ID Connect Provider URL",
        ));
    }
    if scheme != "https" {
        return Err(ApiError::new(
            "InvalidInput",
            "Invalid Open ID Connect Provider URL. The URL must begin with https://.",
        ));
    }
    if rest.contains(['?', '#', '@']) || host.contains(':') {
        return Err(ApiError::new(
            "InvalidInput",
            "Invalid Open ID Connect Provider URL.",
        ));
    }
    Ok(())
}

fn check_thumbprints(thumbprints: &[String]) -> ApiResult<()> {
    if let Some(bad) = thumbprints
        .iter()
        .find(|t| t.len() != 40 || !t.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(constraint(
            "thumbprintList",
            bad,
            "Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 40, Member must be hexadecimal]",
        ));
    }
    if thumbprints.len() > MAX_THUMBPRINTS {
        return Err(ApiError::new(
            "InvalidInput",
            "Thumbprint list must contain fewer than 5 entries.",
        ));
    }
    Ok(())
}

fn check_client_id(id: &str) -> ApiResult<()> {
    if id.is_empty() || id.len() > 255 {
        return Err(constraint(
            "clientID",
            id,
            "Member must have length between 1 and 255",
        ));
    }
    Ok(())
}

pub fn create(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let url = params.required("Url")?;
    check_url(url)?;
    let client_ids = params.list("ClientIDList");
    for id in &client_ids {
        check_client_id(id)?;
    }
    if client_ids.len() > MAX_CLIENT_IDS {
        return Err(ApiError::new(
            "LimitExceeded",
            "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100",
        ));
    }
    let thumbprints = params.list("ThumbprintList");
    check_thumbprints(&thumbprints)?;

    let mut world = shared.world();
    let arn = world.oidc_provider_arn(url);
    if world.oidc_providers.contains_key(&arn) {
        return Err(ApiError::new(
            "EntityAlreadyExists",
            format!("Provider with url {url} already exists."),
        ));
    }
    let mut unique: Vec<String> = Vec::new();
    for id in client_ids {
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    let provider = world.new_oidc_provider(url, unique, thumbprints);
    world.oidc_providers.insert(arn.clone(), provider);
    Ok(vec![X::leaf("OpenIDConnectProviderArn", arn)])
}

pub fn get(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let arn = arn_param(params, "OpenIDConnectProviderArn")?;
    let world = shared.world();
    let provider = world
        .oidc_providers
        .get(arn)
        .ok_or_else(|| no_such_provider(arn))?;
    // IAM answers with the URL as given, minus the scheme.
    let url = provider
        .url
        .split_once("://")
        .map_or(provider.url.as_str(), |(_, rest)| rest);
    Ok(vec![
        X::leaf("Url", url),
        X::text_members("ClientIDList", &provider.client_ids),
        X::text_members("ThumbprintList", &provider.thumbprints),
        X::leaf("CreateDate", iso8601(provider.created)),
        X::node("Tags", Vec::new()),
    ])
}

pub fn list(shared: &Shared) -> ApiResult<Vec<X>> {
    let world = shared.world();
    let members = world
        .oidc_providers
        .keys()
        .map(|arn| vec![X::leaf("Arn", arn)])
        .collect();
    Ok(vec![X::members("OpenIDConnectProviderList", members)])
}

/// Idempotent, as the API reference says: deleting a provider that does not exist succeeds.
pub fn delete(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let arn = arn_param(params, "OpenIDConnectProviderArn")?;
    shared.world().oidc_providers.remove(arn);
    Ok(Vec::new())
}

/// Idempotent: adding a client id the provider already has succeeds without a change.
pub fn add_client_id(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let arn = arn_param(params, "OpenIDConnectProviderArn")?;
    let client_id = params.required("ClientID")?;
    check_client_id(client_id)?;
    let mut world = shared.world();
    let provider = world
        .oidc_providers
        .get_mut(arn)
        .ok_or_else(|| no_such_provider(arn))?;
    if !provider.client_ids.iter().any(|c| c == client_id) {
        if provider.client_ids.len() >= MAX_CLIENT_IDS {
            return Err(ApiError::new(
                "LimitExceeded",
                "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100",
            ));
        }
        provider.client_ids.push(client_id.to_owned());
    }
    Ok(Vec::new())
}

/// RemoveClientIDFromOpenIDConnectProvider: idempotent, as AWS documents it (removing a client id
/// the provider does not list is not an error).
pub fn remove_client_id(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let arn = arn_param(params, "OpenIDConnectProviderArn")?;
    let client_id = params.required("ClientID")?;
    check_client_id(client_id)?;
    let mut world = shared.world();
    let provider = world
        .oidc_providers
        .get_mut(arn)
        .ok_or_else(|| no_such_provider(arn))?;
    provider.client_ids.retain(|c| c != client_id);
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_rules() {
        assert!(check_url("https://token.actions.githubusercontent.com").is_ok());
        assert!(check_url("https://example.com/path").is_ok());
        assert_eq!(
            check_url("example.com").expect_err("must fail").code,
            "ValidationError"
        );
        assert_eq!(
            check_url("https://").expect_err("must fail").code,
            "ValidationError"
        );
        let http = check_url("http://example.com").expect_err("must fail");
        assert_eq!(http.code, "InvalidInput");
        assert!(http.message.contains("https://"));
        for bad in [
            "https://example.com?x=1",
            "https://example.com#f",
            "https://u:p@example.com",
            "https://example.com:8443",
        ] {
            assert_eq!(
                check_url(bad).expect_err("must fail").code,
                "InvalidInput",
                "{bad}"
            );
        }
    }

    #[test]
    fn thumbprint_rules() {
        let good = "6938fd4d98bab03faadb97b34396831e3780aea1".to_owned();
        assert!(check_thumbprints(std::slice::from_ref(&good)).is_ok());
        assert!(check_thumbprints(&[]).is_ok());
        assert_eq!(
            check_thumbprints(&["abc".to_owned()])
                .expect_err("must fail")
                .code,
            "ValidationError"
        );
        assert_eq!(
            check_thumbprints(&["z".repeat(40)])
                .expect_err("must fail")
                .code,
            "ValidationError"
        );
        assert_eq!(
            check_thumbprints(&vec![good; 6])
                .expect_err("must fail")
                .code,
            "InvalidInput"
        );
    }
}
