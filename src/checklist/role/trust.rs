//! The role's trust policy: does it accept the configured repository's GitHub token? When not,
//! the plan adds what is missing and keeps everything else; wildcard subjects that let other
//! repositories in are narrowed only as a step the plan names.

use serde_json::Value;

use crate::aws::RoleInfo;
use crate::policy::{
    DiffLine, SubjectRules, add_subject, changed_lines, diff_json, narrow, oidc_provider_arn,
    parse_document, pretty_lines, review_trust, trust_policy, trust_statement,
};

use super::super::{Action, Context, Document};
use super::Part;

/// The trust part of the check for `role` (`None`: the role does not exist yet).
pub fn assess(ctx: &Context, role: Option<&RoleInfo>, rules: &SubjectRules) -> Part {
    let mut part = Part::default();
    let s = &ctx.setup;
    let Some(role) = role else {
        let document = trust_policy(s, &ctx.account, rules);
        part.details.documents.push(Document {
            title: "Trust policy (to create)".to_owned(),
            lines: pretty_lines(&document)
                .into_iter()
                .map(DiffLine::Expected)
                .collect(),
        });
        part.actions.push(Action::CreateRole {
            name: s.role_name.clone(),
            trust_policy: document,
        });
        return part;
    };
    let actual = match parse_document(&role.trust_policy) {
        Ok(doc) => doc,
        Err(e) => {
            part.problems.push(format!(
                "the trust policy cannot be read ({e}); cawiz leaves it as it is"
            ));
            return part;
        }
    };
    let provider = oidc_provider_arn(&s.region, &ctx.account);
    let review = review_trust(&actual, rules, &s.scope, &provider);
    let subject = rules.expected(&s.scope);
    for other in &review.others {
        part.details.fact("also trusts", other.clone());
    }
    if !review.accepts {
        let trusted = if review.others.is_empty() {
            String::new()
        } else {
            format!("; it trusts {}", review.others.join(", "))
        };
        part.problems.push(format!(
            "the trust policy does not accept {subject} (what GitHub sends for this repository and \
             scope){trusted}"
        ));
    }
    let critical = !review.wildcards.is_empty() || !review.unrestricted.is_empty();
    if critical {
        part.problems
            .push("the trust policy lets other GitHub repositories assume the role".to_owned());
    }
    if !rules.names_repository() {
        part.problems.push(
            "the repository's subject template does not name the repository (fix it on GitHub)"
                .to_owned(),
        );
    }
    part.details.findings.extend(review.findings.clone());
    let proposed = propose(ctx, &actual, &review, rules, &provider);
    document_view(&mut part, &actual, proposed.as_ref().map(|(doc, _)| doc));
    if let Some((document, change)) = proposed {
        part.diff
            .extend(changed_lines(&diff_json(&document, &actual)));
        part.actions.push(Action::UpdateTrustPolicy {
            role: s.role_name.clone(),
            trust_policy: document,
            change,
        });
    }
    part
}

/// The new trust policy and what it changes, when something must change: our subject added
/// (everything else kept), then any wildcard subject narrowed to ours.
fn propose(
    ctx: &Context,
    actual: &Value,
    review: &crate::policy::TrustReview,
    rules: &SubjectRules,
    provider: &str,
) -> Option<(Value, String)> {
    let s = &ctx.setup;
    let subject = rules.expected(&s.scope);
    let mut document = actual.clone();
    let mut changes = Vec::new();
    if !review.accepts {
        let statement = trust_statement(s, &ctx.account, rules);
        document = add_subject(&document, &statement, &subject, provider);
        changes.push(format!(
            "add the subject {subject}, keeping every other statement and subject"
        ));
    }
    if !review.wildcards.is_empty() || !review.unrestricted.is_empty() {
        document = narrow(&document, review, &subject, provider);
        let mut what: Vec<String> = review.wildcards.iter().map(|w| format!("{w:?}")).collect();
        if !review.unrestricted.is_empty() {
            what.push("the missing subject condition".to_owned());
        }
        changes.push(format!(
            "narrow {} to {subject} (other repositories lose access they should not have)",
            what.join(", ")
        ));
    }
    (!changes.is_empty()).then(|| (document, changes.join("; ")))
}

fn document_view(part: &mut Part, actual: &Value, proposed: Option<&Value>) {
    let (title, lines) = match proposed {
        Some(new) => (
            "Trust policy (to add + / as it is -)".to_owned(),
            diff_json(new, actual),
        ),
        None => (
            "Trust policy".to_owned(),
            pretty_lines(actual)
                .into_iter()
                .map(DiffLine::Same)
                .collect(),
        ),
    };
    part.details.documents.push(Document { title, lines });
}
