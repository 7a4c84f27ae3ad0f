//! An organisation's Actions variables (`/orgs/{org}/actions/variables…`), with GitHub's shapes
//! and status codes: list (10 a page by default, at most 30), create (`name`, `value` and
//! `visibility` — `all`, `private` or `selected` — required; `selected_repository_ids` only with
//! `selected`; 201, 409 when the name is taken), get (200, 404), update (any of the four; 204),
//! delete (204, 404), and the selected repositories of a `selected` variable (list, set, add,
//! remove: 409 when the variable's visibility is not `selected`). Any login is an organisation
//! here, as every owner is for the OIDC template.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::endpoints::{paginate, repository_json};
use super::reply::{GhError, GhResult, Input, Reply};
use super::state::{GithubState, MAX_ORG_VARIABLES, OrgVariable, Visibility};
use super::writes::{already_exists, body_object, check_name, check_size, string_field};
use super::{Op, Route};
use crate::world::iso8601;

fn variable_json(org: &str, v: &OrgVariable, api_url: &str) -> Value {
    let mut out = json!({
        "name": v.name,
        "value": v.value,
        "created_at": iso8601(v.created),
        "updated_at": iso8601(v.updated),
        "visibility": v.visibility.as_str(),
    });
    if v.visibility == Visibility::Selected {
        out["selected_repositories_url"] = json!(format!(
            "{api_url}/orgs/{org}/actions/variables/{}/repositories",
            v.name
        ));
    }
    out
}

/// `visibility`: absent (`Ok(None)`), or one of GitHub's three.
fn visibility(body: &Map<String, Value>, required: bool) -> Result<Option<Visibility>, GhError> {
    let Some(text) = string_field(body, "visibility", required)? else {
        return Ok(None);
    };
    Visibility::parse(&text).map(Some).ok_or_else(|| {
        GhError::invalid(format!(
            "Invalid request.\n\nFor 'properties/visibility', {text:?} is not a member of [\"all\", \"private\", \"selected\"]."
        ))
    })
}

/// `selected_repository_ids`: absent, or an array of integers.
fn repository_ids(body: &Map<String, Value>) -> Result<Option<BTreeSet<u64>>, GhError> {
    let Some(value) = body.get("selected_repository_ids").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let bad = || {
        GhError::invalid(format!(
            "Invalid request.\n\nFor 'properties/selected_repository_ids', {value} is not an array of integers."
        ))
    };
    let items = value.as_array().ok_or_else(bad)?;
    items
        .iter()
        .map(|i| i.as_u64().ok_or_else(bad))
        .collect::<Result<BTreeSet<u64>, GhError>>()
        .map(Some)
}

/// GitHub lets repositories be listed only for a `selected` variable.
fn only_selected(visibility: Visibility) -> Result<(), GhError> {
    if visibility == Visibility::Selected {
        return Ok(());
    }
    Err(GhError::new(
        StatusCode::CONFLICT,
        "The visibility of this variable is not set to 'selected'.",
    ))
}

fn ids_need_selected(visibility: Visibility, ids: Option<&BTreeSet<u64>>) -> Result<(), GhError> {
    if ids.is_some() && visibility != Visibility::Selected {
        return Err(GhError::invalid(
            "Invalid request.\n\nselected_repository_ids can only be given when visibility is selected.",
        ));
    }
    Ok(())
}

fn create(vars: &mut BTreeMap<String, OrgVariable>, input: &Input<'_>) -> GhResult {
    let body = body_object(input)?;
    let name = string_field(&body, "name", true)?.unwrap_or_default();
    let value = string_field(&body, "value", true)?.unwrap_or_default();
    let visibility = visibility(&body, true)?.unwrap_or(Visibility::All);
    let ids = repository_ids(&body)?;
    let name = check_name("variable", &name)?;
    check_size("variable", &value)?;
    ids_need_selected(visibility, ids.as_ref())?;
    if vars.contains_key(&name) {
        return Err(already_exists());
    }
    if vars.len() >= MAX_ORG_VARIABLES {
        return Err(GhError::invalid(format!(
            "An organization can have at most {MAX_ORG_VARIABLES} variables."
        )));
    }
    let variable = OrgVariable {
        name: name.clone(),
        value,
        visibility,
        selected: ids.unwrap_or_default(),
        created: input.now,
        updated: input.now,
    };
    vars.insert(name, variable);
    Ok(Reply::created())
}

fn update(vars: &mut BTreeMap<String, OrgVariable>, key: &str, input: &Input<'_>) -> GhResult {
    let Some(current) = vars.get(key) else {
        return Err(GhError::not_found());
    };
    let body = body_object(input)?;
    let new_name = match string_field(&body, "name", false)? {
        Some(n) => check_name("variable", &n)?,
        None => key.to_owned(),
    };
    let value = string_field(&body, "value", false)?;
    if let Some(v) = &value {
        check_size("variable", v)?;
    }
    let visibility = visibility(&body, false)?.unwrap_or(current.visibility);
    let ids = repository_ids(&body)?;
    ids_need_selected(visibility, ids.as_ref())?;
    if new_name != key && vars.contains_key(&new_name) {
        return Err(already_exists());
    }
    let Some(mut variable) = vars.remove(key) else {
        return Err(GhError::not_found());
    };
    variable.name = new_name.clone();
    if let Some(v) = value {
        variable.value = v;
    }
    if visibility != Visibility::Selected {
        variable.selected.clear();
    }
    variable.visibility = visibility;
    if let Some(ids) = ids {
        variable.selected = ids;
    }
    variable.updated = input.now;
    vars.insert(new_name, variable);
    Ok(Reply::no_content())
}

fn found<'a>(
    vars: &'a mut BTreeMap<String, OrgVariable>,
    key: &str,
) -> Result<&'a mut OrgVariable, GhError> {
    vars.get_mut(key).ok_or_else(GhError::not_found)
}

fn repository_id(route: &Route) -> Result<u64, GhError> {
    route
        .item
        .as_deref()
        .and_then(|id| id.parse().ok())
        .ok_or_else(GhError::not_found)
}

/// The selected repositories that exist here, as `{total_count, repositories}` (30 a page).
fn selected_repositories(
    gh: &GithubState,
    v: &OrgVariable,
    route: &Route,
    input: &Input<'_>,
) -> GhResult {
    only_selected(v.visibility)?;
    let items: Vec<Value> = gh
        .repos
        .values()
        .filter(|r| v.selected.contains(&r.id))
        .map(|r| repository_json(r, &input.api_url))
        .collect();
    let url = format!(
        "{}/orgs/{}/actions/variables/{}/repositories",
        input.api_url, route.owner, v.name
    );
    Ok(paginate(items, "repositories", &input.query, 30, 100, &url))
}

/// Answers an organisation-variable endpoint.
pub fn dispatch(gh: &mut GithubState, route: &Route, input: &Input<'_>) -> GhResult {
    let org = route.owner.to_lowercase();
    let key = route
        .name
        .as_deref()
        .unwrap_or_default()
        .to_ascii_uppercase();
    if route.op == Op::ListSelectedReposForOrgVariable {
        let v = gh
            .org_variables
            .get(&org)
            .and_then(|vars| vars.get(&key))
            .ok_or_else(GhError::not_found)?;
        return selected_repositories(gh, v, route, input);
    }
    let vars = gh.org_variables.entry(org).or_default();
    match route.op {
        Op::ListOrgVariables => {
            let items = vars
                .values()
                .map(|v| variable_json(&route.owner, v, &input.api_url))
                .collect();
            let url = format!("{}/orgs/{}/actions/variables", input.api_url, route.owner);
            Ok(paginate(items, "variables", &input.query, 10, 30, &url))
        }
        Op::CreateOrgVariable => create(vars, input),
        Op::GetOrgVariable => {
            let v = found(vars, &key)?;
            Ok(Reply::ok(variable_json(&route.owner, v, &input.api_url)))
        }
        Op::UpdateOrgVariable => update(vars, &key, input),
        Op::DeleteOrgVariable => vars
            .remove(&key)
            .map(|_| Reply::no_content())
            .ok_or_else(GhError::not_found),
        Op::SetSelectedReposForOrgVariable => {
            let body = body_object(input)?;
            let ids = repository_ids(&body)?.ok_or_else(|| {
                GhError::invalid("Invalid request.\n\n\"selected_repository_ids\" wasn't supplied.")
            })?;
            let v = found(vars, &key)?;
            only_selected(v.visibility)?;
            v.selected = ids;
            v.updated = input.now;
            Ok(Reply::no_content())
        }
        Op::AddSelectedRepoToOrgVariable | Op::RemoveSelectedRepoFromOrgVariable => {
            let id = repository_id(route)?;
            let v = found(vars, &key)?;
            only_selected(v.visibility)?;
            if route.op == Op::AddSelectedRepoToOrgVariable {
                v.selected.insert(id);
            } else {
                v.selected.remove(&id);
            }
            Ok(Reply::no_content())
        }
        _ => Err(GhError::not_found()),
    }
}
