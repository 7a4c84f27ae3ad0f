//! What a run's steps reach while they execute: the world (IAM, STS, CodeArtifact, PyPI, GitHub),
//! the sandbox's URL, and the injected faults. The calls they make are counted like requests
//! (`AssumeRoleWithWebIdentity`, `GetAuthorizationToken`, `PypiUpload`, …) and `--fault` applies
//! to them.

use std::sync::{Mutex, PoisonError};

use crate::fault::FaultInjector;
use crate::protocol::ApiError;
use crate::world::World;

pub struct Runner<'w> {
    pub world: &'w mut World,
    /// `http://127.0.0.1:PORT`, for the PyPI endpoint's URL.
    pub base_url: &'w str,
    faults: &'w Mutex<FaultInjector>,
    /// Operations called, in order (merged into the sandbox's call counts).
    pub calls: Vec<String>,
}

impl<'w> Runner<'w> {
    pub fn new(world: &'w mut World, base_url: &'w str, faults: &'w Mutex<FaultInjector>) -> Self {
        Self {
            world,
            base_url,
            faults,
            calls: Vec::new(),
        }
    }

    /// Counts a call of `operation`; the injected fault's error if `--fault` names it.
    pub fn call(&mut self, operation: &str) -> Result<(), ApiError> {
        self.calls.push(operation.to_owned());
        let injected = self
            .faults
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .decide(operation);
        match injected {
            Some(code) => Err(ApiError::new(
                &code,
                format!("Injected fault for {operation} (cawiz sandbox --fault)"),
            )),
            None => Ok(()),
        }
    }
}
