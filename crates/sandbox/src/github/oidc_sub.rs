//! GitHub's OIDC subject customization, per repository (`/repos/{o}/{r}/actions/oidc/customization/sub`)
//! and per organisation (`/orgs/{org}/actions/oidc/customization/sub`), and what follows from it:
//! the prefix of the `sub` claim and the claim keys it is built from.
//!
//! A repository uses the default subject (`repo:OWNER/REPO:CONTEXT`) unless it sets
//! `use_default: false`, with its own `include_claim_keys` or, without them, the organisation's
//! template. The `repo` part carries the ids (`repo:OWNER@OWNER_ID/REPO@REPO_ID`) when the repository
//! uses immutable subjects: by default for repositories created since GitHub introduced them (the
//! scenario's `immutable_subject`), or opted in with `use_immutable_subject` at the repository or,
//! failing that, the organisation level. `sub_claim_prefix` reports the prefix in force either way,
//! so it can be immutable while `use_immutable_subject` is false.

use serde_json::{Map, Value, json};

use super::reply::{GhError, GhResult, Input, Reply};
use super::state::{GhRepo, OrgOidc};
use super::writes::body_object;

/// The claims GitHub lets a template include (besides `repo_property_*` custom properties).
pub const CLAIM_KEYS: &[&str] = &[
    "repo",
    "context",
    "actor",
    "actor_id",
    "base_ref",
    "environment",
    "event_name",
    "head_ref",
    "job_workflow_ref",
    "job_workflow_sha",
    "ref",
    "ref_type",
    "repository",
    "repository_id",
    "repository_owner",
    "repository_owner_id",
    "repository_visibility",
    "runner_environment",
    "workflow",
    "workflow_ref",
    "workflow_sha",
    "enterprise",
    "enterprise_id",
];

/// Whether `repo`'s subjects carry the owner and repository ids.
pub fn immutable(repo: &GhRepo, org: Option<&OrgOidc>) -> bool {
    repo.immutable_subject
        || repo
            .use_immutable_subject
            .unwrap_or_else(|| org.is_some_and(|o| o.use_immutable_subject))
}

/// The `repo` part of `repo`'s subjects: `repo:OWNER/REPO` or `repo:OWNER@ID/REPO@ID`.
pub fn sub_claim_prefix(repo: &GhRepo, org: Option<&OrgOidc>) -> String {
    if immutable(repo, org) {
        repo.immutable_prefix()
    } else {
        format!("repo:{}/{}", repo.owner, repo.name)
    }
}

/// The claim keys `repo`'s subjects are built from; `None` for the default subject.
pub fn claim_keys(repo: &GhRepo, org: Option<&OrgOidc>) -> Option<Vec<String>> {
    if repo.use_default {
        return None;
    }
    repo.include_claim_keys
        .clone()
        .filter(|k| !k.is_empty())
        .or_else(|| {
            org.map(|o| o.include_claim_keys.clone())
                .filter(|k| !k.is_empty())
        })
}

/// What a token for `repo` says of it: names, ids, and the subject's form.
pub fn repo_claims(repo: &GhRepo, org: Option<&OrgOidc>) -> crate::oidc::RepoClaims {
    crate::oidc::RepoClaims {
        owner: repo.owner.clone(),
        owner_id: repo.owner_id,
        name: repo.name.clone(),
        id: repo.id,
        sub_prefix: sub_claim_prefix(repo, org),
        claim_keys: claim_keys(repo, org),
    }
}

/// `GET /repos/{o}/{r}/actions/oidc/customization/sub`.
pub fn repo_json(repo: &GhRepo, org: Option<&OrgOidc>) -> Value {
    let mut body = json!({
        "use_default": repo.use_default,
        "use_immutable_subject": repo
            .use_immutable_subject
            .unwrap_or_else(|| org.is_some_and(|o| o.use_immutable_subject)),
        "sub_claim_prefix": sub_claim_prefix(repo, org),
    });
    if let Some(keys) = &repo.include_claim_keys {
        body["include_claim_keys"] = json!(keys);
    }
    body
}

/// `GET /orgs/{org}/actions/oidc/customization/sub`.
pub fn org_json(org: Option<&OrgOidc>) -> Value {
    let org = org.cloned().unwrap_or_default();
    json!({
        "include_claim_keys": org.include_claim_keys,
        "use_immutable_subject": org.use_immutable_subject,
    })
}

fn optional_bool(body: &Map<String, Value>, field: &str) -> Result<Option<bool>, GhError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(GhError::invalid(format!(
            "Invalid request.\n\nFor 'properties/{field}', {other} is not a boolean."
        ))),
    }
}

/// The `include_claim_keys` of a body, each a claim GitHub knows.
fn claim_list(body: &Map<String, Value>) -> Result<Option<Vec<String>>, GhError> {
    let Some(value) = body.get("include_claim_keys").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let keys: Vec<String> = serde_json::from_value(value.clone()).map_err(|_| {
        GhError::invalid(
            "Invalid request.\n\nFor 'properties/include_claim_keys', expected an array of strings.",
        )
    })?;
    if let Some(bad) = keys
        .iter()
        .find(|k| !CLAIM_KEYS.contains(&k.as_str()) && !k.starts_with("repo_property_"))
    {
        return Err(GhError::invalid(format!(
            "Invalid request.\n\n{bad:?} is not a claim that can be included in the subject."
        )));
    }
    Ok(Some(keys))
}

/// `PUT /repos/{o}/{r}/actions/oidc/customization/sub`: `use_default` (required), and optionally
/// `include_claim_keys` and `use_immutable_subject`. Answers 201 with an empty object.
pub fn set_repo(repo: &mut GhRepo, input: &Input<'_>) -> GhResult {
    let body = body_object(input)?;
    let Some(use_default) = optional_bool(&body, "use_default")? else {
        return Err(GhError::invalid(
            "Invalid request.\n\n\"use_default\" wasn't supplied.",
        ));
    };
    let keys = claim_list(&body)?;
    let immutable = optional_bool(&body, "use_immutable_subject")?;
    repo.use_default = use_default;
    repo.include_claim_keys = if use_default { None } else { keys };
    if immutable.is_some() {
        repo.use_immutable_subject = immutable;
    }
    Ok(Reply::created())
}

/// `PUT /orgs/{org}/actions/oidc/customization/sub`: `include_claim_keys`, `use_immutable_subject`.
pub fn set_org(org: &mut OrgOidc, input: &Input<'_>) -> GhResult {
    let body = body_object(input)?;
    if let Some(keys) = claim_list(&body)? {
        org.include_claim_keys = keys;
    }
    if let Some(immutable) = optional_bool(&body, "use_immutable_subject")? {
        org.use_immutable_subject = immutable;
    }
    Ok(Reply::created())
}
