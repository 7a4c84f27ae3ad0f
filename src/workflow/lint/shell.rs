//! A `run:` script read as bash reads it, far enough for the lint: statements (a newline, `;`,
//! `&&`, `||` end one; `\` at a line's end and open quotes or `$(` carry it on), pipelines,
//! where each command's output goes (the log, a pipe, a file), here-document bodies, and what a
//! word expands (`$VAR`, `${VAR}`, `$(…)`, backticks — nothing inside single quotes — and the
//! `${{ … }}` expressions GitHub replaces before the shell starts). Not an interpreter: no
//! control flow, every branch counts.

use super::words::{Expansion, expansions};

/// Where a command's standard output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Into the job's log (also `>&2`).
    Log,
    /// Into the next command of the pipeline.
    Pipe,
    /// Into a file (`>`/`>>`/`&>`), the raw target word.
    File(String),
}

/// One simple command: its words (quotes kept), where its output goes, its line in the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub words: Vec<String>,
    pub output: Output,
    /// 0-based line of the script the command starts on.
    pub line: usize,
    /// The here-document it reads, when its delimiter is not quoted (the body is expanded).
    pub heredoc: Option<String>,
}

impl Command {
    /// The words after leading keywords (`then`, `do`, `!`, …) and the `NAME=value` prefixes of
    /// a program (all of them when the command only assigns).
    pub fn program_words(&self) -> &[String] {
        let rest = self.after_keywords();
        let prefixes = rest.iter().take_while(|w| assignment(w).is_some()).count();
        if prefixes == rest.len() {
            rest
        } else {
            rest.get(prefixes..).unwrap_or_default()
        }
    }

    fn after_keywords(&self) -> &[String] {
        let skip = self.words.iter().take_while(|w| is_keyword(w)).count();
        self.words.get(skip..).unwrap_or_default()
    }

    /// A command that only assigns shell variables (`TOKEN=$(…)`, `A=1 B=2`).
    pub fn only_assigns(&self) -> bool {
        let rest = self.after_keywords();
        !rest.is_empty() && rest.iter().all(|w| assignment(w).is_some())
    }

    /// The program's name without its directory (`./gradlew` → `gradlew`).
    pub fn program(&self) -> Option<&str> {
        let first = self.program_words().first()?;
        Some(first.rsplit('/').next().unwrap_or(first))
    }

    /// What the command's words (and here-document body) expand.
    pub fn expansions(&self) -> Vec<Expansion> {
        let mut out: Vec<Expansion> = self.words.iter().flat_map(|w| expansions(w)).collect();
        if let Some(body) = &self.heredoc {
            out.extend(expansions(&format!("\"{}\"", body.replace('"', "'"))));
        }
        out
    }
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "then" | "do" | "else" | "elif" | "if" | "while" | "until" | "!" | "{" | "(" | "time"
    )
}

/// `NAME=value` → (`NAME`, `value`).
pub fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    let ok = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    ok.then_some((name, value))
}

/// A token of the script: a word (quotes kept) or an operator.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String, usize),
    /// `;`, `&&`, `||`, `&` or a newline: the end of a command list entry.
    End,
    Pipe,
    /// `>`, `>>`, `&>`, `1>`: stdout into the next word; `2>`: stderr (ignored).
    Redirect {
        stdout: bool,
    },
    /// `>&2`, `1>&2`: stdout into stderr, which the log shows too.
    ToStderr,
    /// `<<` / `<<-` followed by the delimiter word.
    Heredoc,
}

/// The scanner's position in nested quoting.
#[derive(Default)]
struct Nesting {
    single: bool,
    double: bool,
    /// Open `$(` and `${{`/`${` groups.
    parens: Vec<char>,
    backtick: bool,
}

impl Nesting {
    fn open(&self) -> bool {
        self.single || self.double || self.backtick || !self.parens.is_empty()
    }
}

/// The script's tokens, each word with its 0-based line.
fn tokens(script: &str) -> (Vec<Token>, Vec<(usize, String)>) {
    let chars: Vec<char> = script.chars().collect();
    let mut out = Vec::new();
    let mut heredoc_words: Vec<(usize, String)> = Vec::new();
    let mut word = String::new();
    let mut word_line = 0;
    let mut line = 0;
    let mut n = Nesting::default();
    let mut i = 0;
    let flush = |word: &mut String, out: &mut Vec<Token>, at: usize| {
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(word), at));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if word.is_empty() {
            word_line = line;
        }
        if c == '\n' {
            line += 1;
        }
        if n.single {
            n.single = c != '\'';
            word.push(c);
            i += 1;
            continue;
        }
        if c == '\\' && next.is_some() {
            if next == Some('\n') {
                line += 1;
                i += 2;
                continue;
            }
            word.push(c);
            word.extend(next);
            i += 2;
            continue;
        }
        let top = !n.open();
        match c {
            '\'' if !n.double => n.single = true,
            '"' => n.double = !n.double,
            '`' => n.backtick = !n.backtick,
            '$' if next == Some('(') || next == Some('{') => {
                n.parens.push(if next == Some('(') { ')' } else { '}' });
                word.push(c);
                word.extend(next);
                i += 2;
                continue;
            }
            '(' if !n.double && !n.parens.is_empty() => n.parens.push(')'),
            '{' if !n.double && n.parens.last() == Some(&'}') => n.parens.push('}'),
            ')' | '}' if n.parens.last() == Some(&c) => {
                n.parens.pop();
            }
            '#' if top && word.is_empty() => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            ' ' | '\t' if top => {
                flush(&mut word, &mut out, word_line);
                i += 1;
                continue;
            }
            '\n' | ';' if top => {
                flush(&mut word, &mut out, word_line);
                out.push(Token::End);
                i += 1;
                continue;
            }
            '&' | '|' if top => {
                flush(&mut word, &mut out, word_line);
                let double = next == Some(c);
                out.push(match (c, double) {
                    ('|', false) => Token::Pipe,
                    ('&', false) if next == Some('>') => {
                        i += 1;
                        Token::Redirect { stdout: true }
                    }
                    _ => Token::End,
                });
                i += if double { 2 } else { 1 };
                continue;
            }
            '>' | '<' if top => {
                let fd = word.clone();
                let stdout = c == '>' && (fd.is_empty() || fd == "1");
                if fd.chars().all(|d| d.is_ascii_digit()) {
                    word.clear();
                } else {
                    flush(&mut word, &mut out, word_line);
                }
                let mut j = i + 1;
                if chars.get(j) == Some(&'>') {
                    j += 1;
                }
                if c == '<' && chars.get(j) == Some(&'<') {
                    j += 1;
                    if chars.get(j) == Some(&'-') {
                        j += 1;
                    }
                    out.push(Token::Heredoc);
                } else if chars.get(j) == Some(&'&') {
                    let target: String = chars[j + 1..]
                        .iter()
                        .take_while(|d| d.is_ascii_digit())
                        .collect();
                    j += 1 + target.len();
                    if stdout && target == "2" {
                        out.push(Token::ToStderr);
                    }
                } else if c == '>' {
                    out.push(Token::Redirect { stdout });
                }
                i = j;
                continue;
            }
            _ => {}
        }
        word.push(c);
        i += 1;
    }
    flush(&mut word, &mut out, word_line);
    // Here-document delimiters, in order, with the line their body starts after.
    let mut pending = false;
    for t in &out {
        match t {
            Token::Heredoc => pending = true,
            Token::Word(w, at) if pending => {
                heredoc_words.push((*at, w.clone()));
                pending = false;
            }
            _ => {}
        }
    }
    (out, heredoc_words)
}

/// The here-document bodies: for each delimiter, the lines after its line up to the delimiter,
/// with whether it expands (`<<EOF`, not `<<'EOF'`); and the lines bodies occupy.
fn heredocs(script: &str, delimiters: &[(usize, String)]) -> (Vec<Option<String>>, Vec<usize>) {
    let lines: Vec<&str> = script.lines().collect();
    let mut bodies = Vec::new();
    let mut taken = Vec::new();
    let mut from = 0;
    for (at, raw) in delimiters {
        let quoted = raw.contains(['\'', '"']);
        let delimiter = raw.trim_matches(['\'', '"']);
        let start = (*at + 1).max(from);
        let end = (start..lines.len())
            .find(|i| lines[*i].trim() == delimiter)
            .unwrap_or(lines.len());
        taken.extend(start..end.min(lines.len()).saturating_add(1).min(lines.len()));
        let body = lines.get(start..end).unwrap_or_default().join("\n");
        bodies.push((!quoted).then_some(body));
        from = end + 1;
    }
    (bodies, taken)
}

/// The script's commands in order.
pub fn commands(script: &str) -> Vec<Command> {
    let (_, delimiters) = tokens(script);
    let (bodies, body_lines) = heredocs(script, &delimiters);
    // Here-document bodies are data, not commands: blank them before reading the commands.
    let text: String = script
        .lines()
        .enumerate()
        .map(|(i, l)| if body_lines.contains(&i) { "" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    let (tokens, _) = tokens(&text);
    let mut bodies = bodies.into_iter();
    let mut out: Vec<Command> = Vec::new();
    let mut current = Command {
        words: Vec::new(),
        output: Output::Log,
        line: 0,
        heredoc: None,
    };
    let mut redirect: Option<bool> = None;
    let mut heredoc = false;
    let finish = |c: &mut Command, out: &mut Vec<Command>, output: Output| {
        if !c.words.is_empty() {
            let mut done = std::mem::replace(
                c,
                Command {
                    words: Vec::new(),
                    output: Output::Log,
                    line: 0,
                    heredoc: None,
                },
            );
            if done.output == Output::Log {
                done.output = output;
            }
            out.push(done);
        }
    };
    for token in tokens {
        match token {
            Token::Word(w, at) => {
                if heredoc {
                    heredoc = false;
                    current.heredoc = bodies.next().flatten();
                } else if let Some(stdout) = redirect.take() {
                    if stdout {
                        current.output = Output::File(w);
                    }
                } else {
                    if current.words.is_empty() {
                        current.line = at;
                    }
                    current.words.push(w);
                }
            }
            Token::Redirect { stdout } => redirect = Some(stdout),
            Token::ToStderr => current.output = Output::Log,
            Token::Heredoc => heredoc = true,
            Token::Pipe => finish(&mut current, &mut out, Output::Pipe),
            Token::End => finish(&mut current, &mut out, Output::Log),
        }
    }
    finish(&mut current, &mut out, Output::Log);
    out
}

#[cfg(test)]
mod tests;
