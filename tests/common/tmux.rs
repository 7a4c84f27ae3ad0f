//! A tmux server of its own per test, for end-to-end tests in a real terminal. Every call runs
//! on a blocking thread and every wait polls with `tokio::time::sleep`, so a sandbox served by the
//! test's runtime keeps answering; waits have a generous deadline and no timing assertion.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const DEADLINE: Duration = Duration::from_secs(60);
pub const POLL: Duration = Duration::from_millis(100);

/// A tmux server of its own (`tmux -L SOCKET`) with one 100×30 session running a script; the
/// server, and whatever still runs in it, is killed on drop.
pub struct Tmux {
    socket: String,
    /// The server's socket file, removed on drop (tmux leaves it behind).
    socket_path: Option<PathBuf>,
}

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

impl Tmux {
    pub async fn start(name: &str, script: &Path) -> Self {
        let socket = format!(
            "cawiz-tmux-{}-{name}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::SeqCst)
        );
        let mut tmux = Self {
            socket,
            socket_path: None,
        };
        let script = script.display().to_string();
        tmux.run(vec![
            "-f".into(),
            "/dev/null".into(),
            "new-session".into(),
            "-d".into(),
            "-x".into(),
            "100".into(),
            "-y".into(),
            "30".into(),
            script,
        ])
        .await;
        let path = tmux
            .run(vec![
                "display-message".into(),
                "-p".into(),
                "#{socket_path}".into(),
            ])
            .await;
        tmux.socket_path = Some(PathBuf::from(path.trim()));
        tmux
    }

    pub fn command(&self, args: &[String]) -> Command {
        let mut command = Command::new("tmux");
        command
            .arg("-u")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .stdin(std::process::Stdio::null());
        command
    }

    /// One tmux command, on a blocking thread; its stdout.
    pub async fn run(&self, args: Vec<String>) -> String {
        let mut command = self.command(&args);
        let out = tokio::task::spawn_blocking(move || command.output())
            .await
            .expect("tmux thread")
            .expect("tmux runs (is tmux installed?)");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen, wrapped lines joined, trailing blank lines dropped.
    pub async fn screen(&self) -> String {
        let text = self
            .run(vec!["capture-pane".into(), "-p".into(), "-J".into()])
            .await;
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        let end = lines
            .iter()
            .rposition(|l| !l.is_empty())
            .map_or(0, |i| i + 1);
        lines[..end].join("\n")
    }

    /// Types text as literal keys (one write to the terminal, Enter included when it ends
    /// with '\r').
    pub async fn type_text(&self, text: &str) {
        self.run(vec!["send-keys".into(), "-l".into(), text.into()])
            .await;
    }

    pub async fn press(&self, key: &str) {
        self.run(vec!["send-keys".into(), key.into()]).await;
    }

    /// Polls the screen until `ready` holds; panics with the screen after the deadline.
    pub async fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen().await;
            if ready(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; the screen:\n{screen}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Whether the program in the pane is reading keys: its terminal is in non-canonical (raw)
    /// mode, as dialoguer sets it for each key it reads. Keys typed before then would be echoed
    /// by the terminal itself, which no user types fast enough to see.
    pub async fn reading_keys(&self) -> bool {
        let tty = self
            .run(vec![
                "display-message".into(),
                "-p".into(),
                "#{pane_tty}".into(),
            ])
            .await;
        let tty = tty.trim().to_owned();
        let out = tokio::task::spawn_blocking(move || {
            // GNU stty names the device with -F, BSD stty with -f.
            ["-F", "-f"].iter().find_map(|flag| {
                Command::new("stty")
                    .args([flag, tty.as_str(), "-a"])
                    .stdin(std::process::Stdio::null())
                    .output()
                    .ok()
                    .filter(|o| o.status.success())
            })
        })
        .await
        .expect("stty thread")
        .expect("stty reads the pane's terminal settings");
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .any(|flag| flag == "-icanon")
    }

    /// Polls until `ready` holds for the screen and the program waits for a key.
    pub async fn wait_for_keys(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.wait_for(what, &ready).await;
            if self.reading_keys().await {
                return screen;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what} to read keys; the screen:\n{screen}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits for `EXIT=N` (printed by the script after cawiz exits) and returns N and the screen.
    pub async fn exit_code(&self) -> (i32, String) {
        let screen = self
            .wait_for("cawiz to exit", |s| exit_line(s).is_some())
            .await;
        let code = exit_line(&screen)
            .and_then(|l| l.parse().ok())
            .unwrap_or_else(|| panic!("EXIT=N is a number:\n{screen}"));
        (code, screen)
    }

    /// Presses `q`, expects exit code 0, and checks the terminal is restored.
    pub async fn quit(&self) {
        self.press("q").await;
        let (code, screen) = self.exit_code().await;
        assert_eq!(code, 0, "{screen}");
        self.assert_restored().await;
    }

    /// After cawiz exits: the normal screen is back, the cursor shows, and the shell's terminal
    /// reads lines again (not raw mode).
    pub async fn assert_restored(&self) {
        assert!(
            !self.alternate_screen().await,
            "still on the alternate screen"
        );
        assert!(self.cursor_visible().await, "the cursor is hidden");
        assert!(
            !self.reading_keys().await,
            "the terminal is left in raw mode"
        );
    }

    /// Whether the pane shows the alternate screen (a full-screen program is still drawing).
    pub async fn alternate_screen(&self) -> bool {
        self.run(vec![
            "display-message".into(),
            "-p".into(),
            "#{alternate_on}".into(),
        ])
        .await
        .trim()
            == "1"
    }

    /// Where the terminal's cursor is: column and row, from 0 (tmux's `cursor_x`, `cursor_y`).
    pub async fn cursor(&self) -> (u16, u16) {
        let at = self
            .run(vec![
                "display-message".into(),
                "-p".into(),
                "#{cursor_x} #{cursor_y}".into(),
            ])
            .await;
        let mut parts = at.split_whitespace().map(|n| n.parse().unwrap_or(u16::MAX));
        (
            parts.next().unwrap_or(u16::MAX),
            parts.next().unwrap_or(u16::MAX),
        )
    }

    /// Whether the terminal's cursor is visible (tmux's `cursor_flag`).
    pub async fn cursor_visible(&self) -> bool {
        self.run(vec![
            "display-message".into(),
            "-p".into(),
            "#{cursor_flag}".into(),
        ])
        .await
        .trim()
            == "1"
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self
            .command(&["kill-server".to_owned()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Panics with a clear message when tmux is missing (the end-to-end tests need it).
pub fn require_tmux() {
    if Command::new("tmux").arg("-V").output().is_err() {
        panic!("tmux is not installed (the end-to-end tests need it)");
    }
}

/// Writes `dir/NAME.sh`: runs the built cawiz with `args` in `dir`, in a clean environment (PATH,
/// HOME, TERM and `env` only), prints `EXIT=N`, then stays open so the screen can be read.
pub fn script(dir: &Path, name: &str, env: &[(&str, &str)], args: &[&str]) -> PathBuf {
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let home = dir.join("home");
    std::fs::create_dir_all(&home).expect("home");
    let vars: Vec<String> = env
        .iter()
        .map(|(k, v)| format!("{k}={}", quote(v)))
        .collect();
    let path = std::env::var("PATH").unwrap_or_default();
    let body = format!(
        "#!/bin/sh\ncd {}\nenv -i PATH={} HOME={} TERM=xterm-256color {} {} {}\necho EXIT=$?\nsleep 600\n",
        quote(&dir.display().to_string()),
        quote(&path),
        quote(&home.display().to_string()),
        vars.join(" "),
        quote(env!("CARGO_BIN_EXE_cawiz")),
        args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" "),
    );
    let file = dir.join(format!("{name}.sh"));
    std::fs::write(&file, body).expect("script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    file
}

pub fn exit_line(screen: &str) -> Option<&str> {
    screen
        .lines()
        .find_map(|l| l.split("EXIT=").nth(1))
        .map(str::trim)
}
