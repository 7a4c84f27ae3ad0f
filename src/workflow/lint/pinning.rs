//! `unpinned-action`: a `uses:` by tag or branch, which its owner can move to other code. The fix
//! pins the commit of the tag the workflow names — looked up through GitHub
//! ([`LintContext::tags`]), else from cawiz's pins when they hold that tag — and says where the
//! commit came from; when all cawiz knows is another major, it says that moving there is an
//! upgrade, not a pin.

use super::super::model::Workflow;
use super::super::pins::{Pin, is_full_sha, shipped};
use super::super::{model, yaml};
use super::{LintContext, LintFinding, LintId};

/// A `uses:` of a repository action (step or reusable workflow) not pinned to a commit.
struct Unpinned<'a> {
    /// `uses:` as written.
    value: &'a str,
    /// `owner/repo[/path]`.
    path: &'a str,
    /// `owner/repo`.
    action: String,
    git_ref: &'a str,
    line: usize,
}

fn unpinned_uses(wf: &Workflow) -> Vec<Unpinned<'_>> {
    let uses = wf.jobs.iter().flat_map(|job| {
        job.uses
            .iter()
            .chain(job.steps.iter().filter_map(|s| s.uses.as_ref()))
    });
    uses.filter_map(|(value, line)| {
        let value = value.trim();
        if value.starts_with("./") || value.starts_with("docker://") {
            return None;
        }
        let (path, git_ref) = value.split_once('@').unwrap_or((value, ""));
        (!is_full_sha(git_ref)).then(|| Unpinned {
            value,
            path,
            action: path.split('/').take(2).collect::<Vec<_>>().join("/"),
            git_ref,
            line: *line,
        })
    })
    .collect()
}

/// The actions and tags `text` (a workflow) names by tag or branch: what to look up.
pub fn named_tags(text: &str) -> Vec<(String, String)> {
    let Ok(root) = yaml::parse(text) else {
        return Vec::new();
    };
    let wf = model::read(&root);
    let mut out: Vec<(String, String)> = unpinned_uses(&wf)
        .into_iter()
        .filter(|u| !u.git_ref.is_empty() && u.action.contains('/'))
        .map(|u| (u.action, u.git_ref.to_owned()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `v4` → 4, `v4.2.1` → 4, `main` → none.
fn major(git_ref: &str) -> Option<u64> {
    let digits: String = git_ref
        .trim_start_matches('v')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn same_action(p: &Pin, u: &Unpinned<'_>) -> bool {
    p.action.eq_ignore_ascii_case(&u.action)
}

/// Where a pin of cawiz's pins came from, in words.
fn pins_origin(p: &Pin) -> &'static str {
    if shipped().iter().any(|s| s.sha == p.sha) {
        "from the pins cawiz ships"
    } else {
        "looked up through GitHub"
    }
}

/// The fix for one unpinned `uses:`.
fn fix(u: &Unpinned<'_>, ctx: &LintContext) -> String {
    let pinned = |p: &Pin, comment: &str| format!("`{}@{} # {comment}`", u.path, p.sha);
    if let Some(p) = ctx
        .tags
        .iter()
        .find(|p| same_action(p, u) && p.tag == u.git_ref)
    {
        return format!(
            "pin the commit {} points at: {} (looked up through GitHub)",
            u.git_ref,
            pinned(p, u.git_ref)
        );
    }
    if let Some(p) = ctx
        .pins
        .iter()
        .find(|p| same_action(p, u) && (p.tag == u.git_ref || p.major == u.git_ref))
    {
        return format!(
            "pin the commit {} points at: {} ({})",
            u.git_ref,
            pinned(p, &p.tag),
            pins_origin(p)
        );
    }
    let Some(p) = ctx.pins.iter().find(|p| same_action(p, u)) else {
        return format!(
            "pin {} to the full commit SHA of {}, with `# {}` as a comment",
            u.path, u.git_ref, u.git_ref
        );
    };
    let other = match (major(u.git_ref), major(&p.major)) {
        (Some(from), Some(to)) if to > from => format!(
            "move to {} — a newer major ({} → {}): read its release notes first",
            pinned(p, &p.tag),
            u.git_ref,
            p.major
        ),
        (Some(_), _) => format!("move to {}", pinned(p, &p.tag)),
        (None, _) => format!(
            "use the release {} instead of {}",
            pinned(p, &p.tag),
            u.git_ref
        ),
    };
    format!(
        "pin the commit of {} (`git ls-remote https://github.com/{} {}` shows it; cawiz could not \
         look it up), or {other}",
        u.git_ref, u.action, u.git_ref
    )
}

/// `unpinned-action` for every `uses:` of `wf`.
pub fn unpinned(wf: &Workflow, ctx: &LintContext) -> Vec<LintFinding> {
    unpinned_uses(wf)
        .iter()
        .map(|u| {
            LintFinding::warning(
                LintId::UnpinnedAction,
                u.line,
                format!(
                    "{} is referenced by {}, which its owner can move to other code",
                    u.value,
                    if u.git_ref.is_empty() {
                        "no ref at all".to_owned()
                    } else {
                        format!("the tag or branch {:?}", u.git_ref)
                    }
                ),
                fix(u, ctx),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests;
