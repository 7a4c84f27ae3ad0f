//! The meaning of a workflow file as far as a run needs it: its name, the events it runs on
//! (`workflow_dispatch` and its inputs, `release` and its activity types, `push` and
//! `pull_request` and their branch filters), permissions, `env`, and the jobs with their `needs`, `if`, `permissions`,
//! `environment` and steps. Anything else in the file is ignored.

use std::collections::BTreeMap;

use super::yaml::{self, Node};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Workflow {
    pub name: Option<String>,
    pub run_name: Option<String>,
    pub on: Triggers,
    pub permissions: Option<Permissions>,
    pub env: Vec<(String, String)>,
    /// `defaults.run.shell`.
    pub default_shell: Option<String>,
    pub jobs: Vec<JobDef>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Triggers {
    /// `Some` when the workflow runs on `workflow_dispatch`: its inputs.
    pub dispatch: Option<Vec<DispatchInput>>,
    /// `Some` when it runs on `release`: the activity types (empty: all of them).
    pub release: Option<Vec<String>>,
    /// `Some` when it runs on `push`.
    pub push: Option<PushFilter>,
    /// `Some` when it runs on `pull_request`: its `branches` filters match the base branch, its
    /// `types` (empty: `opened`, `synchronize`, `reopened`).
    pub pull_request: Option<(PushFilter, Vec<String>)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushFilter {
    pub branches: Vec<String>,
    pub branches_ignore: Vec<String>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchInput {
    pub name: String,
    /// `string` (the default), `boolean`, `choice`, `number` or `environment`.
    pub kind: String,
    pub default: Option<String>,
    pub required: bool,
}

/// `permissions:` of the workflow or a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Permissions {
    ReadAll,
    WriteAll,
    /// Scope → `read` / `write` / `none` (`{}`: every scope none).
    Scopes(BTreeMap<String, String>),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobDef {
    /// The key under `jobs:`.
    pub id: String,
    pub name: Option<String>,
    pub needs: Vec<String>,
    pub condition: Option<String>,
    pub permissions: Option<Permissions>,
    pub environment: Option<String>,
    pub env: Vec<(String, String)>,
    /// A reusable workflow the job calls (`uses:` at job level): not run by the sandbox.
    pub uses: Option<String>,
    pub steps: Vec<StepDef>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepDef {
    pub id: Option<String>,
    pub name: Option<String>,
    pub uses: Option<String>,
    pub run: Option<String>,
    pub with: Vec<(String, String)>,
    pub env: Vec<(String, String)>,
    pub condition: Option<String>,
    pub shell: Option<String>,
}

impl StepDef {
    /// The action's repository, lower-cased, without the ref: `aws-actions/configure-aws-credentials`.
    pub fn action(&self) -> Option<String> {
        let uses = self.uses.as_deref()?;
        let repo = uses.split('@').next().unwrap_or(uses);
        Some(repo.to_ascii_lowercase())
    }

    pub fn input(&self, name: &str) -> Option<&str> {
        self.with
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The action that makes a job the publish job.
pub const CONFIGURE_AWS_CREDENTIALS: &str = "aws-actions/configure-aws-credentials";

/// Parses a workflow file; the reason when it is not YAML or has no `jobs`.
pub fn parse(text: &str) -> Result<Workflow, String> {
    let root = yaml::parse(text)?;
    if !matches!(root, Node::Map(_)) {
        return Err("a workflow file is a mapping".to_owned());
    }
    let jobs: Vec<JobDef> = root
        .get("jobs")
        .map(|j| j.entries().iter().map(|(id, def)| job(id, def)).collect())
        .unwrap_or_default();
    if jobs.is_empty() {
        return Err("No jobs are defined in the workflow (`jobs:` is required)".to_owned());
    }
    Ok(Workflow {
        name: root.str_at("name"),
        run_name: root.str_at("run-name"),
        on: triggers(root.get("on")),
        permissions: root.get("permissions").map(permissions),
        env: root.get("env").map(Node::string_pairs).unwrap_or_default(),
        default_shell: root
            .get("defaults")
            .and_then(|d| d.get("run"))
            .and_then(|r| r.str_at("shell")),
        jobs,
    })
}

/// `on:` as a string, a list of event names, or a mapping of events to their settings.
fn triggers(on: Option<&Node>) -> Triggers {
    let mut t = Triggers::default();
    let Some(on) = on else { return t };
    let events: Vec<(String, Node)> = match on {
        Node::Str(_) | Node::Seq(_) => on.strings().into_iter().map(|e| (e, Node::Null)).collect(),
        Node::Map(entries) => entries.clone(),
        Node::Null => Vec::new(),
    };
    for (event, settings) in events {
        match event.as_str() {
            "workflow_dispatch" => t.dispatch = Some(dispatch_inputs(&settings)),
            "release" => {
                t.release = Some(settings.get("types").map(Node::strings).unwrap_or_default());
            }
            "push" => t.push = Some(filter(&settings)),
            "pull_request" => {
                let types = settings.get("types").map(Node::strings).unwrap_or_default();
                t.pull_request = Some((filter(&settings), types));
            }
            _ => {}
        }
    }
    t
}

/// The `branches`/`branches-ignore`/`tags` filters of an event.
fn filter(settings: &Node) -> PushFilter {
    let list = |key: &str| settings.get(key).map(Node::strings).unwrap_or_default();
    PushFilter {
        branches: list("branches"),
        branches_ignore: list("branches-ignore"),
        tags: list("tags"),
    }
}

fn dispatch_inputs(settings: &Node) -> Vec<DispatchInput> {
    let Some(inputs) = settings.get("inputs") else {
        return Vec::new();
    };
    inputs
        .entries()
        .iter()
        .map(|(name, def)| DispatchInput {
            name: name.clone(),
            kind: def.str_at("type").unwrap_or_else(|| "string".to_owned()),
            default: def.str_at("default"),
            required: def.str_at("required").as_deref() == Some("true"),
        })
        .collect()
}

fn permissions(node: &Node) -> Permissions {
    match node {
        Node::Str(s) if s == "write-all" => Permissions::WriteAll,
        Node::Str(_) => Permissions::ReadAll,
        _ => Permissions::Scopes(node.string_pairs().into_iter().collect()),
    }
}

fn job(id: &str, def: &Node) -> JobDef {
    let environment = def
        .get("environment")
        .and_then(|e| e.text().or_else(|| e.str_at("name")));
    JobDef {
        id: id.to_owned(),
        name: def.str_at("name"),
        needs: def.get("needs").map(Node::strings).unwrap_or_default(),
        condition: def.str_at("if"),
        permissions: def.get("permissions").map(permissions),
        environment,
        env: def.get("env").map(Node::string_pairs).unwrap_or_default(),
        uses: def.str_at("uses"),
        steps: match def.get("steps") {
            Some(Node::Seq(items)) => items.iter().map(step).collect(),
            _ => Vec::new(),
        },
    }
}

fn step(def: &Node) -> StepDef {
    StepDef {
        id: def.str_at("id"),
        name: def.str_at("name"),
        uses: def.str_at("uses"),
        run: def.str_at("run"),
        with: def.get("with").map(Node::string_pairs).unwrap_or_default(),
        env: def.get("env").map(Node::string_pairs).unwrap_or_default(),
        condition: def.str_at("if"),
        shell: def.str_at("shell"),
    }
}

/// Whether the job's effective permissions (its own, else the workflow's, else the repository's
/// default — contents and metadata read) grant `id-token: write`. The default never does.
pub fn grants_id_token(workflow: &Workflow, job: &JobDef) -> bool {
    match job.permissions.as_ref().or(workflow.permissions.as_ref()) {
        Some(Permissions::WriteAll) => true,
        Some(Permissions::Scopes(scopes)) => {
            scopes.get("id-token").map(String::as_str) == Some("write")
        }
        Some(Permissions::ReadAll) | None => false,
    }
}

/// The `GITHUB_TOKEN Permissions` group the runner prints at "Set up job": `IdToken: write`, ….
pub fn token_permission_lines(workflow: &Workflow, job: &JobDef) -> Vec<String> {
    const ALL: &[&str] = &[
        "actions",
        "attestations",
        "checks",
        "contents",
        "deployments",
        "discussions",
        "id-token",
        "issues",
        "models",
        "packages",
        "pages",
        "pull-requests",
        "repository-projects",
        "security-events",
        "statuses",
    ];
    let mut granted: BTreeMap<String, String> = BTreeMap::new();
    match job.permissions.as_ref().or(workflow.permissions.as_ref()) {
        None => {
            granted.insert("contents".into(), "read".into());
            granted.insert("packages".into(), "read".into());
        }
        Some(Permissions::ReadAll) => {
            for scope in ALL.iter().filter(|s| **s != "id-token") {
                granted.insert((*scope).to_owned(), "read".to_owned());
            }
        }
        Some(Permissions::WriteAll) => {
            for scope in ALL {
                granted.insert((*scope).to_owned(), "write".to_owned());
            }
        }
        Some(Permissions::Scopes(scopes)) => {
            for (scope, level) in scopes.iter().filter(|(_, l)| *l != "none") {
                granted.insert(scope.clone(), level.clone());
            }
        }
    }
    granted.insert("metadata".into(), "read".into());
    granted
        .iter()
        .map(|(scope, level)| format!("{}: {level}", title_case(scope)))
        .collect()
}

/// `id-token` → `IdToken`, as the runner names scopes.
fn title_case(scope: &str) -> String {
    scope
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}
