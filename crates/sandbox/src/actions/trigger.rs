//! What starts a run: `workflow_dispatch` (`POST …/actions/workflows/{id}/dispatches`, with
//! GitHub's 404/422 answers and typed inputs), a published release (the `release` event for each
//! activity the workflow listens to), and a push (a branch head that moved since the last
//! request). Each starts a run of the workflow file as it is at the event's commit.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde_json::{Map, Value, json};

use super::build;
use super::context::Cx;
use super::state::{Event, InputValue, Job, Run, Scratch, Status, after};
use super::workflow::{self, DispatchInput, PushFilter, Workflow};
use crate::github::git::Commit;
use crate::github::reply::{GhError, GhResult, Input, Reply};
use crate::github::state::{GhRepo, fnv1a};
use crate::github::writes::body_object;
use crate::world::World;

/// How long a run stays queued.
const QUEUE_MS: u64 = 1000;
const WORKFLOWS_DIR: &str = ".github/workflows/";

/// A workflow file of a repository.
#[derive(Debug, Clone)]
pub struct WorkflowFile {
    pub id: u64,
    pub path: String,
    pub text: String,
}

/// The id GitHub would give a workflow here: 9 digits, derived from its path.
pub fn workflow_id(owner: &str, repo: &str, path: &str) -> u64 {
    100_000_000 + fnv1a(&format!("{owner}/{repo}/{path}").to_lowercase()) % 900_000_000
}

/// The workflow files of a commit (`.github/workflows/*.yml` or `*.yaml`).
pub fn workflow_files(repo: &GhRepo, commit: &Commit) -> Vec<WorkflowFile> {
    commit
        .files
        .iter()
        .filter(|(path, _)| {
            path.strip_prefix(WORKFLOWS_DIR)
                .is_some_and(|name| !name.contains('/'))
                && (path.ends_with(".yml") || path.ends_with(".yaml"))
        })
        .map(|(path, blob)| WorkflowFile {
            id: workflow_id(&repo.owner, &repo.name, path),
            path: path.clone(),
            text: String::from_utf8_lossy(&blob.content).into_owned(),
        })
        .collect()
}

/// The workflows GitHub lists for a repository: the files on its default branch.
pub fn known_workflows(repo: &GhRepo) -> Vec<WorkflowFile> {
    repo.git
        .branch(&repo.git.default_branch)
        .map(|c| workflow_files(repo, c))
        .unwrap_or_default()
}

/// A workflow by numeric id or file name (`publish.yml`).
pub fn find_workflow(repo: &GhRepo, id_or_name: &str) -> Option<WorkflowFile> {
    known_workflows(repo).into_iter().find(|w| {
        w.id.to_string() == id_or_name || w.path == format!("{WORKFLOWS_DIR}{id_or_name}")
    })
}

/// A dispatch's `ref` (a branch or tag name) as a full ref and its commit.
fn resolve_ref<'r>(repo: &'r GhRepo, reference: &str) -> Option<(String, &'r Commit)> {
    let git = &repo.git;
    let short = reference
        .strip_prefix("refs/heads/")
        .or_else(|| reference.strip_prefix("refs/tags/"))
        .unwrap_or(reference);
    if !reference.starts_with("refs/tags/")
        && let Some(c) = git.branch(short)
    {
        return Some((format!("refs/heads/{short}"), c));
    }
    let sha = git.tags.get(short)?;
    Some((format!("refs/tags/{short}"), git.commits.get(sha)?))
}

fn no_dispatch_trigger() -> GhError {
    GhError::invalid("Workflow does not have 'workflow_dispatch' trigger")
}

/// `POST /repos/{o}/{r}/actions/workflows/{workflow_id}/dispatches`.
pub fn dispatch(
    world: &mut World,
    owner: &str,
    name: &str,
    id: &str,
    input: &Input<'_>,
) -> GhResult {
    let body = body_object(input)?;
    let repo = world
        .github
        .repo_mut(owner, name, input.now)
        .ok_or_else(GhError::not_found)?;
    let file = find_workflow(repo, id).ok_or_else(GhError::not_found)?;
    let reference = match body.get("ref") {
        Some(Value::String(r)) => r.clone(),
        _ => {
            return Err(GhError::invalid(
                "Invalid request.\n\n\"ref\" wasn't supplied.",
            ));
        }
    };
    let (git_ref, commit) = resolve_ref(repo, &reference)
        .ok_or_else(|| GhError::invalid(format!("No ref found for: {reference}")))?;
    let text = commit
        .files
        .get(&file.path)
        .map(|b| String::from_utf8_lossy(&b.content).into_owned())
        .ok_or_else(no_dispatch_trigger)?;
    let parsed = workflow::parse(&text).map_err(|_| no_dispatch_trigger())?;
    let defs = parsed.on.dispatch.clone().ok_or_else(no_dispatch_trigger)?;
    let inputs = typed_inputs(&defs, body.get("inputs"))?;
    let event = Event {
        name: "workflow_dispatch".to_owned(),
        git_ref,
        sha: commit.sha.clone(),
        inputs,
        release_id: None,
        pull: None,
        title: parsed.name.clone().unwrap_or_else(|| file.path.clone()),
    };
    let pyproject = pyproject(commit);
    let (owner, name) = (repo.owner.clone(), repo.name.clone());
    let run = start_run(
        world,
        (&owner, &name),
        &file,
        parsed,
        event,
        pyproject,
        input.now,
    );
    if body.get("return_run_details") == Some(&Value::Bool(true)) {
        return Ok(Reply::ok(json!({
            "workflow_run_id": run,
            "run_url": format!("{}/repos/{owner}/{name}/actions/runs/{run}", input.api_url),
            "html_url": format!("https://github.com/{owner}/{name}/actions/runs/{run}"),
        })));
    }
    Ok(Reply::no_content())
}

/// The dispatch's inputs checked against the workflow's and typed; defaults filled in.
fn typed_inputs(
    defs: &[DispatchInput],
    given: Option<&Value>,
) -> Result<BTreeMap<String, InputValue>, GhError> {
    let given: Map<String, Value> = match given {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            return Err(GhError::invalid(
                "Invalid request.\n\n\"inputs\" is not an object.",
            ));
        }
    };
    if given.len() > 25 {
        return Err(GhError::invalid(
            "inputs are too large: at most 25 are allowed",
        ));
    }
    let unexpected: Vec<&String> = given
        .keys()
        .filter(|k| !defs.iter().any(|d| &d.name == *k))
        .collect();
    if !unexpected.is_empty() {
        let list = serde_json::to_string(&unexpected).unwrap_or_default();
        return Err(GhError::invalid(format!(
            "Unexpected inputs provided: {list}"
        )));
    }
    let mut out = BTreeMap::new();
    for def in defs {
        let value = match given.get(&def.name) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) | None => def.default.clone(),
            Some(other) => Some(other.to_string()),
        };
        if def.required && value.as_deref().is_none_or(str::is_empty) {
            return Err(GhError::invalid(format!(
                "Required input '{}' not provided",
                def.name
            )));
        }
        let typed = if def.kind == "boolean" {
            match value.as_deref().map(str::to_ascii_lowercase).as_deref() {
                None | Some("") | Some("false") => InputValue::Bool(false),
                Some("true") => InputValue::Bool(true),
                Some(other) => {
                    return Err(GhError::invalid(format!(
                        "Provided value '{other}' for input '{}' is not a boolean",
                        def.name
                    )));
                }
            }
        } else {
            InputValue::Text(value.unwrap_or_default())
        };
        out.insert(def.name.clone(), typed);
    }
    Ok(out)
}

pub(super) fn pyproject(commit: &Commit) -> Option<String> {
    commit
        .files
        .get("pyproject.toml")
        .map(|b| String::from_utf8_lossy(&b.content).into_owned())
}

/// Starts a run of `workflow` for `event`: queued now, its jobs waiting. The run's id.
pub fn start_run(
    world: &mut World,
    (owner, name): (&str, &str),
    file: &WorkflowFile,
    workflow: Workflow,
    event: Event,
    pyproject: Option<String>,
    now: SystemTime,
) -> u64 {
    let actions = &mut world.actions;
    let id = actions.new_run_id();
    let run_number = actions.next_run_number(owner, name, &file.path);
    let jobs = workflow
        .jobs
        .iter()
        .map(|def| Job {
            id: actions.new_job_id(),
            key: def.id.clone(),
            def: def.clone(),
            name: def.name.clone().unwrap_or_else(|| def.id.clone()),
            status: Status::Queued,
            conclusion: None,
            started: None,
            completed: None,
            steps: Vec::new(),
            log: Vec::new(),
            scratch: Scratch::default(),
        })
        .collect();
    let mut run = Run {
        id,
        owner: owner.to_owned(),
        repo: name.to_owned(),
        workflow_id: file.id,
        path: file.path.clone(),
        workflow,
        run_number,
        event,
        project: (String::new(), String::new()),
        created: now,
        started: after(now, QUEUE_MS),
        updated: now,
        status: Status::Queued,
        conclusion: None,
        jobs,
        artifacts: BTreeMap::new(),
    };
    run.project = build::project(&run, pyproject.as_deref());
    if let Some(template) = run.workflow.run_name.clone() {
        let title = Cx::new(&run, &world.github).interpolate(&template);
        run.event.title = title;
    }
    world.actions.runs.insert(id, run);
    id
}

/// Starts the runs a push of `sha` to `branch` triggers.
fn push(world: &mut World, key: &str, branch: &str, sha: &str, now: SystemTime) {
    let Some(repo) = world.github.repos.get(key) else {
        return;
    };
    let Some(commit) = repo.git.commits.get(sha) else {
        return;
    };
    let title = commit.message.lines().next().unwrap_or_default().to_owned();
    let (owner, name) = (repo.owner.clone(), repo.name.clone());
    let pyproject = pyproject(commit);
    for file in workflow_files(repo, commit) {
        let Ok(parsed) = workflow::parse(&file.text) else {
            continue;
        };
        if !parsed
            .on
            .push
            .as_ref()
            .is_some_and(|f| branch_matches(f, branch))
        {
            continue;
        }
        let event = Event {
            name: "push".to_owned(),
            git_ref: format!("refs/heads/{branch}"),
            sha: sha.to_owned(),
            inputs: BTreeMap::new(),
            release_id: None,
            pull: None,
            title: title.clone(),
        };
        start_run(
            world,
            (&owner, &name),
            &file,
            parsed,
            event,
            pyproject.clone(),
            now,
        );
    }
}

/// Whether a push to `branch` passes the workflow's `branches`/`branches-ignore` filters (a
/// filter of only `tags` takes no branch).
pub(super) fn branch_matches(filter: &PushFilter, branch: &str) -> bool {
    let any = |patterns: &[String]| {
        patterns
            .iter()
            .any(|p| wildmatch::WildMatch::new(&p.replace("**", "*")).matches(branch))
    };
    if !filter.branches.is_empty() {
        return any(&filter.branches);
    }
    if !filter.branches_ignore.is_empty() {
        return !any(&filter.branches_ignore);
    }
    filter.tags.is_empty()
}

/// Starts push runs for every branch head that moved since the last call (a repository's first
/// commit is no push).
pub fn detect_pushes(world: &mut World, now: SystemTime) {
    let mut pushes = Vec::new();
    for (key, repo) in &world.github.repos {
        let seen = world.actions.seen_heads.entry(key.clone()).or_default();
        for (branch, sha) in &repo.git.branches {
            if seen.get(branch) == Some(sha) {
                continue;
            }
            seen.insert(branch.clone(), sha.clone());
            let pushed = repo
                .git
                .commits
                .get(sha)
                .is_some_and(|c| !c.parents.is_empty());
            if pushed {
                pushes.push((key.clone(), branch.clone(), sha.clone()));
            }
        }
    }
    for (key, branch, sha) in pushes {
        push(world, &key, &branch, &sha, now);
    }
}
