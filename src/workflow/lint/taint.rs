//! Where a job holds the CodeArtifact token, as `token-exposed` follows it: each token (an
//! origin: a `get-authorization-token` call, a `login --dry-run`, the tool configuration
//! `aws codeartifact login` writes) and the names that carry it — shell variables, the job's
//! environment (`$GITHUB_ENV`), step and job outputs — and which tokens were masked.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use super::words::{Expansion, unquote};

fn re(pattern: &str) -> Regex {
    #[allow(clippy::expect_used)]
    Regex::new(pattern).expect("valid built-in pattern")
}

static EXPRESSION: LazyLock<Regex> = LazyLock::new(|| re(r"\$\{\{(.*?)\}\}"));
static STEP_OUTPUT: LazyLock<Regex> =
    LazyLock::new(|| re(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)"));
static NEEDS_OUTPUT: LazyLock<Regex> =
    LazyLock::new(|| re(r"\bneeds\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)"));
static ENV_REF: LazyLock<Regex> = LazyLock::new(|| re(r"\benv\.([A-Za-z_][A-Za-z0-9_]*)"));

/// The files `aws codeartifact login` writes the token into, per tool (and `pip config` reads).
pub const LOGIN_FILES: [&str; 6] = [
    ".pypirc",
    "pip.conf",
    ".npmrc",
    "NuGet.Config",
    ".netrc",
    "pip/pip.ini",
];

/// One token and what it is, for messages.
#[derive(Debug, Clone)]
pub struct Origin {
    pub what: String,
}

/// What the job knows about its tokens so far.
#[derive(Debug, Default)]
pub struct Taint {
    pub origins: Vec<Origin>,
    pub masked: BTreeSet<usize>,
    /// The job's environment from `$GITHUB_ENV`: name → token.
    pub env: BTreeMap<String, usize>,
    /// `steps.<id>.outputs.<name>` → token.
    pub outputs: BTreeMap<(String, String), usize>,
    /// The tool configuration `aws codeartifact login` wrote: its token and the tool.
    pub login: Option<(usize, String)>,
}

impl Taint {
    pub fn new_origin(&mut self, what: String) -> usize {
        self.origins.push(Origin { what });
        self.origins.len() - 1
    }

    pub fn what(&self, origin: usize) -> &str {
        self.origins
            .get(origin)
            .map_or("a token", |o| o.what.as_str())
    }

    pub fn is_masked(&self, origin: usize) -> bool {
        self.masked.contains(&origin)
    }

    /// The token a `${{ … }}` expression's inside refers to (a step output, a job output through
    /// `needs`, `env.X` from `$GITHUB_ENV`), with the reference as written.
    pub fn in_expression(
        &self,
        inner: &str,
        job_outputs: &BTreeMap<(String, String), usize>,
    ) -> Option<(usize, String)> {
        for c in STEP_OUTPUT.captures_iter(inner) {
            if let Some(o) = self.outputs.get(&(c[1].to_owned(), c[2].to_owned())) {
                return Some((*o, c[0].to_owned()));
            }
        }
        for c in NEEDS_OUTPUT.captures_iter(inner) {
            if let Some(o) = job_outputs.get(&(c[1].to_owned(), c[2].to_owned())) {
                return Some((*o, c[0].to_owned()));
            }
        }
        for c in ENV_REF.captures_iter(inner) {
            if let Some(o) = self.env.get(&c[1]) {
                return Some((*o, c[0].to_owned()));
            }
        }
        None
    }

    /// Every token the `${{ … }}` expressions in `text` refer to.
    pub fn in_text(
        &self,
        text: &str,
        job_outputs: &BTreeMap<(String, String), usize>,
    ) -> Vec<(usize, String)> {
        EXPRESSION
            .captures_iter(text)
            .filter_map(|c| self.in_expression(&c[1], job_outputs))
            .collect()
    }
}

/// Whether the command text inside a substitution (or a whole command) yields the token.
pub fn yields_token(command: &str) -> bool {
    let words: Vec<String> = command.split_whitespace().map(unquote).collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    has("codeartifact") && (has("get-authorization-token") || (has("login") && has("--dry-run")))
}

/// Whether a command reads one of the files `aws codeartifact login` writes the token into.
pub fn reads_login_file(words: &[String]) -> bool {
    words
        .iter()
        .skip(1)
        .any(|w| LOGIN_FILES.iter().any(|f| unquote(w).ends_with(f)))
}

/// The token the expansions of a word or command carry, first found: a variable holding one, a
/// substitution that yields one (`fresh` says which), an expression.
pub fn carried(
    expansions: &[Expansion],
    vars: &BTreeMap<String, usize>,
    taint: &Taint,
    job_outputs: &BTreeMap<(String, String), usize>,
    fresh: &dyn Fn(&str) -> Option<usize>,
) -> Option<usize> {
    expansions.iter().find_map(|e| match e {
        Expansion::Var(name) => vars.get(name).copied(),
        Expansion::Subst(inner) => fresh(inner),
        Expansion::Expr(inner) => taint.in_expression(inner, job_outputs).map(|(o, _)| o),
    })
}
