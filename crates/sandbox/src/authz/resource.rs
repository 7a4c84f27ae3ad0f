//! CodeArtifact's resource policies in a role session's authorisation (CodeArtifact User Guide,
//! "Domain policies" and "Repository policies"):
//!
//! - the domain's policy is evaluated for every operation on the domain and on the repositories
//!   and packages in it; a repository's policy for operations on that repository and its packages;
//!   both together when both exist (either one's Allow allows);
//! - PutDomainPermissionsPolicy ignores the domain's policy and PutRepositoryPermissionsPolicy the
//!   repository's, so that an owner cannot lock themselves out;
//! - a statement applies to the caller when its `Principal` names everyone (`*`), the caller's
//!   account (`123456789012` or `arn:aws:iam::123456789012:root`), the role (its ARN) or the
//!   session (`arn:aws:sts::…:assumed-role/ROLE/SESSION`) — or when its `NotPrincipal` does not;
//!   then its Action, Resource and Condition are matched as in identity policies, with the
//!   request's `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType` and `aws:userid`.

use serde_json::Value;

use super::Need;
use crate::iam::document::string_list;
use crate::matching::{ContextEntry, statements};
use crate::simulate::{Decision, PolicyInput, evaluate};
use crate::world::{Session, World};

/// Who is calling, in the forms a resource policy's `Principal` may name them.
struct Caller<'a> {
    account: &'a str,
    role_arn: String,
    session_arn: String,
}

/// Whether one `Principal` entry (`"*"`, or an `AWS` value) names the caller.
fn names(caller: &Caller, entry: &str) -> bool {
    entry == "*"
        || entry == caller.account
        || entry == root_arn(caller.account)
        || entry == caller.role_arn
        || entry == caller.session_arn
}

/// Whether a `Principal` (or `NotPrincipal`) value names the caller: `"*"`, or `{"AWS": …}`.
fn principal_matches(caller: &Caller, principal: &Value) -> bool {
    match principal {
        Value::String(s) => s == "*",
        Value::Object(map) => map
            .get("AWS")
            .and_then(string_list)
            .is_some_and(|entries| entries.iter().any(|e| names(caller, e))),
        _ => false,
    }
}

/// Whether a `NotPrincipal` value excepts the caller: everyone (`"*"`), or the session's
/// account, role **and** session together. IAM "might validate the account first, then the role,
/// and then the assumed-role user" (IAM User Guide, "NotPrincipal"): a Deny whose `NotPrincipal`
/// misses one of the three may still deny the session, and the sandbox denies it. An account's
/// root user is excepted by its account alone.
fn excepts(caller: &Caller, not_principal: &Value) -> bool {
    let entries = match not_principal {
        Value::String(s) => vec![s.clone()],
        Value::Object(map) => map.get("AWS").and_then(string_list).unwrap_or_default(),
        _ => Vec::new(),
    };
    let root = root_arn(caller.account);
    let is_account = |e: &str| e == caller.account || e == root;
    let has = |wanted: &dyn Fn(&str) -> bool| entries.iter().any(|e| wanted(e));
    let is_root = caller.role_arn == root;
    has(&|e| e == "*")
        || (has(&is_account)
            && (is_root || (has(&|e| e == caller.role_arn) && has(&|e| e == caller.session_arn))))
}

/// `arn:aws:iam::ACCOUNT:root`: the account's root user, and the account as a principal.
fn root_arn(account: &str) -> String {
    format!("arn:aws:iam::{account}:root")
}

/// Whether a statement applies to the caller.
fn applies_to(caller: &Caller, statement: &Value) -> bool {
    match (statement.get("Principal"), statement.get("NotPrincipal")) {
        (Some(p), _) => principal_matches(caller, p),
        (None, Some(p)) => !excepts(caller, p),
        (None, None) => false,
    }
}

/// The document with only the statements that apply to the caller, as the identity-policy
/// evaluator reads it (it ignores `Principal`).
fn for_caller(caller: &Caller, document: &str) -> Option<String> {
    let doc: Value = serde_json::from_str(document).ok()?;
    let kept: Vec<Value> = statements(&doc)
        .into_iter()
        .filter(|s| applies_to(caller, s))
        .cloned()
        .collect();
    Some(serde_json::json!({ "Statement": kept }).to_string())
}

/// The domain and repository a CodeArtifact ARN names, if it is one in this account.
fn codeartifact_target(resource: &str) -> Option<(&str, &str, &str, Option<&str>)> {
    let rest = resource.strip_prefix("arn:aws:codeartifact:")?;
    let mut parts = rest.splitn(3, ':');
    let (region, owner, path) = (parts.next()?, parts.next()?, parts.next()?);
    let (kind, names) = path.split_once('/')?;
    let mut names = names.split('/');
    let domain = names.next()?;
    let repo = match kind {
        "repository" | "package" => names.next(),
        _ => None,
    };
    Some((region, owner, domain, repo))
}

/// The resource policies that take part in `need`: the domain's and the repository's, less the
/// one a Put…PermissionsPolicy call is replacing.
fn policies_for(world: &World, need: &Need) -> Vec<(&'static str, String)> {
    let Some((region, owner, domain, repo)) = codeartifact_target(&need.resource) else {
        return Vec::new();
    };
    let Some(domain) = world
        .domains
        .get(domain)
        .filter(|d| d.owner == owner && World::domain_region(d) == region)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if need.action != "codeartifact:PutDomainPermissionsPolicy"
        && let Some(doc) = &domain.permissions_policy
    {
        out.push(("domain policy", doc.clone()));
    }
    let repo_policy = repo
        .and_then(|r| domain.repositories.get(r))
        .and_then(|r| r.permissions_policy.clone());
    if need.action != "codeartifact:PutRepositoryPermissionsPolicy"
        && let Some(doc) = repo_policy
    {
        out.push(("repository policy", doc));
    }
    out
}

/// The global condition keys a role session's request carries.
fn principal_context(caller: &Caller, session: &Session) -> Vec<ContextEntry> {
    let entry = |key: &str, value: String| ContextEntry {
        key: key.to_owned(),
        values: vec![value],
    };
    vec![
        entry("aws:PrincipalArn", caller.role_arn.clone()),
        entry("aws:PrincipalAccount", caller.account.to_owned()),
        entry("aws:PrincipalType", "AssumedRole".to_owned()),
        entry(
            "aws:userid",
            format!("{}:{}", session.role_id, session.session_name),
        ),
    ]
}

/// What one resource policy `document` says about a session (`account`, `role_arn`,
/// `session_arn`) calling `action` on `resource`: the evaluation the sandbox enforces, for the
/// table of IAM cases the product's evaluator runs too.
pub fn document_decision(
    document: &str,
    account: &str,
    role_arn: &str,
    session_arn: &str,
    action: &str,
    resource: &str,
) -> Decision {
    let caller = Caller {
        account,
        role_arn: role_arn.to_owned(),
        session_arn: session_arn.to_owned(),
    };
    let Some(doc) = for_caller(&caller, document) else {
        return Decision::ImplicitDeny;
    };
    let context = vec![
        ContextEntry {
            key: "aws:PrincipalArn".to_owned(),
            values: vec![role_arn.to_owned()],
        },
        ContextEntry {
            key: "aws:PrincipalAccount".to_owned(),
            values: vec![account.to_owned()],
        },
    ];
    let inputs = [PolicyInput {
        id: "resource policy",
        document: &doc,
    }];
    evaluate(&inputs, action, resource, &context).decision
}

/// What one resource policy `document` says about another account's administrator (its root
/// user) calling `action` on `resource`: the consumer cases of the table of IAM cases.
pub fn account_document_decision(
    document: &str,
    account: &str,
    action: &str,
    resource: &str,
) -> Decision {
    let root = root_arn(account);
    let caller = Caller {
        account,
        role_arn: root.clone(),
        session_arn: root.clone(),
    };
    let Some(doc) = for_caller(&caller, document) else {
        return Decision::ImplicitDeny;
    };
    let context = vec![
        ContextEntry {
            key: "aws:PrincipalArn".to_owned(),
            values: vec![root],
        },
        ContextEntry {
            key: "aws:PrincipalAccount".to_owned(),
            values: vec![account.to_owned()],
        },
    ];
    let inputs = [PolicyInput {
        id: "resource policy",
        document: &doc,
    }];
    evaluate(&inputs, action, resource, &context).decision
}

/// What the resource policies say about `need` for `session`: `ExplicitDeny` when a statement
/// that applies denies it, `Allowed` when one allows it, `ImplicitDeny` when none speaks (or
/// there is no resource policy).
pub fn decide(world: &World, session: &Session, need: &Need, context: &[ContextEntry]) -> Decision {
    let caller = Caller {
        account: &world.account_id,
        role_arn: world.roles.get(&session.role_name).map_or_else(
            || world.role_arn("/", &session.role_name),
            |r| r.arn.clone(),
        ),
        session_arn: session.arn(&world.account_id),
    };
    let principal = principal_context(&caller, session);
    decide_as(world, &caller, principal, need, context)
}

/// [`decide`] for another account's administrator, its root user (`arn:aws:iam::ACCOUNT:root`):
/// the request carries `aws:PrincipalType` `Account` and `aws:userid` the account id.
pub fn decide_for_account(
    world: &World,
    account: &str,
    need: &Need,
    context: &[ContextEntry],
) -> Decision {
    let root = root_arn(account);
    let caller = Caller {
        account,
        role_arn: root.clone(),
        session_arn: root.clone(),
    };
    let entry = |key: &str, value: String| ContextEntry {
        key: key.to_owned(),
        values: vec![value],
    };
    let principal = vec![
        entry("aws:PrincipalArn", root),
        entry("aws:PrincipalAccount", account.to_owned()),
        entry("aws:PrincipalType", "Account".to_owned()),
        entry("aws:userid", account.to_owned()),
    ];
    decide_as(world, &caller, principal, need, context)
}

/// The account that owns a CodeArtifact resource ARN; `None` for `*` and other services'.
pub fn codeartifact_owner(resource: &str) -> Option<&str> {
    codeartifact_target(resource).map(|(_, owner, _, _)| owner)
}

fn decide_as(
    world: &World,
    caller: &Caller,
    principal: Vec<ContextEntry>,
    need: &Need,
    context: &[ContextEntry],
) -> Decision {
    let documents: Vec<(&str, String)> = policies_for(world, need)
        .into_iter()
        .filter_map(|(id, doc)| for_caller(caller, &doc).map(|d| (id, d)))
        .collect();
    if documents.is_empty() {
        return Decision::ImplicitDeny;
    }
    let inputs: Vec<PolicyInput> = documents
        .iter()
        .map(|(id, document)| PolicyInput { id, document })
        .collect();
    let mut full = context.to_vec();
    full.extend(principal);
    evaluate(&inputs, &need.action, &need.resource, &full).decision
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn caller() -> Caller<'static> {
        Caller {
            account: "123456789012",
            role_arn: "arn:aws:iam::123456789012:role/ci/Publisher".into(),
            session_arn: "arn:aws:sts::123456789012:assumed-role/Publisher/GitHubActions".into(),
        }
    }

    #[test]
    fn principals_name_everyone_the_account_the_role_or_the_session() {
        let c = caller();
        for p in [
            serde_json::json!("*"),
            serde_json::json!({"AWS": "*"}),
            serde_json::json!({"AWS": "123456789012"}),
            serde_json::json!({"AWS": "arn:aws:iam::123456789012:root"}),
            serde_json::json!({"AWS": ["arn:aws:iam::1:root", "arn:aws:iam::123456789012:role/ci/Publisher"]}),
            serde_json::json!({"AWS": "arn:aws:sts::123456789012:assumed-role/Publisher/GitHubActions"}),
        ] {
            assert!(principal_matches(&c, &p), "{p}");
        }
        for p in [
            serde_json::json!({"AWS": "210987654321"}),
            serde_json::json!({"AWS": "arn:aws:iam::123456789012:role/Publisher"}),
            serde_json::json!({"Service": "codebuild.amazonaws.com"}),
            serde_json::json!("arn:aws:iam::123456789012:root"),
        ] {
            assert!(!principal_matches(&c, &p), "{p}");
        }
        let not = serde_json::json!({"Effect": "Deny", "NotPrincipal": {"AWS": "210987654321"}});
        assert!(applies_to(&c, &not));
        // Another account's root user: named by its account, excepted by its account alone.
        let root = Caller {
            account: "210987654321",
            role_arn: root_arn("210987654321"),
            session_arn: root_arn("210987654321"),
        };
        assert!(principal_matches(
            &root,
            &serde_json::json!({"AWS": "210987654321"})
        ));
        assert!(!principal_matches(
            &root,
            &serde_json::json!({"AWS": "123456789012"})
        ));
        assert!(!applies_to(&root, &not));
        let not_session =
            serde_json::json!({"Effect": "Deny", "NotPrincipal": {"AWS": "123456789012"}});
        assert!(applies_to(&root, &not_session));
        assert!(applies_to(
            &c,
            &serde_json::json!({"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}})
        ));
        assert!(!applies_to(&c, &serde_json::json!({"Effect": "Deny"})));
    }

    #[test]
    fn arns_name_their_domain_and_repository() {
        assert_eq!(
            codeartifact_target("arn:aws:codeartifact:us-east-1:1:domain/d"),
            Some(("us-east-1", "1", "d", None))
        );
        assert_eq!(
            codeartifact_target("arn:aws:codeartifact:us-east-1:1:repository/d/r"),
            Some(("us-east-1", "1", "d", Some("r")))
        );
        assert_eq!(
            codeartifact_target("arn:aws:codeartifact:eu-west-1:1:package/d/r/pypi//n"),
            Some(("eu-west-1", "1", "d", Some("r")))
        );
        assert_eq!(codeartifact_target("*"), None);
    }
}
