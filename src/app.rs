//! The TUI's state machine: `Model`, `Msg` in, `Effect`s out. `update` (in `app/update.rs`) does no
//! I/O (the runner in `app/run.rs` carries out the effects and turns results into messages), so
//! every transition is tested without a terminal or a network.

pub mod all;
pub mod doctor;
pub mod form;
mod jobs;
pub mod keys;
pub mod model;
pub mod run;
mod update;

pub use doctor::DoctorView;
pub use form::{Form, FormMode};
pub use model::*;
pub use update::update;

#[cfg(test)]
mod tests;
