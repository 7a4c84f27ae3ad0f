//! The endpoints themselves: each reads the request, changes the [`GithubState`], and answers with
//! GitHub's status codes and JSON shapes.

use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use super::contents::{get_branch, get_content, put_content};
use super::pulls::{create_pull, get_pull, list_pulls, merge_pull};
use super::refs::{create_ref, delete_ref, get_ref, get_tag};
use super::reply::{GhError, GhResult, Input, Reply};
use super::state::{GhRepo, GhSecret, GhVariable, GithubState};
use super::writes::{Variables, create_variable, set_secret, update_variable};
use super::{Op, Route, oidc_sub};
use crate::protocol::Query;
use crate::world::iso8601;

pub fn dispatch(gh: &mut GithubState, route: &Route, input: &Input<'_>) -> GhResult {
    let org_key = route.owner.to_lowercase();
    match route.op {
        Op::GetOidcToken => return super::oidc_token::token(gh, input),
        Op::GetOidcKeys => return Ok(Reply::ok(crate::oidc::jwks())),
        Op::GetOidcConfig => {
            let jwks = format!("{}/_oidc/.well-known/jwks", input.api_url);
            return Ok(Reply::ok(crate::oidc::openid_configuration(&jwks)));
        }
        Op::GetOrgOidcSubClaim => return Ok(Reply::ok(oidc_sub::org_json(gh.org(&route.owner)))),
        Op::SetOrgOidcSubClaim => {
            return oidc_sub::set_org(gh.orgs.entry(org_key).or_default(), input);
        }
        _ => {}
    }
    let org = gh.orgs.get(&org_key).cloned();
    let repo = gh
        .repo_mut(&route.owner, &route.repo, input.now)
        .ok_or_else(GhError::not_found)?;
    let name = route.name.as_deref().unwrap_or_default();
    match route.op {
        Op::GetRepository => Ok(Reply::ok(repository_json(repo, &input.api_url))),
        Op::GetOidcSubClaim => Ok(Reply::ok(oidc_sub::repo_json(repo, org.as_ref()))),
        Op::SetOidcSubClaim => oidc_sub::set_repo(repo, input),
        Op::GetOrgOidcSubClaim
        | Op::SetOrgOidcSubClaim
        | Op::GetOidcToken
        | Op::GetOidcKeys
        | Op::GetOidcConfig
        | Op::ListOrgVariables
        | Op::CreateOrgVariable
        | Op::GetOrgVariable
        | Op::UpdateOrgVariable
        | Op::DeleteOrgVariable
        | Op::ListSelectedReposForOrgVariable
        | Op::SetSelectedReposForOrgVariable
        | Op::AddSelectedRepoToOrgVariable
        | Op::RemoveSelectedRepoFromOrgVariable
        | Op::ListRepoOrgVariables => Err(GhError::not_found()),
        // Answered by `variables::dispatch` before this one is asked.
        Op::GetEnvironment
        | Op::CreateOrUpdateEnvironment
        | Op::ListEnvVariables
        | Op::CreateEnvVariable
        | Op::GetEnvVariable
        | Op::UpdateEnvVariable
        | Op::DeleteEnvVariable => Err(GhError::not_found()),
        Op::ListVariables => {
            let items: Vec<Value> = repo.variables.values().map(variable_json).collect();
            let url = format!("{}/actions/variables", repo_url(repo, &input.api_url));
            Ok(paginate(items, "variables", &input.query, 10, 30, &url))
        }
        Op::CreateVariable => create_variable(Variables::of_repo(repo), input),
        Op::GetVariable => repo
            .variables
            .get(&name.to_ascii_uppercase())
            .map(|v| Reply::ok(variable_json(v)))
            .ok_or_else(GhError::not_found),
        Op::UpdateVariable => update_variable(Variables::of_repo(repo), name, input),
        Op::DeleteVariable => repo
            .variables
            .remove(&name.to_ascii_uppercase())
            .map(|_| Reply::no_content())
            .ok_or_else(GhError::not_found),
        Op::ListSecrets => {
            let items: Vec<Value> = repo.secrets.values().map(secret_json).collect();
            let url = format!("{}/actions/secrets", repo_url(repo, &input.api_url));
            Ok(paginate(items, "secrets", &input.query, 30, 100, &url))
        }
        // The sandbox has no organisation secrets: none is shared with any repository.
        Op::ListRepoOrganizationSecrets => {
            let url = format!(
                "{}/actions/organization-secrets",
                repo_url(repo, &input.api_url)
            );
            Ok(paginate(Vec::new(), "secrets", &input.query, 30, 100, &url))
        }
        Op::GetPublicKey => Ok(Reply::ok(
            json!({ "key_id": repo.key_id, "key": repo.public_key_b64() }),
        )),
        Op::GetSecret => repo
            .secrets
            .get(&name.to_ascii_uppercase())
            .map(|s| Reply::ok(secret_json(s)))
            .ok_or_else(GhError::not_found),
        Op::SetSecret => set_secret(repo, name, input),
        Op::DeleteSecret => repo
            .secrets
            .remove(&name.to_ascii_uppercase())
            .map(|_| Reply::no_content())
            .ok_or_else(GhError::not_found),
        Op::GetContent => get_content(repo, name, input),
        Op::PutContent => put_content(repo, name, input),
        Op::GetBranch => get_branch(repo, name, input),
        Op::GetRef => get_ref(repo, name, input),
        Op::CreateRef => create_ref(repo, input),
        Op::DeleteRef => delete_ref(repo, name),
        Op::GetTag => get_tag(repo, name, input),
        Op::CreatePullRequest => create_pull(repo, input),
        Op::ListPullRequests => list_pulls(repo, input),
        Op::GetPullRequest => get_pull(repo, name, input),
        Op::MergePullRequest => merge_pull(repo, name, input),
    }
}

fn repo_url(repo: &GhRepo, api_url: &str) -> String {
    format!("{api_url}/repos/{}/{}", repo.owner, repo.name)
}

/// A legacy GraphQL node id, as GitHub still sends them: base64 of `0NN:TypeID`.
pub fn node_id(kind: &str, id: u64) -> String {
    STANDARD.encode(format!("{:03}:{kind}{id}", kind.len()))
}

pub(super) fn repository_json(repo: &GhRepo, api_url: &str) -> Value {
    let created = iso8601(repo.created);
    json!({
        "id": repo.id,
        "node_id": node_id("Repository", repo.id),
        "name": repo.name,
        "full_name": format!("{}/{}", repo.owner, repo.name),
        "private": true,
        "owner": {
            "login": repo.owner,
            "id": repo.owner_id,
            "node_id": node_id("User", repo.owner_id),
            "type": "User",
            "site_admin": false,
            "url": format!("{api_url}/users/{}", repo.owner),
            "html_url": format!("https://github.com/{}", repo.owner),
        },
        "html_url": format!("https://github.com/{}/{}", repo.owner, repo.name),
        "description": null,
        "fork": false,
        "url": repo_url(repo, api_url),
        "created_at": created,
        "updated_at": created,
        "pushed_at": created,
        "default_branch": repo.git.default_branch,
        "visibility": "private",
        "permissions": { "admin": true, "maintain": true, "push": true, "triage": true, "pull": true },
    })
}

pub(super) fn variable_json(v: &GhVariable) -> Value {
    json!({
        "name": v.name,
        "value": v.value,
        "created_at": iso8601(v.created),
        "updated_at": iso8601(v.updated),
    })
}

fn secret_json(s: &GhSecret) -> Value {
    json!({
        "name": s.name,
        "created_at": iso8601(s.created),
        "updated_at": iso8601(s.updated),
    })
}

/// The URL of page `page` of the listing at `url` asked for with `query`: the request's other
/// parameters (filters, `per_page` when it was given) kept, as in GitHub's `Link` header.
fn page_url(url: &str, query: &Query, page: usize) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in query.0.iter().filter(|(name, _)| *name != "page") {
        out.append_pair(name, value);
    }
    out.append_pair("page", &page.to_string());
    format!("{url}?{}", out.finish())
}

/// One page of `items` as `{"total_count": N, KEY: [...]}` with GitHub's `Link` header. `per_page`
/// above `max` is lowered to it, as GitHub does.
pub fn paginate(
    items: Vec<Value>,
    key: &str,
    query: &Query,
    default_per_page: usize,
    max_per_page: usize,
    url: &str,
) -> Reply {
    let number = |name: &str| {
        query
            .get(name)
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|n| *n > 0)
    };
    let per_page = number("per_page")
        .unwrap_or(default_per_page)
        .min(max_per_page);
    let page = number("page").unwrap_or(1);
    let total = items.len();
    let last = total.div_ceil(per_page).max(1);
    let start = (page - 1).saturating_mul(per_page);
    let slice: Vec<Value> = items.into_iter().skip(start).take(per_page).collect();
    let link_to = |p: usize, rel: &str| format!("<{}>; rel=\"{rel}\"", page_url(url, query, p));
    let mut links = Vec::new();
    if page > 1 {
        links.push(link_to(page.min(last + 1) - 1, "prev"));
    }
    if page < last {
        links.push(link_to(page + 1, "next"));
        links.push(link_to(last, "last"));
    }
    if page > 1 {
        links.push(link_to(1, "first"));
    }
    let mut body = Map::new();
    body.insert("total_count".to_owned(), json!(total));
    body.insert(key.to_owned(), Value::Array(slice));
    Reply {
        status: StatusCode::OK,
        body: Some(Value::Object(body)),
        link: (!links.is_empty()).then(|| links.join(", ")),
        location: None,
    }
}
