//! The contexts a run's expressions read: `github`, `inputs`, `vars` (the Actions variables, as
//! GitHub resolves them for the job: its environment's, then the repository's, then the ones its
//! organisation shares with it), `secrets` (unsealed with the repository's key), `env`, `needs`
//! and `runner`.

use std::collections::BTreeMap;

use super::expr::{self, Value};
use super::state::{InputValue, Run};
use crate::github::state::GithubState;

pub struct Cx<'r> {
    pub run: &'r Run,
    /// The repository's variables, by upper-cased name.
    vars: BTreeMap<String, String>,
    /// The organisation's variables shared with the repository, by upper-cased name.
    org_vars: BTreeMap<String, String>,
    /// Each environment's variables, by lower-cased environment, then upper-cased name.
    env_vars: BTreeMap<String, BTreeMap<String, String>>,
    /// Set while the job's environment name is being interpolated (it may read `vars` itself).
    naming_environment: std::cell::Cell<bool>,
    secrets: BTreeMap<String, String>,
    /// The environment in force (workflow, job, step, exported), later entries winning.
    pub env: Vec<(String, String)>,
    /// `needs.<job>.result` of the jobs the current one needs.
    pub needs: BTreeMap<String, String>,
    pub job: Option<String>,
    /// What `success()` answers here.
    pub succeeded: bool,
}

impl<'r> Cx<'r> {
    /// The contexts of `run`, with its repository's variables and secrets as they are now.
    pub fn new(run: &'r Run, gh: &GithubState) -> Self {
        let repo = gh.get(&run.owner, &run.repo);
        let vars = repo
            .map(|r| r.variables.clone().into_iter().map(|(k, v)| (k, v.value)))
            .into_iter()
            .flatten()
            .collect();
        let org_vars = repo
            .map(|r| gh.shared_variables(r))
            .unwrap_or_default()
            .into_iter()
            .map(|v| (v.name.clone(), v.value.clone()))
            .collect();
        let env_vars = repo
            .map(|r| {
                r.environments
                    .iter()
                    .map(|(key, e)| {
                        let vars = e.variables.iter();
                        (
                            key.clone(),
                            vars.map(|(k, v)| (k.clone(), v.value.clone())).collect(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let secrets = repo
            .map(|r| {
                r.secrets
                    .keys()
                    .filter_map(|name| Some((name.clone(), r.open_secret(name)?)))
                    .collect()
            })
            .unwrap_or_default();
        let mut cx = Self {
            run,
            vars,
            org_vars,
            env_vars,
            naming_environment: std::cell::Cell::new(false),
            secrets,
            env: Vec::new(),
            needs: BTreeMap::new(),
            job: None,
            succeeded: true,
        };
        cx.extend_env(&run.workflow.env);
        cx
    }

    /// `text` with its `${{ … }}` replaced.
    pub fn interpolate(&self, text: &str) -> String {
        expr::interpolate(text, self)
    }

    /// Whether an `if:` holds here.
    pub fn holds(&self, condition: Option<&str>) -> bool {
        expr::condition(condition, self)
    }

    /// Adds `pairs` (interpolated) to the environment.
    pub fn extend_env(&mut self, pairs: &[(String, String)]) {
        for (k, v) in pairs {
            let value = self.interpolate(v);
            self.env.retain(|(name, _)| name != k);
            self.env.push((k.clone(), value));
        }
    }

    /// The environment of the current job (`environment:`, interpolated), lower-cased.
    fn environment(&self) -> Option<String> {
        let key = self.job.as_ref()?;
        let job = self.run.workflow.jobs.iter().find(|j| &j.id == key)?;
        let raw = job.environment.as_deref()?;
        self.naming_environment.set(true);
        let name = self.interpolate(raw);
        self.naming_environment.set(false);
        Some(name.to_lowercase()).filter(|n| !n.is_empty())
    }

    /// `vars.NAME` for the current job: its environment's, else the repository's, else the
    /// organisation's (an environment name that reads `vars` sees the last two only).
    fn var(&self, name: &str) -> Option<String> {
        let key = name.to_ascii_uppercase();
        let from_environment = if self.naming_environment.get() {
            None
        } else {
            self.environment()
                .and_then(|e| self.env_vars.get(&e)?.get(&key).cloned())
        };
        from_environment
            .or_else(|| self.vars.get(&key).cloned())
            .or_else(|| self.org_vars.get(&key).cloned())
    }

    fn github(&self, key: &str, rest: &[String]) -> Option<Value> {
        let run = self.run;
        let text = |s: &str| Some(Value::Str(s.to_owned()));
        match key {
            "repository" => text(&format!("{}/{}", run.owner, run.repo)),
            "repository_owner" => text(&run.owner),
            "ref" => text(&run.event.git_ref),
            "ref_name" | "head_ref_name" => text(run.head_branch()),
            "head_ref" => run.event.pull.as_ref().and_then(|p| text(&p.head)),
            "base_ref" => run.event.pull.as_ref().and_then(|p| text(&p.base)),
            "ref_type" if run.event.git_ref.starts_with("refs/tags/") => text("tag"),
            "ref_type" => text("branch"),
            "sha" => text(&run.event.sha),
            "event_name" => text(&run.event.name),
            "run_id" => Some(Value::Num(run.id as f64)),
            "run_number" => Some(Value::Num(run.run_number as f64)),
            "run_attempt" => Some(Value::Num(1.0)),
            "workflow" => text(&run.name()),
            "workflow_ref" => text(&format!(
                "{}/{}/{}@{}",
                run.owner, run.repo, run.path, run.event.git_ref
            )),
            "actor" | "triggering_actor" => text(&run.owner),
            "server_url" => text("https://github.com"),
            "api_url" => text("https://api.github.com"),
            "job" => self.job.as_deref().and_then(text),
            "event" => self.event(rest),
            _ => None,
        }
    }

    fn event(&self, path: &[String]) -> Option<Value> {
        let run = self.run;
        match path {
            [inputs, name] if inputs == "inputs" => run
                .event
                .inputs
                .get(name)
                .map(|v| Value::Str(input_text(v))),
            [release, field] if release == "release" && run.event.release_id.is_some() => {
                match field.as_str() {
                    "tag_name" => Some(Value::Str(run.head_branch().to_owned())),
                    "name" => Some(Value::Str(run.event.title.clone())),
                    _ => None,
                }
            }
            [action] if action == "action" && run.event.release_id.is_some() => {
                Some(Value::Str("published".to_owned()))
            }
            [action] if action == "action" && run.event.pull.is_some() => {
                Some(Value::Str("opened".to_owned()))
            }
            [pull, rest @ ..] if pull == "pull_request" => self.pull_request(rest),
            _ => None,
        }
    }
}

impl Cx<'_> {
    /// `github.event.pull_request.*`: its number, and head and base (branches of this
    /// repository: the sandbox has no forks).
    fn pull_request(&self, path: &[String]) -> Option<Value> {
        let run = self.run;
        let pull = run.event.pull.as_ref()?;
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        let full_name = format!("{}/{}", run.owner, run.repo);
        let text = |s: &str| Some(Value::Str(s.to_owned()));
        match p.as_slice() {
            ["number"] => Some(Value::Num(pull.number as f64)),
            ["head", "ref"] => text(&pull.head),
            ["base", "ref"] => text(&pull.base),
            ["head" | "base", "repo", "full_name"] => text(&full_name),
            ["head", "repo", "fork"] => Some(Value::Bool(false)),
            _ => None,
        }
    }
}

/// An input as `github.event.inputs` shows it: always text.
fn input_text(v: &InputValue) -> String {
    match v {
        InputValue::Bool(b) => b.to_string(),
        InputValue::Text(t) => t.clone(),
    }
}

impl expr::Context for Cx<'_> {
    fn property(&self, path: &[String]) -> Option<Value> {
        let (head, rest) = path.split_first()?;
        let first = rest.first().map(String::as_str);
        match (head.as_str(), first) {
            ("github", Some(key)) => self.github(key, &rest[1..]),
            ("inputs", Some(name)) => self.run.event.inputs.get(name).map(|v| match v {
                InputValue::Bool(b) => Value::Bool(*b),
                InputValue::Text(t) => Value::Str(t.clone()),
            }),
            ("vars", Some(name)) => self.var(name).map(Value::Str),
            ("secrets", Some(name)) => self
                .secrets
                .get(&name.to_ascii_uppercase())
                .map(|v| Value::Str(v.clone())),
            ("env", Some(name)) => self
                .env
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| Value::Str(v.clone())),
            ("needs", Some(job)) if rest.get(1).map(String::as_str) == Some("result") => {
                self.needs.get(job).map(|r| Value::Str(r.clone()))
            }
            ("runner", Some("os")) => Some(Value::Str("Linux".to_owned())),
            ("runner", Some("arch")) => Some(Value::Str("X64".to_owned())),
            _ => None,
        }
    }

    fn succeeded(&self) -> bool {
        self.succeeded
    }
}
