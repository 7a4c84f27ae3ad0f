//! The role's trust policy: does STS accept the configured repository's GitHub token for every
//! run the scope allows? When not, the plan adds what is missing and keeps everything else;
//! wildcard subjects, and this repository's own subjects broader than the scope, are narrowed
//! only as steps the plan names. A trust whose subject would not name the repository (a custom
//! template without `repo`) is never written: any repository of the owner could present it.

use serde_json::Value;

use crate::aws::RoleInfo;
use crate::policy::{
    DiffLine, OIDC_AUDIENCE, SubjectRules, Tri, TrustReview, add_subject, changed_lines, diff_json,
    narrow, narrow_to_scope, oidc_provider_arn, parse_document, pretty_lines, review_trust,
    trust_policy, trust_statement,
};

use super::super::{Action, Context, Document};
use super::Part;

/// The repository as `owner/repo`.
fn github(ctx: &Context) -> String {
    format!("{}/{}", ctx.setup.github_owner, ctx.setup.github_repo)
}

/// Why cawiz will not write a trust on this repository's subjects, when it will not.
fn refusal(ctx: &Context, rules: &SubjectRules) -> Option<String> {
    let keys = rules
        .claim_keys
        .as_ref()
        .filter(|_| !rules.names_repository())?;
    Some(format!(
        "the repository's OIDC subject template ({}) does not name the repository: a trust on \
         {} would let every repository of {} assume the role, so cawiz will not write it — make \
         the template name the repository (the default, or include_claim_keys with `repo`)",
        keys.join(", "),
        rules.expected(&ctx.setup.scope),
        ctx.setup.github_owner
    ))
}

/// The trust part of the check for `role` (`None`: the role does not exist yet).
pub fn assess(ctx: &Context, role: Option<&RoleInfo>, rules: &SubjectRules) -> Part {
    let mut part = Part::default();
    let s = &ctx.setup;
    let refused = refusal(ctx, rules);
    let Some(role) = role else {
        if let Some(why) = refused {
            part.problems.push(why);
            part.actions.push(Action::SubjectTemplateByHand {
                github: github(ctx),
            });
            return part;
        }
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
    let review = review_trust(&actual, rules, &s.scope, &provider, OIDC_AUDIENCE);
    let subject = rules.expected(&s.scope);
    for other in &review.others {
        part.details.fact("also trusts", other.clone());
    }
    if review.acceptance.is_no() {
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
    if !review.open_doors().is_empty() {
        part.problems
            .push("the trust policy lets other GitHub repositories assume the role".to_owned());
    }
    if !review.broader.is_empty() {
        part.problems.push(format!(
            "the trust policy is broader than the scope {}: {} may assume the role too",
            s.scope,
            review.broader.join(", ")
        ));
    }
    part.details.findings.extend(review.findings.clone());
    if let Some(why) = refused {
        part.problems.push(why);
        part.actions.push(Action::SubjectTemplateByHand {
            github: github(ctx),
        });
        document_view(&mut part, &actual, None);
        return part;
    }
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
/// (everything else kept) when STS refuses ours — never when it cannot tell —, any wildcard
/// subject narrowed to ours, and our own subjects broader than the scope narrowed to it.
fn propose(
    ctx: &Context,
    actual: &Value,
    review: &TrustReview,
    rules: &SubjectRules,
    provider: &str,
) -> Option<(Value, String)> {
    let s = &ctx.setup;
    let subject = rules.expected(&s.scope);
    let statement = trust_statement(s, &ctx.account, rules);
    let mut document = actual.clone();
    let mut changes = Vec::new();
    if review.acceptance == Tri::No {
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
    if !review.broader.is_empty()
        && let Some(narrowed) = narrow_to_scope(
            &document,
            rules,
            &review.broader_subjects,
            &statement,
            &subject,
            provider,
        )
    {
        document = narrowed;
        changes.push(format!(
            "narrow this repository's subjects to the scope {} ({subject}): {} no longer may \
             assume the role; other repositories' subjects stay",
            s.scope,
            review.broader.join(", ")
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
