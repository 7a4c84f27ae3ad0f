//! Resource policies on domains and repositories: Put/Get/Delete DomainPermissionsPolicy and
//! Put/Get/Delete RepositoryPermissionsPolicy. Each answers `{"policy": {resourceArn, revision,
//! document}}`; the revision changes exactly when the document does, and a `policyRevision` given
//! on Put or Delete must be the current one (optimistic locking). What the policies allow or deny
//! is enforced in `authz::resource`.

use base64::Engine as _;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::input::{self, Violations};
use super::{Ctx, find_domain, find_domain_mut, find_repository, repository_not_found};
use crate::matching::statements;
use crate::protocol::{ApiError, ApiResult, json_body};
use crate::world::World;

/// `PolicyDocument`'s length limit.
const DOCUMENT_MAX: usize = 7168;

/// A policy revision: derived from the document, so it changes exactly when the document does.
pub fn policy_revision(document: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(document.as_bytes()))
}

/// `ResourcePolicy`.
fn resource_policy(arn: &str, document: &str) -> Value {
    json!({ "policy": {
        "resourceArn": arn,
        "revision": policy_revision(document),
        "document": document,
    }})
}

fn no_policy(what: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFoundException",
        format!("No resource policy is set on {what}"),
    )
}

fn invalid_policy(reason: &str) -> ApiError {
    ApiError::new(
        "ValidationException",
        format!("Invalid policy document: {reason}"),
    )
}

/// Whether a statement names who it applies to (a resource policy must).
fn names_principal(statement: &Value) -> bool {
    statement.get("Principal").is_some() || statement.get("NotPrincipal").is_some()
}

/// Checks `policyDocument` as a resource policy: its length and characters, JSON, and statements
/// with an Effect, actions and a principal.
fn check_document(document: &str) -> ApiResult<()> {
    let mut v = Violations::default();
    v.length("policyDocument", document, 1, DOCUMENT_MAX);
    let printable = !document
        .chars()
        .any(|c| c.is_control() && !c.is_whitespace());
    v.pattern("policyDocument", document, printable, r"[\P{C}\s]+");
    v.finish()?;
    let doc: Value = serde_json::from_str(document)
        .map_err(|e| invalid_policy(&format!("it is not JSON ({e})")))?;
    let list = statements(&doc);
    if list.is_empty() {
        return Err(invalid_policy("it has no Statement"));
    }
    for statement in list {
        let effect = statement.get("Effect").and_then(Value::as_str);
        if !matches!(effect, Some("Allow" | "Deny")) {
            return Err(invalid_policy("each statement needs Effect Allow or Deny"));
        }
        if statement.get("Action").is_none() && statement.get("NotAction").is_none() {
            return Err(invalid_policy("each statement needs Action or NotAction"));
        }
        if !names_principal(statement) {
            return Err(invalid_policy(
                "each statement of a resource policy needs a Principal",
            ));
        }
    }
    Ok(())
}

/// The Put body: `policyDocument` (required, checked) and `policyRevision`.
fn put_body(cx: &Ctx) -> ApiResult<(String, Option<String>)> {
    let body = json_body(cx.body)?;
    let document = input::body_string(&body, "policyDocument")?
        .ok_or_else(|| input::null("policyDocument"))?
        .to_owned();
    let revision = input::body_string(&body, "policyRevision")?.map(str::to_owned);
    check_document(&document)?;
    Ok((document, revision))
}

/// Optimistic locking: a revision given must be the current policy's.
fn check_revision(current: Option<&str>, given: Option<&str>, what: &str) -> ApiResult<()> {
    let Some(given) = given else {
        return Ok(());
    };
    match current.map(policy_revision) {
        Some(rev) if rev == given => Ok(()),
        Some(rev) => Err(ApiError::new(
            "ConflictException",
            format!(
                "The policy revision {given} does not match the current revision {rev} of the resource policy on {what}"
            ),
        )),
        None => Err(ApiError::new(
            "ConflictException",
            format!(
                "The policy revision {given} was given, but there is no resource policy on {what}"
            ),
        )),
    }
}

fn domain_label(name: &str) -> String {
    format!("domain {name}")
}

fn repository_label(domain: &str, repo: &str) -> String {
    format!("repository {repo} in domain {domain}")
}

pub fn get_domain(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let domain = find_domain(world, &cx.q, cx.region)?;
    let document = domain
        .permissions_policy
        .as_deref()
        .ok_or_else(|| no_policy(&domain_label(&domain.name)))?;
    Ok(resource_policy(&domain.arn, document))
}

pub fn put_domain(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let (document, revision) = put_body(cx)?;
    let domain = find_domain_mut(world, &cx.q, cx.region)?;
    let label = domain_label(&domain.name);
    check_revision(
        domain.permissions_policy.as_deref(),
        revision.as_deref(),
        &label,
    )?;
    let out = resource_policy(&domain.arn, &document);
    domain.permissions_policy = Some(document);
    Ok(out)
}

pub fn delete_domain(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let domain = find_domain_mut(world, &cx.q, cx.region)?;
    let label = domain_label(&domain.name);
    let current = domain
        .permissions_policy
        .as_deref()
        .ok_or_else(|| no_policy(&label))?;
    check_revision(Some(current), cx.q.get("policy-revision"), &label)?;
    let out = resource_policy(&domain.arn, current);
    domain.permissions_policy = None;
    Ok(out)
}

pub fn get_repository(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let domain = find_domain(world, &cx.q, cx.region)?;
    let repo = find_repository(domain, &cx.q)?;
    let document = repo
        .permissions_policy
        .as_deref()
        .ok_or_else(|| no_policy(&repository_label(&domain.name, &repo.name)))?;
    Ok(resource_policy(&repo.arn, document))
}

/// Runs `change` on the repository the request names, with the label errors use.
fn with_repository(
    world: &mut World,
    cx: &Ctx,
    change: impl FnOnce(&mut crate::world::Repository, &str) -> ApiResult<Value>,
) -> ApiResult<Value> {
    let name = find_repository(find_domain(world, &cx.q, cx.region)?, &cx.q)?
        .name
        .clone();
    let domain = find_domain_mut(world, &cx.q, cx.region)?;
    let label = repository_label(&domain.name, &name);
    let missing = repository_not_found(domain, &name);
    let repo = domain.repositories.get_mut(&name).ok_or(missing)?;
    change(repo, &label)
}

pub fn put_repository(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let (document, revision) = put_body(cx)?;
    with_repository(world, cx, |repo, label| {
        check_revision(
            repo.permissions_policy.as_deref(),
            revision.as_deref(),
            label,
        )?;
        let out = resource_policy(&repo.arn, &document);
        repo.permissions_policy = Some(document);
        Ok(out)
    })
}

pub fn delete_repository(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let given = cx.q.get("policy-revision").map(str::to_owned);
    with_repository(world, cx, |repo, label| {
        let current = repo
            .permissions_policy
            .as_deref()
            .ok_or_else(|| no_policy(label))?;
        check_revision(Some(current), given.as_deref(), label)?;
        let out = resource_policy(&repo.arn, current);
        repo.permissions_policy = None;
        Ok(out)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_checked_as_resource_policies() {
        let good = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"codeartifact:*","Resource":"*"}]}"#;
        assert!(check_document(good).is_ok());
        for (bad, needle) in [
            ("", "length greater than or equal to 1"),
            ("not json", "not JSON"),
            (r#"{"Statement":[]}"#, "no Statement"),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"codeartifact:*"}}"#,
                "Principal",
            ),
            (
                r#"{"Statement":{"Effect":"allow","Principal":"*","Action":"x:y"}}"#,
                "Effect",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Principal":"*"}}"#,
                "Action",
            ),
        ] {
            let err = check_document(bad).unwrap_err();
            assert_eq!(err.code, "ValidationException", "{bad}");
            assert!(err.message.contains(needle), "{bad}: {}", err.message);
        }
        let huge = format!(r#"{{"Id":"{}"}}"#, "a".repeat(DOCUMENT_MAX));
        assert!(check_document(&huge).unwrap_err().message.contains("7168"));
    }

    #[test]
    fn revisions_lock_optimistically() {
        let doc = "{}";
        let rev = policy_revision(doc);
        assert!(check_revision(Some(doc), None, "x").is_ok());
        assert!(check_revision(Some(doc), Some(&rev), "x").is_ok());
        assert_eq!(
            check_revision(Some(doc), Some("stale"), "x")
                .unwrap_err()
                .code,
            "ConflictException"
        );
        assert_eq!(
            check_revision(None, Some(&rev), "x").unwrap_err().code,
            "ConflictException"
        );
        assert_ne!(policy_revision("{ }"), rev);
    }
}
