//! The endpoints that change a repository: variables, secrets and the OIDC subject template, with
//! GitHub's validation of names, bodies and sizes.

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
fn string_field(
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

fn check_name(kind: &str, name: &str) -> Result<String, GhError> {
    match name_problem(name) {
        Some(problem) => Err(GhError::invalid(format!(
            "Invalid {kind} name {name:?}: {problem}."
        ))),
        None => Ok(name.to_ascii_uppercase()),
    }
}

fn check_size(kind: &str, value: &str) -> Result<(), GhError> {
    if value.len() > MAX_VALUE_BYTES {
        return Err(GhError::invalid(format!(
            "The {kind} value is {} bytes; GitHub allows at most 48 KB.",
            value.len()
        )));
    }
    Ok(())
}

pub fn create_variable(repo: &mut GhRepo, input: &Input<'_>) -> GhResult {
    let body = body_object(input)?;
    let name = string_field(&body, "name", true)?.unwrap_or_default();
    let value = string_field(&body, "value", true)?.unwrap_or_default();
    let name = check_name("variable", &name)?;
    check_size("variable", &value)?;
    if repo.variables.contains_key(&name) {
        return Err(GhError::new(
            StatusCode::CONFLICT,
            "Already exists - Variable already exists",
        ));
    }
    if repo.variables.len() >= MAX_VARIABLES {
        return Err(GhError::invalid(format!(
            "A repository can have at most {MAX_VARIABLES} variables."
        )));
    }
    let variable = GhVariable {
        name: name.clone(),
        value,
        created: input.now,
        updated: input.now,
    };
    repo.variables.insert(name, variable);
    Ok(Reply::created())
}

/// `PATCH`: `name` (a rename) and `value` are both optional.
pub fn update_variable(repo: &mut GhRepo, name: &str, input: &Input<'_>) -> GhResult {
    let key = name.to_ascii_uppercase();
    if !repo.variables.contains_key(&key) {
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
    if new_name != key && repo.variables.contains_key(&new_name) {
        return Err(GhError::new(
            StatusCode::CONFLICT,
            "Already exists - Variable already exists",
        ));
    }
    let Some(mut variable) = repo.variables.remove(&key) else {
        return Err(GhError::not_found());
    };
    variable.name = new_name.clone();
    if let Some(v) = value {
        variable.value = v;
    }
    variable.updated = input.now;
    repo.variables.insert(new_name, variable);
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
