//! What tests read on a running sandbox where AWS shows it only through other services (CloudWatch
//! metrics, the receiving end of a bus): the events CodeArtifact emitted and what each delivery to
//! a rule's target did.

use serde_json::Value;

use crate::SandboxHandle;

impl SandboxHandle {
    /// Every event CodeArtifact put on an event bus, oldest first.
    pub fn emitted_events(&self) -> Vec<Value> {
        self.shared.world().events.emitted.clone()
    }

    /// Every delivery of an event to a rule's target, oldest first: (rule ARN, target ARN, why it
    /// failed — `None` when the target took it). A failure is what CloudWatch's
    /// `FailedInvocations` counts.
    pub fn event_invocations(&self) -> Vec<(String, String, Option<String>)> {
        self.shared
            .world()
            .events
            .invocations
            .iter()
            .map(|i| (i.rule_arn.clone(), i.target_arn.clone(), i.failure.clone()))
            .collect()
    }
}
