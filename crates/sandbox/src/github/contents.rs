//! Repository files and branches: `GET`/`PUT /repos/{o}/{r}/contents/{path}` (base64, blob SHAs,
//! GitHub's 404/409/422 answers) and `GET /branches/{branch}`; the git refs are in `refs.rs`.

use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use super::git::{Blob, Commit};
use super::reply::{GhError, GhResult, Input, Reply};
use super::state::GhRepo;
use crate::world::iso8601;

pub(super) fn repo_url(repo: &GhRepo, api_url: &str) -> String {
    format!("{api_url}/repos/{}/{}", repo.owner, repo.name)
}

fn html_url(repo: &GhRepo) -> String {
    format!("https://github.com/{}/{}", repo.owner, repo.name)
}

/// Base64 with a newline every 60 characters, as the contents API sends it.
fn wrapped_base64(bytes: &[u8]) -> String {
    let encoded = STANDARD.encode(bytes);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / 60 + 1);
    for (i, c) in encoded.chars().enumerate() {
        if i > 0 && i % 60 == 0 {
            out.push('\n');
        }
        out.push(c);
    }
    out.push('\n');
    out
}

fn name_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// An entry of a directory listing, or (with `content`) a file.
fn entry_json(
    repo: &GhRepo,
    api_url: &str,
    path: &str,
    kind: &str,
    blob: Option<&Blob>,
    git_ref: &str,
    content: bool,
) -> Value {
    let base = repo_url(repo, api_url);
    let html = html_url(repo);
    let view = if kind == "dir" { "tree" } else { "blob" };
    let sha = blob.map_or_else(
        || super::git::object_sha("tree", path.as_bytes()),
        |b| b.sha.clone(),
    );
    let self_url = format!("{base}/contents/{path}?ref={git_ref}");
    let git_url = format!(
        "{base}/git/{}/{sha}",
        if kind == "dir" { "trees" } else { "blobs" }
    );
    let html_url = format!("{html}/{view}/{git_ref}/{path}");
    let mut v = json!({
        "type": kind,
        "size": blob.map_or(0, |b| b.content.len()),
        "name": name_of(path),
        "path": path,
        "sha": sha,
        "url": self_url,
        "git_url": git_url,
        "html_url": html_url,
        "download_url": blob.map(|_| format!("https://raw.githubusercontent.com/{}/{}/{git_ref}/{path}", repo.owner, repo.name)),
        "_links": { "self": self_url, "git": git_url, "html": html_url },
    });
    if content && let Some(b) = blob {
        v["encoding"] = json!("base64");
        v["content"] = json!(wrapped_base64(&b.content));
    }
    v
}

fn commit_for<'a>(
    repo: &'a GhRepo,
    reference: Option<&str>,
) -> Result<(String, &'a Commit), GhError> {
    let git_ref = reference
        .filter(|r| !r.is_empty())
        .unwrap_or(&repo.git.default_branch)
        .to_owned();
    let commit = repo.git.resolve(&git_ref).ok_or_else(|| {
        GhError::new(
            StatusCode::NOT_FOUND,
            format!("No commit found for the ref {git_ref}"),
        )
    })?;
    Ok((git_ref, commit))
}

/// `GET /repos/{o}/{r}/contents/{path}?ref=REF`: a file, or a directory's listing.
pub fn get_content(repo: &GhRepo, path: &str, input: &Input<'_>) -> GhResult {
    let (git_ref, commit) = commit_for(repo, input.query.get("ref"))?;
    let path = path.trim_matches('/');
    if let Some(b) = commit.files.get(path) {
        return Ok(Reply::ok(entry_json(
            repo,
            &input.api_url,
            path,
            "file",
            Some(b),
            &git_ref,
            true,
        )));
    }
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}/")
    };
    let mut entries: Vec<Value> = Vec::new();
    let mut dirs: Vec<String> = Vec::new();
    for (file, b) in commit.files.range(prefix.clone()..) {
        let Some(rest) = file.strip_prefix(&prefix) else {
            break;
        };
        match rest.split_once('/') {
            Some((dir, _)) => {
                let full = format!("{prefix}{dir}");
                if !dirs.contains(&full) {
                    dirs.push(full);
                }
            }
            None => entries.push(entry_json(
                repo,
                &input.api_url,
                file,
                "file",
                Some(b),
                &git_ref,
                false,
            )),
        }
    }
    if entries.is_empty() && dirs.is_empty() && !path.is_empty() {
        return Err(GhError::not_found());
    }
    let mut listing: Vec<Value> = dirs
        .iter()
        .map(|d| entry_json(repo, &input.api_url, d, "dir", None, &git_ref, false))
        .collect();
    listing.extend(entries);
    listing.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    Ok(Reply::ok(Value::Array(listing)))
}

pub(super) fn body_object(input: &Input<'_>) -> Result<Map<String, Value>, GhError> {
    match serde_json::from_slice::<Value>(input.body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(GhError::new(
            StatusCode::BAD_REQUEST,
            "Problems parsing JSON",
        )),
    }
}

/// A string field: 422 when required and missing, or when not a string (`null` included).
pub(super) fn string_field(
    body: &Map<String, Value>,
    field: &str,
    required: bool,
) -> Result<Option<String>, GhError> {
    match body.get(field) {
        None if required => Err(GhError::invalid(format!(
            "Invalid request.\n\n\"{field}\" wasn't supplied."
        ))),
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Null) => Err(GhError::invalid(format!(
            "Invalid request.\n\nFor 'properties/{field}', nil is not a string."
        ))),
        Some(other) => Err(GhError::invalid(format!(
            "Invalid request.\n\nFor 'properties/{field}', {other} is not a string."
        ))),
    }
}

fn commit_json(repo: &GhRepo, api_url: &str, c: &Commit) -> Value {
    let base = repo_url(repo, api_url);
    let person = json!({ "name": "Sandbox", "email": "sandbox@users.noreply.github.com", "date": iso8601(c.date) });
    json!({
        "sha": c.sha,
        "node_id": STANDARD.encode(format!("Commit:{}", c.sha)),
        "url": format!("{base}/git/commits/{}", c.sha),
        "html_url": format!("{}/commit/{}", html_url(repo), c.sha),
        "author": person,
        "committer": person,
        "message": c.message,
        "tree": { "url": format!("{base}/git/trees/{}", c.tree), "sha": c.tree },
        "parents": c.parents.iter().map(|p| json!({
            "url": format!("{base}/git/commits/{p}"),
            "html_url": format!("{}/commit/{p}", html_url(repo)),
            "sha": p,
        })).collect::<Vec<_>>(),
        "verification": { "verified": false, "reason": "unsigned", "signature": null, "payload": null, "verified_at": null },
    })
}

/// `PUT /repos/{o}/{r}/contents/{path}`: create (201) or update (200) a file on a branch.
pub fn put_content(repo: &mut GhRepo, path: &str, input: &Input<'_>) -> GhResult {
    let body = body_object(input)?;
    let message = string_field(&body, "message", true)?.unwrap_or_default();
    let content = string_field(&body, "content", true)?.unwrap_or_default();
    let sha = string_field(&body, "sha", false)?;
    let branch =
        string_field(&body, "branch", false)?.unwrap_or_else(|| repo.git.default_branch.clone());
    for who in ["committer", "author"] {
        if let Some(person) = body.get(who) {
            let named = person.get("name").is_some_and(Value::is_string)
                && person.get("email").is_some_and(Value::is_string);
            if !named {
                return Err(GhError::invalid(format!(
                    "Invalid request.\n\n\"name\", \"email\" weren't supplied in {who}."
                )));
            }
        }
    }
    let compact: String = content.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = STANDARD
        .decode(compact.as_bytes())
        .map_err(|_| GhError::invalid("content is not valid Base64"))?;
    let path = path.trim_matches('/').to_owned();
    if path.is_empty() || path.split('/').any(|s| s == ".." || s == ".") {
        return Err(GhError::invalid("path is invalid"));
    }
    let head = repo
        .git
        .branch(&branch)
        .ok_or_else(|| GhError::new(StatusCode::NOT_FOUND, format!("Branch {branch} not found")))?;
    let existing = head.files.get(&path).map(|b| b.sha.clone());
    match (&existing, &sha) {
        (Some(_), None) => {
            return Err(GhError::invalid(
                "Invalid request.\n\n\"sha\" wasn't supplied.",
            ));
        }
        (Some(current), Some(given)) if !current.eq_ignore_ascii_case(given) => {
            return Err(GhError::new(
                StatusCode::CONFLICT,
                format!("{} does not match {given}", name_of(&path)),
            ));
        }
        _ => {}
    }
    let commit_sha = repo
        .git
        .commit_file(&branch, &path, bytes, &message, input.now)
        .ok_or_else(GhError::not_found)?;
    let commit = repo
        .git
        .commits
        .get(&commit_sha)
        .ok_or_else(GhError::not_found)?;
    let blob = commit.files.get(&path);
    let mut file = entry_json(repo, &input.api_url, &path, "file", blob, &branch, false);
    if let Some(map) = file.as_object_mut() {
        map.remove("encoding");
    }
    let reply = json!({ "content": file, "commit": commit_json(repo, &input.api_url, commit) });
    Ok(Reply {
        status: if existing.is_some() {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        },
        body: Some(reply),
        link: None,
        location: None,
    })
}

/// `GET /repos/{o}/{r}/branches/{branch}`.
pub fn get_branch(repo: &GhRepo, name: &str, input: &Input<'_>) -> GhResult {
    let commit = repo
        .git
        .branch(name)
        .ok_or_else(|| GhError::new(StatusCode::NOT_FOUND, "Branch not found"))?;
    let base = repo_url(repo, &input.api_url);
    Ok(Reply::ok(json!({
        "name": name,
        "commit": {
            "sha": commit.sha,
            "node_id": STANDARD.encode(format!("Commit:{}", commit.sha)),
            "url": format!("{base}/commits/{}", commit.sha),
            "html_url": format!("{}/commit/{}", html_url(repo), commit.sha),
            "commit": commit_json(repo, &input.api_url, commit),
            "parents": commit.parents.iter().map(|p| json!({"sha": p, "url": format!("{base}/commits/{p}")})).collect::<Vec<_>>(),
        },
        "_links": {
            "self": format!("{base}/branches/{name}"),
            "html": format!("{}/tree/{name}", html_url(repo)),
        },
        "protected": false,
        "protection": { "enabled": false, "required_status_checks": { "enforcement_level": "off", "contexts": [], "checks": [] } },
        "protection_url": format!("{base}/branches/{name}/protection"),
    })))
}
