//! `resource-policy-deny`: the domain's and the repository's permissions policies, judged for
//! the role on each action the publishing session takes (simulation cannot see them).

use crate::checklist::Context;
use crate::policy::{
    Principal, ResourceDecision, domain_arn, package_arn, parse_document, repository_arn,
    resource_policy_decision,
};

use super::evidence::Evidence;
use super::publish::PUBLISH;
use super::report::{CauseReport, Verdict, report};

/// The actions the publishing session takes on the domain and the repository.
fn resource_needs(e: &Evidence, ctx: &Context) -> Vec<(&'static str, String)> {
    let s = &ctx.setup;
    let a = &ctx.account;
    let package = package_arn(s, a, &e.target.normalized);
    vec![
        ("codeartifact:GetAuthorizationToken", domain_arn(s, a)),
        (
            "codeartifact:GetRepositoryEndpoint",
            repository_arn(s, a, &s.repository),
        ),
        (
            "codeartifact:ReadFromRepository",
            repository_arn(s, a, &s.repository),
        ),
        (PUBLISH, package),
    ]
}

fn judge_resource_policy(
    label: &str,
    doc: &Result<Option<String>, crate::aws::AwsError>,
    principal: &Principal,
    needs: &[(&str, String)],
    evidence: &mut Vec<String>,
) -> Result<bool, String> {
    let raw = match doc {
        Ok(Some(raw)) => raw,
        Ok(None) => {
            evidence.push(format!("{label}: none"));
            return Ok(false);
        }
        Err(err) => return Err(format!("{label}: {err}")),
    };
    let doc = parse_document(raw).map_err(|err| format!("{label}: {err}"))?;
    let mut denies = false;
    for (action, resource) in needs {
        match resource_policy_decision(&doc, principal, action, resource) {
            ResourceDecision::ExplicitDeny { statement } => {
                denies = true;
                evidence.push(format!(
                    "{label}: {statement} denies {action} on {resource}"
                ));
            }
            ResourceDecision::ConditionalDeny { statement } => evidence.push(format!(
                "{label}: {statement} denies {action} under a condition cawiz cannot evaluate"
            )),
            ResourceDecision::Allow { .. } | ResourceDecision::NotMentioned => {}
        }
    }
    if !denies {
        evidence.push(format!("{label}: no statement denies the role"));
    }
    Ok(denies)
}

pub(super) fn resource_policy(e: &Evidence, ctx: &Context) -> CauseReport {
    let Some(role) = e.role.as_ref().ok().and_then(|f| f.role.as_ref()) else {
        return report(
            "resource-policy-deny",
            Verdict::Skip("no role (role-missing)".to_owned()),
            vec![],
        );
    };
    // configure-aws-credentials names the session `GitHubActions` unless told otherwise.
    let session = e
        .cac_input("role-session-name")
        .map_or_else(|| "GitHubActions".to_owned(), |(name, _)| name);
    let principal = Principal {
        role_arn: role.arn.clone(),
        account: ctx.account.clone(),
        session: Some(session),
    };
    let needs = resource_needs(e, ctx);
    let mut evidence = Vec::new();
    let domain = judge_resource_policy(
        "GetDomainPermissionsPolicy",
        &e.domain_policy,
        &principal,
        &needs,
        &mut evidence,
    );
    let repository = judge_resource_policy(
        "GetRepositoryPermissionsPolicy",
        &e.repository_policy,
        &principal,
        &needs,
        &mut evidence,
    );
    let verdict = match (domain, repository) {
        (Ok(true), _) | (_, Ok(true)) => Verdict::Fail,
        (Err(why), _) | (_, Err(why)) => Verdict::Unknown(why),
        (Ok(false), Ok(false)) => Verdict::Ok,
    };
    report("resource-policy-deny", verdict, evidence)
}
