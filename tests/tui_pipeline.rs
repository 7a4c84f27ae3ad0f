//! The Pipeline screen in a real terminal, during a run: the sandbox runs in this test's process
//! (it plays GitHub Actions), the publish workflow is already on its default branch, and the
//! built binary runs in tmux pointed at it through the environment, as a user pastes `cawiz
//! sandbox`'s export lines. `a`, `y` on the Pipeline run item starts a verification run; the
//! screen shows it live — jobs, steps, a spinner — until it succeeds and the item turns done.

mod common;

use common::cli::{Cli, assert_ok};
use common::tmux::{Tmux, require_tmux, script};

fn sidebar_has(screen: &str, glyph: &str, title: &str) -> bool {
    screen
        .lines()
        .any(|l| l.trim_start().starts_with(&format!("{glyph} {title}")))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pipeline_screen_shows_a_verification_run_live() {
    require_tmux();
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    common::git_init(cli.dir.path());
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let out = cli
        .run(&["workflow", "write", "--yes", "--commit", "default"])
        .await;
    assert_ok(&out);

    let home = cli.dir.path().join("home");
    let mut env = common::cawiz_env(&home, &cli.github);
    env.push(("AWS_ENDPOINT_URL", cli.url.clone()));
    env.push(("PATH", "/usr/bin:/bin".to_owned()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let state = cli.state().display().to_string();
    let script = script(cli.dir.path(), "pipeline", &env, &["--state", &state]);
    let tmux = Tmux::start("pipeline", &script).await;

    tmux.wait_for("the checklist checked", |s| {
        sidebar_has(s, "✓", "Publish workflow")
            && ["✗", "?"].iter().any(|g| sidebar_has(s, g, "Pipeline run"))
    })
    .await;
    for _ in 0..8 {
        tmux.press("j").await;
    }
    tmux.wait_for("the Pipeline screen", |s| {
        s.lines().nth(1).is_some_and(|l| l.contains("Pipeline run"))
            && s.contains("Start a verification run")
    })
    .await;
    tmux.press("a").await;
    tmux.wait_for("the confirmation", |s| {
        s.contains("apply these changes?") && s.contains("verification run")
    })
    .await;
    tmux.press("y").await;

    // Live: the run being watched, a job with its steps.
    let live = tmux
        .wait_for("the run in progress, watched", |s| {
            s.contains("), watching: in progress") && s.contains("Build distribution")
        })
        .await;
    assert!(live.contains("Run #"), "{live}");
    let done = tmux
        .wait_for("the run succeeded and the item done", |s| {
            sidebar_has(s, "✓", "Pipeline run") && s.contains("): success")
        })
        .await;
    assert!(done.contains("Build distribution"), "{done}");
    // The publish job and its steps, further down (below the build job's).
    tmux.press("PageDown").await;
    tmux.press("PageDown").await;
    tmux.wait_for("the publish job's steps", |s| {
        s.lines()
            .any(|l| l.contains("✓") && l.contains("Upload to CodeArtifact"))
    })
    .await;

    tmux.quit().await;
    tmux.assert_restored().await;
    assert!(
        sb.calls().contains_key("AssumeRoleWithWebIdentity"),
        "the run assumed the role"
    );
}
