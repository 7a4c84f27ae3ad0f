//! A CodeArtifact resource policy (a domain's or a repository's permissions policy) read for one
//! request of a role session, through the one evaluator (`eval`): which statement, if any, denies
//! or allows it.
//!
//! The request carries what cawiz knows of the session: its account, its role's ARN (with its
//! path) and its session name (configure-aws-credentials' `role-session-name`, `GitHubActions` by
//! default), and the condition keys `aws:PrincipalArn` and `aws:PrincipalAccount`. A condition on
//! any other global key cannot be decided here: a Deny with one is reported as conditional, an
//! Allow with one is not counted. `NotPrincipal` excepts the session only when it names the
//! account, the role and the session (see `principal.rs`).

use serde_json::Value;

use super::eval::{Caller, Claim, Effect, Request, Tri, evaluate};

/// Who is asking: a role's session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
    pub role_arn: String,
    /// The account the role is in.
    pub account: String,
    /// The session's name, when known.
    pub session: Option<String>,
}

/// What a resource policy says about one request. `statement` is the statement's `Sid`, else
/// `statement N` (1-based, in the document's order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceDecision {
    /// An applying Deny: the request is denied, whatever else allows it.
    ExplicitDeny { statement: String },
    /// A Deny that applies if a condition cawiz cannot decide holds.
    ConditionalDeny { statement: String },
    /// An applying Allow, and no Deny that may apply.
    Allow { statement: String },
    /// No statement applies.
    NotMentioned,
}

fn request(principal: &Principal, action: &str, resource: &str) -> Request {
    Request {
        caller: Caller::Session {
            account: principal.account.clone(),
            role_arn: principal.role_arn.clone(),
            session: principal.session.clone(),
        },
        action: action.to_owned(),
        resource: Some(resource.to_owned()),
        keys: vec![
            (
                "aws:PrincipalArn".to_owned(),
                Claim::Literal(principal.role_arn.clone()),
            ),
            (
                "aws:PrincipalAccount".to_owned(),
                Claim::Literal(principal.account.clone()),
            ),
        ],
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
    let eval = evaluate(doc, &request(principal, action, resource));
    let find = |effect: Effect, wanted: fn(&Tri) -> bool| {
        eval.statements
            .iter()
            .find(|s| s.effect == effect && wanted(&s.applies()))
            .map(|s| s.label())
    };
    if let Some(statement) = find(Effect::Deny, Tri::is_yes) {
        return ResourceDecision::ExplicitDeny { statement };
    }
    if let Some(statement) = find(Effect::Deny, |t| matches!(t, Tri::Maybe(_))) {
        return ResourceDecision::ConditionalDeny { statement };
    }
    match find(Effect::Allow, Tri::is_yes) {
        Some(statement) => ResourceDecision::Allow { statement },
        None => ResourceDecision::NotMentioned,
    }
}
