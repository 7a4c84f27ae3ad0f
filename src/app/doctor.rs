//! The Doctor screen's data: the latest diagnosis, the symptom and the cause selected, the rows
//! expanded, whether a run is under way, and the item a fix from the doctor applies. Plain data
//! and the pure helpers that move the selection; `update` decides when they are called.

use std::collections::BTreeSet;

use crate::checklist::ItemId;
use crate::doctor::{CauseReport, Diagnosis, Symptom, SymptomReport};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DoctorView {
    /// The latest diagnosis (kept while a new one runs).
    pub diagnosis: Option<Diagnosis>,
    /// Why the latest run could not finish.
    pub error: Option<String>,
    /// A run is under way; the tick it started at (to show the elapsed time).
    pub running_since: Option<u64>,
    /// The selected symptom: an index into [`DoctorView::symptoms`].
    pub symptom: usize,
    /// The selected cause: an index into the symptom's ranked causes.
    pub cause: usize,
    /// The cause ids whose rows show their evidence and fix in the list.
    pub expanded: BTreeSet<&'static str>,
    /// The item a fix started from the doctor applies: the doctor runs again when it finishes.
    pub fixing: Option<ItemId>,
}

impl DoctorView {
    pub fn running(&self) -> bool {
        self.running_since.is_some()
    }

    /// The symptoms shown: the diagnosis's (`consumer-403` only when the setup names
    /// consumers), else [`Symptom::ALL`].
    pub fn symptoms(&self) -> Vec<Symptom> {
        match &self.diagnosis {
            Some(d) if !d.symptoms.is_empty() => d.symptoms.iter().map(|s| s.symptom).collect(),
            _ => Symptom::ALL.to_vec(),
        }
    }

    /// The selected symptom's report, once diagnosed.
    pub fn symptom_report(&self) -> Option<&SymptomReport> {
        let symptom = self.symptoms().get(self.symptom).copied()?;
        self.diagnosis
            .as_ref()?
            .symptoms
            .iter()
            .find(|s| s.symptom == symptom)
    }

    pub fn selected_cause(&self) -> Option<&CauseReport> {
        self.symptom_report()?.causes.get(self.cause)
    }

    fn cause_count(&self) -> usize {
        self.symptom_report().map_or(0, |s| s.causes.len())
    }

    /// Selects the symptom at `index` (out of range: ignored), its first cause.
    pub fn select_symptom(&mut self, index: usize) {
        if index < self.symptoms().len() && index != self.symptom {
            self.symptom = index;
            self.cause = 0;
        }
    }

    /// The next (`delta` 1) or previous (-1) symptom, wrapping around.
    pub fn cycle_symptom(&mut self, delta: isize) {
        let count = self.symptoms().len().max(1).cast_signed();
        let next = (self.symptom.cast_signed() + delta).rem_euclid(count);
        self.select_symptom(next.cast_unsigned());
    }

    /// Moves the selected cause by `delta`, stopping at the ends.
    pub fn move_cause(&mut self, delta: isize) {
        let last = self.cause_count().saturating_sub(1);
        self.cause = self.cause.saturating_add_signed(delta).min(last);
    }

    /// Expands the selected cause's row, or collapses it.
    pub fn toggle_expanded(&mut self) {
        let Some(id) = self.selected_cause().map(|c| c.cause.id) else {
            return;
        };
        if !self.expanded.remove(id) {
            self.expanded.insert(id);
        }
    }

    /// A run finished: its diagnosis (the same cause stays selected, wherever it ranks now), or
    /// why it could not run (the last diagnosis stays).
    pub fn receive(&mut self, result: Result<Diagnosis, String>) {
        self.running_since = None;
        match result {
            Ok(diagnosis) => {
                let selected = self.selected_cause().map(|c| c.cause.id);
                self.diagnosis = Some(diagnosis);
                self.error = None;
                let found = self
                    .symptom_report()
                    .and_then(|s| s.causes.iter().position(|c| Some(c.cause.id) == selected));
                self.cause = found.unwrap_or(self.cause);
                self.move_cause(0);
            }
            Err(e) => self.error = Some(e),
        }
    }
}
