//! The order in which requests arrive and are answered, for tests of what waits for what: a
//! request sent only after another's answer arrives after that answer. A test can also hold an
//! operation's answer until other operations have arrived (or a deadline passes), so that the
//! order it reads does not depend on timing: what was sent without waiting for the held answer
//! arrives before it; what waited arrives after.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;

use crate::SandboxHandle;

/// One step of a request, in the order the sandbox saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Arrived(String),
    Answered(String),
}

/// Held: the answers to `operation` wait until every one of `until` has arrived, at most `for_at_most`.
#[derive(Debug, Clone)]
struct Hold {
    operation: String,
    until: Vec<String>,
    for_at_most: Duration,
}

#[derive(Debug, Default)]
pub(crate) struct Order {
    steps: Mutex<Vec<Step>>,
    holds: Mutex<Vec<Hold>>,
    arrived: Notify,
}

impl Order {
    pub fn arrived(&self, operation: &str) {
        self.steps
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Step::Arrived(operation.to_owned()));
        self.arrived.notify_waiters();
    }

    fn has_arrived(&self, operations: &[String]) -> bool {
        let steps = self.steps.lock().unwrap_or_else(PoisonError::into_inner);
        operations
            .iter()
            .all(|op| steps.contains(&Step::Arrived(op.clone())))
    }

    /// Waits while `operation`'s answer is held, then records that it is answered.
    pub async fn answer(&self, operation: &str) {
        let hold = self
            .holds
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|h| h.operation == operation)
            .cloned();
        if let Some(hold) = hold {
            let wait = async {
                loop {
                    let notified = self.arrived.notified();
                    if self.has_arrived(&hold.until) {
                        return;
                    }
                    notified.await;
                }
            };
            let _ = tokio::time::timeout(hold.for_at_most, wait).await;
        }
        self.steps
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Step::Answered(operation.to_owned()));
    }
}

impl SandboxHandle {
    /// Every request's arrival and answer so far, in order (operation names as in [`Self::calls`]).
    pub fn request_order(&self) -> Vec<Step> {
        self.shared
            .order
            .steps
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Forgets the order seen so far.
    pub fn clear_request_order(&self) {
        self.shared
            .order
            .steps
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Holds every answer to `operation` until each of `until` has arrived, or `for_at_most`.
    pub fn hold_answer(&self, operation: &str, until: &[&str], for_at_most: Duration) {
        self.shared
            .order
            .holds
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Hold {
                operation: operation.to_owned(),
                until: until.iter().map(|s| (*s).to_owned()).collect(),
                for_at_most,
            });
    }
}
