//! Pull requests: `POST /repos/{o}/{r}/pulls` (GitHub's 422s for a missing branch, no commits, or
//! one already open), `GET /pulls?state=&head=&base=`, `GET /pulls/{number}`, and `PUT
//! /pulls/{number}/merge` (a merge commit on the base; 405 when it is not open, 409 when `sha`
//! is not the head's).

use serde_json::{Map, Value, json};

use super::git::Pull;
use super::reply::{GhError, GhResult, Input, Reply};
use super::state::GhRepo;
use crate::world::iso8601;

fn pull_json(repo: &GhRepo, api_url: &str, pull: &Pull) -> Value {
    let base = format!("{api_url}/repos/{}/{}", repo.owner, repo.name);
    let html = format!("https://github.com/{}/{}", repo.owner, repo.name);
    let user = json!({ "login": repo.owner, "id": repo.owner_id, "type": "User" });
    let side = |branch: &str| {
        json!({
            "label": format!("{}:{branch}", repo.owner),
            "ref": branch,
            "sha": repo.git.branches.get(branch).cloned().unwrap_or_default(),
            "repo": { "id": repo.id, "name": repo.name, "full_name": format!("{}/{}", repo.owner, repo.name) },
            "user": user,
        })
    };
    json!({
        "url": format!("{base}/pulls/{}", pull.number),
        "id": repo.id * 1000 + pull.number,
        "node_id": base64_id(pull.number),
        "html_url": format!("{html}/pull/{}", pull.number),
        "number": pull.number,
        "state": pull.state,
        "locked": false,
        "title": pull.title,
        "body": pull.body,
        "draft": false,
        "merged": pull.merge_commit.is_some(),
        "merge_commit_sha": pull.merge_commit,
        "mergeable": null,
        "user": user,
        "head": side(&pull.head),
        "base": side(&pull.base),
        "created_at": iso8601(pull.created),
        "updated_at": iso8601(pull.created),
    })
}

fn base64_id(number: u64) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("PullRequest{number}"))
}

fn field(body: &Map<String, Value>, name: &str) -> Option<String> {
    body.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// `owner:branch` or `branch` → the branch, when the owner is this repository's.
fn own_branch(repo: &GhRepo, head: &str) -> Option<String> {
    match head.split_once(':') {
        Some((owner, branch)) if owner.eq_ignore_ascii_case(&repo.owner) => Some(branch.to_owned()),
        Some(_) => None,
        None => Some(head.to_owned()),
    }
}

fn invalid(field: &str) -> Value {
    json!({ "resource": "PullRequest", "field": field, "code": "invalid" })
}

fn custom(message: String) -> Value {
    json!({ "resource": "PullRequest", "code": "custom", "message": message })
}

pub fn create_pull(repo: &mut GhRepo, input: &Input<'_>) -> GhResult {
    let body = match serde_json::from_slice::<Value>(input.body) {
        Ok(Value::Object(map)) => map,
        _ => {
            return Err(GhError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "Problems parsing JSON",
            ));
        }
    };
    let title = field(&body, "title").unwrap_or_default();
    let (Some(head), Some(base)) = (field(&body, "head"), field(&body, "base")) else {
        return Err(GhError::invalid(
            "Invalid request.\n\n\"head\", \"base\" weren't supplied.",
        ));
    };
    if title.trim().is_empty() {
        return Err(GhError::validation(vec![json!({
            "resource": "Issue", "field": "title", "code": "missing_field"
        })]));
    }
    let head_branch = own_branch(repo, &head).filter(|b| repo.git.branches.contains_key(b));
    let Some(head_branch) = head_branch else {
        return Err(GhError::validation(vec![invalid("head")]));
    };
    if !repo.git.branches.contains_key(&base) {
        return Err(GhError::validation(vec![invalid("base")]));
    }
    if repo
        .git
        .pulls
        .iter()
        .any(|p| p.state == "open" && p.head == head_branch && p.base == base)
    {
        return Err(GhError::validation(vec![custom(format!(
            "A pull request already exists for {}:{head_branch}.",
            repo.owner
        ))]));
    }
    if !repo.git.ahead(&head_branch, &base) {
        return Err(GhError::validation(vec![custom(format!(
            "No commits between {base} and {head_branch}"
        ))]));
    }
    let pull = Pull {
        number: repo.git.pulls.len() as u64 + 1,
        title,
        body: field(&body, "body").unwrap_or_default(),
        head: head_branch,
        base,
        state: "open".to_owned(),
        created: input.now,
        merge_commit: None,
    };
    let json = pull_json(repo, &input.api_url, &pull);
    repo.git.pulls.push(pull);
    Ok(Reply {
        status: axum::http::StatusCode::CREATED,
        body: Some(json),
        link: None,
        location: None,
    })
}

pub fn list_pulls(repo: &GhRepo, input: &Input<'_>) -> GhResult {
    let state = input.query.get("state").unwrap_or("open");
    let head = input.query.get("head").and_then(|h| own_branch(repo, h));
    let head_filtered = input.query.get("head").is_some();
    let base = input.query.get("base");
    let items: Vec<Value> = repo
        .git
        .pulls
        .iter()
        .rev()
        .filter(|p| state == "all" || p.state == state)
        .filter(|p| !head_filtered || head.as_deref() == Some(p.head.as_str()))
        .filter(|p| base.is_none_or(|b| b == p.base))
        .map(|p| pull_json(repo, &input.api_url, p))
        .collect();
    Ok(Reply::ok(Value::Array(items)))
}

pub fn get_pull(repo: &GhRepo, number: &str, input: &Input<'_>) -> GhResult {
    let number: u64 = number.parse().map_err(|_| GhError::not_found())?;
    repo.git
        .pulls
        .iter()
        .find(|p| p.number == number)
        .map(|p| Reply::ok(pull_json(repo, &input.api_url, p)))
        .ok_or_else(GhError::not_found)
}

/// `PUT /repos/{o}/{r}/pulls/{number}/merge`: GitHub's answers for a merged, closed or moved
/// pull request; `merge_method` merge, squash or rebase all make one merge commit here.
pub fn merge_pull(repo: &mut GhRepo, number: &str, input: &Input<'_>) -> GhResult {
    let number: u64 = number.parse().map_err(|_| GhError::not_found())?;
    let body = match input.body {
        [] => Map::new(),
        bytes => match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => map,
            _ => {
                return Err(GhError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "Problems parsing JSON",
                ));
            }
        },
    };
    if let Some(method) = field(&body, "merge_method")
        && !["merge", "squash", "rebase"].contains(&method.as_str())
    {
        return Err(GhError::validation(vec![invalid("merge_method")]));
    }
    let index = repo
        .git
        .pulls
        .iter()
        .position(|p| p.number == number)
        .ok_or_else(GhError::not_found)?;
    let pull = repo.git.pulls[index].clone();
    if pull.state != "open" {
        return Err(GhError::new(
            axum::http::StatusCode::METHOD_NOT_ALLOWED,
            "Pull Request is not mergeable",
        ));
    }
    let head_sha = repo
        .git
        .branches
        .get(&pull.head)
        .cloned()
        .unwrap_or_default();
    if let Some(sha) = field(&body, "sha")
        && !sha.eq_ignore_ascii_case(&head_sha)
    {
        return Err(GhError::new(
            axum::http::StatusCode::CONFLICT,
            "Head branch was modified. Review and try the merge again.",
        ));
    }
    let title = field(&body, "commit_title").unwrap_or_else(|| {
        format!(
            "Merge pull request #{number} from {}/{}",
            repo.owner, pull.head
        )
    });
    let sha = repo
        .git
        .merge(&pull.head, &pull.base, &title, input.now)
        .ok_or_else(GhError::not_found)?;
    let merged = &mut repo.git.pulls[index];
    merged.state = "closed".to_owned();
    merged.merge_commit = Some(sha.clone());
    Ok(Reply::ok(json!({
        "sha": sha,
        "merged": true,
        "message": "Pull Request successfully merged",
    })))
}
