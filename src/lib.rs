//! cawiz: sets up and verifies "GitHub Actions publishes Python packages to AWS CodeArtifact through
//! OIDC". The library holds everything; `main.rs` only dispatches the command line.
// Output goes through `commands::print` (escaped) or the TUI (`ui::safe`), never straight out.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod app;
pub mod atomic;
pub mod aws;
pub mod checklist;
pub mod child;
pub mod cli;
pub mod commands;
pub mod consumers;
pub mod doctor;
pub mod endpoint;
pub mod error_text;
pub mod escape;
pub mod format;
pub mod github;
pub mod listing;
pub mod localtest;
pub mod notify;
pub mod pipeline;
pub mod policy;
pub mod sandbox;
pub mod setup;
pub mod shell;
pub mod state;
pub mod ui;
pub mod workflow;
