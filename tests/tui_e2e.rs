//! The TUI in a real terminal: the built binary runs `cawiz --sandbox --scenario guide` in a
//! detached tmux session; the test walks the checklist with the keyboard as a person would
//! (select, `a`, `y`), waits until the first eight items are done — the ninth, the pipeline run,
//! then waits for cawiz's pull request to be merged, which an in-process sandbox leaves to no one
//! (`tui_pipeline.rs` runs a pipeline) —, quits, and checks that the terminal is restored and the
//! state file records the run. It runs in a git working tree, where the workflow item writes
//! `.github/workflows/publish.yml`. Waits poll the screen with a generous deadline.

mod common;

use common::tmux::{Tmux, require_tmux, script};

/// The sidebar line of an item (its glyph and title).
fn sidebar_has(screen: &str, glyph: &str, title: &str) -> bool {
    screen
        .lines()
        .any(|l| l.trim_start().starts_with(&format!("{glyph} {title}")))
}

/// Every item, in the sidebar's order.
const ALL: [&str; 9] = [
    "CodeArtifact domain",
    "Repository",
    "PyPI upstream",
    "GitHub OIDC provider",
    "IAM role and policy",
    "GitHub variables",
    "Local test",
    "Publish workflow",
    "Pipeline run",
];

/// The items the walk fixes: all but the pipeline run, which waits for the merge.
const ITEMS: &[&str] = ALL.split_at(8).0;

/// Whether the item screen (its title on the second line) shows `title`.
fn selected_is(screen: &str, title: &str) -> bool {
    screen.lines().nth(1).is_some_and(|l| l.contains(title))
}

/// Moves the selection to `title` with `j`/`k`, from wherever it is.
async fn select(tmux: &Tmux, title: &str) {
    let target = ALL.iter().position(|t| *t == title).expect("an item");
    let screen = tmux.screen().await;
    let now = ALL
        .iter()
        .position(|t| selected_is(&screen, t))
        .expect("an item is selected");
    let key = if now < target { "j" } else { "k" };
    for _ in 0..now.abs_diff(target) {
        tmux.press(key).await;
    }
    tmux.wait_for(&format!("{title} selected"), |s| selected_is(s, title))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn walk_the_checklist_to_done_then_quit() {
    let Some(python) = common::python_tool("python") else {
        return;
    };
    require_tmux();
    let dir = tempfile::tempdir().expect("temp dir");
    common::git_init(dir.path());
    let state = dir.path().join("state.json");
    let venv_bin = python.parent().expect("venv bin").display().to_string();
    let path = format!("{venv_bin}:/usr/bin:/bin");
    let state_arg = state.display().to_string();
    let script = script(
        dir.path(),
        "run",
        &[("PATH", path.as_str())],
        &["--sandbox", "--scenario", "guide", "--state", &state_arg],
    );
    let tmux = Tmux::start("tui", &script).await;

    // First frame, then every check's answer: the guide's state.
    tmux.wait_for("the guide's statuses", |s| {
        sidebar_has(s, "✓", "CodeArtifact domain")
            && sidebar_has(s, "✗", "PyPI upstream")
            && sidebar_has(s, "~", "IAM role and policy")
    })
    .await;
    let screen = tmux.screen().await;
    assert!(screen.contains("SANDBOX"), "{screen}");
    assert!(screen.contains("apply/fix"), "key hints: {screen}");

    // Walk down the list, fixing what is not done. After a successful `a` the selection moves to
    // the next item that is not done by itself; `select` goes to the item from wherever it is.
    for &title in ITEMS {
        select(&tmux, title).await;
        let screen = tmux
            .wait_for(&format!("{title} checked"), |s| {
                ["✓", "✗", "~", "…", "!", "?"]
                    .iter()
                    .any(|g| sidebar_has(s, g, title))
            })
            .await;
        if sidebar_has(&screen, "✓", title) {
            continue;
        }
        tmux.press("a").await;
        tmux.wait_for(&format!("the confirmation for {title}"), |s| {
            s.contains("apply these changes?") && s.contains("y / Enter")
        })
        .await;
        tmux.press("y").await;
        let after = tmux
            .wait_for(&format!("{title} applied and done"), |s| {
                s.contains(&format!("{title}: applied")) && sidebar_has(s, "✓", title)
            })
            .await;
        // The local test stays (its output is what you read); the others move on.
        assert_eq!(
            selected_is(&after, title),
            title == "Local test",
            "where the selection is after {title}:\n{after}"
        );
    }
    // The workflow was written into the working tree.
    let written = std::fs::read_to_string(dir.path().join(".github/workflows/publish.yml"))
        .expect("the workflow is written");
    assert!(written.contains("role-to-assume: ${{ vars.AWS_ROLE_ARN }}"));
    // The local test's screen streamed pip's output into its pane (the token masked).
    select(&tmux, "Local test").await;
    let screen = tmux
        .wait_for("the local test's output", |s| {
            s.contains("Output of the last run")
        })
        .await;
    assert!(
        screen.contains("six"),
        "pip's output names the package: {screen}"
    );
    // Applying re-checks everything; wait until every check has answered.
    tmux.wait_for("eight done", |s| {
        s.contains("Checklist 8/9") && ITEMS.iter().all(|title| sidebar_has(s, "✓", title))
    })
    .await;
    // The pipeline run waits for the pull request: its screen says so, with the step.
    for title in ["Publish workflow", "Pipeline run"] {
        select(&tmux, title).await;
    }
    let screen = tmux
        .wait_for("the pipeline run waiting for the merge", |s| {
            sidebar_has(s, "✗", "Pipeline run") && s.contains("is not on main")
        })
        .await;
    assert!(screen.contains("gh pr merge"), "{screen}");
    for title in ["Publish workflow", "Local test"] {
        select(&tmux, title).await;
    }

    // Help, then quit: the terminal comes back (no alternate screen, cursor shown).
    tmux.press("?").await;
    tmux.wait_for("help", |s| s.contains("re-check all")).await;
    tmux.press("Escape").await;
    tmux.quit().await;

    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).expect("state file")).expect("JSON");
    assert_eq!(
        doc["selected_item"], "local_test",
        "resumes on the last item"
    );
    assert_eq!(doc["local_test"]["passed"], true);
    assert!(
        doc["created"].as_array().is_some_and(|c| c.len() >= 5),
        "{doc}"
    );
    for item in [
        "domain",
        "repository",
        "upstream",
        "oidc_provider",
        "role",
        "variables",
        "local_test",
        "workflow",
    ] {
        assert_eq!(doc["items"][item]["status"], "done", "{item}: {doc}");
    }
    drop(tmux);

    // Started again (on a fresh in-process sandbox): the same item and the same inputs.
    let again = Tmux::start("tui-again", &script).await;
    again
        .wait_for("the checklist resumed on the local test", |s| {
            s.lines().nth(1).is_some_and(|l| l.contains("Local test"))
                && s.contains("acme-geo/earth-polychromatic-api · account 123456789012")
        })
        .await;
    again.quit().await;
}
