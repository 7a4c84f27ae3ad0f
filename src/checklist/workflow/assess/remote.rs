//! Without a working tree: the default branch's copy judged through the API, apply committing
//! through it, and waiting for cawiz's pull request once it is open.

use crate::workflow::{FileLint, FileView, LocalFile, diff, publishing, target_path};

use super::super::super::{Action, Context, ItemId, Report, Status};
use super::super::action::WorkflowAction;
use super::super::read::{Facts, Pending, Remote};
use super::{commit_action, details_common, error_ids, finding, plural};

/// `status`, saying it waits for cawiz's pull request.
fn waiting_for(status: Status, pull: &Pending) -> Status {
    let summary = format!(
        "{}; waiting for pull request #{} to be merged ({})",
        status.summary(),
        pull.number,
        pull.url
    );
    match status {
        Status::Drift { diff, findings, .. } => Status::Drift {
            summary,
            diff,
            findings,
        },
        _ => Status::Missing { summary },
    }
}

pub fn assess_remote_only(ctx: &Context, facts: &Facts, generated: &str, why: &str) -> Report {
    let (branch, files) = match &facts.remote {
        Remote::Read { branch, files } => (branch.clone(), files),
        Remote::Unread(unread) => {
            let mut report = Report::new(
                ItemId::Workflow,
                Status::Unknown {
                    reason: format!("{why}; {unread}"),
                },
            );
            report.details.notes.push(why.to_owned());
            details_common(&mut report, facts, &facts.pins);
            return report;
        }
    };
    let locals: Vec<LocalFile> = files
        .iter()
        .map(|f| LocalFile {
            relative: f.path.clone(),
            text: f.text.clone(),
        })
        .collect();
    let found = publishing(&locals, &facts.lint);
    let path = target_path(&locals, found.as_ref().map(|(f, _)| *f));
    let mut report = Report::new(
        ItemId::Workflow,
        Status::Missing {
            summary: format!("no workflow on {branch} publishes to CodeArtifact"),
        },
    );
    report.details.notes.push(format!(
        "{why}: judged {branch}'s copy through the GitHub API; apply commits through the API."
    ));
    match found {
        Some((file, l)) if l.errors() == 0 => {
            report.status = Status::Done {
                summary: format!("{} on {branch} passes every check", file.relative),
            };
            report.details.workflow = Some(FileView::new(
                &format!("{branch}:{}", file.relative),
                &file.text,
                &l,
            ));
        }
        found => {
            let old = found.as_ref().map_or("", |(f, _)| f.text.as_str());
            let mut view = match &found {
                Some((f, l)) => {
                    report
                        .details
                        .findings
                        .extend(l.findings.iter().map(|x| finding(&f.relative, x)));
                    report.status = Status::Drift {
                        summary: format!(
                            "{} on {branch}: {} ({})",
                            f.relative,
                            plural(l.errors(), "lint error"),
                            error_ids(l)
                        ),
                        diff: Vec::new(),
                        findings: report.details.findings.clone(),
                    };
                    FileView::new(&format!("{branch}:{}", f.relative), &f.text, l)
                }
                None => FileView::new(&path, "", &FileLint::default()),
            };
            let waiting = facts.pending.as_ref().filter(|p| {
                p.files
                    .iter()
                    .any(|f| f.path == path && f.text == generated)
            });
            if let Some(pull) = waiting {
                report.status = waiting_for(report.status, pull);
                report
                    .actions
                    .push(Action::Workflow(WorkflowAction::MergeByHand {
                        github: format!("{}/{}", ctx.setup.github_owner, ctx.setup.github_repo),
                        number: pull.number,
                    }));
            } else if old != generated {
                view.diff = diff::lines(old, generated);
                report
                    .actions
                    .push(commit_action(ctx, &path, generated, &branch));
            }
            report.details.workflow = Some(view);
        }
    }
    details_common(&mut report, facts, &facts.pins);
    report
}
