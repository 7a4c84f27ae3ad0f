//! What the doctor found: per symptom, each cause with its verdict, the evidence it looked at,
//! the fix, and the checklist item whose apply fixes it (when cawiz can). Ranked most likely
//! first; JSON as the SPEC says.

use serde_json::{Value, json};

use crate::checklist::ItemId;
use crate::checklist::rows::Row;

use super::causes::{CAUSES, Cause, Symptom, cause_of, causes_of};

pub use crate::checklist::rows::Verdict;

/// One cause, judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CauseReport {
    pub cause: &'static Cause,
    pub verdict: Verdict,
    /// What was looked at: the API call and field, the document or workflow line, the log line.
    pub evidence: Vec<String>,
    /// The checklist item whose apply fixes it (`f` in the TUI), when cawiz can.
    pub fix_item: Option<ItemId>,
    /// The latest failed pipeline run's log matched this cause.
    pub from_log: bool,
}

impl CauseReport {
    pub fn new(cause: &'static Cause, verdict: Verdict, evidence: Vec<String>) -> Self {
        Self {
            cause,
            verdict,
            evidence,
            fix_item: None,
            from_log: false,
        }
    }

    pub fn fails(&self) -> bool {
        self.verdict == Verdict::Fail
    }

    /// What the row says beside its glyph: the finding (`title`) when the cause is there (✗ or
    /// !), else the check it passed or could not decide (`check`: "✓ The role exists", never
    /// "✓ The role does not exist").
    pub fn headline(&self) -> &'static str {
        match self.verdict {
            Verdict::Fail | Verdict::Warn => self.cause.title,
            Verdict::Ok | Verdict::Unknown(_) | Verdict::Skip(_) => self.cause.check,
        }
    }

    /// The fix to show: cawiz's command when its apply fixes it, then the catalogue's advice.
    pub fn fix(&self) -> String {
        match self.fix_item {
            Some(_) if self.cause.fix.contains("cawiz apply") => self.cause.fix.to_owned(),
            Some(item) => format!(
                "{} (cawiz apply --only {})",
                self.cause.fix,
                item.key().replace('_', "-")
            ),
            None => self.cause.fix.to_owned(),
        }
    }

    /// The cause as a row, as the screens show checks.
    pub fn row(&self) -> Row {
        let mut row = Row::new(self.cause.id, self.headline(), self.verdict.clone());
        row.evidence = self.evidence.clone();
        row.fix = Some(self.fix());
        row.fix_item = self.fix_item;
        row
    }

    pub fn json(&self) -> Value {
        let mut evidence = self.evidence.clone();
        if let Some(reason) = self.verdict.reason() {
            evidence.insert(0, reason.to_owned());
        }
        json!({
            "id": self.cause.id,
            "verdict": self.verdict.key(),
            "title": self.cause.title,
            "check": self.cause.check,
            "evidence": evidence,
            "fix": self.fix(),
            "fixable": self.fix_item.is_some(),
            "fix_item": self.fix_item.map(ItemId::key),
            "from_log": self.from_log,
        })
    }
}

/// One symptom's causes, most likely first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymptomReport {
    pub symptom: Symptom,
    pub causes: Vec<CauseReport>,
}

impl SymptomReport {
    /// Ranks `causes`: the one the latest run's log names first, then failing, unknown, ok,
    /// skipped; the catalogue's order within each.
    pub fn ranked(symptom: Symptom, mut causes: Vec<CauseReport>) -> Self {
        let order = |c: &CauseReport| causes_of(symptom).position(|k| k.id == c.cause.id);
        causes.sort_by_key(|c| (!(c.from_log && c.fails()), c.verdict.rank(), order(c)));
        Self { symptom, causes }
    }

    pub fn failing(&self) -> usize {
        self.causes.iter().filter(|c| c.fails()).count()
    }

    /// The symptom's own light: red when a cause fails, amber when one is unknown, else green.
    pub fn verdict(&self) -> Verdict {
        if self.failing() > 0 {
            Verdict::Fail
        } else if let Some(c) = self
            .causes
            .iter()
            .find(|c| matches!(c.verdict, Verdict::Unknown(_)))
        {
            c.verdict.clone()
        } else {
            Verdict::Ok
        }
    }
}

/// The whole diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// The package the package-level causes looked at (PEP 503 name) and the version, if any.
    pub package: String,
    pub version: Option<String>,
    pub symptoms: Vec<SymptomReport>,
    /// How inputs were decided (where the package name came from, what could not be read).
    pub notes: Vec<String>,
    /// The listings read (where no by-name read exists), with their pages.
    pub listings: Vec<crate::listing::Listing>,
}

impl Diagnosis {
    pub fn failing(&self) -> usize {
        self.symptoms.iter().map(SymptomReport::failing).sum()
    }

    pub fn json(&self) -> Value {
        json!({
            "package": self.package,
            "version": self.version,
            "symptoms": self.symptoms.iter().map(|s| json!({
                "symptom": s.symptom.key(),
                "title": s.symptom.title(),
                "verdict": s.verdict().key(),
                "causes": s.causes.iter().map(CauseReport::json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "notes": self.notes,
            "listings": crate::listing::json(&self.listings),
        })
    }
}

/// A report for the catalogue's `id` (tests/cli_doctor.rs checks that every cause is reported
/// once under its own id, so a mistyped id cannot hide behind the fallback).
pub(super) fn report(id: &str, verdict: Verdict, evidence: Vec<String>) -> CauseReport {
    let cause = cause_of(id).unwrap_or(&CAUSES[0]);
    CauseReport::new(cause, verdict, evidence)
}

/// `r`, fixed by `item`'s apply.
pub(super) fn fixable(mut r: CauseReport, item: ItemId) -> CauseReport {
    r.fix_item = Some(item);
    r
}
