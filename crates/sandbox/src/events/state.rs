//! EventBridge's state in the world: rules (with their targets), what was delivered, and what
//! CodeArtifact emitted. Plain data.

use std::collections::BTreeMap;

use serde_json::Value;

/// EventBridge's rules, by region and name (all on the account's default event bus).
#[derive(Debug, Default)]
pub struct EventsState {
    pub rules: BTreeMap<(String, String), Rule>,
    /// Every delivery to a target, in order (what CloudWatch's `Invocations` and
    /// `FailedInvocations` count).
    pub invocations: Vec<Invocation>,
    /// Every event CodeArtifact put on a bus, in order.
    pub emitted: Vec<Value>,
    /// The last `sequenceNumber` sent per package version.
    pub sequence: BTreeMap<String, u64>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub arn: String,
    pub region: String,
    /// The pattern as given (JSON text).
    pub event_pattern: Option<String>,
    pub schedule_expression: Option<String>,
    /// `ENABLED`, `DISABLED` or `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`.
    pub state: String,
    pub description: Option<String>,
    /// In the order they were first put.
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone)]
pub struct Target {
    pub id: String,
    pub arn: String,
    /// A constant JSON text sent instead of the event.
    pub input: Option<String>,
}

/// What one delivery did, for the sandbox's own record (`SandboxHandle::event_deliveries`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub rule_arn: String,
    pub target_arn: String,
    /// `None` when the target accepted the event, else why not.
    pub failure: Option<String>,
}
