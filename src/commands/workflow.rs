//! `cawiz workflow print|lint|write`: the generated workflow on stdout, any workflow file linted
//! (text or JSON, exit 1 on an error), and the generated file written after showing the diff
//! (asking first; a file you changed is replaced only with a yes or --yes), then committed.

use std::process::ExitCode;

use serde_json::{Value, json};

use crate::checklist::workflow::{self as item, Local};
use crate::checklist::{self, Action, ItemId, Status};
use crate::cli::{GlobalArgs, LintArgs, WriteArgs, commit_mode};
use crate::escape::line;
use crate::localtest::Options;
use crate::policy::{Severity, SubjectRules, trust_policy};
use crate::setup::Setup;
use crate::workflow::lint::named_tags;
use crate::workflow::{
    FileLint, LintContext, LintFinding, LintId, Trust, TrustSource, WORKFLOWS_DIR, generate,
    lint_in, scope_note,
};

mod inputs;

use inputs::lint_inputs;

use super::apply::recording;
use super::output::workflow_diffs;
use super::session::{self, SandboxUrls};
use super::status::record_statuses;
use super::{CliError, confirm, open_session};

/// The setup (from the state file) and a GitHub client, without AWS: all `print` needs.
async fn setup_and_github(
    global: &GlobalArgs,
) -> Result<
    (
        Setup,
        crate::github::GithubClient,
        Option<cawiz_sandbox::SandboxHandle>,
    ),
    CliError,
> {
    let sandbox = session::start_sandbox(global).await?;
    let path = session::locate_state(global, sandbox.as_ref())?;
    let state = session::load_state(&path, sandbox.as_ref())?;
    let urls = sandbox.as_ref().map(SandboxUrls::of);
    let github = session::github(global, urls.as_ref())
        .await
        .map_err(|e| CliError::new(e.to_string(), e.fix()))?;
    Ok((state.setup, github, sandbox))
}

pub async fn print(global: &GlobalArgs) -> Result<ExitCode, CliError> {
    let (setup, github, _sandbox) = setup_and_github(global).await?;
    let pins = item::resolve_pins(&github).await;
    out!("{}", generate(&setup, &pins));
    errln!(
        "cawiz: actions pinned: {} ({})",
        pins.tags(),
        pins.describe()
    );
    errln!("cawiz: scope {}: {}", setup.scope, scope_note(&setup));
    Ok(ExitCode::SUCCESS)
}

/// What lint knows without AWS: the setup's region, role ARN (with a recorded account), scope,
/// auth method and formats. `why` (short: the session's error is stated once, in the note).
fn setup_context(setup: &Setup, why: &str) -> LintContext {
    let account = setup.account_id.clone().unwrap_or_else(|| "*".to_owned());
    LintContext {
        region: Some(setup.region.clone()),
        role_arn: setup
            .account_id
            .as_ref()
            .map(|a| format!("arn:aws:iam::{a}:role/{}", setup.role_name)),
        trust: (setup.auth == crate::setup::AuthMethod::Oidc).then(|| {
            let rules = SubjectRules::unconfirmed(setup, why);
            Trust {
                document: trust_policy(setup, &account, &rules),
                provider: crate::policy::oidc_provider_arn(&setup.region, &account),
                rules,
                scope: setup.scope.clone(),
                source: TrustSource::Setup(why.to_owned()),
            }
        }),
        auth: Some(setup.auth),
        formats: item::setup_formats(setup),
        ..LintContext::offline()
    }
}

/// What lint judges against, the notes to state once (what could not be read), and a GitHub
/// client for the tags the files name.
struct Facts {
    ctx: LintContext,
    notes: Vec<String>,
    github: Option<crate::github::GithubClient>,
}

/// The facts lint judges against: the live ones when a session opens, else the setup's (and
/// why), else none.
async fn lint_context(global: &GlobalArgs) -> Facts {
    match open_session(global, Options::default()).await {
        Ok(session) => {
            let facts = item::read(&session.ctx).await;
            Facts {
                ctx: facts.lint,
                notes: facts.unread,
                github: Some(session.ctx.github.clone()),
            }
        }
        Err(e) => {
            let why = e.one_line();
            let sandbox = session::start_sandbox(global).await.ok().flatten();
            let urls = sandbox.as_ref().map(SandboxUrls::of);
            let github = session::github(global, urls.as_ref()).await.ok();
            let state = session::locate_state(global, sandbox.as_ref())
                .ok()
                .and_then(|p| crate::state::load(&p).ok().flatten());
            let (ctx, note) = match state {
                Some(state) => (
                    setup_context(&state.setup, "no AWS session, see the note"),
                    format!(
                        "no live facts ({why}): compared with the setup (scope {}: {})",
                        state.setup.scope,
                        SubjectRules::classic(&state.setup.github_owner, &state.setup.github_repo)
                            .expected(&state.setup.scope)
                    ),
                ),
                None => (
                    LintContext::offline(),
                    format!(
                        "no setup ({why}): the role, region, variables and subjects were not checked"
                    ),
                ),
            };
            Facts {
                ctx,
                notes: vec![note],
                github,
            }
        }
    }
}

fn finding_json(f: &LintFinding) -> Value {
    json!({
        "id": f.id.as_str(),
        "severity": f.severity.word(),
        "line": f.line,
        "message": f.message,
        "fix": f.fix,
    })
}

pub async fn lint_files(global: &GlobalArgs, args: &LintArgs) -> Result<ExitCode, CliError> {
    let (inputs, named) = lint_inputs(args)?;
    let Facts {
        mut ctx,
        mut notes,
        github,
    } = lint_context(global).await;
    if let Some(github) = &github {
        let mut wanted: Vec<(String, String)> =
            inputs.iter().flat_map(|i| named_tags(&i.text)).collect();
        wanted.sort();
        wanted.dedup();
        let (tags, problem) = item::resolve_tags(github, &wanted).await;
        ctx.tags = tags;
        notes.extend(problem.filter(|p| !notes.contains(p)));
    }
    let mut results: Vec<(String, FileLint)> = inputs
        .iter()
        .map(|i| (i.path.clone(), lint_in(&i.text, &ctx, &i.siblings)))
        .collect();
    // One workflow publishing is enough: no-publish-job only when none of them does (on the one
    // file named, else once for all of them).
    if !results.iter().any(|(_, l)| l.publishes || l.touches_aws) {
        if let ([input], true) = (inputs.as_slice(), named) {
            ctx.require_publish_job = true;
            results = vec![(
                input.path.clone(),
                lint_in(&input.text, &ctx, &input.siblings),
            )];
        } else {
            let place = if named {
                format!("the {} files named", inputs.len())
            } else {
                WORKFLOWS_DIR.to_owned()
            };
            results.push((place.clone(), no_publish_job(&place, inputs.len())));
        }
    }
    let errors: usize = results.iter().map(|(_, l)| l.errors()).sum();
    for note in &notes {
        errln!("note: {}", line(note));
    }
    if args.json {
        let files: Vec<Value> = results
            .iter()
            .map(|(path, l)| {
                let mut v = json!({
                    "path": path,
                    "findings": l.findings.iter().map(finding_json).collect::<Vec<_>>(),
                });
                if let Some(e) = &l.error {
                    v["error"] = json!(e.to_string());
                }
                v
            })
            .collect();
        super::print::json(&json!({ "files": files }));
    } else {
        out!("{}", lint_text(&results));
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `no-publish-job` for a set of files (line 0: no line of one file).
fn no_publish_job(place: &str, files: usize) -> FileLint {
    FileLint {
        findings: vec![LintFinding {
            id: LintId::NoPublishJob,
            severity: Severity::Error,
            line: 0,
            message: format!("no workflow in {place} publishes to CodeArtifact ({files} files)"),
            fix: "`cawiz workflow write` writes one (`cawiz workflow print` shows it)".to_owned(),
        }],
        ..FileLint::default()
    }
}

/// The lint results for people: per file its counts, then each finding with its line and fix.
fn lint_text(results: &[(String, FileLint)]) -> String {
    let mut out = String::new();
    for (path, l) in results {
        let count = |s: Severity| l.findings.iter().filter(|f| f.severity == s).count();
        let infos = count(Severity::Info);
        out.push_str(&format!(
            "{}: {} errors, {} warnings{}\n",
            line(path),
            l.errors(),
            count(Severity::Warning),
            if infos > 0 {
                format!(", {infos} info")
            } else {
                String::new()
            }
        ));
        if let Some(e) = &l.error {
            out.push_str(&format!(
                "  {:>4} ✗ not YAML: {}\n",
                e.line,
                line(&e.message)
            ));
        }
        for f in &l.findings {
            let glyph = match f.severity {
                Severity::Info => "i",
                Severity::Warning => "~",
                Severity::Error | Severity::Critical => "✗",
            };
            out.push_str(&format!(
                "  {:>4} {glyph} {:<25} {}\n       fix: {}\n",
                f.line,
                f.id,
                line(&f.message),
                line(&f.fix)
            ));
        }
    }
    out
}

pub async fn write(global: &GlobalArgs, args: &WriteArgs) -> Result<ExitCode, CliError> {
    let mut session = open_session(global, Options::default()).await?;
    session.ctx.workflow.commit = commit_mode(args.commit);
    let facts = item::read(&session.ctx).await;
    let generated = generate(&session.ctx.setup, &facts.pins);
    errln!(
        "cawiz: actions pinned: {} ({})",
        facts.pins.tags(),
        facts.pins.describe()
    );
    let report = item::assess(&session.ctx, &facts, &generated);
    if let Local::None(why) = &facts.local {
        errln!("note: nothing is written here: {}", line(why));
    }
    if let Local::None(why) = &facts.local
        && report.actions.is_empty()
    {
        return Err(CliError::new(
            format!("nothing to write: {why}"),
            "run `cawiz workflow write` in a clone of the repository (or `cawiz workflow print > FILE`)",
        ));
    }
    let mut actions: Vec<Action> = report.actions.clone();
    if actions.is_empty()
        && let Some(commit) = item::pending_commit(&session.ctx, &facts)
    {
        actions.push(commit);
    }
    outln!(
        "{} {}",
        report.status.glyph(),
        line(&report.status.summary())
    );
    if actions.is_empty() {
        outln!("Nothing to write.");
        return Ok(if report.status.is_done() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    out!("{}", workflow_diffs(&actions));
    let replaces = actions.iter().any(|a| {
        matches!(
            a,
            Action::Workflow(item::WorkflowAction::Write {
                previous: Some(_),
                ..
            })
        )
    });
    outln!();
    for (i, a) in actions.iter().enumerate() {
        outln!(
            "  {}. {}\n     $ {}",
            i + 1,
            line(&a.describe()),
            line(&a.command(&session.ctx.setup.region))
        );
    }
    let question = if replaces {
        "Replace the file? The lines marked - above are lost"
    } else {
        "Go ahead?"
    };
    if !args.yes && !confirm(question, "--yes")? {
        outln!("Nothing changed.");
        return Ok(ExitCode::FAILURE);
    }
    let mut save_error = None;
    let result = {
        let (ctx, mut progress) = recording(&mut session, &mut save_error);
        checklist::carry_out(ctx, ItemId::Workflow, &actions, &mut progress).await
    };
    let after = checklist::check_item(&session.ctx, ItemId::Workflow).await;
    record_statuses(&mut session, std::slice::from_ref(&after));
    session.save()?;
    if let Some(e) = save_error {
        return Err(CliError::new(
            format!("the state file could not be written: {e}"),
            "fix the state file location (--state)",
        ));
    }
    result?;
    outln!(
        "{} {}: {}",
        after.status.glyph(),
        after.status.kind(),
        line(&after.status.summary())
    );
    Ok(match after.status {
        Status::Done { .. } => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    })
}
