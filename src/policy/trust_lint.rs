//! Checks a role's trust policy against the setup: principal, action, audience, subject.

use serde_json::Value;

use super::{
    Finding, GITHUB_OIDC_HOST, OIDC_AUDIENCE, Severity, SubjectFormat, expected_subject,
    glob_match, oidc_provider_arn, statements, strings, subject_prefix,
};
use crate::setup::Setup;

/// Every problem with `doc` as the trust policy of the configured role. Empty = correct.
pub fn lint_trust_policy(
    doc: &Value,
    setup: &Setup,
    account: &str,
    format: &SubjectFormat,
) -> Vec<Finding> {
    let provider = oidc_provider_arn(account);
    let expected = expected_subject(setup, format);
    let prefix = format!("{}:", subject_prefix(setup, format));
    let mut findings = Vec::new();
    let web_identity: Vec<&Value> = statements(doc)
        .into_iter()
        .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
        .filter(|s| {
            strings(s.get("Action"))
                .iter()
                .any(|a| a == "sts:AssumeRoleWithWebIdentity")
        })
        .collect();
    if web_identity.is_empty() {
        findings.push(Finding {
            severity: Severity::Error,
            message: "no statement allows sts:AssumeRoleWithWebIdentity".to_owned(),
            fix: "replace the trust policy with the one cawiz plans (apply the role item)"
                .to_owned(),
        });
        return findings;
    }
    let trusted: Vec<&&Value> = web_identity
        .iter()
        .filter(|s| {
            strings(s.get("Principal").and_then(|p| p.get("Federated"))).contains(&provider)
        })
        .collect();
    if trusted.is_empty() {
        let found: Vec<String> = web_identity
            .iter()
            .flat_map(|s| strings(s.get("Principal").and_then(|p| p.get("Federated"))))
            .collect();
        findings.push(Finding {
            severity: Severity::Error,
            message: format!("the Federated principal is {found:?}, not this account's GitHub provider {provider}"),
            fix: format!("set Principal.Federated to {provider}"),
        });
        return findings;
    }
    for statement in trusted {
        let cond = statement.get("Condition");
        let values =
            |op: &str, key: &str| strings(cond.and_then(|c| c.get(op)).and_then(|o| o.get(key)));
        let aud_key = format!("{GITHUB_OIDC_HOST}:aud");
        let sub_key = format!("{GITHUB_OIDC_HOST}:sub");
        let auds = values("StringEquals", &aud_key);
        if !auds.iter().any(|a| a == OIDC_AUDIENCE) {
            findings.push(Finding {
                severity: Severity::Error,
                message: format!(
                    "no StringEquals {aud_key} = {OIDC_AUDIENCE} condition (found {auds:?})"
                ),
                fix: format!("add \"StringEquals\": {{\"{aud_key}\": \"{OIDC_AUDIENCE}\"}}"),
            });
        }
        let mut subs: Vec<(String, bool)> = values("StringLike", &sub_key)
            .into_iter()
            .map(|s| (s, true))
            .collect();
        subs.extend(
            values("StringEquals", &sub_key)
                .into_iter()
                .map(|s| (s, false)),
        );
        if subs.is_empty() {
            findings.push(Finding {
                severity: Severity::Critical,
                message: format!(
                    "no {sub_key} condition: ANY GitHub repository can assume this role"
                ),
                fix: format!("add \"StringLike\": {{\"{sub_key}\": \"{expected}\"}}"),
            });
            continue;
        }
        for (pattern, like) in &subs {
            let wildcard_head = if *like {
                pattern.find(['*', '?'])
            } else {
                None
            };
            // A wildcard is safe only after the repository is pinned: `repo:OWNER/REPO:` literally.
            let escapes_repo = wildcard_head.is_some_and(|i| {
                let head = &pattern[..i];
                !head
                    .strip_prefix("repo:")
                    .is_some_and(|rest| rest.split_once(':').is_some_and(|(r, _)| r.contains('/')))
            });
            if escapes_repo {
                findings.push(Finding {
                    severity: Severity::Critical,
                    message: format!(
                        "subject pattern {pattern:?} matches other repositories than {}/{}: they could assume this role",
                        setup.github_owner, setup.github_repo
                    ),
                    fix: format!("restrict the subject to {expected:?}"),
                });
            } else if !pattern.starts_with(&prefix) {
                findings.push(Finding {
                    severity: Severity::Error,
                    message: format!(
                        "subject {pattern:?} names a different repository than {}/{} (expected {expected:?})",
                        setup.github_owner, setup.github_repo
                    ),
                    fix: format!("set the subject to {expected:?}"),
                });
            }
        }
        let covers = subs.iter().any(|(p, like)| {
            if *like {
                glob_match(p, &expected) || p == &expected
            } else {
                p == &expected
            }
        });
        let mentions_repo = subs.iter().any(|(p, _)| p.starts_with(&prefix));
        if !covers && mentions_repo {
            findings.push(Finding {
                severity: Severity::Error,
                message: format!("no subject condition allows {expected:?} (the configured scope)"),
                fix: format!("set the subject to {expected:?}"),
            });
        }
        let classic_prefix = format!("repo:{}/", setup.github_owner);
        if *format != SubjectFormat::Classic
            && subs.iter().any(|(p, _)| p.starts_with(&classic_prefix))
        {
            findings.push(Finding {
                severity: Severity::Error,
                message: "the subject uses the classic repo:OWNER/REPO format, but this repository's tokens carry \
                          the immutable repo:OWNER@ID/REPO@ID format"
                    .to_owned(),
                fix: format!("set the subject to {expected:?}"),
            });
        }
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    findings
}
