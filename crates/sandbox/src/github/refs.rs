//! Git refs: `GET /repos/{o}/{r}/git/ref/{heads|tags}/{name}`, `POST /git/refs`, `DELETE
//! /git/refs/{ref}`, and `GET /git/tags/{sha}` (the action repositories' tags come from
//! `assets/action-tags.tsv`).

use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::contents::{body_object, repo_url, string_field};
use super::git::{action_tag, tag_object};
use super::reply::{GhError, GhResult, Input, Reply};
use super::state::GhRepo;

fn ref_json(repo: &GhRepo, api_url: &str, full_ref: &str, kind: &str, sha: &str) -> Value {
    let base = repo_url(repo, api_url);
    let object_url = if kind == "tag" {
        format!("{base}/git/tags/{sha}")
    } else {
        format!("{base}/git/commits/{sha}")
    };
    json!({
        "ref": full_ref,
        "node_id": STANDARD.encode(format!("Ref:{full_ref}")),
        "url": format!("{base}/git/{full_ref}"),
        "object": { "type": kind, "sha": sha, "url": object_url },
    })
}

/// `GET /repos/{o}/{r}/git/ref/{ref}` with `ref` = `heads/NAME` or `tags/NAME` (exact match).
pub fn get_ref(repo: &GhRepo, reference: &str, input: &Input<'_>) -> GhResult {
    let full = format!("refs/{reference}");
    if let Some(name) = reference.strip_prefix("heads/")
        && let Some(sha) = repo.git.branches.get(name)
    {
        return Ok(Reply::ok(ref_json(
            repo,
            &input.api_url,
            &full,
            "commit",
            sha,
        )));
    }
    if let Some(name) = reference.strip_prefix("tags/") {
        if let Some(sha) = repo.git.tags.get(name) {
            return Ok(Reply::ok(ref_json(
                repo,
                &input.api_url,
                &full,
                "commit",
                sha,
            )));
        }
        if let Some(tag) = action_tag(&repo.owner, &repo.name, name) {
            return Ok(Reply::ok(ref_json(
                repo,
                &input.api_url,
                &full,
                &tag.object_type,
                &tag.object_sha,
            )));
        }
    }
    Err(GhError::not_found())
}

/// `GET /repos/{o}/{r}/git/tags/{tag_sha}`: an annotated tag object of an action repository.
pub fn get_tag(repo: &GhRepo, sha: &str, input: &Input<'_>) -> GhResult {
    let tag = tag_object(&repo.owner, &repo.name, sha).ok_or_else(GhError::not_found)?;
    let base = repo_url(repo, &input.api_url);
    Ok(Reply::ok(json!({
        "node_id": STANDARD.encode(format!("Tag:{}", tag.object_sha)),
        "tag": tag.tag,
        "sha": tag.object_sha,
        "url": format!("{base}/git/tags/{}", tag.object_sha),
        "message": format!("{}\n", tag.tag),
        "tagger": { "name": "Sandbox", "email": "sandbox@users.noreply.github.com", "date": "2026-01-01T00:00:00Z" },
        "object": { "type": "commit", "sha": tag.commit, "url": format!("{base}/git/commits/{}", tag.commit) },
        "verification": { "verified": false, "reason": "unsigned", "signature": null, "payload": null, "verified_at": null },
    })))
}

/// `POST /repos/{o}/{r}/git/refs` with `{"ref": "refs/heads/NAME", "sha": COMMIT}`.
pub fn create_ref(repo: &mut GhRepo, input: &Input<'_>) -> GhResult {
    let body = body_object(input)?;
    let full = string_field(&body, "ref", true)?.unwrap_or_default();
    let sha = string_field(&body, "sha", true)?.unwrap_or_default();
    let valid = full.starts_with("refs/")
        && full.matches('/').count() >= 2
        && !full.contains("..")
        && !full.ends_with('/')
        && !full.contains(char::is_whitespace);
    if !valid {
        return Err(GhError::invalid(format!("{full} is not a valid ref name.")));
    }
    let commit = repo
        .git
        .commits
        .get(&sha.to_ascii_lowercase())
        .map(|c| c.sha.clone())
        .ok_or_else(|| GhError::invalid("Object does not exist"))?;
    let (kind, name) = match (
        full.strip_prefix("refs/heads/"),
        full.strip_prefix("refs/tags/"),
    ) {
        (Some(b), _) => ("heads", b.to_owned()),
        (_, Some(t)) => ("tags", t.to_owned()),
        _ => return Err(GhError::invalid(format!("{full} is not a valid ref name."))),
    };
    let exists = match kind {
        "heads" => repo.git.branches.contains_key(&name),
        _ => repo.git.tags.contains_key(&name),
    };
    if exists {
        return Err(GhError::invalid("Reference already exists"));
    }
    match kind {
        "heads" => repo.git.branches.insert(name, commit.clone()),
        _ => repo.git.tags.insert(name, commit.clone()),
    };
    Ok(Reply {
        status: StatusCode::CREATED,
        body: Some(ref_json(repo, &input.api_url, &full, "commit", &commit)),
        link: None,
        location: None,
    })
}

/// `DELETE /repos/{o}/{r}/git/refs/{ref}` with `ref` = `heads/NAME` or `tags/NAME`: 204; 422
/// "Reference does not exist" for an unknown ref, and for the default branch (GitHub refuses to
/// delete it).
pub fn delete_ref(repo: &mut GhRepo, reference: &str) -> GhResult {
    let git = &mut repo.git;
    let removed = match (
        reference.strip_prefix("heads/"),
        reference.strip_prefix("tags/"),
    ) {
        (Some(branch), _) if branch == git.default_branch => {
            return Err(GhError::invalid("Cannot delete the default branch"));
        }
        (Some(branch), _) => git.branches.remove(branch).is_some(),
        (_, Some(tag)) => git.tags.remove(tag).is_some(),
        _ => false,
    };
    if !removed {
        return Err(GhError::invalid("Reference does not exist"));
    }
    Ok(Reply::no_content())
}
