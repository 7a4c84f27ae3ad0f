//! A `run:` script's meaning, read the way a publish workflow writes them — not a shell. Lines are
//! joined at `\`, comments and blank lines skipped; `if`/`for`/`while`/`case` blocks are skipped
//! whole; a here-doc's body written with `cat > PATH <<…` is kept as the file PATH (`pip install -r
//! PATH` reads it), other here-docs are skipped; `NAME=value` and `export NAME=value` set variables (`$(…)` runs the
//! command and keeps what it printed); commands are split with shlex and their `$VARS` expanded.
//! The commands that matter run for real: `aws …` (as the role session), `twine check|upload`,
//! `python -m build`, `pip install`, `echo` (and the `::add-mask::`/`::error::` workflow
//! commands), `exit N`. Any other command succeeds silently. The first failing command stops the
//! script (`bash -e`), and the step fails with "Process completed with exit code N.".

use std::sync::LazyLock;

use regex::Regex;

use super::build::{self, PROBE_MARK};
use super::sh::{Exit, Sh};
use super::{aws_cli, pip, upload};

static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$"#).expect("a valid pattern")
});
static SUBSTITUTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^"?\$\((.*)\)"?$"#).expect("a valid pattern"));
static HEREDOC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"<<-?\s*['"]?([A-Za-z_]+)['"]?"#).expect("a valid pattern"));

static OUTDIR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"--outdir\s+("[^"]+"|\S+)"#).expect("a valid pattern"));
static CAT_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^cat\s+(>>?)\s*("[^"]+"|'[^']+'|\S+)\s+<<"#).expect("a valid pattern")
});

const OPENERS: &[&str] = &["if", "for", "while", "until", "case"];
const CLOSERS: &[&str] = &["fi", "done", "esac"];

/// A logical line, with the body of the here-document it opens.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Statement {
    line: String,
    heredoc: Option<String>,
}

/// The script's logical lines: continuations joined, comments, blanks and blocks dropped, each
/// here-document's body kept with the line that opens it.
fn statements(script: &str) -> Vec<Statement> {
    let mut joined = Vec::new();
    let mut current = String::new();
    for line in script.lines() {
        let trimmed = line.trim();
        if let Some(head) = trimmed.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
            continue;
        }
        current.push_str(trimmed);
        joined.push(std::mem::take(&mut current));
    }
    if !current.is_empty() {
        joined.push(current);
    }
    let mut out: Vec<Statement> = Vec::new();
    let mut depth = 0usize;
    let mut heredoc: Option<(String, Option<usize>)> = None;
    for line in joined {
        if let Some((end, at)) = &heredoc {
            if line.trim() == end {
                heredoc = None;
            } else if let Some(body) = at.and_then(|i| out.get_mut(i)?.heredoc.as_mut()) {
                body.push_str(&line);
                body.push('\n');
            }
            continue;
        }
        let first = line.split_whitespace().next().unwrap_or_default();
        if OPENERS.contains(&first) {
            depth += 1;
        }
        let closes = CLOSERS.contains(&first.trim_end_matches(';'));
        let kept = depth == 0 && !line.is_empty() && !line.starts_with('#');
        if let Some(c) = HEREDOC.captures(&line) {
            let end = c.get(1).map_or_else(String::new, |m| m.as_str().to_owned());
            heredoc = Some((end, kept.then_some(out.len())));
        }
        if kept {
            let body = heredoc.as_ref().map(|_| String::new());
            out.push(Statement {
                line: line.clone(),
                heredoc: body,
            });
        }
        if closes {
            depth = depth.saturating_sub(1);
        }
    }
    out
}

/// Runs a script; the step's output and whether it succeeded (the exit code when not).
pub fn run(sh: &mut Sh<'_, '_>, script: &str) -> Result<(), i32> {
    // The mark may come through the step's environment (`PROBE_NAME: widgets-cawiz-probe`).
    let expanded = sh.expand(script);
    if expanded.contains(PROBE_MARK) {
        let outdir = OUTDIR
            .captures(&expanded)
            .map_or_else(|| "dist".to_owned(), |c| c[1].trim_matches('"').to_owned());
        return build::build_probe(sh, &outdir).map(|_| ());
    }
    for statement in statements(script) {
        if let Some(body) = &statement.heredoc {
            write_heredoc(sh, &statement.line, body);
        }
        for part in statement.line.split(" && ") {
            execute(sh, part.trim())?;
        }
    }
    Ok(())
}

/// `cat > PATH <<'EOF'` (or `>>`) keeps the body as the file PATH.
fn write_heredoc(sh: &mut Sh<'_, '_>, line: &str, body: &str) {
    let Some(c) = CAT_TO.captures(line) else {
        return;
    };
    let path = sh.expand(c[2].trim_matches(['"', '\'']));
    let file = sh.scratch.files.entry(path).or_default();
    if &c[1] == ">" {
        file.clear();
    }
    file.push_str(body);
}

fn execute(sh: &mut Sh<'_, '_>, line: &str) -> Result<(), i32> {
    if let Some(c) = ASSIGNMENT.captures(line) {
        let name = c[1].to_owned();
        let raw = c[2].trim();
        let value = match SUBSTITUTION.captures(raw) {
            Some(inner) => command(sh, &inner[1], true)?.trim_end().to_owned(),
            None => shlex::split(raw)
                .map(|words| sh.expand(&words.join(" ")))
                .unwrap_or_else(|| sh.expand(raw)),
        };
        sh.vars.insert(name, value);
        return Ok(());
    }
    if let Some(written) = file_command(sh, line) {
        return written;
    }
    let printed = command(sh, line, false)?;
    if !printed.is_empty() {
        sh.say_all(printed.lines().map(str::to_owned));
    }
    Ok(())
}

/// Runs one command line; what it printed to stdout. `captured`: inside `$(…)`.
fn command(sh: &mut Sh<'_, '_>, line: &str, captured: bool) -> Exit {
    let Some(words) = shlex::split(line) else {
        return Ok(String::new());
    };
    let words: Vec<String> = words.iter().map(|w| sh.expand(w)).collect();
    let words = module_form(&words);
    let (program, args) = match words.split_first() {
        Some((p, a)) => (p.rsplit('/').next().unwrap_or(p).to_owned(), a.to_vec()),
        None => return Ok(String::new()),
    };
    match program.as_str() {
        "aws" => aws_cli::aws(sh, &args),
        "twine" => upload::twine(sh, &args),
        "build" => build::build_project(sh, &args),
        "pip" | "pip3" => pip::pip(sh, &args),
        "echo" => Ok(echo(sh, &args, captured)),
        "exit" => match args.first().and_then(|c| c.parse::<i32>().ok()) {
            Some(0) | None => Ok(String::new()),
            Some(code) => Err(code),
        },
        "false" => Err(1),
        _ => Ok(String::new()),
    }
}

/// `echo …` whose output goes to a file (`>`, `>>`) or through `| tee [-a] FILE`: nothing reaches
/// the log but what `tee` copies; `NAME=value` lines written to `$GITHUB_ENV` join the environment
/// of the job's later steps, whose headers print it (masked only if `::add-mask::` came first).
fn file_command(sh: &mut Sh<'_, '_>, line: &str) -> Option<Result<(), i32>> {
    let words = shlex::split(line)?;
    let (left, right) = match words.iter().position(|w| w == "|") {
        Some(i) => (&words[..i], words.get(i + 1..)),
        None => (&words[..], None),
    };
    if left.first().map(String::as_str) != Some("echo") {
        return None;
    }
    let mut args = Vec::new();
    let mut files = Vec::new();
    let mut iter = left.iter().skip(1);
    while let Some(w) = iter.next() {
        match w.trim_start_matches(['>']) {
            rest if rest.len() < w.len() && !rest.is_empty() => files.push(rest.to_owned()),
            _ if w.starts_with('>') => files.extend(iter.next().cloned()),
            _ => args.push(sh.expand(w)),
        }
    }
    let tee = right.filter(|r| r.first().map(String::as_str) == Some("tee"));
    if let Some(tee) = tee {
        files.extend(tee.iter().skip(1).filter(|w| !w.starts_with('-')).cloned());
    } else if files.is_empty() {
        return None;
    }
    let text = echo(sh, &args, true);
    let env_file = sh.vars.get("GITHUB_ENV").cloned().unwrap_or_default();
    let files: Vec<String> = files.iter().map(|f| sh.expand(f)).collect();
    for file in files {
        if file == env_file {
            for l in text.lines() {
                if let Some((name, value)) = l.split_once('=') {
                    sh.scratch.export(name.trim(), value);
                }
            }
        }
    }
    if tee.is_some() {
        sh.say_all(text.lines().map(str::to_owned));
    }
    Some(Ok(()))
}

/// `python -m twine …` → `twine …` (and `python3`, `python3.12`).
fn module_form(words: &[String]) -> Vec<String> {
    match words {
        [python, m, module, rest @ ..] if python.starts_with("python") && m == "-m" => {
            let mut out = vec![module.clone()];
            out.extend(rest.iter().cloned());
            out
        }
        _ => words.to_vec(),
    }
}

/// `echo`: the text, or a workflow command (`::add-mask::`, `::error::`, `::warning::`, …).
fn echo(sh: &mut Sh<'_, '_>, args: &[String], captured: bool) -> String {
    let words: Vec<&String> = args
        .iter()
        .filter(|a| !matches!(a.as_str(), "-n" | "-e"))
        .collect();
    let text = words
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    if captured {
        return text;
    }
    if let Some(secret) = text.strip_prefix("::add-mask::") {
        sh.scratch.masks.push(secret.to_owned());
        return String::new();
    }
    for (command, marker) in [
        ("error", "error"),
        ("warning", "warning"),
        ("notice", "notice"),
        ("group", "group"),
        ("endgroup", "endgroup"),
    ] {
        if let Some(rest) = text.strip_prefix(&format!("::{command}")) {
            let message = rest.split_once("::").map_or("", |(_, m)| m);
            return format!("##[{marker}]{message}");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_join_continuations_and_skip_blocks() {
        let script = "set -euo pipefail\nTOKEN=\"$(aws codeartifact get-authorization-token \\\n  --domain \"$D\" \\\n  --query authorizationToken --output text)\"\nif [ -d tests ]; then\n  echo in\nfi\ncat > f <<EOF\nname = x\nEOF\necho done";
        let lines: Vec<String> = statements(script).into_iter().map(|s| s.line).collect();
        assert_eq!(
            lines,
            vec![
                "set -euo pipefail".to_owned(),
                "TOKEN=\"$(aws codeartifact get-authorization-token  --domain \"$D\"  --query authorizationToken --output text)\"".to_owned(),
                "cat > f <<EOF".to_owned(),
                "echo done".to_owned(),
            ]
        );
        assert_eq!(
            statements(script)[2].heredoc.as_deref(),
            Some("name = x\n"),
            "the here-document's body stays with its line"
        );
    }

    #[test]
    fn module_form_is_the_tool() {
        let words: Vec<String> = ["python3", "-m", "twine", "upload", "dist/*"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(
            module_form(&words)[..2],
            ["twine".to_owned(), "upload".to_owned()]
        );
    }
}
