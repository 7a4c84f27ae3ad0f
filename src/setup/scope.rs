//! The subject scope: which workflow runs of the repository may assume the role.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Field, FieldError, validate};

/// Which GitHub workflow runs may assume the role (the `sub` claim the trust policy allows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum SubjectScope {
    /// Every branch, tag, pull request and environment (`:*`), as the guide does.
    #[default]
    AllRefs,
    /// One branch: `ref:refs/heads/NAME`.
    Branch(String),
    /// Any tag: `ref:refs/tags/*`.
    Tags,
    /// Pull requests: `pull_request`.
    PullRequests,
    /// Jobs that name a deployment environment: `environment:NAME`.
    Environment(String),
}

impl SubjectScope {
    /// The part of the subject after `repo:OWNER/REPO:`.
    pub fn suffix(&self) -> String {
        match self {
            SubjectScope::AllRefs => "*".to_owned(),
            SubjectScope::Branch(b) => format!("ref:refs/heads/{b}"),
            SubjectScope::Tags => "ref:refs/tags/*".to_owned(),
            SubjectScope::PullRequests => "pull_request".to_owned(),
            SubjectScope::Environment(e) => format!("environment:{e}"),
        }
    }
}

/// Parses `--scope`: `all`, `branch:NAME`, `tags`, `pull-requests`, `environment:NAME`.
pub fn parse_scope(text: &str) -> Result<SubjectScope, FieldError> {
    let scope = match text.split_once(':') {
        None if matches!(text, "all" | "*") => SubjectScope::AllRefs,
        None if text == "tags" => SubjectScope::Tags,
        None if matches!(text, "pull-requests" | "pull_request" | "pr") => {
            SubjectScope::PullRequests
        }
        Some(("branch", name)) => {
            validate(Field::Branch, name)?;
            SubjectScope::Branch(name.to_owned())
        }
        Some(("environment", name)) => {
            validate(Field::Environment, name)?;
            SubjectScope::Environment(name.to_owned())
        }
        _ => {
            return Err(FieldError {
                field: Field::Scope,
                value: text.to_owned(),
                rule:
                    "the scope is one of: all, branch:NAME, tags, pull-requests, environment:NAME"
                        .to_owned(),
            });
        }
    };
    Ok(scope)
}

impl fmt::Display for SubjectScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubjectScope::AllRefs => f.write_str("all"),
            SubjectScope::Branch(b) => write!(f, "branch:{b}"),
            SubjectScope::Tags => f.write_str("tags"),
            SubjectScope::PullRequests => f.write_str("pull-requests"),
            SubjectScope::Environment(e) => write!(f, "environment:{e}"),
        }
    }
}
