//! The doctor: the guide's three troubleshooting symptoms, diagnosed cause by cause
//! (`../shared/SPEC.md`, "Doctor").

pub mod causes;

pub use causes::{CAUSES, Cause, Symptom, cause_of, causes_of};
