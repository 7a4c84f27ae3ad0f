//! One shell word: what it expands (variables, command substitutions, GitHub expressions) and
//! its text without quotes.

/// Something a word expands when the step runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expansion {
    /// `$NAME` or `${NAME…}`.
    Var(String),
    /// The command inside `$(…)` or backticks.
    Subst(String),
    /// A `${{ … }}` expression (its inside, trimmed): GitHub replaces it in the script's text.
    Expr(String),
}

/// The end of a group opened at `from` (after the opener), honouring nested `open`/`close`.
fn group_end(chars: &[char], from: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut i = from;
    let mut single = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' => single = !single,
            _ if single => {}
            _ if c == open => depth += 1,
            _ if c == close => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

fn name_at(chars: &[char], from: usize) -> String {
    chars[from.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
        .collect()
}

/// What `word` expands, in order (nothing inside single quotes; inside a substitution, its own
/// variables too, since their values flow into it).
pub fn expansions(word: &str) -> Vec<Expansion> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = Vec::new();
    let mut double = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => i += 1,
            '"' => double = !double,
            '\'' if !double => {
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
            }
            '`' => {
                let end = (i + 1..chars.len())
                    .find(|j| chars[*j] == '`')
                    .unwrap_or(chars.len());
                let inner: String = chars[i + 1..end].iter().collect();
                out.extend(expansions(&inner));
                out.push(Expansion::Subst(inner));
                i = end;
            }
            '$' => match chars.get(i + 1) {
                Some('{') if chars.get(i + 2) == Some(&'{') => {
                    let end = (i + 3..chars.len().saturating_sub(1))
                        .find(|j| chars[*j] == '}' && chars[j + 1] == '}')
                        .unwrap_or(chars.len());
                    let inner: String = chars[(i + 3).min(end)..end].iter().collect();
                    out.push(Expansion::Expr(inner.trim().to_owned()));
                    i = end + 1;
                }
                Some('{') => {
                    let name = name_at(&chars, i + 2);
                    if !name.is_empty() {
                        out.push(Expansion::Var(name));
                    }
                    i = group_end(&chars, i + 2, '{', '}');
                }
                Some('(') => {
                    let end = group_end(&chars, i + 2, '(', ')');
                    let inner: String = chars[(i + 2).min(end)..end].iter().collect();
                    out.extend(expansions(&inner));
                    out.push(Expansion::Subst(inner));
                    i = end;
                }
                Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
                    let name = name_at(&chars, i + 1);
                    i += name.len();
                    out.push(Expansion::Var(name));
                }
                _ => {}
            },
            _ => {}
        }
        i += 1;
    }
    out
}

/// The word without its quotes and backslashes (what a program receives, before expansion).
pub fn unquote(word: &str) -> String {
    let mut out = String::new();
    let mut chars = word.chars();
    let mut single = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' => single = !single,
            '"' if !single => {}
            '\\' if !single => out.extend(chars.next()),
            _ => out.push(c),
        }
    }
    out
}

/// Whether `word` names the file `$NAME` (`$GITHUB_ENV`, `"${GITHUB_ENV}"`).
pub fn is_variable(word: &str, name: &str) -> bool {
    let w = unquote(word);
    w == format!("${name}") || w == format!("${{{name}}}")
}

/// The value of `--name VALUE` or `--name=VALUE` among `args` (unquoted words).
pub fn option(args: &[String], name: &str) -> Option<String> {
    args.iter().enumerate().find_map(|(i, a)| {
        if a == name {
            args.get(i + 1).cloned()
        } else {
            a.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('='))
                .map(str::to_owned)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_substitutions_and_expressions() {
        assert_eq!(
            expansions("\"CODEARTIFACT_AUTH_TOKEN=$TOKEN\""),
            [Expansion::Var("TOKEN".into())]
        );
        assert_eq!(
            expansions(
                "\"${TOKEN:-x}/$(aws codeartifact get-authorization-token --domain \"$D\")\""
            ),
            [
                Expansion::Var("TOKEN".into()),
                Expansion::Var("D".into()),
                Expansion::Subst("aws codeartifact get-authorization-token --domain \"$D\"".into())
            ]
        );
        assert_eq!(expansions("`cat f`"), [Expansion::Subst("cat f".into())]);
        assert_eq!(
            expansions("'$TOKEN'${{ steps.t.outputs.token }}"),
            [Expansion::Expr("steps.t.outputs.token".into())]
        );
    }

    #[test]
    fn unquoting_and_file_variables() {
        assert_eq!(unquote("\"a b\"'c'\\$d"), "a bc$d");
        assert!(is_variable("\"$GITHUB_ENV\"", "GITHUB_ENV"));
        assert!(is_variable("${GITHUB_ENV}", "GITHUB_ENV"));
        assert!(!is_variable("$GITHUB_ENV_X", "GITHUB_ENV"));
    }
}
