//! A CodeArtifact resource policy (a domain's or a repository's permissions policy) read for one
//! request of a role session: which statement, if any, denies or allows it. Pure and static: the
//! request context is not known, so a Deny with a Condition is reported as such, not decided.
//!
//! IAM's rules, as far as they can be applied without the request context:
//! - a statement applies when its `Principal` names the caller — everyone (`"*"`, `{"AWS": "*"}`),
//!   the caller's account (`ACCOUNT` or `arn:PARTITION:iam::ACCOUNT:root`), the role's ARN, or a
//!   session of the role (`arn:PARTITION:sts::ACCOUNT:assumed-role/NAME/SESSION`) — and, for
//!   `NotPrincipal`, unless it names both the account and the role (or a session of it): IAM may
//!   check the account, the role and the session in turn, so excepting the role alone still
//!   denies it through its account (IAM User Guide, "NotPrincipal");
//! - its `Action` (or, inverted, `NotAction`) matches the action, wildcards, ignoring case;
//! - its `Resource` (or, inverted, `NotResource`) matches the resource ARN, wildcards; a resource
//!   policy's statement without either applies to the resource the policy is on;
//! - an applying Deny beats any Allow. An Allow with a Condition is not counted: whether it grants
//!   depends on the request.
//!
//! The session name of the request is not known here (configure-aws-credentials chooses it), so a
//! session form names the caller whatever its session part — the policy speaks about the role's
//! sessions. IAM compares a Principal's ARN literally (no wildcards but a lone `*`).

use serde_json::Value;

use super::{glob_match, statements, strings};

/// Who is asking: a role's session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
    pub role_arn: String,
    /// The account the role is in.
    pub account: String,
}

/// What a resource policy says about one request. `statement` is the statement's `Sid`, else
/// `statement N` (1-based, in the document's order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceDecision {
    /// An applying Deny without a Condition: the request is denied, whatever else allows it.
    ExplicitDeny { statement: String },
    /// An applying Deny with a Condition: denied if the condition holds for the request.
    ConditionalDeny { statement: String },
    /// An applying Allow without a Condition, and no applying Deny.
    Allow { statement: String },
    /// No statement applies.
    NotMentioned,
}

impl Principal {
    /// The partition of the role's ARN (`aws` when it cannot be read).
    fn partition(&self) -> &str {
        self.role_arn
            .strip_prefix("arn:")
            .and_then(|rest| rest.split(':').next())
            .filter(|p| !p.is_empty())
            .unwrap_or("aws")
    }

    /// The role's name: the last part of its ARN (after the path).
    fn role_name(&self) -> &str {
        self.role_arn.rsplit('/').next().unwrap_or_default()
    }

    fn names_account(&self, entry: &str) -> bool {
        entry == self.account
            || entry == format!("arn:{}:iam::{}:root", self.partition(), self.account)
    }

    /// Whether `entry` is an ARN of a session of the role (any session name).
    fn names_session(&self, entry: &str) -> bool {
        let prefix = format!(
            "arn:{}:sts::{}:assumed-role/{}/",
            self.partition(),
            self.account,
            self.role_name()
        );
        entry
            .strip_prefix(&prefix)
            .is_some_and(|session| !session.is_empty() && !session.contains('/'))
    }

    fn names_role(&self, entry: &str) -> bool {
        entry == self.role_arn || self.names_session(entry)
    }
}

/// The `AWS` entries of a `Principal`/`NotPrincipal` value; `"*"` stands for `{"AWS": "*"}`.
/// Other principal types (`Service`, `Federated`) never name a role session.
fn aws_entries(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) if s == "*" => vec!["*".to_owned()],
        Value::Object(map) => strings(map.get("AWS")),
        _ => Vec::new(),
    }
}

/// Whether a `Principal` value names the caller (any of account, role, session, everyone).
fn principal_names(principal: &Principal, value: &Value) -> bool {
    aws_entries(value)
        .iter()
        .any(|e| e == "*" || principal.names_account(e) || principal.names_role(e))
}

/// Whether a `NotPrincipal` value excepts the caller: everyone, or both its account and its role.
fn not_principal_excepts(principal: &Principal, value: &Value) -> bool {
    let entries = aws_entries(value);
    entries.iter().any(|e| e == "*")
        || (entries.iter().any(|e| principal.names_account(e))
            && entries.iter().any(|e| principal.names_role(e)))
}

fn applies_to_principal(st: &Value, principal: &Principal) -> bool {
    match (st.get("Principal"), st.get("NotPrincipal")) {
        (Some(p), _) => principal_names(principal, p),
        (None, Some(p)) => !not_principal_excepts(principal, p),
        (None, None) => false,
    }
}

fn applies_to_action(st: &Value, action: &str) -> bool {
    let any = |field: &str| {
        strings(st.get(field))
            .iter()
            .any(|p| glob_match(&p.to_lowercase(), &action.to_lowercase()))
    };
    match (st.get("Action"), st.get("NotAction")) {
        (Some(_), _) => any("Action"),
        (None, Some(_)) => !any("NotAction"),
        (None, None) => false,
    }
}

fn applies_to_resource(st: &Value, resource: &str) -> bool {
    let any = |field: &str| {
        strings(st.get(field))
            .iter()
            .any(|p| glob_match(p, resource))
    };
    match (st.get("Resource"), st.get("NotResource")) {
        (Some(_), _) => any("Resource"),
        (None, Some(_)) => !any("NotResource"),
        (None, None) => true,
    }
}

fn has_condition(st: &Value) -> bool {
    st.get("Condition")
        .and_then(Value::as_object)
        .is_some_and(|c| !c.is_empty())
}

/// The statement's Sid, else `statement N` (`index` 0-based).
fn label(st: &Value, index: usize) -> String {
    st.get("Sid")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map_or_else(|| format!("statement {}", index + 1), str::to_owned)
}

/// How strongly a statement decides: higher wins (an explicit Deny beats a conditional one, which
/// beats an Allow).
fn rank(decision: &ResourceDecision) -> u8 {
    match decision {
        ResourceDecision::ExplicitDeny { .. } => 3,
        ResourceDecision::ConditionalDeny { .. } => 2,
        ResourceDecision::Allow { .. } => 1,
        ResourceDecision::NotMentioned => 0,
    }
}

/// What one statement says about the request.
fn statement_decision(
    st: &Value,
    index: usize,
    principal: &Principal,
    action: &str,
    resource: &str,
) -> ResourceDecision {
    let applies = applies_to_principal(st, principal)
        && applies_to_action(st, action)
        && applies_to_resource(st, resource);
    if !applies {
        return ResourceDecision::NotMentioned;
    }
    let statement = label(st, index);
    match (st.get("Effect").and_then(Value::as_str), has_condition(st)) {
        (Some("Deny"), false) => ResourceDecision::ExplicitDeny { statement },
        (Some("Deny"), true) => ResourceDecision::ConditionalDeny { statement },
        (Some("Allow"), false) => ResourceDecision::Allow { statement },
        _ => ResourceDecision::NotMentioned,
    }
}

/// What the resource policy `doc` says about `principal` calling `action` on `resource` (the
/// ARN of the domain, repository or package): the strongest applying statement, the first in the
/// document among equals.
pub fn resource_policy_decision(
    doc: &Value,
    principal: &Principal,
    action: &str,
    resource: &str,
) -> ResourceDecision {
    statements(doc)
        .into_iter()
        .enumerate()
        .map(|(i, st)| statement_decision(st, i, principal, action, resource))
        .fold(ResourceDecision::NotMentioned, |best, d| {
            if rank(&d) > rank(&best) { d } else { best }
        })
}
