//! `token-exposed`: the CodeArtifact token where GitHub prints it. The runner prints every step's
//! `with:` and `env:` (the job's environment from `$GITHUB_ENV` included) and its script with the
//! `${{ }}` replaced; a value is hidden only after `::add-mask::` registered it (actions/runner
//! #475: a mask comes too late for what was printed before). So the token leaks when it is
//! written to `$GITHUB_ENV` or a step output unmasked, echoed, traced by `set -x`, passed through
//! `${{ }}` into a script, or read back from the files `aws codeartifact login` writes.

use std::collections::{BTreeMap, BTreeSet};

use super::super::model::{Job, Step, Workflow};
use super::shell;
use super::taint::Taint;
use super::{LintFinding, LintId};

mod script;

pub(super) const FIX: &str = "keep the token inside the step that uses it: `TOKEN=\"$(aws codeartifact \
    get-authorization-token … --output text)\"`, `echo \"::add-mask::$TOKEN\"` before anything \
    else, then hand it to the tool in that step's environment (`cawiz workflow print` shows one)";

use script::Run;

type Lines<'a> = &'a dyn Fn(usize, &str) -> Vec<usize>;
pub(super) type JobOutputs = BTreeMap<(String, String), usize>;

/// A step's `env:` or `with:` value naming a token: printed in the step's header.
fn printed_inputs(
    job: &Job,
    step: &Step,
    taint: &Taint,
    job_outputs: &JobOutputs,
    out: &mut Vec<LintFinding>,
) -> BTreeMap<String, usize> {
    let mut seeded = BTreeMap::new();
    let script_input = step.action().as_deref() == Some("actions/github-script");
    for (kind, input) in step
        .env
        .iter()
        .map(|i| ("env", i))
        .chain(step.with.iter().map(|i| ("with", i)))
    {
        for (o, reference) in taint.in_text(&input.value, job_outputs) {
            if kind == "env" {
                seeded.insert(input.name.clone(), o);
            }
            let code = kind == "with" && script_input && input.name == "script";
            let from_env = reference.starts_with("env.");
            if code || (!taint.is_masked(o) && !from_env) {
                out.push(LintFinding::error(
                    LintId::TokenExposed,
                    input.line,
                    format!(
                        "job {}: {kind}: {} gets ${{{{ {reference} }}}} ({}{}): the runner prints it in \
                         the step's log header",
                        job.id,
                        input.name,
                        taint.what(o),
                        if taint.is_masked(o) { "" } else { ", not masked" }
                    ),
                    FIX.to_owned(),
                ));
            }
        }
    }
    seeded
}

/// `${{ … }}` naming a token inside a script: the token becomes the script's text.
fn in_script_text(
    job: &Job,
    script: &str,
    map: &[usize],
    run_line: usize,
    taint: &Taint,
    job_outputs: &JobOutputs,
    out: &mut Vec<LintFinding>,
) {
    for (i, l) in script.lines().enumerate() {
        for (o, reference) in taint.in_text(l, job_outputs) {
            let line = map.get(i).copied().unwrap_or(run_line);
            out.push(LintFinding::error(
                LintId::TokenExposed,
                line,
                format!(
                    "job {}: ${{{{ {reference} }}}} ({}) is pasted into the script, which the log \
                     prints{} and the shell runs as code",
                    job.id,
                    taint.what(o),
                    if taint.is_masked(o) { " (masked)" } else { "" }
                ),
                "pass it through the step's env: and use \"$NAME\" in the script".to_owned(),
            ));
        }
    }
}

/// `token-exposed` for every job of `wf`, in order (job outputs flow through `needs`).
pub fn findings(wf: &Workflow, lines: Lines<'_>) -> Vec<LintFinding> {
    let mut out = Vec::new();
    let mut job_outputs: JobOutputs = BTreeMap::new();
    for job in &wf.jobs {
        let mut taint = Taint::default();
        for step in &job.steps {
            let seeded = printed_inputs(job, step, &taint, &job_outputs, &mut out);
            let Some((script, run_line)) = &step.run else {
                continue;
            };
            let map = lines(*run_line, script);
            in_script_text(job, script, &map, *run_line, &taint, &job_outputs, &mut out);
            let mut vars: BTreeMap<String, usize> = taint.env.clone();
            vars.extend(seeded);
            let exported: BTreeSet<String> = vars.keys().cloned().collect();
            let mut run = Run {
                job,
                step,
                taint: &mut taint,
                job_outputs: &job_outputs,
                vars,
                exported,
                xtrace: None,
                traced: BTreeSet::new(),
                out: &mut out,
            };
            let mut piped = None;
            for c in shell::commands(script) {
                let line = map.get(c.line).copied().unwrap_or(*run_line);
                piped = run.command(&c, line, piped);
            }
        }
        for output in &job.outputs {
            if let Some((o, _)) = taint.in_text(&output.value, &job_outputs).first()
                && !taint.is_masked(*o)
            {
                job_outputs.insert((job.id.clone(), output.name.clone()), *o);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
