//! The doctor: the guide's three troubleshooting symptoms, diagnosed cause by cause
//! (`../shared/SPEC.md`, "Doctor"). `evidence` reads everything once, concurrently and
//! read-only; `oidc`, `publish` and `not_found` judge each cause from it; `engine` ranks them
//! (the latest failed run's cause first); `report` is what screens and `--json` show.

pub mod causes;
mod consumers;
mod engine;
mod evidence;
mod index_config;
mod names;
mod not_found;
mod notifications;
mod npm;
mod oidc;
mod package;
mod publish;
pub mod report;
mod resource;
mod symptom;

pub use causes::{CAUSES, Cause, Symptom, cause_of, causes_of};
pub use engine::{Request, diagnose};
pub use report::{CauseReport, Diagnosis, SymptomReport, Verdict};
