//! The package-format endpoints of CodeArtifact repositories other than PyPI's (which lives in
//! `pypi.rs`): one module per protocol, each behind the router's one entry for its paths.

pub mod npm;
pub mod token;
