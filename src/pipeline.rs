//! Runs of the publish workflow: what their logs say when they fail (`signatures`), so the doctor
//! and `cawiz verify` name the cause with the line that shows it.

pub mod signatures;
