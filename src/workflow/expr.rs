//! The parts of GitHub expressions the lint reads: a value that is one context reference
//! (`${{ vars.AWS_ROLE_ARN }}`), and what a job's `if:` says about the events and refs it runs for.
//! A heuristic, not an evaluator: it reads comparisons with `github.event_name` and `github.ref`
//! in each `||` branch, and treats anything it cannot read as "any".

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

fn re(pattern: &str) -> Regex {
    // Patterns are literals in this file and covered by tests.
    #[allow(clippy::expect_used)]
    Regex::new(pattern).expect("valid built-in pattern")
}

static REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\$\{\{\s*([A-Za-z_]+)\s*\.\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$"));
static EVENT_EQ: LazyLock<Regex> = LazyLock::new(|| {
    re(r"github\.event_name\s*==\s*'([^']*)'|'([^']*)'\s*==\s*github\.event_name")
});
static REF_EQ: LazyLock<Regex> =
    LazyLock::new(|| re(r"github\.ref\s*==\s*'([^']*)'|'([^']*)'\s*==\s*github\.ref\b"));
static REF_NAME_EQ: LazyLock<Regex> = LazyLock::new(|| re(r"github\.ref_name\s*==\s*'([^']*)'"));
static REF_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| re(r"startsWith\(\s*github\.ref\s*,\s*'([^']*)'\s*\)"));
static REF_TYPE: LazyLock<Regex> = LazyLock::new(|| re(r"github\.ref_type\s*==\s*'(tag|branch)'"));
static SAME_REPO: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"github\.event\.pull_request\.head\.repo\.full_name\s*==\s*github\.repository\b",
        r"|github\.repository\s*==\s*github\.event\.pull_request\.head\.repo\.full_name",
        r"|!\s*github\.event\.pull_request\.head\.repo\.fork\b",
        r"|github\.event\.pull_request\.head\.repo\.fork\s*==\s*false"
    ))
});

/// A value that is exactly one reference, such as `${{ vars.AWS_REGION }}`: (context, name).
pub fn reference(value: &str) -> Option<(String, String)> {
    let caps = REFERENCE.captures(value.trim())?;
    Some((caps[1].to_owned(), caps[2].to_owned()))
}

/// True when `value` holds an expression at all.
pub fn is_expression(value: &str) -> bool {
    value.contains("${{")
}

/// Which refs a branch of a condition lets through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefFilter {
    Any,
    /// `github.ref == 'refs/heads/main'`.
    Equals(String),
    /// `github.ref_name == 'main'` (a branch or a tag of that name).
    Name(String),
    /// `startsWith(github.ref, 'refs/tags/')`, `github.ref_type == 'tag'`.
    Prefix(String),
}

impl RefFilter {
    pub fn allows(&self, git_ref: &str) -> bool {
        match self {
            RefFilter::Any => true,
            RefFilter::Equals(r) => r == git_ref,
            RefFilter::Name(n) => {
                git_ref.strip_prefix("refs/heads/") == Some(n)
                    || git_ref.strip_prefix("refs/tags/") == Some(n)
            }
            RefFilter::Prefix(p) => git_ref.starts_with(p.as_str()),
        }
    }
}

/// One `||` branch of a job's condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// The events it names with `github.event_name == '…'` (`None`: any event).
    pub events: Option<BTreeSet<String>>,
    pub refs: RefFilter,
    /// It requires a pull request from this repository (not a fork).
    pub same_repository: bool,
}

impl Branch {
    pub fn allows_event(&self, event: &str) -> bool {
        self.events.as_ref().is_none_or(|e| e.contains(event))
    }
}

/// `text` without a surrounding `${{ … }}`.
fn unwrap(text: &str) -> &str {
    let t = text.trim();
    t.strip_prefix("${{")
        .and_then(|t| t.strip_suffix("}}"))
        .map_or(t, str::trim)
}

/// `text` split at its top-level `||` (outside parentheses and string literals).
fn split_or(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quoted = false;
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            '|' if !quoted && depth == 0 && chars.peek() == Some(&'|') => {
                chars.next();
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| strip_parens(p.trim()).to_owned())
        .collect()
}

/// `(a && b)` → `a && b`, when the parentheses enclose the whole text.
fn strip_parens(text: &str) -> &str {
    let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) else {
        return text;
    };
    let mut depth = 0i32;
    for c in inner.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return text;
                }
            }
            _ => {}
        }
    }
    strip_parens(inner.trim())
}

fn branch(text: &str) -> Branch {
    let events: BTreeSet<String> = EVENT_EQ
        .captures_iter(text)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)).map(|m| m.as_str().to_owned()))
        .collect();
    let negated_event = text.contains("github.event_name") && text.contains("!=");
    let negated_ref = text.contains("github.ref") && text.contains("!=");
    let refs = if negated_ref {
        RefFilter::Any
    } else if let Some(c) = REF_EQ.captures(text) {
        RefFilter::Equals(
            c.get(1)
                .or_else(|| c.get(2))
                .map_or_else(String::new, |m| m.as_str().to_owned()),
        )
    } else if let Some(c) = REF_PREFIX.captures(text) {
        RefFilter::Prefix(c[1].to_owned())
    } else if let Some(c) = REF_NAME_EQ.captures(text) {
        RefFilter::Name(c[1].to_owned())
    } else if let Some(c) = REF_TYPE.captures(text) {
        RefFilter::Prefix(if &c[1] == "tag" {
            "refs/tags/".to_owned()
        } else {
            "refs/heads/".to_owned()
        })
    } else {
        RefFilter::Any
    };
    Branch {
        events: (!events.is_empty() && !negated_event).then_some(events),
        refs,
        same_repository: SAME_REPO.is_match(text),
    }
}

/// What a job's `if:` lets through, one entry per top-level `||` branch (no condition: one
/// branch that allows everything).
pub fn condition(text: Option<&str>) -> Vec<Branch> {
    match text.map(unwrap).filter(|t| !t.is_empty()) {
        None => vec![Branch {
            events: None,
            refs: RefFilter::Any,
            same_repository: false,
        }],
        Some(t) => split_or(t).iter().map(|b| branch(b)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(
            reference("${{ vars.AWS_ROLE_ARN }}"),
            Some(("vars".into(), "AWS_ROLE_ARN".into()))
        );
        assert_eq!(
            reference("${{secrets.X}}"),
            Some(("secrets".into(), "X".into()))
        );
        assert_eq!(reference("arn:aws:iam::1:role/x"), None);
        assert_eq!(reference("${{ vars.A }}-${{ vars.B }}"), None);
        assert!(is_expression("x ${{ vars.A }}"));
    }

    fn events(b: &Branch) -> Vec<&str> {
        b.events
            .as_ref()
            .map(|e| e.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_generated_conditions() {
        let all = condition(Some(
            "github.event_name == 'release' || github.event_name == 'workflow_dispatch'",
        ));
        assert_eq!(all.len(), 2);
        assert_eq!(events(&all[0]), ["release"]);
        assert_eq!(events(&all[1]), ["workflow_dispatch"]);

        let tags = condition(Some(
            "github.event_name == 'release' || (github.event_name == 'workflow_dispatch' && startsWith(github.ref, 'refs/tags/'))",
        ));
        assert_eq!(tags[0].refs, RefFilter::Any);
        assert_eq!(tags[1].refs, RefFilter::Prefix("refs/tags/".into()));
        assert_eq!(events(&tags[1]), ["workflow_dispatch"]);

        let branch = condition(Some(
            "${{ github.ref == 'refs/heads/main' && (github.event_name == 'push' || github.event_name == 'workflow_dispatch') }}",
        ));
        assert_eq!(branch.len(), 1);
        assert_eq!(events(&branch[0]), ["push", "workflow_dispatch"]);
        assert!(branch[0].refs.allows("refs/heads/main"));
        assert!(!branch[0].refs.allows("refs/heads/dev"));

        let pr = condition(Some(
            "github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository",
        ));
        assert!(pr[0].same_repository);
        assert!(!condition(Some("github.event_name == 'pull_request'"))[0].same_repository);
    }

    #[test]
    fn what_it_cannot_read_is_any() {
        let none = condition(None);
        assert!(none[0].allows_event("push") && none[0].refs.allows("refs/tags/v1"));
        let negated = condition(Some("github.event_name != 'pull_request'"));
        assert!(negated[0].allows_event("pull_request"));
        assert!(
            condition(Some("github.ref_type == 'tag'"))[0]
                .refs
                .allows("refs/tags/v1")
        );
        assert!(
            condition(Some("github.ref_name == 'main'"))[0]
                .refs
                .allows("refs/heads/main")
        );
    }
}
