//! cawiz: sets up and verifies "GitHub Actions publishes Python packages to AWS CodeArtifact through
//! OIDC". The library holds everything; `main.rs` only dispatches the command line.

pub mod app;
pub mod aws;
pub mod checklist;
pub mod cli;
pub mod commands;
pub mod doctor;
pub mod error_text;
pub mod github;
pub mod localtest;
pub mod pipeline;
pub mod policy;
pub mod sandbox;
pub mod setup;
pub mod shell;
pub mod state;
pub mod text;
pub mod ui;
pub mod workflow;
