//! A step's script read for the token: what each command does with it (assigns, masks,
//! writes to `$GITHUB_ENV`/`$GITHUB_OUTPUT`, prints, pipes on), in order.

use std::collections::{BTreeMap, BTreeSet};

use super::super::super::model::{Job, Step};
use super::super::shell::{Command, Output, assignment};
use super::super::taint::{Taint, carried, reads_login_file, yields_token};
use super::super::words::{self, Expansion, expansions, unquote};
use super::super::{LintFinding, LintId};
use super::{FIX, JobOutputs};

/// What goes down a pipe: the text (for a `tee` into `$GITHUB_ENV`) and the token it carries.
#[derive(Debug, Clone, Default)]
pub(super) struct Piped {
    text: String,
    origin: Option<usize>,
}

mod writes;

const LOGIN_FIX: &str = "do not print what `aws codeartifact login` configured (~/.pypirc, pip.conf, \
    ~/.npmrc, NuGet.Config, ~/.netrc, `pip config list`): it holds the token";

/// What a step's script is doing while it is read.
pub(super) struct Run<'a> {
    pub job: &'a Job,
    pub step: &'a Step,
    pub taint: &'a mut Taint,
    pub job_outputs: &'a JobOutputs,
    pub vars: BTreeMap<String, usize>,
    pub exported: BTreeSet<String>,
    pub xtrace: Option<usize>,
    /// The tokens `set -x` already showed (one finding each).
    pub traced: BTreeSet<usize>,
    pub out: &'a mut Vec<LintFinding>,
}

impl Run<'_> {
    fn leak(&mut self, line: usize, origin: usize, what: String) {
        self.leak_fixed(line, origin, what, FIX);
    }

    /// A finding (one per line) unless the token was masked before this line.
    fn leak_fixed(&mut self, line: usize, origin: usize, what: String, fix: &str) {
        if self.taint.is_masked(origin) || self.out.iter().any(|f| f.line == line) {
            return;
        }
        let message = format!(
            "job {} {what} ({} was not masked)",
            self.job.id,
            self.taint.what(origin)
        );
        self.out.push(LintFinding::error(
            LintId::TokenExposed,
            line,
            message,
            fix.to_owned(),
        ));
    }

    /// The token a command's words carry (a substitution that fetches one makes a new one).
    fn carried_by(&mut self, words: &[String], line: usize) -> Option<usize> {
        let exps: Vec<_> = words.iter().flat_map(|w| expansions(w)).collect();
        self.carried_in(&exps, line)
    }

    fn carried_in(&mut self, exps: &[Expansion], line: usize) -> Option<usize> {
        let mut fresh: BTreeMap<String, usize> = BTreeMap::new();
        for e in exps {
            if let Expansion::Subst(inner) = e {
                if yields_token(inner) {
                    let o = self
                        .taint
                        .new_origin(format!("the token fetched on line {line}"));
                    fresh.insert(inner.clone(), o);
                } else if let Some((o, _)) = &self.taint.login {
                    let words: Vec<String> = inner.split_whitespace().map(str::to_owned).collect();
                    if reads_login_file(&words) {
                        fresh.insert(inner.clone(), *o);
                    }
                }
            }
        }
        let lookup = |inner: &str| fresh.get(inner).copied();
        carried(exps, &self.vars, self.taint, self.job_outputs, &lookup)
    }

    /// One command; what it passes down a pipe.
    pub fn command(&mut self, c: &Command, line: usize, incoming: Option<Piped>) -> Option<Piped> {
        let words: Vec<String> = c.program_words().iter().map(|w| unquote(w)).collect();
        let program = c.program().unwrap_or_default();
        let arg = |w: &str| words.iter().skip(1).any(|x| x == w);
        if c.only_assigns() || matches!(program, "export" | "declare" | "local" | "readonly") {
            self.assignments(c, line);
            return None;
        }
        if program == "set" {
            for flag in words.iter().skip(1) {
                if flag == "-o" || flag == "+o" {
                    continue;
                }
                let on = flag.starts_with('-') && flag.contains('x') || flag == "xtrace";
                let off = flag.starts_with('+') && flag.contains('x');
                if on {
                    self.xtrace = Some(line);
                } else if off {
                    self.xtrace = None;
                }
            }
            if words.len() == 1 && c.output == Output::Log {
                self.dump(line, "`set` prints every variable, the token among them");
            }
            return None;
        }
        if self.xtrace.is_some() {
            let exps = c.expansions();
            if let Some(o) = self.carried_in(&exps, line) {
                self.trace(line, o, "the command");
            }
        }
        match program {
            "echo" | "printf" => return self.echo(c, line),
            "tee" => {
                let piped = incoming.clone().unwrap_or_default();
                for f in words.iter().skip(1).filter(|w| !w.starts_with('-')) {
                    for l in piped.text.lines() {
                        self.write(f, l, piped.origin, line);
                    }
                }
                return self.pass(c, line, incoming, "prints (tee) the token in its log");
            }
            "env" | "printenv" if words.len() == 1 && c.output == Output::Log => {
                self.dump(line, "prints every variable, the token among them");
                return None;
            }
            "aws" if words.get(1).map(String::as_str) == Some("codeartifact") => {
                return self.aws(c, &words, line);
            }
            "pip" | "pip3" if arg("config") => {
                if let Some((o, tool)) = self.taint.login.clone()
                    && tool == "pip"
                    && (arg("list") || arg("get") || arg("debug"))
                    && c.output == Output::Log
                {
                    self.leak_fixed(
                        line,
                        o,
                        "prints pip's index URL, token included".to_owned(),
                        LOGIN_FIX,
                    );
                }
                return None;
            }
            "npm" if arg("config") && arg("get") => {
                if let Some((o, _)) = self.taint.login.clone()
                    && words.iter().any(|w| w.contains("_authToken"))
                    && c.output == Output::Log
                {
                    self.leak_fixed(line, o, "prints npm's _authToken".to_owned(), LOGIN_FIX);
                }
                return None;
            }
            _ => {}
        }
        if let Some((o, _)) = self.taint.login.clone()
            && reads_login_file(&words)
            && c.output == Output::Log
            && matches!(program, "cat" | "head" | "tail" | "grep" | "less" | "more")
        {
            self.leak_fixed(
                line,
                o,
                "prints a file `aws codeartifact login` wrote the token into".to_owned(),
                LOGIN_FIX,
            );
        }
        if let Some(body) = &c.heredoc {
            let exps = expansions(&format!("\"{}\"", body.replace('"', "'")));
            let origin = self.carried_in(&exps, line);
            match &c.output {
                Output::File(target) => {
                    for l in body.lines() {
                        if self.write(target, l, origin, line) {
                            break;
                        }
                    }
                }
                Output::Log => {
                    if let Some(o) = origin {
                        self.leak(
                            line,
                            o,
                            "prints the token (a here-document) in its log".to_owned(),
                        );
                    }
                }
                Output::Pipe => {
                    return Some(Piped {
                        text: body.clone(),
                        origin,
                    });
                }
            }
            return None;
        }
        self.pass(c, line, incoming, "prints the token in its log")
    }

    /// A filter a pipe feeds: the token goes on, or into the log.
    fn pass(
        &mut self,
        c: &Command,
        line: usize,
        incoming: Option<Piped>,
        what: &str,
    ) -> Option<Piped> {
        let filter = matches!(
            c.program().unwrap_or_default(),
            "tee"
                | "cat"
                | "sed"
                | "tr"
                | "awk"
                | "head"
                | "tail"
                | "grep"
                | "cut"
                | "jq"
                | "xargs"
        );
        let piped = incoming.filter(|_| filter)?;
        let o = piped.origin?;
        match c.output {
            Output::Pipe => Some(piped),
            Output::Log => {
                self.leak(line, o, what.to_owned());
                None
            }
            Output::File(_) => None,
        }
    }

    /// `set -x` on: bash prints `what` with the token expanded (once per token).
    fn trace(&mut self, line: usize, origin: usize, what: &str) {
        let Some(at) = self.xtrace else { return };
        if self.traced.insert(origin) {
            self.leak_fixed(
                line,
                origin,
                format!("traces {what} with the token in it, set -x being on since line {at}"),
                "drop set -x (or `set +x` before the token is fetched and used)",
            );
        }
    }

    fn dump(&mut self, line: usize, what: &str) {
        let exported: Vec<usize> = self
            .exported
            .iter()
            .filter_map(|n| self.vars.get(n).copied())
            .collect();
        if let Some(o) = exported.into_iter().find(|o| !self.taint.is_masked(*o)) {
            self.leak(line, o, what.to_owned());
        }
    }

    fn aws(&mut self, c: &Command, words: &[String], line: usize) -> Option<Piped> {
        let sub = words.get(2).map(String::as_str);
        let dry = words.iter().any(|w| w == "--dry-run");
        let prints = yields_token(&words.join(" "));
        if sub == Some("login") && !dry {
            let tool = words::option(words, "--tool").unwrap_or_default();
            let o = self.taint.new_origin(format!(
                "the token `aws codeartifact login --tool {tool}` wrote on line {line}"
            ));
            self.taint.login = Some((o, tool));
            return None;
        }
        if !prints {
            return None;
        }
        let o = self
            .taint
            .new_origin(format!("the token fetched on line {line}"));
        match c.output {
            Output::Log if dry => {
                self.leak_fixed(
                    line,
                    o,
                    "prints the token: `aws codeartifact login --dry-run` shows the commands with it"
                        .to_owned(),
                    "drop --dry-run (the login itself prints no token)",
                );
                None
            }
            Output::Log => {
                self.leak(line, o, "prints the token in its log".to_owned());
                None
            }
            Output::Pipe => Some(Piped {
                text: String::new(),
                origin: Some(o),
            }),
            Output::File(_) => None,
        }
    }

    /// `NAME=value …`, `export NAME=value …`: what each name now holds.
    fn assignments(&mut self, c: &Command, line: usize) {
        let export = matches!(c.program(), Some("export" | "declare"));
        let words = c.program_words();
        let skip = usize::from(!c.only_assigns());
        for w in words.iter().skip(skip) {
            let Some((name, value)) = assignment(w) else {
                if export && !w.starts_with('-') {
                    self.exported.insert(w.clone());
                }
                continue;
            };
            let origin = self.carried_by(&[value.to_owned()], line);
            match origin {
                Some(o) => {
                    self.vars.insert(name.to_owned(), o);
                    self.trace(line, o, &format!("the assignment to {name}"));
                }
                None => {
                    self.vars.remove(name);
                }
            }
            if export {
                self.exported.insert(name.to_owned());
            }
        }
    }
}
