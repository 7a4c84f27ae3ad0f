//! The Pipeline screen follows the scope the role trusts, in a real terminal (tmux) against the
//! sandbox: for `tags` the plan creates a throw-away tag, runs on it and deletes it, and the item
//! turns done only once the probe is in the repository; for a `branch:` scope whose branch does
//! not exist the screen says so, with the step to create it, and nothing is reported working.

mod common;

use cawiz_sandbox::SandboxHandle;
use common::cli::{Cli, assert_ok};
use common::tmux::{Tmux, require_tmux, script};

fn sidebar_has(screen: &str, glyph: &str, title: &str) -> bool {
    screen
        .lines()
        .any(|l| l.trim_start().starts_with(&format!("{glyph} {title}")))
}

/// The scenario set up for `scope` with its workflow on main, and the TUI on the Pipeline screen.
async fn pipeline_screen(sb: &SandboxHandle, cli: &Cli, scope: &str, name: &str) -> Tmux {
    common::git_init(cli.dir.path());
    cli.init_with(&["--scope", scope]).await;
    // The complete scenario's role trusts every run (`repo:octo-org/widgets:*`): narrower scopes
    // narrow it first (the role's plan), so the role is done for the scope.
    let out = cli.run(&["apply", "--yes", "--only", "role"]).await;
    assert_ok(&out);
    let out = cli
        .run(&["workflow", "write", "--yes", "--commit", "default"])
        .await;
    assert_ok(&out);
    let home = cli.dir.path().join("home");
    let mut env = common::cawiz_env(&home, &sb.github_url());
    env.push(("AWS_ENDPOINT_URL", sb.url().to_owned()));
    env.push(("PATH", "/usr/bin:/bin".to_owned()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let state = cli.state().display().to_string();
    let script = script(cli.dir.path(), name, &env, &["--state", &state]);
    let tmux = Tmux::start(name, &script).await;
    tmux.wait_for("the checklist checked", |s| {
        sidebar_has(s, "✓", "Publish workflow")
            && ["✗", "?"].iter().any(|g| sidebar_has(s, g, "Pipeline run"))
    })
    .await;
    for _ in 0..8 {
        tmux.press("j").await;
    }
    tmux
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tags_scope_is_verified_on_a_tag_from_the_pipeline_screen() {
    require_tmux();
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    let tmux = pipeline_screen(&sb, &cli, "tags", "pipeline-tags").await;
    tmux.wait_for("the plan creates a tag", |s| {
        s.lines().nth(1).is_some_and(|l| l.contains("Pipeline run"))
            && s.contains("Create the tag cawiz-verify-")
    })
    .await;
    tmux.press("a").await;
    tmux.wait_for("the confirmation", |s| s.contains("apply these changes?"))
        .await;
    tmux.press("y").await;
    tmux.wait_for("the run on the tag published and the item done", |s| {
        sidebar_has(s, "✓", "Pipeline run") && s.contains("): success")
    })
    .await;
    tmux.quit().await;
    tmux.assert_restored().await;
    let runs = sb.workflow_runs("octo-org", "widgets");
    assert!(
        runs.iter().any(|r| r.event == "workflow_dispatch"
            && r.git_ref.starts_with("refs/tags/cawiz-verify-")
            && r.conclusion.as_deref() == Some("success")),
        "{runs:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_branch_that_does_not_exist_is_shown_with_the_step_to_create_it() {
    require_tmux();
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    let tmux = pipeline_screen(&sb, &cli, "branch:release", "pipeline-branch").await;
    let screen = tmux
        .wait_for("the missing branch and its step", |s| {
            s.lines().nth(1).is_some_and(|l| l.contains("Pipeline run"))
                && s.contains("does not exist")
                && s.contains("Create the branch release")
        })
        .await;
    assert!(sidebar_has(&screen, "✗", "Pipeline run"), "{screen}");
    assert!(!screen.contains("success"), "{screen}");
    tmux.quit().await;
    tmux.assert_restored().await;
}
