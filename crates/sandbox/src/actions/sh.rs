//! What a `run:` script sees while it runs: its variables (the runner's defaults, the step's
//! environment, what earlier lines set), the job's carried state, the run, and what it printed.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::runner::Runner;
use super::state::{Run, Scratch};

pub struct Sh<'a, 'w> {
    pub runner: &'a mut Runner<'w>,
    pub scratch: &'a mut Scratch,
    pub run: &'a Run,
    pub vars: BTreeMap<String, String>,
    pub lines: Vec<String>,
}

/// A command's failure: its exit code (its output is already in the lines).
pub type Exit = Result<String, i32>;

static VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
        .expect("a valid pattern")
});

/// Where the runner lets a step write a file command (`$GITHUB_ENV`, …).
fn file_command_path(kind: &str, run: &Run) -> String {
    format!(
        "/home/runner/work/_temp/_runner_file_commands/{kind}_{}",
        run.id
    )
}

/// The environment variables every job has (`GITHUB_REPOSITORY`, `GITHUB_RUN_ID`, …).
pub fn runner_defaults(run: &Run) -> BTreeMap<String, String> {
    [
        ("CI", "true".to_owned()),
        ("GITHUB_ACTIONS", "true".to_owned()),
        ("GITHUB_REPOSITORY", format!("{}/{}", run.owner, run.repo)),
        ("GITHUB_REPOSITORY_OWNER", run.owner.clone()),
        ("GITHUB_REF", run.event.git_ref.clone()),
        ("GITHUB_REF_NAME", run.head_branch().to_owned()),
        ("GITHUB_SHA", run.event.sha.clone()),
        ("GITHUB_EVENT_NAME", run.event.name.clone()),
        ("GITHUB_RUN_ID", run.id.to_string()),
        ("GITHUB_RUN_NUMBER", run.run_number.to_string()),
        ("GITHUB_RUN_ATTEMPT", "1".to_owned()),
        ("GITHUB_WORKFLOW", run.name()),
        (
            "GITHUB_WORKSPACE",
            format!("/home/runner/work/{}/{}", run.repo, run.repo),
        ),
        ("HOME", "/home/runner".to_owned()),
        // The runner's file commands (`echo "NAME=value" >> "$GITHUB_ENV"`).
        ("GITHUB_ENV", file_command_path("set_env", run)),
        ("GITHUB_OUTPUT", file_command_path("set_output", run)),
        (
            "GITHUB_STEP_SUMMARY",
            file_command_path("step_summary", run),
        ),
        ("RUNNER_OS", "Linux".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

impl Sh<'_, '_> {
    /// `$NAME` and `${NAME}` replaced by their values (unset: empty, as bash without `-u`).
    pub fn expand(&self, text: &str) -> String {
        VARIABLE
            .replace_all(text, |c: &regex::Captures<'_>| {
                let name = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
                self.vars.get(name).cloned().unwrap_or_default()
            })
            .into_owned()
    }

    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn say(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
    }

    pub fn say_all(&mut self, lines: impl IntoIterator<Item = String>) {
        self.lines.extend(lines);
    }
}

/// The value of `--name` (or `--name=value`) among `args`.
pub fn option(args: &[String], names: &[&str]) -> Option<String> {
    args.iter().enumerate().find_map(|(i, a)| {
        names.iter().find_map(|n| {
            if a == n {
                args.get(i + 1).cloned()
            } else {
                a.strip_prefix(&format!("{n}=")).map(str::to_owned)
            }
        })
    })
}

pub fn flag(args: &[String], name: &str) -> bool {
    args.iter().any(|a| a == name)
}
