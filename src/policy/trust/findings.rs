//! What a trust review finds, worst first: doors open to other repositories (critical), the
//! reason STS refuses this repository's tokens as precisely as the closest statement says, what
//! cannot be told, a trust broader than the scope, a missing audience condition (hardening).

use serde_json::Value;

use super::super::eval::Tri;
use super::super::subject::{PatternScope, SubjectRules};
use super::super::{Finding, OIDC_AUDIENCE, Severity, statements, strings};
use super::{TrustReview, key};
use crate::setup::SubjectScope;

fn finding(severity: Severity, message: String, fix: String) -> Finding {
    Finding {
        severity,
        message,
        fix,
    }
}

pub(super) fn findings(
    review: &TrustReview,
    doc: &Value,
    rules: &SubjectRules,
    scope: &SubjectScope,
    provider: &str,
    audience: &str,
) -> Vec<Finding> {
    let expected = rules.expected(scope);
    let mut out = Vec::new();
    for index in &review.unrestricted {
        out.push(finding(
            Severity::Critical,
            format!(
                "statement {} has no {} condition: ANY GitHub repository can assume this role",
                index + 1,
                key("sub")
            ),
            format!("add \"StringLike\": {{\"{}\": \"{expected}\"}}", key("sub")),
        ));
    }
    for pattern in &review.wildcards {
        out.push(finding(
            Severity::Critical,
            format!(
                "subject pattern {pattern:?} matches other repositories than {}/{}: they could assume this role",
                rules.owner, rules.repo
            ),
            format!("restrict the subject to {expected:?}"),
        ));
    }
    if let Some(keys) = rules
        .claim_keys
        .as_ref()
        .filter(|_| !rules.names_repository())
    {
        out.push(finding(
            Severity::Critical,
            format!(
                "the subject template ({}) does not name the repository: every repository whose \
                 token carries {expected} can assume this role",
                keys.join(", ")
            ),
            "add `repo` (or `repository_id`) to the template's include_claim_keys".to_owned(),
        ));
    }
    match &review.acceptance {
        Tri::No => out.push(refusal(review, doc, rules, &expected, provider, audience)),
        Tri::Maybe(why) => out.push(finding(
            Severity::Warning,
            format!("cawiz cannot tell whether STS accepts {expected}: {why}"),
            "run the workflow to find out (cawiz verify)".to_owned(),
        )),
        Tri::Yes => {}
    }
    if !review.broader.is_empty() {
        out.push(finding(
            Severity::Warning,
            format!(
                "broader than the scope ({scope}): {} may assume the role too ({} accepts {})",
                review.broader.join(", "),
                review.subjects.join(", "),
                review.broader_subjects.join(", ")
            ),
            format!(
                "narrow this repository's subjects to {expected} (apply; other repositories' \
                 subjects stay), or widen the setup's scope (`cawiz init --scope …`)"
            ),
        ));
    }
    if review.accepts() && !review.parts.audience_checked {
        out.push(finding(
            Severity::Warning,
            format!(
                "the trusting statement has no {} condition: STS still checks the token's \
                 audience against the provider's client ids, so it works",
                key("aud")
            ),
            format!(
                "harden it: add \"StringEquals\": {{\"{}\": \"{}\"}}",
                key("aud"),
                OIDC_AUDIENCE
            ),
        ));
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

/// Why STS refuses the configured repository's tokens, as precisely as the closest statement says.
fn refusal(
    review: &TrustReview,
    doc: &Value,
    rules: &SubjectRules,
    expected: &str,
    provider: &str,
    audience: &str,
) -> Finding {
    let parts = &review.parts;
    let error = |message: String| {
        finding(
            Severity::Error,
            message,
            format!(
                "add a statement (or a subject) allowing {expected:?} — apply does, keeping \
                 everything else in the policy"
            ),
        )
    };
    let Some(index) = parts.statement else {
        return error("no statement allows sts:AssumeRoleWithWebIdentity".to_owned());
    };
    if let Some(deny) = &parts.denied_by {
        return error(format!("{deny} (Deny) refuses {expected}"));
    }
    if parts.principal.is_no() {
        return error(format!(
            "the Federated principal is {:?}, not this account's GitHub provider {provider}",
            review.principals
        ));
    }
    if parts.audience.is_no() {
        return error(format!(
            "no {} condition of statement {} accepts {audience} (it requires {})",
            key("aud"),
            index + 1,
            review.audiences.join(", ")
        ));
    }
    if parts.subject.is_no() {
        let st = statements(doc)
            .get(index)
            .copied()
            .cloned()
            .unwrap_or(Value::Null);
        return error(subject_refusal(&st, review, rules, expected));
    }
    let failing: Vec<String> = parts
        .other_conditions
        .iter()
        .filter(|(_, t)| t.is_no())
        .map(|(c, _)| c.clone())
        .collect();
    error(format!(
        "statement {} also requires {}, which the token for {expected} does not satisfy",
        index + 1,
        failing.join(" and ")
    ))
}

/// Why the statement's `sub` conditions refuse the repository's tokens.
fn subject_refusal(
    st: &Value,
    review: &TrustReview,
    rules: &SubjectRules,
    expected: &str,
) -> String {
    let mut mentioned = Vec::new();
    let sub = key("sub");
    for (op, keys) in st
        .get("Condition")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let like = op.contains("Like");
        for (k, values) in keys.as_object().into_iter().flatten() {
            if k.eq_ignore_ascii_case(&sub) {
                mentioned.extend(strings(Some(values)).into_iter().map(|v| (v, like)));
            }
        }
    }
    let ours = mentioned
        .iter()
        .find(|(v, like)| rules.scope_of(v, *like) == PatternScope::Ours);
    match ours {
        Some((pattern, like)) => why_not(pattern, *like, rules, expected),
        None => {
            let trusted = if review.others.is_empty() {
                String::new()
            } else {
                format!(" — it trusts {}", review.others.join(", "))
            };
            format!(
                "no subject condition names {}/{}{trusted} (GitHub sends {expected})",
                rules.owner, rules.repo
            )
        }
    }
}

/// Why a pattern about this repository does not accept its tokens.
fn why_not(pattern: &str, like: bool, rules: &SubjectRules, expected: &str) -> String {
    let name = pattern
        .strip_prefix("repo:")
        .and_then(|p| p.split(':').next())
        .unwrap_or(pattern);
    let canonical = format!("{}/{}", rules.owner, rules.repo);
    if rules.canonical && name.eq_ignore_ascii_case(&canonical) && name != canonical {
        return format!(
            "subject {pattern:?} spells the repository {name}, GitHub sends {canonical}: IAM compares \
             case-sensitively (GitHub sends {expected})"
        );
    }
    if rules.ids.is_some() && !name.contains('@') {
        return format!(
            "subject {pattern:?} uses the classic repo:OWNER/REPO form, but this repository's tokens \
             carry the immutable repo:OWNER@ID/REPO@ID form ({expected})"
        );
    }
    if !like && pattern.contains(['*', '?']) {
        return format!(
            "subject {pattern:?} has a wildcard under StringEquals, where it is a literal character: \
             it never matches (use StringLike)"
        );
    }
    format!("no subject condition allows what GitHub sends for the configured scope: {expected}")
}
