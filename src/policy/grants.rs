//! What a permissions policy document grants, read statically: used when SimulatePrincipalPolicy
//! cannot answer (no role yet, or no permission to simulate), to decide whether attaching a policy
//! would be enough, and to say where a policy is broader than publishing needs. The simulation
//! stays the judge whenever it answers: it sees every policy of the role, its boundary and SCPs.

use serde_json::{Value, json};

use super::eval::{Caller, Claim, Request, evaluate};
use super::{partition, statements, strings};
use crate::setup::Setup;

/// Sids of the statements cawiz writes: a statement with one of them is cawiz's to replace.
pub const CAWIZ_SIDS: [&str; 3] = [
    "CodeArtifactPublish",
    "CodeArtifactReadUpstream",
    "CodeArtifactBearerToken",
];

/// Whether `doc` allows `action` on `resource` with the string `context` keys: an Allow that
/// applies and no Deny that may (the one evaluator, `eval`). A condition on a key the context
/// does not give cannot be decided, so its Allow does not count.
pub fn document_allows(
    doc: &Value,
    action: &str,
    resource: &str,
    context: &[(&str, &str)],
) -> bool {
    let request = Request {
        caller: Caller::Attached,
        action: action.to_owned(),
        resource: Some(resource.to_owned()),
        keys: context
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Claim::Literal((*v).to_owned())))
            .collect(),
    };
    evaluate(doc, &request).allowed.is_yes()
}

/// Where `doc` grants more than publishing for the setup needs: every action, every CodeArtifact
/// action, CodeArtifact actions on every resource, or publishing into another repository of the
/// domain — the upstream proxy above all (dependency confusion). A warning, never a reason to
/// change a working policy.
pub fn broader_than_needed(doc: &Value, setup: &Setup, account: &str) -> Vec<String> {
    let mut out = Vec::new();
    for st in statements(doc) {
        if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let actions = strings(st.get("Action"));
        let resources = strings(st.get("Resource"));
        let sid = st
            .get("Sid")
            .and_then(Value::as_str)
            .map_or_else(String::new, |s| format!(" ({s})"));
        if actions.iter().any(|a| a == "*") {
            out.push(format!("a statement{sid} allows every action"));
        } else if actions
            .iter()
            .any(|a| a.eq_ignore_ascii_case("codeartifact:*"))
        {
            out.push(format!("a statement{sid} allows every CodeArtifact action"));
        }
        let codeartifact = actions
            .iter()
            .any(|a| a.to_lowercase().starts_with("codeartifact:"));
        if codeartifact && resources.iter().any(|r| r == "*") {
            out.push(format!(
                "a statement{sid} grants CodeArtifact actions on every resource (\"*\"), not only \
                 this domain"
            ));
        }
    }
    let mut others: Vec<(String, &str)> = setup
        .upstreams()
        .into_iter()
        .map(|u| (format!("the upstream {u}"), u))
        .collect();
    others.push((
        "another repository of the domain".to_owned(),
        "cawiz-any-other-repository",
    ));
    for (what, repository) in others {
        let package = format!(
            "arn:{}:codeartifact:{}:{account}:package/{}/{repository}/pypi//cawiz-probe",
            partition(&setup.region),
            setup.region,
            setup.domain
        );
        if document_allows(doc, "codeartifact:PublishPackageVersion", &package, &[]) {
            out.push(format!(
                "it allows publishing into {what} ({package}): a package published there shadows \
                 the public one (dependency confusion)"
            ));
        }
    }
    out
}

/// `doc` with cawiz's publish statements added: a statement carrying one of cawiz's Sids is
/// replaced by cawiz's, every other statement is kept as it is.
pub fn with_cawiz_statements(doc: &Value, cawiz: &Value) -> Value {
    let ours: Vec<Value> = statements(cawiz).into_iter().cloned().collect();
    let sid = |st: &Value| st.get("Sid").and_then(Value::as_str).map(str::to_owned);
    let mut kept: Vec<Value> = statements(doc)
        .into_iter()
        .filter(|st| !sid(st).is_some_and(|s| CAWIZ_SIDS.contains(&s.as_str())))
        .cloned()
        .collect();
    kept.extend(ours);
    let version = doc
        .get("Version")
        .cloned()
        .unwrap_or_else(|| json!("2012-10-17"));
    json!({ "Version": version, "Statement": kept })
}
