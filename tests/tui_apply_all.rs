//! `A` in a real terminal: on an empty sandbox account, `A` then `y` alone take the checklist
//! from nothing to the pull request that waits for its merge (8/9, the pipeline waiting); after
//! the merge, `A` `y` again runs the verification and ends at 9/9. And a fault mid-way: the run
//! stops at the failing item with the state file consistent, and the next `A` resumes there.

mod common;
#[path = "ui_fixture/mod.rs"]
mod ui_fixture;

use std::sync::atomic::{AtomicUsize, Ordering};

use cawiz::checklist::{self, ApplyError, ItemId, Progress};
use cawiz::setup::Setup;
use common::cli::Cli;
use common::tmux::{Tmux, require_tmux, script};

/// The header's gauge.
fn header_says(screen: &str, gauge: &str) -> bool {
    screen.lines().next().is_some_and(|l| l.contains(gauge))
}

/// The built binary in tmux against `sb`, for `cli`'s state, with the venv's python first on
/// PATH (the local test runs pip).
async fn start_tui(name: &str, cli: &Cli) -> Tmux {
    let home = cli.dir.path().join("home");
    let mut env = common::cawiz_env(&home, &cli.github);
    env.push(("AWS_ENDPOINT_URL", cli.url.clone()));
    let python_dir = cli
        .python
        .as_ref()
        .and_then(|p| p.parent())
        .map(|d| format!("{}:", d.display()))
        .unwrap_or_default();
    env.push(("PATH", format!("{python_dir}/usr/bin:/bin")));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let state = cli.state().display().to_string();
    let script = script(cli.dir.path(), name, &env, &["--state", &state]);
    Tmux::start(name, &script).await
}

/// `A`, the combined confirmation, `y`.
async fn apply_all(tmux: &Tmux) {
    tmux.wait_for("A offered", |s| s.contains("A  apply all"))
        .await;
    // Pressed while checks may still run: the confirmation opens once they finish.
    tmux.press("A").await;
    tmux.wait_for("the combined confirmation", |s| {
        s.contains("Apply all pending:") && s.contains("y / Enter: apply all")
    })
    .await;
    tmux.press("y").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_then_y_alone_take_an_empty_account_to_the_merge_and_then_to_nine() {
    require_tmux();
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    common::git_init(cli.dir.path());
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let tmux = start_tui("apply-all", &cli).await;
    tmux.wait_for("the empty account", |s| header_says(s, "0/9 done"))
        .await;

    apply_all(&tmux).await;
    tmux.wait_for("the progress in the sidebar", |s| s.contains(" Applying "))
        .await;
    let waiting = tmux
        .wait_for(
            "8/9: everything but the run, which waits for the merge",
            |s| header_says(s, "8/9 done") && s.contains("waiting for you"),
        )
        .await;
    assert!(waiting.contains("Pipeline run"), "{waiting}");
    assert!(
        sb.github_variables("octo-org", "widgets").len() >= 5,
        "the variables were set"
    );

    common::merge_pull(&sb, "octo-org", "widgets", 1).await;
    tmux.press("R").await;
    apply_all(&tmux).await;
    tmux.wait_for("9/9: the verification run published", |s| {
        header_says(s, "9/9 done") && !s.contains(" Applying ")
    })
    .await;
    tmux.quit().await;
    tmux.assert_restored().await;
    assert!(
        sb.calls().contains_key("AssumeRoleWithWebIdentity"),
        "the run assumed the role"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fault_midway_stops_there_and_the_next_a_resumes() {
    require_tmux();
    let sb = common::start_sandbox_with_faults("empty", &["CreateRole=AccessDenied#1"]).await;
    let cli = Cli::new(&sb);
    common::git_init(cli.dir.path());
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let tmux = start_tui("apply-all-fault", &cli).await;

    apply_all(&tmux).await;
    let stopped = tmux
        .wait_for("the stop at the role", |s| {
            s.contains("apply all FAILED at IAM role and policy") && !s.contains(" Applying ")
        })
        .await;
    // The failing item is selected.
    assert!(
        stopped
            .lines()
            .nth(1)
            .is_some_and(|l| l.contains("IAM role and policy")),
        "{stopped}"
    );
    // The state file is whole and records what was created before the fault.
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cli.state()).expect("state file"))
            .expect("the state file is JSON");
    let created: Vec<(String, String)> = state["created"]
        .as_array()
        .expect("created resources")
        .iter()
        .map(|c| (c["kind"].to_string(), c["id"].to_string()))
        .collect();
    let has = |kind: &str, id: &str| {
        created
            .iter()
            .any(|(k, i)| k == &format!("\"{kind}\"") && i == &format!("\"{id}\""))
    };
    assert!(has("domain", "octo-org"), "{created:?}");
    assert!(has("repository", "octo-org/widgets"), "{created:?}");
    assert!(
        !created.iter().any(|(k, _)| k.contains("role")),
        "{created:?}"
    );

    // The next A lists only what is left, and goes on from the role.
    tmux.press("A").await;
    let confirm = tmux
        .wait_for("the combined confirmation", |s| {
            s.contains("Apply all pending:")
        })
        .await;
    assert!(
        !confirm.contains("Create the CodeArtifact domain"),
        "{confirm}"
    );
    tmux.press("y").await;
    tmux.wait_for("8/9 after resuming", |s| header_says(s, "8/9 done"))
        .await;
    tmux.quit().await;
    tmux.assert_restored().await;
}

/// What `x` sets: the job's apply stops before its next step, with that step not started, and
/// says before which item.
#[tokio::test(flavor = "multi_thread")]
async fn a_stop_ends_the_apply_before_its_next_step() {
    let (sb, mut ctx) =
        ui_fixture::connected("empty", &[], Setup::for_github("octo-org", "widgets"), None).await;
    let steps = AtomicUsize::new(0);
    let mut progress = |event: Progress<'_>| {
        if let Progress::StepDone(..) = event {
            steps.fetch_add(1, Ordering::SeqCst);
        }
    };
    // Stop once the first step (the domain) is done.
    let stop = || steps.load(Ordering::SeqCst) >= 1;
    let items = [ItemId::Domain, ItemId::Repository];
    let result = checklist::apply_until(&mut ctx, &items, &mut progress, &stop).await;
    assert!(
        matches!(
            result,
            Err(ApplyError::Cancelled {
                item: ItemId::Repository
            })
        ),
        "{result:?}"
    );
    let calls = sb.calls();
    assert!(calls.contains_key("CreateDomain"), "{calls:?}");
    assert!(!calls.contains_key("CreateRepository"), "{calls:?}");
}
