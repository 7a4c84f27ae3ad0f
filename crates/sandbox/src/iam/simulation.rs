//! SimulatePrincipalPolicy: the request and response around the evaluator in `sandbox::simulate`.
//!
//! One deviation from AWS: IAM answers with one `EvaluationResults` member per action and, when
//! several resources are given, groups the per-resource outcomes in `ResourceSpecificResults`.
//! The sandbox instead answers with one flat member per (action, resource) pair, each with its own
//! `EvalResourceName`, so callers read every decision the same way. With a single resource (how
//! cawiz calls it) the two shapes carry the same information.

use super::authorize::{RoleDecision, decide};
use super::document::{DocKind, validate};
use super::{Shared, constraint, no_such_role, not_truncated};
use crate::protocol::{ApiError, ApiResult, Params, X};
use crate::simulate::ContextEntry;
use crate::world::{Role, World};

const CONTEXT_KEY_TYPES: &[&str] = &[
    "string",
    "stringList",
    "numeric",
    "numericList",
    "boolean",
    "booleanList",
    "ip",
    "ipList",
    "binary",
    "binaryList",
    "date",
    "dateList",
];

/// IAM does not say which policy type a managed policy is here; real responses say "IAM Policy".
const SOURCE_POLICY_TYPE: &str = "IAM Policy";

fn context_entries(params: &Params) -> ApiResult<Vec<ContextEntry>> {
    params
        .struct_list("ContextEntries")
        .into_iter()
        .map(|entry| {
            let key = entry.get("ContextKeyName").ok_or_else(|| {
                ApiError::new(
                    "InvalidInput",
                    "Each ContextEntries member needs a ContextKeyName",
                )
            })?;
            if let Some(kind) = entry.get("ContextKeyType")
                && !CONTEXT_KEY_TYPES.contains(&kind)
            {
                return Err(constraint(
                    "contextKeyType",
                    kind,
                    "Member must satisfy enum value set: [string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList]",
                ));
            }
            Ok(ContextEntry {
                key: key.to_owned(),
                values: entry.list("ContextKeyValues"),
            })
        })
        .collect()
}

/// The role named by `PolicySourceArn`: `arn:aws:iam::ACCOUNT:role/PATH/NAME` of this account,
/// its path included (a role's ARN without its path names no role).
fn source_role<'w>(world: &'w World, source: &str) -> ApiResult<&'w Role> {
    let parts: Vec<&str> = source.splitn(6, ':').collect();
    let ["arn", "aws", "iam", "", account, resource] = parts.as_slice() else {
        return Err(ApiError::new(
            "InvalidInput",
            format!(
                "Invalid ARN {source}: PolicySourceArn must be the ARN of an IAM user, group or role"
            ),
        ));
    };
    let Some(name) = resource
        .strip_prefix("role/")
        .map(|p| p.rsplit('/').next().unwrap_or(p))
    else {
        return Err(ApiError::new(
            "NoSuchEntity",
            format!("No entity {source}: the cawiz sandbox has no IAM users or groups, only roles"),
        ));
    };
    world
        .roles
        .get(name)
        .filter(|r| r.arn == source && *account == world.account_id)
        .ok_or_else(|| no_such_role(name))
}

/// The `…DecisionDetail` elements of a result, each present only when it applies.
fn decision_details(decision: &RoleDecision) -> Vec<X> {
    let mut out = Vec::new();
    if let Some(allowed) = decision.organizations_allow() {
        out.push(X::node(
            "OrganizationsDecisionDetail",
            vec![X::leaf("AllowedByOrganizations", allowed)],
        ));
    }
    if let Some(allowed) = decision.boundary_allows() {
        out.push(X::node(
            "PermissionsBoundaryDecisionDetail",
            vec![X::leaf("AllowedByPermissionsBoundary", allowed)],
        ));
    }
    out
}

pub fn simulate(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let source = params.required("PolicySourceArn")?;
    let actions = params.list("ActionNames");
    if actions.is_empty() {
        return Err(params
            .required("ActionNames")
            .err()
            .unwrap_or_else(|| ApiError::new("ValidationError", "ActionNames must not be empty")));
    }
    let mut resources = params.list("ResourceArns");
    if resources.is_empty() {
        resources.push("*".to_owned());
    }
    let context = context_entries(params)?;
    let mut policies = Vec::new();
    for (i, document) in params.list("PolicyInputList").into_iter().enumerate() {
        validate(&document, DocKind::Identity)
            .map_err(|e| ApiError::new("InvalidInput", e.message))?;
        policies.push((format!("PolicyInputList.{}", i + 1), document));
    }
    let world = shared.world();
    let role = source_role(&world, source)?;

    let mut results = Vec::new();
    for action in &actions {
        for resource in &resources {
            let decision = decide(&world, role, &policies, action, resource, &context);
            let eval = &decision.identity;
            let matched = eval
                .matched
                .iter()
                .map(|m| {
                    let mut children = vec![
                        X::leaf("SourcePolicyId", &m.policy_id),
                        X::leaf("SourcePolicyType", SOURCE_POLICY_TYPE),
                    ];
                    if let Some(span) = m.span {
                        let pos = |name: &str, p: super::spans::Position| {
                            X::node(
                                name,
                                vec![X::leaf("Line", p.line), X::leaf("Column", p.column)],
                            )
                        };
                        children.push(pos("StartPosition", span.start));
                        children.push(pos("EndPosition", span.end));
                    }
                    children
                })
                .collect();
            let mut result = vec![
                X::leaf("EvalActionName", action),
                X::leaf("EvalResourceName", resource),
                X::leaf("EvalDecision", decision.decision.as_str()),
                X::members("MatchedStatements", matched),
                X::text_members("MissingContextValues", &eval.missing_context),
            ];
            result.extend(decision_details(&decision));
            results.push(result);
        }
    }
    Ok(vec![
        X::members("EvaluationResults", results),
        not_truncated(),
    ])
}
