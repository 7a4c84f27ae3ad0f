//! What the last `cawiz test` found: the steps before any format (assuming the role), then one
//! result per format and client of the setup. A record written before formats (a flat list of
//! pip and twine steps) is read as the result of `pypi` with pip+twine.

use serde::{Deserialize, Serialize};

use crate::format::{Client, Format};

/// The last local test's outcome (no token, no URL with credentials).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RawRecord")]
pub struct LocalTestRecord {
    pub at: u64,
    /// `domain/repository` the test ran against: a record for another target does not count.
    pub target: String,
    /// Every step of every format ran and succeeded (a format that could not run is not passed).
    pub passed: bool,
    /// The steps before any format (assuming the role; the token as the role).
    pub steps: Vec<LocalTestStep>,
    /// One result per format and client, in the setup's order.
    #[serde(default)]
    pub formats: Vec<FormatTestResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalTestStep {
    pub name: String,
    pub ok: bool,
    /// One line, token masked.
    pub detail: String,
}

/// The local test of one format with its client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatTestResult {
    pub format: Format,
    pub client: Client,
    pub steps: Vec<LocalTestStep>,
    /// Why this format could not be tested (its client is not installed: the install hint). Not a
    /// failure of the setup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
}

impl FormatTestResult {
    /// `pypi (uv)`, `npm (npm)`: how a group of rows is titled.
    pub fn label(&self) -> String {
        format!("{} ({})", self.format, self.client)
    }

    /// Every step ran and succeeded.
    pub fn passed(&self) -> bool {
        self.unknown.is_none() && !self.steps.is_empty() && self.steps.iter().all(|s| s.ok)
    }

    /// A step failed.
    pub fn failed(&self) -> bool {
        self.steps.iter().any(|s| !s.ok)
    }
}

impl LocalTestRecord {
    /// A record of `steps` (before any format) and `formats`, `passed` derived from them.
    pub fn new(
        at: u64,
        target: String,
        steps: Vec<LocalTestStep>,
        formats: Vec<FormatTestResult>,
    ) -> Self {
        let passed = steps.iter().all(|s| s.ok)
            && !formats.is_empty()
            && formats.iter().all(FormatTestResult::passed);
        Self {
            at,
            target,
            passed,
            steps,
            formats,
        }
    }

    /// A step failed, before or in a format.
    pub fn failed(&self) -> bool {
        self.steps.iter().any(|s| !s.ok) || self.formats.iter().any(FormatTestResult::failed)
    }

    /// The first failed step, with the label of its format when it has one.
    pub fn first_failure(&self) -> Option<(Option<String>, &LocalTestStep)> {
        let before = self.steps.iter().find(|s| !s.ok).map(|s| (None, s));
        before.or_else(|| {
            self.formats.iter().find_map(|f| {
                let step = f.steps.iter().find(|s| !s.ok)?;
                Some((Some(f.label()), step))
            })
        })
    }

    /// How the run ended, in a word or a few: `passed`, `FAILED (see the output)`, or not every
    /// format tested (a client is missing).
    pub fn outcome_text(&self) -> &'static str {
        if self.passed {
            "passed"
        } else if self.failed() {
            "FAILED (see the output)"
        } else {
            "nothing failed, but not every format was tested (see the output)"
        }
    }

    /// `passed: pip download ok; npm (npm): npm ping ok, …` for the history and the log.
    pub fn summary(&self) -> String {
        let verdict = if self.passed {
            "passed"
        } else if self.failed() {
            "FAILED"
        } else {
            "not complete"
        };
        let steps = |steps: &[LocalTestStep]| {
            steps
                .iter()
                .map(|s| format!("{} {}", s.name, if s.ok { "ok" } else { "failed" }))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts: Vec<String> = Vec::new();
        if !self.steps.is_empty() {
            parts.push(steps(&self.steps));
        }
        for f in &self.formats {
            let what = match &f.unknown {
                Some(reason) => format!("unknown ({reason})"),
                None => steps(&f.steps),
            };
            parts.push(format!("{}: {what}", f.label()));
        }
        format!("{verdict}: {}", parts.join("; "))
    }

    /// The result for `format` with `client`, when this record has one.
    pub fn result(&self, format: Format, client: Client) -> Option<&FormatTestResult> {
        self.formats
            .iter()
            .find(|f| f.format == format && f.client == client)
    }
}

/// The names of the steps a record from before formats held for pip and twine.
const LEGACY_PYPI_STEPS: [&str; 3] = ["pip download", "twine upload", "pip install"];

/// The fields as written, by this build or one from before formats.
#[derive(Deserialize)]
struct RawRecord {
    at: u64,
    target: String,
    passed: bool,
    #[serde(default)]
    steps: Vec<LocalTestStep>,
    #[serde(default)]
    formats: Option<Vec<FormatTestResult>>,
}

impl From<RawRecord> for LocalTestRecord {
    fn from(raw: RawRecord) -> Self {
        if let Some(formats) = raw.formats {
            return Self {
                at: raw.at,
                target: raw.target,
                passed: raw.passed,
                steps: raw.steps,
                formats,
            };
        }
        migrate(raw)
    }
}

/// A record from before formats: its pip and twine steps become the `pypi` (pip+twine) result.
fn migrate(raw: RawRecord) -> LocalTestRecord {
    let (pypi, before): (Vec<LocalTestStep>, Vec<LocalTestStep>) = raw
        .steps
        .into_iter()
        .partition(|s| LEGACY_PYPI_STEPS.contains(&s.name.as_str()));
    let formats = if pypi.is_empty() {
        Vec::new()
    } else {
        vec![FormatTestResult {
            format: Format::Pypi,
            client: Client::Twine,
            steps: pypi,
            unknown: None,
        }]
    };
    LocalTestRecord {
        at: raw.at,
        target: raw.target,
        passed: raw.passed,
        steps: before,
        formats,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_from_before_formats_is_read_as_pypi_with_pip_and_twine() {
        let old = serde_json::json!({
            "at": 1, "target": "octo-org/widgets", "passed": true,
            "steps": [
                {"name": "assume the role", "ok": true, "detail": "as the role"},
                {"name": "pip download", "ok": true, "detail": "downloaded six-1.17.0"},
                {"name": "twine upload", "ok": true, "detail": "uploaded"},
            ]
        });
        let record: LocalTestRecord = serde_json::from_value(old).expect("an old record reads");
        assert_eq!(record.steps.len(), 1);
        assert_eq!(record.steps[0].name, "assume the role");
        let pypi = record.result(Format::Pypi, Client::Twine).expect("pypi");
        let names: Vec<&str> = pypi.steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["pip download", "twine upload"]);
        assert!(pypi.passed());
        assert!(record.passed);

        // Written back and read again, it stays the same.
        let again: LocalTestRecord =
            serde_json::from_value(serde_json::to_value(&record).expect("json")).expect("reads");
        assert_eq!(again, record);
    }

    #[test]
    fn a_format_that_could_not_run_is_neither_passed_nor_failed() {
        let step = |ok| LocalTestStep {
            name: "npm ping".to_owned(),
            ok,
            detail: String::new(),
        };
        let missing = FormatTestResult {
            format: Format::Npm,
            client: Client::Npm,
            steps: Vec::new(),
            unknown: Some("npm not found".to_owned()),
        };
        let record = LocalTestRecord::new(1, "d/r".to_owned(), Vec::new(), vec![missing.clone()]);
        assert!(!record.passed && !record.failed());
        assert!(record.outcome_text().starts_with("nothing failed"));
        let failed = FormatTestResult {
            steps: vec![step(false)],
            unknown: None,
            ..missing
        };
        let record = LocalTestRecord::new(1, "d/r".to_owned(), Vec::new(), vec![failed]);
        assert!(!record.passed && record.failed());
        assert_eq!(record.outcome_text(), "FAILED (see the output)");
        let (label, first) = record.first_failure().expect("a failure");
        assert_eq!(label.as_deref(), Some("npm (npm)"));
        assert_eq!(first.name, "npm ping");
    }
}
