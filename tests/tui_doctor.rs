//! The Doctor screen in a real terminal: the built binary runs `cawiz --sandbox --scenario guide`
//! in a detached tmux session, in a git working tree. `d` opens the doctor, which runs in the
//! background and finds the guide's missing upstream on the "Package not found" symptom; `f` on
//! that cause asks to apply the PyPI upstream item (its plan, as `a` shows it), `y` applies it,
//! and the doctor runs again by itself until the cause turns ✓. Esc goes back to the checklist,
//! where the item is done; `q` quits and the terminal is restored. Waits poll the screen.

mod common;

use common::tmux::{Tmux, require_tmux, script};

/// The sidebar line of an item (its glyph and title).
fn sidebar_has(screen: &str, glyph: &str, title: &str) -> bool {
    screen
        .lines()
        .any(|l| l.trim_start().starts_with(&format!("{glyph} {title}")))
}

/// The selected cause's pane: its light and id on its top border.
fn cause_pane(screen: &str, glyph: &str, id: &str) -> bool {
    screen.contains(&format!(" {glyph} {id} ─"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_doctor_finds_the_missing_upstream_and_fixes_it() {
    require_tmux();
    let dir = tempfile::tempdir().expect("temp dir");
    common::git_init(dir.path());
    let state = dir.path().join("state.json");
    let state_arg = state.display().to_string();
    let script = script(
        dir.path(),
        "doctor",
        &[("PATH", "/usr/bin:/bin")],
        &["--sandbox", "--scenario", "guide", "--state", &state_arg],
    );
    let tmux = Tmux::start("doctor", &script).await;

    tmux.wait_for("the guide's statuses", |s| {
        sidebar_has(s, "✓", "CodeArtifact domain") && sidebar_has(s, "✗", "PyPI upstream")
    })
    .await;
    assert!(
        tmux.screen().await.contains("d  doctor"),
        "the checklist's hints name the doctor"
    );

    tmux.press("d").await;
    let screen = tmux
        .wait_for("the diagnosis", |s| {
            s.contains(" Doctor ") && s.contains("3 Package not found (")
        })
        .await;
    assert!(screen.contains("1 OIDC authentication failed"), "{screen}");
    assert!(screen.contains("f  fix"), "the doctor's hints: {screen}");

    // The not-found symptom: the missing upstream ranks first and is selected.
    tmux.press("3").await;
    let screen = tmux
        .wait_for("upstream-missing failing, selected", |s| {
            cause_pane(s, "✗", "upstream-missing")
        })
        .await;
    assert!(
        screen.contains("f applies PyPI upstream (asks first)"),
        "{screen}"
    );
    assert!(
        screen.contains("The upstream repository does not exist"),
        "{screen}"
    );

    tmux.press("f").await;
    tmux.wait_for("the upstream's confirmation", |s| {
        s.contains("PyPI upstream: apply these changes?") && s.contains("y / Enter")
    })
    .await;
    tmux.press("y").await;

    // Applied, then the doctor ran again by itself: the cause is ok now, still selected.
    let screen = tmux
        .wait_for("upstream-missing ok after the automatic re-run", |s| {
            s.contains("PyPI upstream: applied") && cause_pane(s, "✓", "upstream-missing")
        })
        .await;
    assert!(screen.contains("nothing to fix"), "{screen}");

    tmux.press("Escape").await;
    tmux.wait_for("the checklist, the upstream done", |s| {
        s.lines()
            .nth(1)
            .is_some_and(|l| l.contains("CodeArtifact domain"))
            && sidebar_has(s, "✓", "PyPI upstream")
    })
    .await;
    tmux.quit().await;

    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).expect("state file")).expect("JSON");
    assert_eq!(doc["items"]["upstream"]["status"], "done", "{doc}");
}
