//! The Workflow screen in a real terminal: the built binary runs `cawiz --sandbox --scenario
//! complete` in tmux, in a git working tree holding a broken publish workflow. The screen shows
//! the drift, the findings as rows and the offending lines marked; `a` asks first, naming the file
//! it replaces; `y` writes the generated workflow and opens a pull request in the sandbox; the
//! item turns done.

mod common;

use common::tmux::{Tmux, require_tmux, script};

const BROKEN: &str = "name: Publish
on:
  release:
    types: [published]
permissions: {}
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
        with:
          role-to-assume: ${{ vars.AWS_ROLE_ARN }}
          aws-region: eu-west-1
      - env:
          TWINE_REPOSITORY_URL: https://octo-org-123456789012.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/
        run: twine upload --skip-existing dist/*
";

/// A marked line of the file: its number, `✗`, and the offending text.
fn marked(screen: &str) -> bool {
    screen
        .lines()
        .any(|l| l.contains("✗") && l.contains("aws-region: eu-west-1"))
}

fn sidebar_has(screen: &str, glyph: &str, title: &str) -> bool {
    screen
        .lines()
        .any(|l| l.trim_start().starts_with(&format!("{glyph} {title}")))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_workflow_screen_shows_the_findings_and_fixes_the_file() {
    require_tmux();
    let dir = tempfile::tempdir().expect("temp dir");
    common::git_init(dir.path());
    let file = dir.path().join(".github/workflows/publish.yml");
    std::fs::create_dir_all(file.parent().expect("dir")).expect("mkdir");
    std::fs::write(&file, BROKEN).expect("write");
    let state = dir.path().join("state.json").display().to_string();
    let script = script(
        dir.path(),
        "run",
        &[("PATH", "/usr/bin:/bin")],
        &["--sandbox", "--scenario", "complete", "--state", &state],
    );
    let tmux = Tmux::start("workflow", &script).await;
    tmux.wait_for("the checklist checked", |s| {
        sidebar_has(s, "✓", "CodeArtifact domain") && sidebar_has(s, "~", "Publish workflow")
    })
    .await;
    for _ in 0..7 {
        tmux.press("j").await;
    }
    let screen = tmux
        .wait_for("the Workflow screen", |s| {
            s.lines()
                .nth(1)
                .is_some_and(|l| l.contains("Publish workflow"))
                && s.contains("Findings in .github/workflows/publish.yml")
        })
        .await;
    assert!(screen.contains("drift"), "{screen}");
    assert!(
        screen.contains("✗ id-token-missing"),
        "a row per finding: {screen}"
    );

    // Further down: the file with its offending lines marked, then the diff. Page down until the
    // marked line is in view (each page waits for the screen to move).
    let mut seen = String::new();
    let mut previous = screen;
    for _ in 0..12 {
        if seen.contains("(offending lines marked)") && marked(&seen) {
            break;
        }
        tmux.press("PageDown").await;
        let before = previous.clone();
        previous = tmux.wait_for("the screen to scroll", |s| s != before).await;
        seen.push_str(&previous);
    }
    assert!(seen.contains("region-mismatch"), "{seen}");
    assert!(marked(&seen), "the offending line is marked: {seen}");

    tmux.press("a").await;
    let screen = tmux
        .wait_for("the confirmation", |s| {
            s.contains("apply these changes?") && s.contains("y / Enter")
        })
        .await;
    assert!(
        screen.contains("Replace .github/workflows/publish.yml"),
        "{screen}"
    );
    assert!(screen.contains("pull request"), "{screen}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("file"),
        BROKEN,
        "nothing written before the yes"
    );
    tmux.press("y").await;
    let screen = tmux
        .wait_for("the workflow applied and done", |s| {
            s.contains("Publish workflow: applied") && sidebar_has(s, "✓", "Publish workflow")
        })
        .await;
    assert!(
        screen.contains("pull request #1"),
        "the log names the pull request: {screen}"
    );
    let written = std::fs::read_to_string(&file).expect("file");
    assert!(written.contains("id-token: write"), "{written}");
    assert!(!written.contains("--skip-existing"));
    tmux.quit().await;
}
