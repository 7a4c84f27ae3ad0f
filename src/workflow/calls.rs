//! The commands of a workflow's `run:` scripts, and among them the AWS CLI's CodeArtifact calls
//! that name a package (`aws codeartifact list-package-versions … --package NAME`): what the
//! doctor compares with CodeArtifact's naming rules. A heuristic reading of shell, not a shell:
//! words are split on blanks with their quotes removed, and a value built from variables or
//! command substitutions counts as unknown.

use super::lint::source::Source;
use super::model::Workflow;

/// The script's commands: lines joined where they end with `\`, each with the index of its first
/// line.
pub fn commands(script: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    for (i, line) in script.lines().enumerate() {
        let text = line.trim_end();
        let (body, continues) = match text.strip_suffix('\\') {
            Some(b) => (b, true),
            None => (text, false),
        };
        match out.last_mut() {
            Some((_, command)) if open => {
                command.push(' ');
                command.push_str(body.trim());
            }
            _ => out.push((i, body.trim().to_owned())),
        }
        open = continues;
    }
    out
}

/// One `aws codeartifact OPERATION … --package NAME` call of a workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageCall {
    pub job: String,
    /// The file line the command starts on.
    pub line: usize,
    /// The CLI's operation (`list-package-versions`).
    pub operation: String,
    /// `--package` as written (quotes removed).
    pub package: String,
    /// `--format`, when given.
    pub format: Option<String>,
}

impl PackageCall {
    /// The package as a fixed name: `None` when the shell builds it (`$NAME`, `$(…)`, `` ` ``).
    pub fn literal_package(&self) -> Option<&str> {
        let p = self.package.as_str();
        (!p.is_empty() && !p.contains(['$', '`'])).then_some(p)
    }

    /// The command as the evidence shows it.
    pub fn text(&self) -> String {
        let format = self
            .format
            .as_ref()
            .map_or_else(String::new, |f| format!(" --format {f}"));
        format!(
            "aws codeartifact {}{format} --package {}",
            self.operation, self.package
        )
    }
}

/// The command's words, quotes removed (`'a b'` and `"a b"` stay one word).
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                started = false;
            }
            (None, c) => word.push(c),
        }
    }
    if started || !word.is_empty() {
        out.push(word);
    }
    out
}

/// The value of `--flag VALUE` or `--flag=VALUE` among `words`.
fn option(words: &[String], flag: &str) -> Option<String> {
    let prefix = format!("{flag}=");
    words.iter().enumerate().find_map(|(i, w)| {
        if w == flag {
            words.get(i + 1).cloned()
        } else {
            w.strip_prefix(&prefix).map(str::to_owned)
        }
    })
}

/// The CodeArtifact call in one command, when it is one that names a package.
fn package_call(command: &str) -> Option<(String, String, Option<String>)> {
    let words = words(command);
    let at = words
        .windows(2)
        .position(|w| w[0] == "aws" && w[1] == "codeartifact")?;
    let rest = &words[at + 2..];
    let operation = rest.first().filter(|o| !o.starts_with('-'))?.clone();
    let package = option(rest, "--package")?;
    Some((operation, package, option(rest, "--format")))
}

/// Every CodeArtifact call of the workflow's scripts that names a package, with its file line.
pub fn package_calls(wf: &Workflow, text: &str) -> Vec<PackageCall> {
    let src = Source::new(text);
    let mut out = Vec::new();
    for job in &wf.jobs {
        for (_, script, run_line) in job.scripts() {
            let lines = src.script_lines(run_line, script);
            for (index, command) in commands(script) {
                if let Some((operation, package, format)) = package_call(&command) {
                    out.push(PackageCall {
                        job: job.id.clone(),
                        line: lines.get(index).copied().unwrap_or(run_line),
                        operation,
                        package,
                        format,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::{model, yaml};

    #[test]
    fn commands_join_continuations() {
        let c = commands(
            "set -e\npython -m twine upload \\\n  --skip-existing \\\n  dist/*\necho done\n",
        );
        assert_eq!(c.len(), 3);
        assert_eq!(
            c[1],
            (
                1,
                "python -m twine upload --skip-existing dist/*".to_owned()
            )
        );
        assert_eq!(c[2].0, 4);
    }

    #[test]
    fn words_keep_quoted_spaces_and_drop_quotes() {
        assert_eq!(
            words(r#"aws codeartifact x --package "My Pkg" --format='pypi' """#),
            [
                "aws",
                "codeartifact",
                "x",
                "--package",
                "My Pkg",
                "--format=pypi",
                ""
            ]
        );
    }

    #[test]
    fn package_calls_are_found_with_their_lines() {
        let text = "on: push\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo hi\n          aws codeartifact describe-package-version --domain d \\\n            --repository r --format pypi --package 'Widgets_Core' --package-version 1.0\n          aws codeartifact list-package-versions --format=pypi --package=\"$NAME\"\n          aws codeartifact get-authorization-token --domain d\n";
        let wf = model::read(&yaml::parse(text).expect("yaml"));
        let calls = package_calls(&wf, text);
        assert_eq!(calls.len(), 2, "{calls:#?}");
        assert_eq!(calls[0].operation, "describe-package-version");
        assert_eq!(calls[0].package, "Widgets_Core");
        assert_eq!(calls[0].format.as_deref(), Some("pypi"));
        assert_eq!(calls[0].line, 8);
        assert_eq!(calls[0].literal_package(), Some("Widgets_Core"));
        assert_eq!(calls[1].line, 10);
        assert_eq!(calls[1].literal_package(), None, "built by the shell");
    }
}
