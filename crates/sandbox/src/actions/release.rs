//! Releases: `POST /repos/{o}/{r}/releases` (GitHub's release JSON, 201), `GET …/releases` and
//! `GET …/releases/tags/{tag}`. Publishing one (not a draft) creates its tag on the target commit
//! (unless the tag exists) and fires the `release` event — `created`, `published` and `released`
//! (`prereleased` for a pre-release) — for each workflow at that commit listening to one of them.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::state::{Event, Release};
use super::trigger::{start_run, workflow_files};
use super::workflow;
use crate::github::endpoints::{node_id, paginate};
use crate::github::reply::{GhError, GhResult, Input, Reply};
use crate::github::writes::body_object;
use crate::world::{World, iso8601};

fn validation(field: &str, code: &str) -> GhError {
    GhError::validation(vec![
        json!({ "resource": "Release", "code": code, "field": field }),
    ])
}

fn text_field(body: &Map<String, Value>, field: &str) -> Result<Option<String>, GhError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(GhError::invalid(format!(
            "Invalid request.\n\nFor 'properties/{field}', {} is not a string.",
            body.get(field).map(Value::to_string).unwrap_or_default()
        ))),
    }
}

fn flag_field(body: &Map<String, Value>, field: &str) -> bool {
    body.get(field).and_then(Value::as_bool).unwrap_or(false)
}

pub fn release_json(r: &Release, api_url: &str) -> Value {
    let base = format!("{api_url}/repos/{}/{}", r.owner, r.repo);
    let html = format!("https://github.com/{}/{}", r.owner, r.repo);
    json!({
        "url": format!("{base}/releases/{}", r.id),
        "html_url": format!("{html}/releases/tag/{}", r.tag_name),
        "assets_url": format!("{base}/releases/{}/assets", r.id),
        "upload_url": format!("https://uploads.github.com/repos/{}/{}/releases/{}/assets{{?name,label}}", r.owner, r.repo, r.id),
        "tarball_url": format!("{base}/tarball/{}", r.tag_name),
        "zipball_url": format!("{base}/zipball/{}", r.tag_name),
        "id": r.id,
        "node_id": node_id("Release", r.id),
        "tag_name": r.tag_name,
        "target_commitish": r.target_commitish,
        "name": r.name,
        "body": r.body,
        "draft": r.draft,
        "prerelease": r.prerelease,
        "immutable": false,
        "created_at": iso8601(r.created),
        "updated_at": iso8601(r.published.unwrap_or(r.created)),
        "published_at": r.published.map(iso8601),
        "author": { "login": r.owner, "type": "User" },
        "assets": [],
    })
}

/// `POST /repos/{o}/{r}/releases`.
pub fn create(world: &mut World, owner: &str, name: &str, input: &Input<'_>) -> GhResult {
    let body = body_object(input)?;
    let tag = text_field(&body, "tag_name")?
        .filter(|t| !t.is_empty())
        .ok_or_else(|| validation("tag_name", "missing_field"))?;
    let draft = flag_field(&body, "draft");
    let prerelease = flag_field(&body, "prerelease");
    let repo = world
        .github
        .repo_mut(owner, name, input.now)
        .ok_or_else(GhError::not_found)?;
    let (owner, name) = (repo.owner.clone(), repo.name.clone());
    let taken = world
        .actions
        .releases
        .iter()
        .any(|r| r.owner == owner && r.repo == name && r.tag_name == tag);
    if taken {
        return Err(validation("tag_name", "already_exists"));
    }
    let target =
        text_field(&body, "target_commitish")?.unwrap_or_else(|| repo.git.default_branch.clone());
    let sha = match repo.git.tags.get(&tag) {
        Some(sha) => sha.clone(),
        None => repo
            .git
            .resolve(&target)
            .map(|c| c.sha.clone())
            .ok_or_else(|| validation("target_commitish", "invalid"))?,
    };
    if !draft {
        repo.git
            .tags
            .entry(tag.clone())
            .or_insert_with(|| sha.clone());
    }
    let release = Release {
        id: world.actions.new_release_id(),
        owner: owner.clone(),
        repo: name.clone(),
        tag_name: tag.clone(),
        target_commitish: target,
        name: text_field(&body, "name")?,
        body: text_field(&body, "body")?,
        draft,
        prerelease,
        created: input.now,
        published: (!draft).then_some(input.now),
    };
    let answer = release_json(&release, &input.api_url);
    world.actions.releases.push(release.clone());
    if !draft {
        published(world, &release, &sha, input);
    }
    let location = answer["url"].as_str().map(str::to_owned);
    Ok(Reply {
        status: StatusCode::CREATED,
        body: Some(answer),
        link: None,
        location,
    })
}

/// The `release` runs a publication starts.
fn published(world: &mut World, release: &Release, sha: &str, input: &Input<'_>) {
    let key = format!("{}/{}", release.owner, release.repo).to_lowercase();
    let Some(repo) = world.github.repos.get(&key) else {
        return;
    };
    let Some(commit) = repo.git.commits.get(sha) else {
        return;
    };
    let pyproject = commit
        .files
        .get("pyproject.toml")
        .map(|b| String::from_utf8_lossy(&b.content).into_owned());
    let files = workflow_files(repo, commit);
    let last = if release.prerelease {
        "prereleased"
    } else {
        "released"
    };
    for file in files {
        let Ok(parsed) = workflow::parse(&file.text) else {
            continue;
        };
        let Some(types) = parsed.on.release.clone() else {
            continue;
        };
        for activity in ["created", "published", last] {
            if !types.is_empty() && !types.iter().any(|t| t == activity) {
                continue;
            }
            let event = Event {
                name: "release".to_owned(),
                git_ref: format!("refs/tags/{}", release.tag_name),
                sha: sha.to_owned(),
                inputs: BTreeMap::new(),
                release_id: Some(release.id),
                pull: None,
                title: release
                    .name
                    .clone()
                    .unwrap_or_else(|| release.tag_name.clone()),
            };
            let names = (release.owner.as_str(), release.repo.as_str());
            start_run(
                world,
                names,
                &file,
                parsed.clone(),
                event,
                pyproject.clone(),
                input.now,
            );
        }
    }
}

/// `GET /repos/{o}/{r}/releases` (newest first) and `GET …/releases/tags/{tag}`.
pub fn read(
    world: &World,
    owner: &str,
    name: &str,
    tag: Option<&str>,
    input: &Input<'_>,
) -> GhResult {
    let mine = world
        .actions
        .releases
        .iter()
        .rev()
        .filter(|r| r.owner.eq_ignore_ascii_case(owner) && r.repo.eq_ignore_ascii_case(name));
    match tag {
        Some(tag) => mine
            .filter(|r| !r.draft)
            .find(|r| r.tag_name == tag)
            .map(|r| Reply::ok(release_json(r, &input.api_url)))
            .ok_or_else(GhError::not_found),
        None => {
            let items: Vec<Value> = mine.map(|r| release_json(r, &input.api_url)).collect();
            let url = format!("{}/repos/{owner}/{name}/releases", input.api_url);
            let page = paginate(items, "releases", &input.query, 30, 100, &url);
            Ok(Reply {
                body: page.body.and_then(|b| b.get("releases").cloned()),
                ..page
            })
        }
    }
}
