//! IAM's `StringLike` wildcards (`*` any run of characters, `?` exactly one), and the questions
//! the evaluator asks when a request value is itself a *template* — a value whose wildcards stand
//! for "any text", such as `repo:o/r:ref:refs/tags/…` for "every tag's subject". Besides `*` and
//! `?`, a template may hold [`SEGMENT`]: any text without `:` (a branch, tag or environment name
//! inside a subject, where GitHub never sends a `:`).
//!
//! - [`covers`]: does the pattern match **every** value the template stands for? Decided by
//!   matching the template's symbols against the pattern: a pattern `*` absorbs any run of
//!   symbols, a pattern `?` one literal or `?`, a literal only itself. Sound (a yes is always
//!   right); a rare pattern whose coverage needs reasoning across symbols says no, which errs
//!   towards "not accepted", never towards a false ✓.
//! - [`overlaps`]: does the pattern match **some** value the template stands for? Exact: the two
//!   are walked together, each wildcard absorbing what the other side allows it to.
//! - [`in_template`]: is this literal text one of the template's values?

/// In a template: any run of characters but `:`.
pub const SEGMENT: char = '\u{E000}';

/// IAM's `StringLike` matching: `*` any run, `?` any one character, case-sensitive.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    wildmatch::WildMatch::new(pattern).matches(text)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sym {
    Char(char),
    One,
    Any,
    /// Any run of characters but `:`.
    Seg,
}

impl Sym {
    /// A run of wildcards (`*` or a segment).
    fn is_run(self) -> bool {
        matches!(self, Sym::Any | Sym::Seg)
    }

    /// Whether `self`, a run, may absorb the single symbol `other` (one character of it).
    fn absorbs(self, other: Sym) -> bool {
        match (self, other) {
            (Sym::Any, _) => true,
            (Sym::Seg, Sym::Char(c)) => c != ':',
            (Sym::Seg, Sym::One | Sym::Seg) => true,
            _ => false,
        }
    }
}

fn symbols(text: &str, wild: bool) -> Vec<Sym> {
    text.chars()
        .map(|c| match c {
            '*' if wild => Sym::Any,
            '?' if wild => Sym::One,
            SEGMENT if wild => Sym::Seg,
            c => Sym::Char(c),
        })
        .collect()
}

/// Whether every text `t` stands for is matched by `p` (symbols matched against symbols).
fn matches_all(p: &[Sym], t: &[Sym]) -> bool {
    // reach[j]: the pattern's first symbols read so far can match the template's first j.
    let mut reach = vec![false; t.len() + 1];
    reach[0] = true;
    for sym in p {
        let mut next = vec![false; t.len() + 1];
        for j in 0..=t.len() {
            next[j] = match sym {
                // A run absorbs the template's symbol j-1 as a whole: a template `*` only a `*`
                // covers, a template segment a `*` or a segment, a character what allows it.
                s if s.is_run() => {
                    reach[j]
                        || (j > 0
                            && next[j - 1]
                            && match t[j - 1] {
                                // A template `?` may be a ':', which a segment cannot cover.
                                Sym::Any | Sym::One => *s == Sym::Any,
                                other => s.absorbs(other),
                            })
                }
                Sym::One => j > 0 && reach[j - 1] && matches!(t[j - 1], Sym::Char(_) | Sym::One),
                Sym::Char(c) => j > 0 && reach[j - 1] && t[j - 1] == Sym::Char(*c),
                _ => false,
            };
        }
        reach = next;
    }
    reach[t.len()]
}

/// Whether `pattern` matches every value `template` stands for.
pub fn covers(pattern: &str, template: &str) -> bool {
    matches_all(&symbols(pattern, true), &symbols(template, true))
}

/// Whether the literal `text` is one of the values `template` stands for.
pub fn in_template(template: &str, text: &str) -> bool {
    matches_all(&symbols(template, true), &symbols(text, false))
}

/// Whether some text matches both `a` and `b` (both read as patterns or templates).
pub fn overlaps(a: &str, b: &str) -> bool {
    let (a, b) = (symbols(a, true), symbols(b, true));
    let mut seen = vec![vec![false; b.len() + 1]; a.len() + 1];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        if std::mem::replace(&mut seen[i][j], true) {
            continue;
        }
        if i == a.len() && j == b.len() {
            return true;
        }
        let (x, y) = (a.get(i).copied(), b.get(j).copied());
        // A run may end, or absorb one character the other side produces.
        if let Some(x) = x.filter(|x| x.is_run()) {
            stack.push((i + 1, j));
            if y.is_some_and(|y| !y.is_run() && x.absorbs(y)) {
                stack.push((i, j + 1));
            }
        }
        if let Some(y) = y.filter(|y| y.is_run()) {
            stack.push((i, j + 1));
            if x.is_some_and(|x| !x.is_run() && y.absorbs(x)) {
                stack.push((i + 1, j));
            }
        }
        if let (Some(x), Some(y)) = (x, y)
            && !x.is_run()
            && !y.is_run()
            && (x == Sym::One || y == Sym::One || x == y)
        {
            stack.push((i + 1, j + 1));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covering_a_template() {
        assert!(covers("repo:o/r:*", "repo:o/r:*"));
        assert!(covers("repo:o/r:*", "repo:o/r:ref:refs/tags/*"));
        assert!(covers("*", "anything*at?all"));
        assert!(covers(
            "repo:o/r:ref:refs/tags/*",
            "repo:o/r:ref:refs/tags/*"
        ));
        assert!(covers("a?c", "abc") && covers("a?c", "a?c"));
        assert!(
            !covers("repo:o/r:ref:*", "repo:o/r:*"),
            "pull_request is not a ref"
        );
        assert!(!covers(
            "repo:o/r:ref:refs/tags/v*",
            "repo:o/r:ref:refs/tags/*"
        ));
        assert!(!covers("a?c", "a*c"), "? is one character, * any number");
        assert!(!covers("repo:o/r:*", "repo:O/r:*"), "case-sensitive");
        assert!(
            covers("a*", "a*b"),
            "a pattern * absorbs a template * and more"
        );
        assert!(covers(
            "repo:o/r:ref:refs/heads/main",
            "repo:o/r:ref:refs/heads/main"
        ));
        let tags = format!("repo:o/r:ref:refs/tags/{SEGMENT}");
        assert!(covers("repo:o/r:*", &tags));
        assert!(covers("repo:o/r:ref:refs/tags/*", &tags));
        assert!(!covers("repo:o/r:ref:refs/tags/v*", &tags));
        assert!(
            !covers(&tags, "repo:o/r:ref:refs/tags/*"),
            "a segment has no ':'"
        );
    }

    #[test]
    fn overlapping_patterns() {
        assert!(overlaps("repo:*", "repo:evil/x:*"));
        assert!(overlaps("rep?:*", "repo:evil/x:ref:refs/heads/main"));
        assert!(overlaps("repo:octo-*", "repo:octo-evil/x:*"));
        assert!(!overlaps("repo:o/r:*", "repo:o/s:*"));
        assert!(overlaps("*a", "b*"));
        assert!(!overlaps("a*", "b*"));
        assert!(overlaps("a?c", "*b*"));
        assert!(!overlaps("a?c", "ab"));
        assert!(overlaps("", "*") && !overlaps("", "?"));
        assert!(overlaps("x*y*z", "*y*"));
        let tags = format!("repo:o/r:ref:refs/tags/{SEGMENT}");
        assert!(
            !overlaps("*:pull_request", &tags),
            "no tag name holds a ':'"
        );
        assert!(overlaps("*:ref:refs/tags/beta*", &tags));
        assert!(overlaps(&tags, "repo:o/r:ref:refs/tags/v1"));
    }

    #[test]
    fn literal_text_in_a_template() {
        assert!(in_template("refs/tags/*", "refs/tags/v1"));
        assert!(in_template(&format!("refs/tags/{SEGMENT}"), "refs/tags/v1"));
        assert!(!in_template(
            &format!("refs/tags/{SEGMENT}"),
            "refs/tags/a:b"
        ));
        assert!(
            !in_template("refs/tags/v1", "refs/tags/*"),
            "a literal * in the text"
        );
    }
}
