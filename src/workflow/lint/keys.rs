//! Static AWS access keys (`long-lived-keys`): handed to configure-aws-credentials, put in an
//! `env:`, or exported by a script. A key from `secrets.*`/`vars.*` or written into the file
//! (`AKIA…`) lives until someone rotates it and works from anywhere; the role's credentials
//! last an hour and only GitHub's runs of this repository can get them.

use super::super::expr;
use super::super::model::{Input, Job, Workflow};
use super::shell;
use super::words::{Expansion, unquote};
use super::{LintContext, LintFinding, LintId};
use crate::setup::AuthMethod;

const KEY_NAMES: [&str; 2] = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];

/// Where a static key is given, and what it is.
struct Key {
    line: usize,
    /// `configure-aws-credentials' aws-access-key-id`, `the job's env: AWS_ACCESS_KEY_ID`, …
    place: String,
    /// `secrets.AWS_ACCESS_KEY_ID`, `a key written in the file`.
    source: String,
    /// The key itself is in the file.
    literal: bool,
}

/// What a value holds when it is a long-lived key: `Some((source, literal))`.
fn long_lived(value: &str, env: &[&Input]) -> Option<(String, bool)> {
    let value = value.trim();
    if value.starts_with("AKIA") && value.len() >= 16 {
        return Some(("a key written in the file".to_owned(), true));
    }
    match expr::reference(value) {
        Some((context, name)) if context == "secrets" || context == "vars" => {
            Some((format!("{context}.{name}"), false))
        }
        Some((context, name)) if context == "env" => env
            .iter()
            .find(|i| i.name == name)
            .and_then(|i| long_lived(&i.value, &[])),
        _ => None,
    }
}

/// The `env:` entry that puts a key in the environment (the first of the pair).
fn in_env(entries: &[Input], place: &str, env: &[&Input]) -> Option<Key> {
    entries
        .iter()
        .filter(|i| KEY_NAMES.contains(&i.name.as_str()))
        .find_map(|i| {
            long_lived(&i.value, env).map(|(source, literal)| Key {
                line: i.line,
                place: format!("{place} env: {}", i.name),
                source,
                literal,
            })
        })
}

/// `export AWS_ACCESS_KEY_ID=…`, `aws configure set aws_access_key_id …`,
/// `echo "AWS_ACCESS_KEY_ID=…" >> $GITHUB_ENV` with a long-lived value.
fn in_scripts(job: &Job, env: &[&Input], lines: &dyn Fn(usize, &str) -> Vec<usize>) -> Vec<Key> {
    let mut out = Vec::new();
    for (step, script, run_line) in job.scripts() {
        let map = lines(run_line, script);
        let step_env: Vec<&Input> = step.env.iter().chain(env.iter().copied()).collect();
        for c in shell::commands(script) {
            let text = c.words.join(" ");
            let names_key =
                KEY_NAMES.iter().any(|k| text.contains(k)) || text.contains("aws_access_key_id");
            if !names_key {
                continue;
            }
            let source = c.expansions().into_iter().find_map(|e| match e {
                Expansion::Expr(inner) => long_lived(&format!("${{{{ {inner} }}}}"), &step_env),
                Expansion::Var(name) => step_env
                    .iter()
                    .find(|i| i.name == name)
                    .and_then(|i| long_lived(&i.value, &step_env)),
                Expansion::Subst(_) => None,
            });
            let literal = c
                .words
                .iter()
                .map(|w| unquote(w))
                .find_map(|w| {
                    w.split('=')
                        .find(|p| p.starts_with("AKIA"))
                        .map(str::to_owned)
                })
                .and_then(|w| long_lived(&w, &[]));
            if let Some((source, literal)) = source.or(literal) {
                out.push(Key {
                    line: map.get(c.line).copied().unwrap_or(run_line),
                    place: "a script that exports it".to_owned(),
                    source,
                    literal,
                });
            }
        }
    }
    out
}

/// Whether `job` gets AWS credentials: configure-aws-credentials, or keys in its environment.
pub fn authenticates(wf: &Workflow, job: &Job) -> bool {
    let has_key = |entries: &[Input]| entries.iter().any(|i| i.name == KEY_NAMES[0]);
    job.aws_step().is_some()
        || has_key(&wf.env)
        || has_key(&job.env)
        || job.steps.iter().any(|s| has_key(&s.env))
}

/// `long-lived-keys` for the whole file: the workflow's `env:` once, then each job.
pub fn findings(
    wf: &Workflow,
    ctx: &LintContext,
    lines: &dyn Fn(usize, &str) -> Vec<usize>,
) -> Vec<LintFinding> {
    let wf_env: Vec<&Input> = wf.env.iter().collect();
    let mut keys: Vec<Key> = in_env(&wf.env, "the workflow's", &wf_env)
        .into_iter()
        .collect();
    for job in &wf.jobs {
        let env: Vec<&Input> = job.env.iter().chain(wf.env.iter()).collect();
        keys.extend(in_env(&job.env, &format!("job {}'s", job.id), &env));
        for step in &job.steps {
            let step_env: Vec<&Input> = step.env.iter().chain(env.iter().copied()).collect();
            keys.extend(in_env(
                &step.env,
                &format!("a step of job {}", job.id),
                &step_env,
            ));
            if step.configures_aws()
                && let Some(input) = step.input("aws-access-key-id")
                && let Some((source, literal)) = long_lived(&input.value, &step_env)
            {
                keys.push(Key {
                    line: input.line,
                    place: format!("job {}'s configure-aws-credentials", job.id),
                    source,
                    literal,
                });
            }
        }
        keys.extend(in_scripts(job, &env, lines));
    }
    keys.into_iter().filter_map(|k| finding(k, ctx)).collect()
}

fn finding(key: Key, ctx: &LintContext) -> Option<LintFinding> {
    let fix = "assume the role instead: `role-to-assume: ${{ vars.AWS_ROLE_ARN }}` on \
               configure-aws-credentials with `id-token: write` on the job, no aws-access-key-id; then \
               deactivate the IAM user's key and delete the secrets"
        .to_owned();
    let (severity_error, why) = match (key.literal, ctx.auth) {
        (true, _) => (
            true,
            "the key is in the file: anyone who can read the repository has it; rotate it now",
        ),
        // The setup chose keys (the checklist says what that costs): only a key in the file is
        // worth a finding then.
        (false, Some(AuthMethod::AccessKeys)) => return None,
        (false, Some(AuthMethod::Oidc)) => (
            true,
            "the setup uses OIDC, whose credentials last an hour and only this repository's runs get",
        ),
        (false, None) => (
            false,
            "a long-lived key works from anywhere until someone rotates it",
        ),
    };
    let message = format!(
        "static AWS access keys in {} ({}): {why}",
        key.place, key.source
    );
    Some(if severity_error {
        LintFinding::error(LintId::LongLivedKeys, key.line, message, fix)
    } else {
        LintFinding::warning(LintId::LongLivedKeys, key.line, message, fix)
    })
}
