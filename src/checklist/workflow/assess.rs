//! Judging the workflow's facts: the publishing file's lint (working tree, else the default
//! branch), the diff to the generated file, the plan (write, then commit), and what the default
//! branch holds.

use crate::format::npm_project::{Level, NpmFinding};
use crate::policy::{DiffLine, Finding, Severity};
use crate::workflow::{
    FileLint, FileView, LintFinding, LocalFile, Pins, diff, lint, publishing, target_path,
};

use super::super::{Action, Context, ItemId, Report, Status};
use super::action::{CommitMode, WorkflowAction};
use super::read::{Facts, Local, Remote};

mod remote;

/// Diff lines shown in a drift status (the whole diff is on the item's screen and in
/// `cawiz workflow write`).
const DIFF_LINES: usize = 30;

/// A lint finding as the checklist's findings show it: `PATH:LINE [id] message`.
fn finding(path: &str, f: &LintFinding) -> Finding {
    Finding {
        severity: f.severity,
        message: format!("{path}:{} [{}] {}", f.line, f.id, f.message),
        fix: f.fix.clone(),
    }
}

/// `1 error`, `2 warnings`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// `1 error, 2 warnings`.
fn counted(errors: usize, warnings: usize) -> String {
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn counts(l: &FileLint) -> (usize, usize) {
    let warnings = l
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    (l.errors(), warnings)
}

/// `ids` of a lint's errors, for summaries: `id-token-missing, region-mismatch`.
fn error_ids(l: &FileLint) -> String {
    let mut ids: Vec<String> = l
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Error)
        .map(|f| f.id.to_string())
        .collect();
    if l.error.is_some() {
        ids.push("not YAML".to_owned());
    }
    let mut seen = std::collections::BTreeSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    ids.join(", ")
}

/// The commit step after a write, as the settings and the token allow.
fn commit_action(ctx: &Context, path: &str, content: &str, base: &str) -> Action {
    let github = format!("{}/{}", ctx.setup.github_owner, ctx.setup.github_repo);
    let mode = match ctx.workflow.commit {
        CommitMode::Auto if ctx.github.has_token() => CommitMode::PullRequest,
        CommitMode::Auto => CommitMode::None,
        other => other,
    };
    Action::Workflow(if mode == CommitMode::None || !ctx.github.has_token() {
        WorkflowAction::CommitByHand {
            github,
            path: path.to_owned(),
            base: base.to_owned(),
        }
    } else {
        WorkflowAction::Commit {
            github,
            path: path.to_owned(),
            content: content.to_owned(),
            base: base.to_owned(),
            mode,
        }
    })
}

/// The default branch's copy of `path`, when it was read.
fn remote_copy<'a>(facts: &'a Facts, path: &str) -> Option<Option<&'a crate::github::RemoteFile>> {
    match &facts.remote {
        Remote::Read { files, .. } => Some(files.iter().find(|f| f.path == path)),
        Remote::Unread(_) => None,
    }
}

fn base_branch(facts: &Facts) -> String {
    facts.lint.default_branch.clone()
}

/// What the default branch holds compared with `text` (the working tree's file at `path`): a
/// fact, and a warning when Actions would not run this file.
fn compare_remote(facts: &Facts, path: &str, text: &str, report: &mut Report) -> Option<String> {
    let base = base_branch(facts);
    match remote_copy(facts, path) {
        None => {
            if let Remote::Unread(why) = &facts.remote {
                report.details.notes.push(why.clone());
            }
            None
        }
        Some(Some(remote)) if remote.text == text => {
            report
                .details
                .fact(&format!("on {base}"), "the same as the working tree");
            None
        }
        Some(remote) => {
            let (fact, warning) = match remote {
                Some(r) => {
                    let l = lint(&r.text, &facts.lint);
                    let (errors, _) = counts(&l);
                    (
                        format!(
                            "differs from the working tree ({} there)",
                            plural(errors, "lint error")
                        ),
                        format!(
                            "{base}'s copy of {path} differs from the working tree's, and Actions runs \
                             {base}'s: commit and push it (or merge the pull request)"
                        ),
                    )
                }
                None => (
                    "not there: not pushed yet".to_owned(),
                    format!(
                        "{path} is not on {base} yet, and Actions runs {base}'s workflows: commit and push \
                         it (or merge the pull request)"
                    ),
                ),
            };
            report.details.fact(&format!("on {base}"), fact);
            report.details.findings.push(Finding {
                severity: Severity::Warning,
                message: warning.clone(),
                fix: format!(
                    "`cawiz workflow write --commit branch` opens a pull request, or `git push` it to {base}"
                ),
            });
            Some(format!("not on {base} yet"))
        }
    }
}

/// Judges the facts: the publishing file's lint, the diff to `generated`, the plan.
pub fn assess(ctx: &Context, facts: &Facts, generated: &str) -> Report {
    match &facts.local {
        Local::Tree { root, files } => assess_tree(ctx, facts, generated, root, files),
        Local::None(why) => remote::assess_remote_only(ctx, facts, generated, why),
    }
}

fn details_common(report: &mut Report, facts: &Facts, pins: &Pins) {
    report.details.fact("pins", pins.describe());
    if let Some(trust) = &facts.lint.trust {
        report
            .details
            .fact("subjects checked against", trust.origin());
    }
    report.details.notes.extend(facts.notes.iter().cloned());
}

fn assess_tree(
    ctx: &Context,
    facts: &Facts,
    generated: &str,
    root: &std::path::Path,
    files: &[LocalFile],
) -> Report {
    let found = publishing(files, &facts.lint);
    let path = target_path(files, found.as_ref().map(|(f, _)| *f));
    let base = base_branch(facts);
    let mut report = Report::new(
        ItemId::Workflow,
        Status::Missing {
            summary: String::new(),
        },
    );
    report
        .details
        .fact("working tree", root.display().to_string());
    let write = |previous: Option<&LocalFile>| {
        Action::Workflow(WorkflowAction::Write {
            root: root.to_path_buf(),
            path: path.clone(),
            content: generated.to_owned(),
            previous: previous.map(|f| f.text.clone()),
        })
    };
    match found {
        None => {
            let others = files.len();
            report.status = Status::Missing {
                summary: format!(
                    "no workflow publishes to CodeArtifact{}",
                    if others == 0 {
                        " (.github/workflows has none)".to_owned()
                    } else {
                        format!(" ({others} other workflow files)")
                    }
                ),
            };
            report.details.fact("file", format!("{path} (to write)"));
            report.details.rows = super::rows::missing(&path);
            let mut view = FileView::new(&path, "", &FileLint::default());
            view.diff = diff::lines("", generated);
            report.details.workflow = Some(view);
            report.actions.push(write(None));
            report
                .actions
                .push(commit_action(ctx, &path, generated, &base));
        }
        Some((file, l)) => {
            let (errors, warnings) = counts(&l);
            report.details.fact(
                "file",
                format!("{} ({} lines)", file.relative, file.text.lines().count()),
            );
            report.details.fact("lint", counted(errors, warnings));
            report
                .details
                .findings
                .extend(l.findings.iter().map(|f| finding(&file.relative, f)));
            let mut view = FileView::new(&file.relative, &file.text, &l);
            report.details.rows = super::rows::rows(&file.relative, &l);
            if errors == 0 {
                let pushed = compare_remote(facts, &file.relative, &file.text, &mut report);
                report.status = Status::Done {
                    summary: format!(
                        "{} passes every check{}{}",
                        file.relative,
                        if warnings > 0 {
                            format!(" ({})", plural(warnings, "warning"))
                        } else {
                            String::new()
                        },
                        pushed.map(|p| format!("; {p}")).unwrap_or_default()
                    ),
                };
            } else {
                let changes = diff::lines(&file.text, generated);
                let mut lines: Vec<String> = changes
                    .iter()
                    .filter_map(|d| match d {
                        DiffLine::Expected(t) => Some(format!("+ {t}")),
                        DiffLine::Actual(t) => Some(format!("- {t}")),
                        DiffLine::Same(_) => None,
                    })
                    .collect();
                if lines.len() > DIFF_LINES {
                    let more = lines.len() - DIFF_LINES;
                    lines.truncate(DIFF_LINES);
                    lines.push(format!(
                        "… {more} more lines: `cawiz workflow write` shows the whole diff"
                    ));
                }
                let same = file.text == generated;
                report.status = Status::Drift {
                    summary: format!(
                        "{}: {} ({}){}",
                        file.relative,
                        counted(errors, warnings),
                        error_ids(&l),
                        if same {
                            "; the generated file is the same, so the fix is elsewhere (see the findings)"
                        } else {
                            ""
                        }
                    ),
                    diff: lines,
                    findings: report.details.findings.clone(),
                };
                if !same {
                    view.diff = changes;
                    report.actions.push(write(Some(file)));
                    report
                        .actions
                        .push(commit_action(ctx, &path, generated, &base));
                }
            }
            report.details.workflow = Some(view);
        }
    }
    if let Some(npm) = &facts.npm {
        judge_npm_project(&mut report, npm);
    }
    details_common(&mut report, facts, &facts.pins);
    report
}

/// The npm project's own files: their rows and findings; an error keeps the item from done,
/// because the workflow's publish would go elsewhere or be denied (apply cannot fix them: the
/// findings say how).
fn judge_npm_project(report: &mut Report, npm: &[NpmFinding]) {
    report.details.rows.extend(super::project::rows(npm));
    report.details.findings.extend(npm.iter().map(|f| Finding {
        severity: match f.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
        },
        message: format!("{}:{} [{}] {}", f.file, f.line, f.cause, f.message),
        fix: f.fix.clone(),
    }));
    let errors = super::project::errors(npm);
    if errors.is_empty() {
        return;
    }
    if let Status::Done { summary } = &report.status {
        report.status = Status::Drift {
            summary: format!(
                "the npm project's own files break publishing ({}); {summary}",
                errors.join(", ")
            ),
            diff: Vec::new(),
            findings: report.details.findings.clone(),
        };
    }
}

/// The commit a done working-tree file still needs when the default branch lacks it or holds
/// another version (`cawiz workflow write` offers it; apply leaves a done item alone).
pub fn pending_commit(ctx: &Context, facts: &Facts) -> Option<Action> {
    let Local::Tree { files, .. } = &facts.local else {
        return None;
    };
    let (file, l) = publishing(files, &facts.lint)?;
    if l.errors() > 0 {
        return None;
    }
    match remote_copy(facts, &file.relative)? {
        Some(remote) if remote.text == file.text => None,
        _ => Some(commit_action(
            ctx,
            &file.relative,
            &file.text,
            &base_branch(facts),
        )),
    }
}
