//! A GitHub Actions workflow as the lint needs it: triggers, permissions, jobs and steps, each
//! with its line. Read from the YAML tree leniently: what GitHub would reject is simply absent.

use super::yaml::{Entry, Node, Value};

/// One event under `on:`, with the filters that decide which refs it runs for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub event: String,
    pub line: usize,
    /// `branches:` (`None`: any branch; also `None` for `branches-ignore`).
    pub branches: Option<Vec<String>>,
    /// `tags:` (`None`: not filtered).
    pub tags: Option<Vec<String>>,
}

/// A `permissions:` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permissions {
    pub line: usize,
    pub grant: Grant,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    ReadAll,
    WriteAll,
    /// `scope: read|write|none`, each with its line (`{}`: none at all).
    Scopes(Vec<(String, String, usize)>),
}

impl Permissions {
    /// Whether this block gives the token `id-token: write`.
    pub fn id_token_write(&self) -> bool {
        match &self.grant {
            Grant::WriteAll => true,
            Grant::ReadAll => false,
            Grant::Scopes(scopes) => scopes
                .iter()
                .any(|(s, l, _)| s == "id-token" && l == "write"),
        }
    }

    /// The scopes this block grants write on, with their lines (`write-all`: one entry).
    pub fn writes(&self) -> Vec<(String, usize)> {
        match &self.grant {
            Grant::WriteAll => vec![("write-all".to_owned(), self.line)],
            Grant::ReadAll => Vec::new(),
            Grant::Scopes(scopes) => scopes
                .iter()
                .filter(|(_, level, _)| level == "write")
                .map(|(scope, _, line)| (scope.clone(), *line))
                .collect(),
        }
    }
}

/// A `with:` input or `env:` variable: name, value, line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub name: String,
    pub value: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub line: usize,
    /// `id:` (what `steps.<id>.outputs` names).
    pub id: Option<String>,
    pub name: Option<String>,
    /// `uses:` and its line.
    pub uses: Option<(String, usize)>,
    pub with: Vec<Input>,
    /// `run:` and the line of its value (a block scalar's text starts on the next line).
    pub run: Option<(String, usize)>,
    pub env: Vec<Input>,
    pub condition: Option<String>,
}

impl Step {
    pub fn input(&self, name: &str) -> Option<&Input> {
        self.with.iter().find(|i| i.name == name)
    }

    /// The action's `owner/repo` (lower-cased), for a `uses: owner/repo@ref` step.
    pub fn action(&self) -> Option<String> {
        let (uses, _) = self.uses.as_ref()?;
        let (path, _) = uses.split_once('@')?;
        let mut parts = path.split('/');
        Some(format!("{}/{}", parts.next()?, parts.next()?).to_lowercase())
    }

    /// True for a step running `aws-actions/configure-aws-credentials`.
    pub fn configures_aws(&self) -> bool {
        self.action().as_deref() == Some("aws-actions/configure-aws-credentials")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: String,
    pub line: usize,
    pub condition: Option<String>,
    pub permissions: Option<Permissions>,
    /// The environment's name (`environment: NAME` or `environment: {name: NAME}`) and its line.
    pub environment: Option<(String, usize)>,
    pub env: Vec<Input>,
    pub steps: Vec<Step>,
    /// A job that calls a reusable workflow: `uses:` and its line.
    pub uses: Option<(String, usize)>,
    /// The inputs a reusable-workflow call passes (`with:`).
    pub with: Vec<Input>,
    /// The secrets a reusable-workflow call passes.
    pub secrets: CallSecrets,
    /// `outputs:` (what `needs.<job>.outputs` names).
    pub outputs: Vec<Input>,
}

/// What a job calling a reusable workflow passes as `secrets:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CallSecrets {
    #[default]
    None,
    /// `secrets: inherit`: every secret the caller has.
    Inherit,
    /// `secrets: {NAME: value}`.
    Named(Vec<Input>),
}

/// An input a workflow declares under `on.workflow_dispatch.inputs` or `on.workflow_call.inputs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub name: String,
    /// `type:` (`string`, `boolean`, `choice`, …; `None`: not given, a string).
    pub kind: Option<String>,
    /// `default:`.
    pub default: Option<String>,
}

impl Declared {
    /// Whether its value is free text (a string, or no type given).
    pub fn is_text(&self) -> bool {
        self.kind.as_deref().is_none_or(|k| k == "string")
    }
}

impl Job {
    pub fn aws_step(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.configures_aws())
    }

    /// Every `run:` of the job, in order.
    pub fn scripts(&self) -> impl Iterator<Item = (&Step, &str, usize)> {
        self.steps
            .iter()
            .filter_map(|s| s.run.as_ref().map(|(r, l)| (s, r.as_str(), *l)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Workflow {
    pub triggers: Vec<Trigger>,
    /// The line of `on:` (1 when absent).
    pub on_line: usize,
    pub permissions: Option<Permissions>,
    pub env: Vec<Input>,
    pub jobs: Vec<Job>,
    /// The line of `jobs:` (1 when absent).
    pub jobs_line: usize,
    /// `on.workflow_dispatch.inputs`.
    pub dispatch_inputs: Vec<Declared>,
    /// `on.workflow_call.inputs` and `on.workflow_call.secrets`: what a caller provides.
    pub call_inputs: Vec<Declared>,
    pub call_secrets: Vec<String>,
}

impl Workflow {
    pub fn trigger(&self, event: &str) -> Option<&Trigger> {
        self.triggers.iter().find(|t| t.event == event)
    }

    /// A reusable workflow that only callers run (`on: workflow_call` and nothing else).
    pub fn only_called(&self) -> bool {
        !self.triggers.is_empty() && self.triggers.iter().all(|t| t.event == "workflow_call")
    }

    /// The permissions a job's token gets: its own block replaces the workflow's; `None` means
    /// neither has one (the repository's default token permissions, never `id-token: write`).
    pub fn effective_permissions<'a>(&'a self, job: &'a Job) -> Option<&'a Permissions> {
        job.permissions.as_ref().or(self.permissions.as_ref())
    }
}

fn inputs(node: Option<&Node>) -> Vec<Input> {
    node.map(|n| {
        n.entries()
            .iter()
            .map(|e| Input {
                name: e.key.clone(),
                value: e.value.as_str().unwrap_or_default().to_owned(),
                line: e.line,
            })
            .collect()
    })
    .unwrap_or_default()
}

/// A `permissions:` entry; its line is the key's.
fn permissions(entry: Option<&Entry>) -> Option<Permissions> {
    let (node, line) = entry.map(|e| (&e.value, e.line))?;
    let grant = match &node.value {
        Value::Str(s) if s == "write-all" => Grant::WriteAll,
        Value::Str(s) if s == "read-all" => Grant::ReadAll,
        Value::Map(entries) => Grant::Scopes(
            entries
                .iter()
                .map(|e| {
                    (
                        e.key.clone(),
                        e.value.as_str().unwrap_or_default().to_owned(),
                        e.line,
                    )
                })
                .collect(),
        ),
        // `permissions:` with nothing (null) or an unknown word: GitHub grants nothing.
        _ => Grant::Scopes(Vec::new()),
    };
    Some(Permissions { line, grant })
}

fn triggers(on: &Node) -> Vec<Trigger> {
    let simple = |event: &str, line: usize| Trigger {
        event: event.to_owned(),
        line,
        branches: None,
        tags: None,
    };
    match &on.value {
        Value::Str(event) => vec![simple(event, on.line)],
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(|e| simple(e, i.line)))
            .collect(),
        Value::Map(entries) => entries
            .iter()
            .map(|e| Trigger {
                branches: e.value.get("branches").map(Node::strings),
                tags: e.value.get("tags").map(Node::strings),
                ..simple(&e.key, e.line)
            })
            .collect(),
        Value::Null => Vec::new(),
    }
}

fn step(node: &Node) -> Step {
    let with_line = |key: &str| {
        node.entry(key)
            .and_then(|e| e.value.as_str().map(|v| (v.to_owned(), e.value.line)))
    };
    Step {
        line: node.line,
        id: node.str_of("id").map(str::to_owned),
        name: node.str_of("name").map(str::to_owned),
        uses: with_line("uses"),
        with: inputs(node.get("with")),
        run: with_line("run"),
        env: inputs(node.get("env")),
        condition: node.str_of("if").map(str::to_owned),
    }
}

fn environment(entry: Option<&Entry>) -> Option<(String, usize)> {
    let (node, line) = entry.map(|e| (&e.value, e.line))?;
    let name = match &node.value {
        Value::Str(s) => s.clone(),
        Value::Map(_) => node.str_of("name")?.to_owned(),
        _ => return None,
    };
    Some((name, line))
}

fn job(id: &str, line: usize, node: &Node) -> Job {
    Job {
        id: id.to_owned(),
        line,
        condition: node.str_of("if").map(str::to_owned),
        permissions: permissions(node.entry("permissions")),
        environment: environment(node.entry("environment")),
        env: inputs(node.get("env")),
        steps: node
            .get("steps")
            .map(|s| s.items().iter().map(step).collect())
            .unwrap_or_default(),
        uses: node
            .entry("uses")
            .and_then(|e| e.value.as_str().map(|u| (u.to_owned(), e.value.line))),
        with: inputs(node.get("with")),
        secrets: match node.get("secrets") {
            Some(s) if s.as_str() == Some("inherit") => CallSecrets::Inherit,
            Some(s) => CallSecrets::Named(inputs(Some(s))),
            None => CallSecrets::None,
        },
        outputs: inputs(node.get("outputs")),
    }
}

/// The inputs declared under `on.<event>.inputs`.
fn declared(on: Option<&Node>, event: &str) -> Vec<Declared> {
    on.and_then(|on| on.get(event))
        .and_then(|e| e.get("inputs"))
        .map(|inputs| {
            inputs
                .entries()
                .iter()
                .map(|e| Declared {
                    name: e.key.clone(),
                    kind: e.value.str_of("type").map(str::to_owned),
                    default: e.value.str_of("default").map(str::to_owned),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The workflow in `root` (a parsed document).
pub fn read(root: &Node) -> Workflow {
    let on = root.entry("on");
    let jobs = root.entry("jobs");
    Workflow {
        triggers: on.map(|e| triggers(&e.value)).unwrap_or_default(),
        on_line: on.map_or(1, |e| e.line),
        permissions: permissions(root.entry("permissions")),
        env: inputs(root.get("env")),
        jobs: jobs
            .map(|e| {
                e.value
                    .entries()
                    .iter()
                    .map(|j| job(&j.key, j.line, &j.value))
                    .collect()
            })
            .unwrap_or_default(),
        jobs_line: jobs.map_or(1, |e| e.line),
        dispatch_inputs: declared(on.map(|e| &e.value), "workflow_dispatch"),
        call_inputs: declared(on.map(|e| &e.value), "workflow_call"),
        call_secrets: on
            .and_then(|e| e.value.get("workflow_call"))
            .and_then(|c| c.get("secrets"))
            .map(|s| s.entries().iter().map(|e| e.key.clone()).collect())
            .unwrap_or_default(),
    }
}
