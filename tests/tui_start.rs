//! The TUI's start-up and robustness in a real terminal (tmux): the welcome screen without
//! credentials and its sandbox, the first run's setup form, and panics — in a background check
//! and in the UI itself — leaving the terminal usable.

mod common;

use common::tmux::{Tmux, require_tmux, script};

#[tokio::test(flavor = "multi_thread")]
async fn without_credentials_the_welcome_screen_starts_the_sandbox() {
    require_tmux();
    let dir = tempfile::tempdir().expect("temp dir");
    let run = script(
        dir.path(),
        "welcome",
        &[("AWS_EC2_METADATA_DISABLED", "true")],
        &[],
    );
    let tmux = Tmux::start("welcome", &run).await;
    let screen = tmux
        .wait_for("the welcome screen", |s| {
            s.contains("Welcome to cawiz") && s.contains("start the built-in sandbox")
        })
        .await;
    assert!(screen.contains("no AWS credentials"), "{screen}");
    assert!(screen.contains("aws sso login"), "{screen}");
    tmux.press("s").await;
    tmux.wait_for("the sandbox's checklist", |s| {
        s.contains("SANDBOX")
            && s.contains("octo-org/widgets")
            && s.contains("Checklist 0/9")
            && s.contains("✗ CodeArtifact domain")
    })
    .await;
    tmux.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_run_asks_the_inputs_in_a_form_validated_at_each_field() {
    require_tmux();
    let sandbox = common::start_sandbox("empty").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state.json");
    let github = sandbox.github_url();
    let vars = common::cawiz_env(&dir.path().join("home"), &github);
    let env: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = script(
        dir.path(),
        "form",
        &env,
        &[
            "--endpoint-url",
            sandbox.url(),
            "--region",
            "us-east-1",
            "--state",
            &state.display().to_string(),
        ],
    );
    let tmux = Tmux::start("form", &run).await;
    tmux.wait_for("the setup form", |s| {
        s.contains("New setup") && s.contains("GitHub repository (OWNER/REPO)")
    })
    .await;
    assert!(!state.exists(), "nothing is saved before the form is");
    tmux.type_text("acme/gadgets").await;
    tmux.wait_for("the domain following the repository", |s| {
        s.lines().any(|l| l.trim() == "acme") && s.lines().any(|l| l.trim() == "gadgets")
    })
    .await;
    // To the domain field: a bad name gets AWS's rule under it, and saving is refused.
    tmux.press("Tab").await;
    tmux.press("Tab").await;
    tmux.press("C-u").await;
    tmux.type_text("Bad_Domain").await;
    tmux.wait_for("the rule under the field", |s| {
        s.contains("✗ a CodeArtifact domain name is 2–50 characters")
    })
    .await;
    tmux.press("C-s").await;
    tmux.wait_for("still the form", |s| s.contains("New setup"))
        .await;
    // Editing in the middle, as the terminal sends the keys: Alt-Backspace deletes the word,
    // Home goes to the start, typing inserts before the rest.
    tmux.press("M-BSpace").await;
    tmux.type_text("pkgs").await;
    tmux.wait_for("the word replaced", |s| {
        s.lines().any(|l| l.trim() == "pkgs")
    })
    .await;
    tmux.press("Home").await;
    tmux.type_text("acme-").await;
    let screen = tmux
        .wait_for("the message gone", |s| {
            !s.contains("✗ a CodeArtifact domain") && s.lines().any(|l| l.trim() == "acme-pkgs")
        })
        .await;
    // The terminal's cursor after the inserted text (polled: it moves right after the frame).
    let row = screen.lines().position(|l| l.trim() == "acme-pkgs");
    let want = (
        4 + 5,
        row.and_then(|r| u16::try_from(r).ok()).unwrap_or(u16::MAX),
    );
    let start = std::time::Instant::now();
    while tmux.cursor().await != want && start.elapsed() < common::tmux::DEADLINE {
        tokio::time::sleep(common::tmux::POLL).await;
    }
    assert_eq!(tmux.cursor().await, want, "the cursor: {screen}");
    tmux.press("C-s").await;
    tmux.wait_for("the checklist for the new setup", |s| {
        s.contains("acme/gadgets")
            && s.contains("account 123456789012")
            && s.contains("✗ CodeArtifact domain")
            && s.contains("no domain acme-pkgs")
    })
    .await;
    tmux.quit().await;

    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).expect("state file")).expect("JSON");
    assert_eq!(doc["setup"]["domain"], "acme-pkgs", "{doc}");
    assert_eq!(doc["setup"]["github_owner"], "acme");
    assert_eq!(doc["setup"]["repository"], "gadgets");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&state)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_panic_in_a_background_check_is_an_error_status_and_the_ui_goes_on() {
    require_tmux();
    let dir = tempfile::tempdir().expect("temp dir");
    let run = script(
        dir.path(),
        "check-panic",
        &[("CAWIZ_TEST_PANIC", "check:domain")],
        &["--sandbox", "--scenario", "guide"],
    );
    let tmux = Tmux::start("check-panic", &run).await;
    let screen = tmux
        .wait_for("the crash as the domain's status", |s| {
            s.contains("! CodeArtifact domain") && s.contains("✓ GitHub OIDC provider")
        })
        .await;
    assert!(screen.contains("crashed"), "{screen}");
    assert!(screen.contains("fix: re-check"), "{screen}");
    // Still drawing and reading keys.
    tmux.press("j").await;
    tmux.wait_for("the next item", |s| {
        s.lines().nth(1).is_some_and(|l| l.contains("Repository"))
    })
    .await;
    tmux.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_panic_in_the_ui_restores_the_terminal() {
    require_tmux();
    let dir = tempfile::tempdir().expect("temp dir");
    let run = script(
        dir.path(),
        "ui-panic",
        &[("CAWIZ_TEST_PANIC", "ui")],
        &["--sandbox", "--scenario", "guide", "--mouse"],
    );
    let tmux = Tmux::start("ui-panic", &run).await;
    let (code, screen) = tmux.exit_code().await;
    assert_ne!(code, 0, "{screen}");
    assert!(
        screen.contains("panicked"),
        "the panic is reported: {screen}"
    );
    tmux.assert_restored().await;
}
