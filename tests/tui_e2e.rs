//! The TUI in a real terminal: the built binary runs `cawiz --sandbox --scenario guide` in a
//! detached tmux session; the test walks the checklist with the keyboard as a person would
//! (select, `a`, `y`), waits until all seven items are done, quits, and checks that the terminal is
//! restored and the state file records the run. Waits poll the screen with a generous deadline.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(120);

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(script: &Path) -> Self {
        let tmux = Self {
            socket: format!("cawiz-tui-{}", std::process::id()),
        };
        tmux.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "30",
            &script.display().to_string(),
        ]);
        tmux
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        assert!(out.status.success(), "tmux {args:?}: {:?}", out);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p"])
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys"];
        args.extend(keys);
        self.run(&args);
    }

    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// The sidebar line of an item (its glyph and title).
fn sidebar_has(screen: &str, glyph: &str, title: &str) -> bool {
    screen
        .lines()
        .any(|l| l.trim_start().starts_with(&format!("{glyph} {title}")))
}

const ITEMS: [&str; 7] = [
    "CodeArtifact domain",
    "Repository",
    "PyPI upstream",
    "GitHub OIDC provider",
    "IAM role and policy",
    "GitHub variables",
    "Local test",
];

#[test]
fn walk_the_checklist_to_done_then_quit() {
    let Some(python) = common::python_tool("python") else {
        return;
    };
    if Command::new("tmux").arg("-V").output().is_err() {
        panic!("tmux is not installed (the end-to-end tests need it)");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state.json");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let venv_bin = python.parent().expect("venv bin").display().to_string();
    let script = dir.path().join("run.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncd '{}'\nenv -i PATH='{venv_bin}:/usr/bin:/bin' HOME='{}' TERM=xterm-256color '{}' --sandbox --scenario guide --state '{}'\necho EXIT=$?\nsleep 600\n",
            dir.path().display(),
            home.display(),
            env!("CARGO_BIN_EXE_cawiz"),
            state.display()
        ),
    )
    .expect("script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let tmux = Tmux::start(&script);

    // First frame, then every check's answer: the guide's state.
    tmux.wait_for("the guide's statuses", |s| {
        sidebar_has(s, "✓", "CodeArtifact domain")
            && sidebar_has(s, "✗", "PyPI upstream")
            && sidebar_has(s, "~", "IAM role and policy")
    });
    let screen = tmux.screen();
    assert!(screen.contains("SANDBOX"), "{screen}");
    assert!(screen.contains("apply/fix"), "key hints: {screen}");

    // Walk down the list, fixing what is not done.
    for (index, title) in ITEMS.iter().enumerate() {
        if index > 0 {
            tmux.keys(&["j"]);
        }
        tmux.wait_for(&format!("{title} selected"), |s| {
            s.lines().nth(1).is_some_and(|l| l.contains(title))
        });
        let screen = tmux.wait_for(&format!("{title} checked"), |s| {
            ["✓", "✗", "~", "…", "!", "?"]
                .iter()
                .any(|g| sidebar_has(s, g, title))
        });
        if sidebar_has(&screen, "✓", title) {
            continue;
        }
        tmux.keys(&["a"]);
        tmux.wait_for(&format!("the confirmation for {title}"), |s| {
            s.contains("apply these changes?") && s.contains("y / Enter")
        });
        tmux.keys(&["y"]);
        tmux.wait_for(&format!("{title} applied and done"), |s| {
            s.contains(&format!("{title}: applied")) && sidebar_has(s, "✓", title)
        });
    }
    // Applying re-checks everything; wait until every check has answered.
    tmux.wait_for("all seven done", |s| {
        s.contains("Checklist 7/7") && ITEMS.iter().all(|title| sidebar_has(s, "✓", title))
    });

    // Help, then quit: the terminal comes back (no alternate screen, cursor shown).
    tmux.keys(&["?"]);
    tmux.wait_for("help", |s| s.contains("re-check all"));
    tmux.keys(&["Escape"]);
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
    assert_eq!(tmux.run(&["display", "-p", "#{alternate_on}"]).trim(), "0");
    assert_eq!(tmux.run(&["display", "-p", "#{cursor_flag}"]).trim(), "1");

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
    ] {
        assert_eq!(doc["items"][item]["status"], "done", "{item}: {doc}");
    }
}
