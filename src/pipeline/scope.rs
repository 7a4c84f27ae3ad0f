//! Which runs prove the setup's subject scope, and how a verification run is started so that
//! GitHub sends a subject the role trusts for it (`../shared/SPEC.md`, "Verification proves the
//! scope the role trusts"): a dispatch on the default branch for `all` and `environment:NAME` (the
//! publish job names the environment, which replaces the ref in `sub`), on the scope's branch for
//! `branch:NAME`, on a tag for `tags`; `pull-requests` cannot be dispatched at all (GitHub sends
//! `pull_request` for pull request runs only), so a person opens a pull request.

use crate::github::Run;
use crate::setup::SubjectScope;

/// The tags cawiz creates (and deletes) to verify the `tags` scope start with this.
pub const VERIFY_TAG_PREFIX: &str = "cawiz-verify-";

/// How a verification run of the scope is started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `workflow_dispatch` on this branch.
    Branch(String),
    /// `workflow_dispatch` on a throw-away tag created at the default branch's head.
    Tag,
    /// No dispatch carries the subject: only a pull request's own run does.
    PullRequest,
}

/// The route for `scope` in a repository whose default branch is `default_branch`.
pub fn route(scope: &SubjectScope, default_branch: &str) -> Route {
    match scope {
        SubjectScope::AllRefs | SubjectScope::Environment(_) => {
            Route::Branch(default_branch.to_owned())
        }
        SubjectScope::Branch(branch) => Route::Branch(branch.clone()),
        SubjectScope::Tags => Route::Tag,
        SubjectScope::PullRequests => Route::PullRequest,
    }
}

/// The tag a verification of the `tags` scope dispatches on, unique per second.
pub fn verify_tag(now_secs: u64) -> String {
    format!("{VERIFY_TAG_PREFIX}{now_secs}")
}

/// Whether `run` is one of the scope's: a run on the default branch or of a release for `all` and
/// an environment; a run on the branch for `branch:NAME`; a release or a run on a tag cawiz
/// created for `tags`; a pull request's run for `pull-requests`.
pub fn counts(run: &Run, scope: &SubjectScope, default_branch: &str) -> bool {
    let on = |branch: &str| run.head_branch.as_deref() == Some(branch);
    match scope {
        SubjectScope::AllRefs | SubjectScope::Environment(_) => {
            on(default_branch) || run.event == "release"
        }
        SubjectScope::Branch(branch) => on(branch),
        SubjectScope::Tags => {
            run.event == "release"
                || run
                    .head_branch
                    .as_deref()
                    .is_some_and(|b| b.starts_with(VERIFY_TAG_PREFIX))
        }
        SubjectScope::PullRequests => run.event == "pull_request",
    }
}

/// Why a run of the scope skipped its publish job: the job's `if:` excluded the run's event and
/// ref, which the workflow cawiz generates for the scope never does.
pub fn skip_reason(run: &Run, scope: &SubjectScope) -> String {
    let on = run.head_branch.as_deref().unwrap_or("?");
    format!(
        "its `if:` excluded this {} run on {on}, which the workflow cawiz generates for the scope \
         {scope} runs: the workflow at that ref is not the generated one (an older scope, or \
         edited) — check it with `cawiz workflow lint`, apply the workflow item, and verify again",
        run.event
    )
}

/// What a person does to verify the scope when cawiz cannot start the run itself.
pub fn pull_request_steps(github: &str) -> String {
    format!(
        "open a pull request from a branch of {github} (not a fork: its runs get no OIDC token \
         for the role): git switch -c cawiz/verify && git commit --allow-empty -m 'cawiz verify' \
         && git push -u origin cawiz/verify && gh pr create --fill --repo {github}; its run \
         publishes the probe package, then run cawiz verify again"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(event: &str, branch: &str) -> Run {
        serde_json::from_value(serde_json::json!({
            "id": 7, "event": event, "status": "completed", "conclusion": "success",
            "head_branch": branch
        }))
        .expect("a run")
    }

    #[test]
    fn each_scope_dispatches_where_github_sends_its_subject() {
        let main = "main";
        assert_eq!(
            route(&SubjectScope::AllRefs, main),
            Route::Branch("main".into())
        );
        assert_eq!(
            route(&SubjectScope::Environment("prod".into()), main),
            Route::Branch("main".into())
        );
        assert_eq!(
            route(&SubjectScope::Branch("release".into()), main),
            Route::Branch("release".into())
        );
        assert_eq!(route(&SubjectScope::Tags, main), Route::Tag);
        assert_eq!(route(&SubjectScope::PullRequests, main), Route::PullRequest);
    }

    #[test]
    fn runs_count_for_the_scope_of_their_ref() {
        let tag = verify_tag(1_700_000_000);
        assert_eq!(tag, "cawiz-verify-1700000000");
        let dispatch_main = run("workflow_dispatch", "main");
        let dispatch_tag = run("workflow_dispatch", &tag);
        let release = run("release", "v1.0.0");
        let pr = run("pull_request", "feature");
        assert!(counts(&dispatch_main, &SubjectScope::AllRefs, "main"));
        assert!(counts(&release, &SubjectScope::AllRefs, "main"));
        assert!(!counts(&dispatch_main, &SubjectScope::Tags, "main"));
        assert!(counts(&dispatch_tag, &SubjectScope::Tags, "main"));
        assert!(counts(&release, &SubjectScope::Tags, "main"));
        let release_scope = SubjectScope::Branch("release".into());
        assert!(!counts(&dispatch_main, &release_scope, "main"));
        assert!(counts(&run("push", "release"), &release_scope, "main"));
        assert!(counts(&pr, &SubjectScope::PullRequests, "main"));
        assert!(!counts(&dispatch_main, &SubjectScope::PullRequests, "main"));
    }
}
