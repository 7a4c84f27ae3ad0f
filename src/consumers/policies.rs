//! The consumers' grants in the domain's and the repository's permissions policies: the
//! statements cawiz writes, and each consumer's rows.

use serde_json::{Value, json};

use super::{Consumer, RowId};
use crate::checklist::rows::{Row, Verdict};
use crate::policy::Tri;
use crate::policy::eval::{Caller, Claim, Effect, Request, evaluate};

/// The evidence of a row an explicit Deny decided.
const DENIED: &str = "denied by statement";

/// Whether an explicit Deny decided `row` (no grant can fix it: the Deny must go).
pub fn is_denial(row: &Row) -> bool {
    row.verdict == Verdict::Fail && row.evidence.iter().any(|e| e.contains(DENIED))
}

/// Every consumer's rows (domain policy, then read grant), in the setup's order.
pub fn all_rows(
    consumers: &[Consumer],
    domain_policy: Option<&Value>,
    repository_policy: Option<&Value>,
    domain_arn: &str,
    repository_arn: &str,
) -> Vec<Row> {
    consumers
        .iter()
        .flat_map(|c| {
            consumer_rows(
                c,
                domain_policy,
                repository_policy,
                domain_arn,
                repository_arn,
            )
        })
        .collect()
}

/// What the domain policy grants a consumer.
pub const DOMAIN_ACTIONS: &[&str] = &[
    "codeartifact:GetAuthorizationToken",
    "codeartifact:DescribeDomain",
];

/// What the repository policy grants a consumer.
pub const REPOSITORY_ACTIONS: &[&str] = &[
    "codeartifact:ReadFromRepository",
    "codeartifact:DescribeRepository",
    "codeartifact:GetRepositoryEndpoint",
    "codeartifact:DescribePackageVersion",
    "codeartifact:ListPackages",
    "codeartifact:ListPackageVersions",
];

/// `Principal` (and `Condition`) naming the consumer: its account's root, or everyone in the
/// organisation.
fn principal(consumer: &Consumer) -> (Value, Option<Value>) {
    match consumer {
        Consumer::Account(a) => (json!({"AWS": format!("arn:aws:iam::{a}:root")}), None),
        Consumer::Organization(o) => (
            json!({"AWS": "*"}),
            Some(json!({"StringEquals": {"aws:PrincipalOrgID": o}})),
        ),
    }
}

fn statement(sid: String, consumer: &Consumer, actions: &[&str]) -> Value {
    let (principal, condition) = principal(consumer);
    let mut st = json!({
        "Sid": sid,
        "Effect": "Allow",
        "Principal": principal,
        "Action": actions,
        "Resource": "*"
    });
    if let Some(c) = condition {
        st["Condition"] = c;
    }
    st
}

/// cawiz's statement in the domain policy for `consumer`.
pub fn domain_statement(consumer: &Consumer) -> Value {
    statement(
        format!("cawizConsumer{}Token", consumer.sid_part()),
        consumer,
        DOMAIN_ACTIONS,
    )
}

/// cawiz's statement in the repository policy for `consumer`.
pub fn repository_statement(consumer: &Consumer) -> Value {
    statement(
        format!("cawizConsumer{}Read", consumer.sid_part()),
        consumer,
        REPOSITORY_ACTIONS,
    )
}

fn request(consumer: &Consumer, action: &str, resource: &str) -> Request {
    let (account, keys) = match consumer {
        Consumer::Account(a) => (
            Some(a.clone()),
            vec![("aws:PrincipalAccount".to_owned(), Claim::Literal(a.clone()))],
        ),
        Consumer::Organization(o) => (
            None,
            vec![("aws:PrincipalOrgID".to_owned(), Claim::Literal(o.clone()))],
        ),
    };
    Request {
        caller: Caller::Account { account },
        action: action.to_owned(),
        resource: Some(resource.to_owned()),
        keys,
    }
}

/// What the policies (any of them may grant) say about one action: a Deny that applies (or may:
/// the statement), whether an Allow applies.
enum Said {
    Denied(String),
    Allowed,
    NotAllowed,
}

fn said(docs: &[&Value], consumer: &Consumer, action: &str, resource: &str) -> Said {
    let mut allowed = false;
    for doc in docs {
        let eval = evaluate(doc, &request(consumer, action, resource));
        let deny = eval
            .statements
            .iter()
            .find(|s| s.effect == Effect::Deny && !s.applies().is_no());
        if let Some(d) = deny {
            return Said::Denied(d.label());
        }
        allowed |= eval
            .statements
            .iter()
            .any(|s| s.effect == Effect::Allow && s.applies() == Tri::Yes);
    }
    if allowed {
        Said::Allowed
    } else {
        Said::NotAllowed
    }
}

/// The row of one policy for one consumer over `actions` on `resource` (package actions on the
/// repository's packages), with what to add when something is missing.
fn row(
    id: RowId,
    title: String,
    docs: &[&Value],
    consumer: &Consumer,
    actions: &[&str],
    resource_of: &dyn Fn(&str) -> String,
    fix: &str,
) -> Row {
    let mut missing = Vec::new();
    for action in actions {
        match said(docs, consumer, action, &resource_of(action)) {
            Said::Denied(statement) => {
                return Row::new(id.key(), title, Verdict::Fail)
                    .evidence(format!("{action}: {DENIED} {statement}"))
                    .fix(
                        "an explicit Deny wins over any grant: remove or narrow that statement",
                        None,
                    );
            }
            Said::Allowed => {}
            Said::NotAllowed => missing.push(*action),
        }
    }
    if missing.is_empty() {
        return Row::new(id.key(), title, Verdict::Ok)
            .evidence(format!("allowed: {}", actions.join(", ")));
    }
    Row::new(id.key(), title, Verdict::Fail)
        .evidence(format!("not allowed: {}", missing.join(", ")))
        .fix(fix, None)
}

/// The consumer's two rows: the domain policy (a token; only the domain's policy speaks for the
/// domain), and the read grant (the repository's policy or the domain's).
pub fn consumer_rows(
    consumer: &Consumer,
    domain_policy: Option<&Value>,
    repository_policy: Option<&Value>,
    domain_arn: &str,
    repository_arn: &str,
) -> Vec<Row> {
    let id = consumer.id();
    let domain_docs: Vec<&Value> = domain_policy.into_iter().collect();
    let domain = row(
        RowId::DomainPolicy,
        format!("{id} may get a token (domain policy)"),
        &domain_docs,
        consumer,
        DOMAIN_ACTIONS,
        &|_| domain_arn.to_owned(),
        "add cawiz's statement to the domain policy (aws codeartifact put-domain-permissions-policy)",
    );
    let read_docs: Vec<&Value> = repository_policy.into_iter().chain(domain_policy).collect();
    let packages = repository_arn.replacen(":repository/", ":package/", 1) + "/*";
    let read = row(
        RowId::RepositoryPolicy,
        format!("{id} may read the repository (repository policy)"),
        &read_docs,
        consumer,
        REPOSITORY_ACTIONS,
        &|action| {
            if action.ends_with("PackageVersion") || action.ends_with("PackageVersions") {
                packages.clone()
            } else {
                repository_arn.to_owned()
            }
        },
        "add cawiz's statement to the repository policy (aws codeartifact put-repository-permissions-policy)",
    );
    vec![domain, read]
}
