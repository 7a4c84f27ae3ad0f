//! Reusable workflows. A job `uses: ./.github/workflows/x.yml` runs x.yml's jobs as part of the
//! caller's run: the caller's event, ref and `if:` decide the subject; its token's permissions are
//! the most the called jobs get ("can be only downgraded (not elevated) by the called
//! workflow"); its `with:` and `secrets:` fill the called file's `inputs.*` and `secrets.*` (a
//! secret it does not pass is empty). So the caller is judged with the called file read; the
//! called file alone leaves what its callers provide to them.

use std::sync::LazyLock;

use regex::Regex;

use super::super::files::LocalFile;
use super::super::model::{self, CallSecrets, Input, Job, Permissions, Workflow};
use super::super::yaml;

fn re(pattern: &str) -> Regex {
    #[allow(clippy::expect_used)]
    Regex::new(pattern).expect("valid built-in pattern")
}

static INPUT_REF: LazyLock<Regex> =
    LazyLock::new(|| re(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}"));
static SECRET_REF: LazyLock<Regex> =
    LazyLock::new(|| re(r"\$\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}"));

/// A workflow a job of this file calls, read from the same directory.
pub struct Called {
    /// `.github/workflows/x.yml`, as the caller names it.
    pub path: String,
    pub text: String,
    pub workflow: Workflow,
}

/// The local workflow `job` calls, when `siblings` holds it (and it is YAML).
pub fn called(job: &Job, siblings: &[LocalFile]) -> Option<Called> {
    let (uses, _) = job.uses.as_ref()?;
    let path = uses.trim().strip_prefix("./")?;
    let name = path.rsplit('/').next()?;
    let file = siblings.iter().find(|f| f.relative == path).or_else(|| {
        siblings
            .iter()
            .find(|f| f.relative.rsplit('/').next() == Some(name))
    })?;
    let root = yaml::parse(&file.text).ok()?;
    Some(Called {
        path: path.to_owned(),
        text: file.text.clone(),
        workflow: model::read(&root),
    })
}

/// `value` with the called file's `${{ inputs.X }}` and `${{ secrets.X }}` replaced by what
/// `caller` passes (an input's default when it passes none; empty for a secret it does not pass).
fn substitute(value: &str, caller: &Job, called: &Workflow) -> String {
    let inputs = INPUT_REF.replace_all(value, |c: &regex::Captures<'_>| {
        caller
            .with
            .iter()
            .find(|i| i.name == c[1])
            .map(|i| i.value.clone())
            .or_else(|| {
                called
                    .call_inputs
                    .iter()
                    .find(|d| d.name == c[1])
                    .and_then(|d| d.default.clone())
            })
            .unwrap_or_default()
    });
    SECRET_REF
        .replace_all(&inputs, |c: &regex::Captures<'_>| match &caller.secrets {
            CallSecrets::Inherit => c[0].to_owned(),
            CallSecrets::Named(passed) => passed
                .iter()
                .find(|i| i.name == c[1])
                .map(|i| i.value.clone())
                .unwrap_or_default(),
            CallSecrets::None => String::new(),
        })
        .into_owned()
}

fn substituted(inputs: &[Input], caller: &Job, called: &Workflow) -> Vec<Input> {
    inputs
        .iter()
        .map(|i| Input {
            value: substitute(&i.value, caller, called),
            ..i.clone()
        })
        .collect()
}

/// The permissions a called job gets: its own (or the called workflow's) when the caller's
/// token has `id-token: write` to give, else the caller's (what the caller cannot give, the
/// called job does not get — GitHub refuses the run, or the job lacks it).
fn granted<'a>(
    caller: Option<&'a Permissions>,
    own: Option<&'a Permissions>,
) -> Option<&'a Permissions> {
    match (caller, own) {
        (Some(c), Some(o)) if c.id_token_write() => Some(o),
        (Some(c), _) => Some(c),
        (None, _) => None,
    }
}

/// The called workflow's jobs as `caller`'s run sees them: the caller's triggers and `if:`, the
/// permissions it can give, the inputs and secrets it passes.
pub fn as_called(wf: &Workflow, caller: &Job, called: &Workflow) -> Workflow {
    let caller_permissions = wf.effective_permissions(caller);
    let jobs = called
        .jobs
        .iter()
        .map(|job| {
            let own = job.permissions.as_ref().or(called.permissions.as_ref());
            Job {
                condition: caller.condition.clone().or_else(|| job.condition.clone()),
                permissions: granted(caller_permissions, own).cloned(),
                environment: job
                    .environment
                    .as_ref()
                    .map(|(e, l)| (substitute(e, caller, called), *l)),
                env: substituted(&job.env, caller, called),
                steps: job
                    .steps
                    .iter()
                    .map(|s| model::Step {
                        with: substituted(&s.with, caller, called),
                        env: substituted(&s.env, caller, called),
                        ..s.clone()
                    })
                    .collect(),
                ..job.clone()
            }
        })
        .collect();
    Workflow {
        triggers: wf.triggers.clone(),
        on_line: wf.on_line,
        permissions: caller_permissions.cloned(),
        env: called.env.clone(),
        jobs,
        jobs_line: wf.jobs_line,
        dispatch_inputs: wf.dispatch_inputs.clone(),
        call_inputs: Vec::new(),
        call_secrets: Vec::new(),
    }
}

/// The secrets the called file's steps name that `caller` does not pass (they are empty).
pub fn unpassed_secrets(caller: &Job, called: &Workflow) -> Vec<String> {
    let passed = |name: &str| match &caller.secrets {
        CallSecrets::Inherit => true,
        CallSecrets::Named(p) => p.iter().any(|i| i.name == name),
        CallSecrets::None => false,
    };
    let mut out: Vec<String> = called
        .jobs
        .iter()
        .flat_map(|j| j.steps.iter())
        .flat_map(|s| s.with.iter().chain(&s.env))
        .flat_map(|i| {
            SECRET_REF
                .captures_iter(&i.value)
                .map(|c| c[1].to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|name| !passed(name))
        .collect();
    out.dedup();
    out
}

/// Whether `value` (of the called file) is something its callers provide: a declared input or
/// secret, or any `inputs.*`.
pub fn from_caller(wf: &Workflow, value: &str) -> bool {
    if !wf.triggers.iter().any(|t| t.event == "workflow_call") {
        return false;
    }
    INPUT_REF.is_match(value)
        || SECRET_REF.captures_iter(value).any(|c| {
            wf.call_secrets
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&c[1]))
        })
}

#[cfg(test)]
mod tests;
