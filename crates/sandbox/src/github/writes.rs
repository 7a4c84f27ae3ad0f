//! The endpoints that change a repository: variables, secrets and the OIDC subject template, with
//! GitHub's validation of names, bodies and sizes.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use super::reply::{GhError, GhResult, Input, Reply};
use super::state::{GhRepo, GhSecret, GhVariable, MAX_VALUE_BYTES, MAX_VARIABLES, name_problem};

/// The request body as a JSON object; GitHub answers 400 to anything else.
pub(crate) fn body_object(input: &Input<'_>) -> Result<Map<String, Value>, GhError> {
    match serde_json::from_slice::<Value>(input.body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(GhError::new(
            StatusCode::BAD_REQUEST,
            "Problems parsing JSON",
        )),
    }
}

/// A string field: `Ok(None)` when absent (and not `required`), 422 when it is not a string.
pub(crate) fn string_field(
    body: &Map<String, Value>,
    field: &str,
    required: bool,
) -> Result<Option<String>, GhError> {
    match body.get(field) {
        None | Some(Value::Null) if required => Err(GhError::invalid(format!(
            "Invalid request.\n\n\"{field}\" wasn't supplied."
        ))),
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(GhError::invalid(format!(
            "Invalid request.\n\nFor 'properties/{field}', {other} is not a string."
        ))),
    }
}

pub(crate) fn check_name(kind: &str, name: &str) -> Result<String, GhError> {
    match name_problem(name) {
        Some(problem) => Err(GhError::invalid(format!(
            "Invalid {kind} name {name:?}: {problem}."
        ))),
        None => Ok(name.to_ascii_uppercase()),
    }
}

pub(crate) fn check_size(kind: &str, value: &str) -> Result<(), GhError> {
    if value.len() > MAX_VALUE_BYTES {
        return Err(GhError::invalid(format!(
            "The {kind} value is {} bytes; GitHub allows at most 48 KB.",
            value.len()
        )));
    }
    Ok(())
}

/// The variables of a repository or an environment, and how many it may hold.
pub struct Variables<'a> {
    pub map: &'a mut BTreeMap<String, GhVariable>,
    pub max: usize,
    /// "A repository", "An environment" (for the limit's message).
    pub holder: &'static str,
}

impl<'a> Variables<'a> {
    pub fn of_repo(repo: &'a mut GhRepo) -> Self {
        Self {
            map: &mut repo.variables,
            max: MAX_VARIABLES,
            holder: "A repository",
        }
    }
}

/// GitHub's 409 for a variable name that is taken.
pub(crate) fn already_exists() -> GhError {
    GhError::new(
        StatusCode::CONFLICT,
        "Already exists - Variable already exists",
    )
}

pub fn create_variable(vars: Variables<'_>, input: &Input<'_>) -> GhResult {
    let body = body_object(input)?;
    let name = string_field(&body, "name", true)?.unwrap_or_default();
    let value = string_field(&body, "value", true)?.unwrap_or_default();
    let name = check_name("variable", &name)?;
    check_size("variable", &value)?;
    if vars.map.contains_key(&name) {
        return Err(already_exists());
    }
    if vars.map.len() >= vars.max {
        return Err(GhError::invalid(format!(
            "{} can have at most {} variables.",
            vars.holder, vars.max
        )));
    }
    let variable = GhVariable {
        name: name.clone(),
        value,
        created: input.now,
        updated: input.now,
    };
    vars.map.insert(name, variable);
    Ok(Reply::created())
}

/// `PATCH`: `name` (a rename) and `value` are both optional.
pub fn update_variable(vars: Variables<'_>, name: &str, input: &Input<'_>) -> GhResult {
    let vars = vars.map;
    let key = name.to_ascii_uppercase();
    if !vars.contains_key(&key) {
        return Err(GhError::not_found());
    }
    let body = body_object(input)?;
    let new_name = match string_field(&body, "name", false)? {
        Some(n) => check_name("variable", &n)?,
        None => key.clone(),
    };
    let value = string_field(&body, "value", false)?;
    if let Some(v) = &value {
        check_size("variable", v)?;
    }
    if new_name != key && vars.contains_key(&new_name) {
        return Err(already_exists());
    }
    let Some(mut variable) = vars.remove(&key) else {
        return Err(GhError::not_found());
    };
    variable.name = new_name.clone();
    if let Some(v) = value {
        variable.value = v;
    }
    variable.updated = input.now;
    vars.insert(new_name, variable);
    Ok(Reply::no_content())
}

pub fn set_secret(repo: &mut GhRepo, name: &str, input: &Input<'_>) -> GhResult {
    let name = check_name("secret", name)?;
    let body = body_object(input)?;
    let encrypted_value = string_field(&body, "encrypted_value", true)?.unwrap_or_default();
    let key_id = string_field(&body, "key_id", true)?.unwrap_or_default();
    if key_id != repo.key_id {
        return Err(GhError::invalid(format!(
            "Invalid request.\n\nkey_id {key_id:?} is not the repository's public key id; read it from GET …/actions/secrets/public-key."
        )));
    }
    let opened = STANDARD
        .decode(encrypted_value.trim())
        .ok()
        .and_then(|sealed| repo.secret_key.unseal(&sealed).ok());
    let Some(plain) = opened else {
        return Err(GhError::invalid(
            "Invalid request.\n\nencrypted_value is not a base64 sealed box (libsodium crypto_box_seal) for the repository's public key.",
        ));
    };
    if plain.len() > MAX_VALUE_BYTES {
        return Err(GhError::invalid(
            "The secret value is larger than 48 KB, the most GitHub allows.",
        ));
    }
    match repo.secrets.get_mut(&name) {
        Some(secret) => {
            secret.encrypted_value = encrypted_value;
            secret.updated = input.now;
            Ok(Reply::no_content())
        }
        None => {
            let secret = GhSecret {
                name: name.clone(),
                encrypted_value,
                created: input.now,
                updated: input.now,
            };
            repo.secrets.insert(name, secret);
            Ok(Reply::created())
        }
    }
}
