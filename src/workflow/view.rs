//! A linted file as screens show it: its lines with the offending ones marked, the findings, and
//! the diff that writing the generated file would make.

use crate::policy::{DiffLine, Severity};

use super::lint::{FileLint, LintFinding};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileView {
    /// `.github/workflows/publish.yml` (or `main:…` for the default branch's copy).
    pub path: String,
    pub findings: Vec<LintFinding>,
    /// The file is not YAML: where and why.
    pub parse_error: Option<String>,
    /// Each line of the file with the severity of the worst finding on it.
    pub lines: Vec<(String, Option<Severity>)>,
    /// What writing the generated file changes (`Expected` added, `Actual` lost); empty when
    /// nothing would be written.
    pub diff: Vec<DiffLine>,
}

impl FileView {
    pub fn new(path: &str, text: &str, lint: &FileLint) -> Self {
        let marks = lint.marked_lines();
        Self {
            path: path.to_owned(),
            findings: lint.findings.clone(),
            parse_error: lint.error.as_ref().map(ToString::to_string),
            lines: text
                .lines()
                .enumerate()
                .map(|(i, l)| (l.to_owned(), marks.get(&(i + 1)).copied()))
                .collect(),
            diff: Vec::new(),
        }
    }
}
