//! The request STS evaluates when a run of the configured repository presents its GitHub token:
//! the claims AWS exposes as condition keys for GitHub's provider — `sub`, `aud`, and since
//! February 2026 `actor`, `actor_id`, `job_workflow_ref`, `repository`, `repository_id`,
//! `workflow`, `ref`, `environment` and `enterprise_id` (AWS What's New, 2026-02, "AWS STS
//! supports validation of identity provider specific claims"). GitHub's other claims
//! (`event_name`, `repository_owner`, …) are no condition keys: a condition on one finds the key
//! absent.

use super::super::eval::{Caller, Claim, Request};
use super::super::glob::SEGMENT;
use super::super::{GITHUB_OIDC_HOST, SubjectRules, context};
use crate::setup::SubjectScope;

const WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";

/// One kind of run: what it puts in the claims that depend on the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunClaims {
    /// The part of the default subject after the repository (`ref:refs/heads/main`, `*`, …).
    pub context: String,
    pub git_ref: Claim,
    pub environment: Claim,
    /// `OWNER/REPO/.github/workflows/FILE@REF`.
    pub job_workflow_ref: Claim,
    /// The workflow's `name:`.
    pub workflow: Claim,
    /// In words, for messages: `a push to refs/heads/main`.
    pub describe: String,
}

fn depends_on_workflow() -> Claim {
    Claim::Unknown(
        "it depends on the workflow file that runs (`cawiz workflow lint` checks it against the \
         workflow)"
            .to_owned(),
    )
}

impl RunClaims {
    /// Every run `scope` allows, as templates (`*` where the run may have any value).
    pub fn scope(scope: &SubjectScope) -> Self {
        let (git_ref, environment, describe) = match scope {
            SubjectScope::AllRefs => (
                Claim::Template("refs/*".into()),
                Claim::Optional("*".into()),
                "every run of the repository".to_owned(),
            ),
            SubjectScope::Branch(b) => (
                Claim::Literal(format!("refs/heads/{b}")),
                Claim::Absent,
                format!("runs on branch {b}"),
            ),
            SubjectScope::Tags => (
                Claim::Template(format!("refs/tags/{SEGMENT}")),
                Claim::Absent,
                "runs on tags".to_owned(),
            ),
            SubjectScope::PullRequests => (
                Claim::Template(format!("refs/pull/{SEGMENT}/merge")),
                Claim::Absent,
                "pull request runs".to_owned(),
            ),
            SubjectScope::Environment(e) => (
                Claim::Template("refs/*".into()),
                Claim::Literal(e.clone()),
                format!("jobs in environment {e}"),
            ),
        };
        Self {
            // A tag's name holds no ':': the template says so, so that a pattern on another kind
            // of run (`*:pull_request`) is known not to meet it.
            context: context(scope).replace("refs/tags/*", &format!("refs/tags/{SEGMENT}")),
            git_ref,
            environment,
            job_workflow_ref: depends_on_workflow(),
            workflow: depends_on_workflow(),
            describe,
        }
    }

    /// One concrete run (all claims literal but the workflow's).
    pub fn concrete(
        context: &str,
        git_ref: &str,
        environment: Option<&str>,
        describe: &str,
    ) -> Self {
        Self {
            context: context.to_owned(),
            git_ref: Claim::Literal(git_ref.to_owned()),
            environment: environment.map_or(Claim::Absent, |e| Claim::Literal(e.to_owned())),
            job_workflow_ref: depends_on_workflow(),
            workflow: depends_on_workflow(),
            describe: describe.to_owned(),
        }
    }

    /// Samples of this repository's runs that `scope` does not allow (nothing for `all`).
    pub fn outside(scope: &SubjectScope) -> Vec<Self> {
        let branch = |b: &str| {
            Self::concrete(
                &format!("ref:refs/heads/{b}"),
                &format!("refs/heads/{b}"),
                None,
                &format!("a run on branch {b}"),
            )
        };
        let tag = || {
            Self::concrete(
                "ref:refs/tags/v1.0.0",
                "refs/tags/v1.0.0",
                None,
                "a run on a tag",
            )
        };
        let pull = || {
            Self::concrete(
                "pull_request",
                "refs/pull/1/merge",
                None,
                "a pull request run",
            )
        };
        let environment = |e: &str| {
            Self::concrete(
                &format!("environment:{e}"),
                "refs/heads/main",
                Some(e),
                &format!("a job in environment {e}"),
            )
        };
        let branches = |except: Option<&str>| -> Vec<Self> {
            ["main", "feature/x"]
                .into_iter()
                .filter(|name| Some(*name) != except)
                .map(branch)
                .collect()
        };
        let mut runs = match scope {
            SubjectScope::AllRefs => return Vec::new(),
            SubjectScope::Branch(b) => {
                let mut runs = branches(Some(b));
                runs.extend([tag(), pull(), environment("staging")]);
                runs
            }
            SubjectScope::Tags => [branches(None), vec![pull(), environment("staging")]].concat(),
            SubjectScope::PullRequests => {
                [branches(None), vec![tag(), environment("staging")]].concat()
            }
            SubjectScope::Environment(e) => {
                let other = if e == "staging" { "testing" } else { "staging" };
                [branches(None), vec![tag(), pull(), environment(other)]].concat()
            }
        };
        runs.dedup();
        runs
    }
}

fn key(name: &str) -> String {
    format!("{GITHUB_OIDC_HOST}:{name}")
}

/// The claims AWS exposes as condition keys for GitHub's provider (see the module's notes),
/// as the sandbox's STS reads them: the table of IAM cases runs a token's claims through both.
#[cfg(test)]
const CONDITION_CLAIMS: &[&str] = &[
    "sub",
    "aud",
    "amr",
    "actor",
    "actor_id",
    "job_workflow_ref",
    "repository",
    "repository_id",
    "workflow",
    "ref",
    "environment",
    "enterprise_id",
];

/// The request for a token with these `claims` (name, value): only the claims AWS exposes
/// become condition keys; the others are absent, as in STS.
#[cfg(test)]
pub fn claims_request(provider: &str, claims: &[(String, String)]) -> Request {
    Request {
        caller: Caller::WebIdentity {
            provider: provider.to_owned(),
        },
        action: WEB_IDENTITY.to_owned(),
        resource: None,
        keys: claims
            .iter()
            .filter(|(name, _)| CONDITION_CLAIMS.contains(&name.as_str()))
            .map(|(name, value)| (key(name), Claim::Literal(value.clone())))
            .collect(),
    }
}

/// The request STS evaluates for a token of `run` whose `sub` is `subject` and `aud` `audience`.
pub fn request(
    rules: &SubjectRules,
    run: &RunClaims,
    subject: &str,
    audience: &str,
    provider: &str,
) -> Request {
    let value = |text: &str| {
        if text.contains(['*', '?', SEGMENT]) {
            Claim::Template(text.to_owned())
        } else {
            Claim::Literal(text.to_owned())
        }
    };
    let repository = if rules.canonical {
        Claim::Literal(format!("{}/{}", rules.owner, rules.repo))
    } else {
        Claim::Unknown("GitHub's spelling of the repository's name is not confirmed".to_owned())
    };
    let repository_id = match rules.ids {
        Some((_, id)) => Claim::Literal(id.to_string()),
        None => Claim::Unknown("the repository's id is not known".to_owned()),
    };
    let who = Claim::Unknown("it depends on who starts the run".to_owned());
    Request {
        caller: Caller::WebIdentity {
            provider: provider.to_owned(),
        },
        action: WEB_IDENTITY.to_owned(),
        resource: None,
        keys: vec![
            (key("sub"), value(subject)),
            (key("aud"), Claim::Literal(audience.to_owned())),
            (key("repository"), repository),
            (key("repository_id"), repository_id),
            (key("ref"), run.git_ref.clone()),
            (key("environment"), run.environment.clone()),
            (key("job_workflow_ref"), run.job_workflow_ref.clone()),
            (key("workflow"), run.workflow.clone()),
            (key("actor"), who.clone()),
            (key("actor_id"), who),
            (
                key("enterprise_id"),
                Claim::Unknown("the enterprise the repository belongs to is not known".to_owned()),
            ),
        ],
    }
}
