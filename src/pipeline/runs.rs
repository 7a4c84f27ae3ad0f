//! Which runs of the publish workflow are read. An old repository has thousands of runs (nightly
//! builds, pushes whose publish job was skipped): GitHub filters them by branch and event
//! (`branch`, `event`, `per_page` of `GET …/workflows/{id}/runs`), so cawiz asks for the few
//! newest runs that can count for the setup's scope (`scope::counts`) — one small page per
//! listing, the listings at once — never for the workflow's whole history.

use crate::github::{Run, RunFilter};
use crate::setup::SubjectScope;

use super::scope;

/// How many of the newest runs `latest` looks through for one that tried to publish.
pub const LOOK_BACK: usize = 5;

/// Runs asked for where GitHub's filters cannot narrow the listing to the scope's runs
/// (dispatches on cawiz's verification tags: the `branch` filter takes no prefix).
const TAG_DISPATCHES: usize = 20;

fn filter(branch: Option<&str>, event: Option<&str>, per_page: usize) -> RunFilter {
    RunFilter {
        branch: branch.map(str::to_owned),
        event: event.map(str::to_owned),
        per_page,
    }
}

/// The request plan: the listings that hold the runs of `scope` in a repository whose default
/// branch is `default_branch` (`scope::counts` says which runs count).
pub fn queries(scope: &SubjectScope, default_branch: &str) -> Vec<RunFilter> {
    match scope {
        SubjectScope::AllRefs | SubjectScope::Environment(_) => vec![
            filter(Some(default_branch), None, LOOK_BACK),
            filter(None, Some("release"), LOOK_BACK),
        ],
        SubjectScope::Branch(branch) => vec![filter(Some(branch), None, LOOK_BACK)],
        SubjectScope::Tags => vec![
            filter(None, Some("release"), LOOK_BACK),
            filter(None, Some("workflow_dispatch"), TAG_DISPATCHES),
        ],
        SubjectScope::PullRequests => vec![filter(None, Some("pull_request"), LOOK_BACK)],
    }
}

/// The scope's newest runs among the listings' answers: each once, newest first (run ids grow),
/// at most [`LOOK_BACK`].
pub fn candidates(lists: Vec<Vec<Run>>, scope: &SubjectScope, default_branch: &str) -> Vec<Run> {
    let mut runs: Vec<Run> = lists.into_iter().flatten().collect();
    runs.sort_by_key(|r| std::cmp::Reverse(r.id));
    runs.dedup_by_key(|r| r.id);
    runs.into_iter()
        .filter(|r| scope::counts(r, scope, default_branch))
        .take(LOOK_BACK)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: u64, event: &str, branch: &str) -> Run {
        serde_json::from_value(serde_json::json!({
            "id": id, "event": event, "status": "completed", "conclusion": "success",
            "head_branch": branch
        }))
        .expect("a run")
    }

    #[test]
    fn each_scope_asks_for_a_few_runs_filtered_by_branch_or_event() {
        let main = "main";
        let all = queries(&SubjectScope::AllRefs, main);
        assert_eq!(
            all,
            vec![
                filter(Some("main"), None, LOOK_BACK),
                filter(None, Some("release"), LOOK_BACK)
            ]
        );
        assert_eq!(
            queries(&SubjectScope::Environment("prod".into()), main),
            all
        );
        assert_eq!(
            queries(&SubjectScope::Branch("release".into()), main),
            vec![filter(Some("release"), None, LOOK_BACK)]
        );
        assert_eq!(
            queries(&SubjectScope::PullRequests, main),
            vec![filter(None, Some("pull_request"), LOOK_BACK)]
        );
        let tags = queries(&SubjectScope::Tags, main);
        assert!(tags.iter().all(|q| q.branch.is_none() && q.event.is_some()));
        assert!(
            tags.iter()
                .chain(&all)
                .all(|q| q.per_page <= TAG_DISPATCHES)
        );
        assert_eq!(
            all[0].query(),
            "?per_page=5&exclude_pull_requests=true&branch=main"
        );
        assert_eq!(
            filter(Some("feat/a b"), Some("push"), 5).query(),
            "?per_page=5&exclude_pull_requests=true&branch=feat%2Fa%20b&event=push"
        );
    }

    #[test]
    fn the_candidates_are_the_scope_s_newest_runs_once() {
        let on_main = vec![run(9, "push", "main"), run(7, "workflow_dispatch", "main")];
        let releases = vec![run(8, "release", "v1.0.0"), run(3, "release", "v0.9.0")];
        let picked = candidates(
            vec![on_main.clone(), releases, on_main],
            &SubjectScope::AllRefs,
            "main",
        );
        let ids: Vec<u64> = picked.iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![9, 8, 7, 3]);
        let dispatches = vec![
            run(12, "workflow_dispatch", "main"),
            run(11, "workflow_dispatch", "cawiz-verify-1700000000"),
        ];
        let picked = candidates(vec![dispatches], &SubjectScope::Tags, "main");
        let ids: Vec<u64> = picked.iter().map(|r| r.id).collect();
        assert_eq!(
            ids,
            vec![11],
            "a dispatch on a branch proves nothing for tags"
        );
        let many: Vec<Run> = (0..20).map(|i| run(i, "push", "main")).collect();
        assert_eq!(
            candidates(vec![many], &SubjectScope::AllRefs, "main").len(),
            LOOK_BACK
        );
    }
}
