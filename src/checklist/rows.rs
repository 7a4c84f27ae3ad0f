//! One visual language for checks: a row is one sub-check — a stable id, a title, a verdict
//! (ok / fail / warn / unknown with the reason / skip with the reason), the evidence it looked at
//! (the API call and field, the document or workflow line, the log line) and the fix, with the
//! item whose apply makes it (when cawiz can). Item screens and the doctor show the same rows.

use super::ItemId;

/// A check's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    Fail,
    /// Works, but not as it should (broader than needed, an assumption).
    Warn,
    /// Could not be checked: why.
    Unknown(String),
    /// Does not apply here: why.
    Skip(String),
}

impl Verdict {
    /// The id in JSON.
    pub fn key(&self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Fail => "fail",
            Verdict::Warn => "warn",
            Verdict::Unknown(_) => "unknown",
            Verdict::Skip(_) => "skip",
        }
    }

    /// The traffic light: `✓` green, `✗` red, `!` amber, `?` magenta, `-` grey.
    pub fn glyph(&self) -> &'static str {
        match self {
            Verdict::Ok => "✓",
            Verdict::Fail => "✗",
            Verdict::Warn => "!",
            Verdict::Unknown(_) => "?",
            Verdict::Skip(_) => "-",
        }
    }

    /// Why it could not be decided, or does not apply.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Verdict::Unknown(r) | Verdict::Skip(r) => Some(r),
            Verdict::Ok | Verdict::Fail | Verdict::Warn => None,
        }
    }

    /// Worst first: fail, unknown, warn, ok, skip.
    pub fn rank(&self) -> u8 {
        match self {
            Verdict::Fail => 0,
            Verdict::Unknown(_) => 1,
            Verdict::Warn => 2,
            Verdict::Ok => 3,
            Verdict::Skip(_) => 4,
        }
    }

    pub fn from_ok(ok: bool) -> Self {
        if ok { Verdict::Ok } else { Verdict::Fail }
    }

    /// Yes: ok, no: fail, maybe: unknown with the reason.
    pub fn from_tri(t: &crate::policy::Tri) -> Self {
        match t {
            crate::policy::Tri::Yes => Verdict::Ok,
            crate::policy::Tri::No => Verdict::Fail,
            crate::policy::Tri::Maybe(why) => Verdict::Unknown(why.clone()),
        }
    }
}

/// One sub-check, as a screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Stable (`trust-subject`, `simulate:codeartifact:PublishPackageVersion`).
    pub id: String,
    pub title: String,
    pub verdict: Verdict,
    /// What was looked at, one line each.
    pub evidence: Vec<String>,
    /// What to do when it is not ok.
    pub fix: Option<String>,
    /// The item whose apply fixes it, when cawiz can.
    pub fix_item: Option<ItemId>,
    /// A line of a table (the simulation's actions, the variables): folded until asked, even
    /// when it fails.
    pub compact: bool,
}

impl Row {
    pub fn new(id: impl Into<String>, title: impl Into<String>, verdict: Verdict) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            verdict,
            evidence: Vec::new(),
            fix: None,
            fix_item: None,
            compact: false,
        }
    }

    pub fn evidence(mut self, line: impl Into<String>) -> Self {
        self.evidence.push(line.into());
        self
    }

    pub fn fix(mut self, fix: impl Into<String>, item: Option<ItemId>) -> Self {
        self.fix = Some(fix.into());
        self.fix_item = item;
        self
    }

    pub fn compact(mut self) -> Self {
        self.compact = true;
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "title": self.title,
            "verdict": self.verdict.key(),
            "reason": self.verdict.reason(),
            "evidence": self.evidence,
            "fix": self.fix,
            "fix_item": self.fix_item.map(ItemId::key),
        })
    }
}
