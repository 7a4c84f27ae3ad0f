//! Child processes: an [`Invocation`] (program, arguments, extra environment) shown shell-quoted and
//! masked, run as [`crate::child`] starts every child (absolute program, a directory of its own,
//! a cleared environment, stdin closed), stdout/stderr streamed line by line, masked, through a
//! callback.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt as _, AsyncRead, BufReader};

use super::{Line, LocalTestError, Secret, mask};
use crate::child::{self, Profile};
use crate::shell::shell_quote;

/// How long one child process may run (pip's own network timeouts and retries come first).
pub(super) const CHILD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// The longest error line kept from a child's output, in characters.
const ERROR_LINE_MAX: usize = 300;

/// A command to run. `env` is set in the child (it may hold the token) and shown, masked.
#[derive(Debug, Clone)]
pub(super) struct Invocation {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub env: Vec<(&'static str, String)>,
}

impl Invocation {
    pub fn new(program: impl Into<PathBuf>) -> Self {
        Self {
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.env.push((key, value.into()));
        self
    }

    /// The command line as a shell would take it, with the token masked.
    pub fn display(&self, token: &Secret) -> String {
        // Masked before quoting, so that `****` ends up quoted too.
        let word = |w: &str| shell_quote(&mask(w, token));
        let mut words: Vec<String> = self
            .env
            .iter()
            .map(|(k, v)| format!("{k}={}", word(v)))
            .collect();
        words.push(word(&self.program.to_string_lossy()));
        words.extend(self.args.iter().map(|a| word(&a.to_string_lossy())));
        mask(&words.join(" "), token)
    }
}

/// Which environment the child gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Isolation {
    /// No `PIP_*`/`TWINE_*` variables of the user's (but pip's proxy and CA ones), no pip
    /// configuration file, no keyring, no prompts: only what the invocation sets can reach pip
    /// and twine.
    Isolated,
    /// The user's `PIP_*` variables and pip configuration (the doctor's view of pip, the user's
    /// configuration file), no prompts.
    UserConfig,
    /// npm: no `npm_config_*` variable of the user's (the invocation names a temporary user
    /// configuration, cache and home), Node's certificate authorities and the proxies.
    Node,
}

impl Isolation {
    fn profile(self) -> Profile {
        match self {
            Isolation::Isolated => Profile::Python,
            Isolation::UserConfig => Profile::PythonAsUser,
            Isolation::Node => Profile::Node,
        }
    }
}

/// What a finished child did; every line already masked.
#[derive(Debug, Clone, Default)]
pub(super) struct Outcome {
    pub success: bool,
    /// e.g. `exit status: 1`.
    pub status: String,
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
    pub timed_out: bool,
}

impl Outcome {
    /// One line saying why the command failed: its last error line, preceded by the line naming
    /// an HTTP 401/403 when that came earlier (pip ends with "No matching distribution" even when
    /// the cause was the credentials).
    pub fn failure_detail(&self) -> String {
        if self.timed_out {
            return format!("timed out after {} min", CHILD_TIMEOUT.as_secs() / 60);
        }
        let last = error_line(&self.stderr)
            .or_else(|| error_line(&self.stdout))
            .or_else(|| last_line(&self.stderr))
            .or_else(|| last_line(&self.stdout))
            .unwrap_or_else(|| format!("failed ({}) without output", self.status));
        let auth = self
            .stderr
            .iter()
            .chain(&self.stdout)
            .map(|l| strip_level(l.trim()))
            .find(|l| is_auth_failure(l) && !last.contains(*l));
        let detail = match auth {
            Some(auth) if !is_auth_failure(&last) => format!("{auth}; {last}"),
            _ => last,
        };
        one_line(&detail, ERROR_LINE_MAX)
    }

    /// The first non-empty stdout line.
    pub fn first_stdout(&self) -> Option<&str> {
        self.stdout.iter().map(|l| l.trim()).find(|l| !l.is_empty())
    }
}

fn last_line(lines: &[String]) -> Option<String> {
    lines
        .iter()
        .rev()
        .map(|l| strip_level(l.trim()))
        .find(|l| !l.is_empty())
        .map(str::to_owned)
}

/// The last line starting with `ERROR` (pip: `ERROR: …`; twine: `ERROR   HTTPError: …`) and the
/// indented lines that continue it (twine prints the response body there), without the prefix.
fn error_line(lines: &[String]) -> Option<String> {
    let start = lines.iter().rposition(|l| l.starts_with("ERROR"))?;
    let mut text = strip_level(lines[start].trim()).to_owned();
    let continuation = lines[start + 1..]
        .iter()
        .take_while(|l| l.starts_with(' ') && !l.trim().is_empty())
        .take(3);
    for (i, line) in continuation.enumerate() {
        text.push_str(if i == 0 { ": " } else { " " });
        text.push_str(line.trim());
    }
    Some(text)
}

/// Without a leading `ERROR:`/`ERROR   ` (pip's and twine's level prefixes).
fn strip_level(line: &str) -> &str {
    for prefix in ["ERROR:", "ERROR ", "WARNING:", "WARNING "] {
        if let Some(rest) = line.strip_prefix(prefix) {
            return rest.trim_start();
        }
    }
    line
}

fn is_auth_failure(line: &str) -> bool {
    [
        "401",
        "403",
        "Unauthorized",
        "Forbidden",
        "Credentials not correct",
    ]
    .iter()
    .any(|needle| line.contains(needle))
}

/// `text` on one line of at most `max` characters.
pub(super) fn one_line(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Runs `invocation`, streaming its output (masked) through `on_line`.
pub(super) async fn run_streamed(
    invocation: &Invocation,
    token: &Secret,
    isolation: Isolation,
    on_line: &mut (dyn FnMut(Line) + Send),
) -> Result<Outcome, LocalTestError> {
    let shown = || invocation.display(token);
    let program = child::resolve(&invocation.program).ok_or_else(|| {
        LocalTestError::io(
            format!("run `{}`", shown()),
            std::io::Error::new(std::io::ErrorKind::NotFound, "not an executable file"),
        )
    })?;
    // Lives until the child has ended (the end of this function).
    let scratch = child::scratch_dir().map_err(|e| {
        LocalTestError::io(format!("create a directory to run `{}` in", shown()), e)
    })?;
    let mut command = tokio::process::Command::new(program);
    child::prepare(command.as_std_mut(), isolation.profile(), scratch.path());
    command
        .args(&invocation.args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    apply_isolation(&mut command, isolation);
    command.envs(invocation.env.iter().map(|(k, v)| (*k, v.as_str())));

    let mut child = command
        .spawn()
        .map_err(|e| LocalTestError::io(format!("run `{}`", shown()), e))?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(LocalTestError::io(
            format!("read the output of `{}`", shown()),
            std::io::Error::other("no pipe"),
        ));
    };

    let mut outcome = Outcome::default();
    let deadline = tokio::time::sleep(CHILD_TIMEOUT);
    tokio::pin!(deadline);
    let mut out = Stream::new(stdout);
    let mut err = Stream::new(stderr);
    while !(out.done && err.done) {
        tokio::select! {
            line = out.next(), if !out.done => if let Some(line) = line {
                let line = mask(&line, token);
                on_line(Line::Stdout(line.clone()));
                outcome.stdout.push(line);
            },
            line = err.next(), if !err.done => if let Some(line) = line {
                let line = mask(&line, token);
                on_line(Line::Stderr(line.clone()));
                outcome.stderr.push(line);
            },
            () = &mut deadline => {
                outcome.timed_out = true;
                break;
            }
        }
    }

    let status = if outcome.timed_out {
        // The child may already have exited; a failed kill is then expected.
        let _ = child.start_kill();
        child.wait().await
    } else {
        match tokio::time::timeout_at(deadline.deadline(), child.wait()).await {
            Ok(status) => status,
            Err(_) => {
                outcome.timed_out = true;
                let _ = child.start_kill();
                child.wait().await
            }
        }
    }
    .map_err(|e| LocalTestError::io(format!("wait for `{}`", shown()), e))?;
    outcome.success = status.success() && !outcome.timed_out;
    outcome.status = status.to_string();
    Ok(outcome)
}

/// Runs `invocation` without streaming (its lines are still collected, masked, in the outcome).
pub(super) async fn run_quiet(
    invocation: &Invocation,
    token: &Secret,
    isolation: Isolation,
) -> Result<Outcome, LocalTestError> {
    run_streamed(invocation, token, isolation, &mut |_| {}).await
}

/// What cawiz sets on top of the inherited environment ([`Isolation::profile`]).
fn apply_isolation(command: &mut tokio::process::Command, isolation: Isolation) {
    if isolation == Isolation::Isolated {
        command
            .env("PIP_CONFIG_FILE", child::NULL_DEVICE)
            .env("PIP_KEYRING_PROVIDER", "disabled")
            .env("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring");
    }
    // No prompts; plain output for line-by-line reading: no colours, wide lines, UTF-8 (the
    // `PYTHON*` ones count for a twine script; `python -I` ignores them and gets `-u` instead).
    command
        .env("PIP_NO_INPUT", "1")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("PYTHONIOENCODING", "utf-8")
        .env("PYTHONUNBUFFERED", "1")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200");
}

/// Lines of one pipe, decoded leniently (invalid UTF-8 becomes U+FFFD).
struct Stream<R> {
    reader: BufReader<R>,
    buf: Vec<u8>,
    done: bool,
}

impl<R: AsyncRead + Unpin> Stream<R> {
    fn new(reader: R) -> Self {
        Self {
            reader: BufReader::new(reader),
            buf: Vec::new(),
            done: false,
        }
    }

    /// The next line, or `None` at the end (then `done` is set). Safe to cancel: a partly read
    /// line stays in `buf` and the next call completes it.
    async fn next(&mut self) -> Option<String> {
        match self.reader.read_until(b'\n', &mut self.buf).await {
            Ok(0) | Err(_) => {
                self.done = true;
                if self.buf.is_empty() {
                    return None;
                }
            }
            Ok(_) => {}
        }
        let line = strip_ansi(&String::from_utf8_lossy(&self.buf));
        self.buf.clear();
        // A progress bar redraws with `\r`: keep what the line finally showed.
        let line = line
            .rsplit('\r')
            .find(|s| !s.trim().is_empty())
            .unwrap_or_default()
            .trim_end()
            .to_owned();
        Some(line)
    }
}

/// `text` without terminal escape sequences (colours, and hyperlinks that rich emits even when
/// the output is not a terminal).
pub(super) fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            // CSI: parameters and intermediates, then one final byte in `@`..=`~`.
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC: up to BEL or ST (`ESC \\`).
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' {
                        chars.next_if_eq(&'\\');
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}
