//! The values the GitHub API answers with, parsed defensively.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A GitHub Actions repository variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    pub name: String,
    pub value: String,
}

/// What `set_variable` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SetOutcome {
    Created,
    Updated,
    /// Already equal (decided by the caller from a prior list; `set_variable` never returns it).
    Unchanged,
}

impl fmt::Display for SetOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SetOutcome::Created => "created",
            SetOutcome::Updated => "updated",
            SetOutcome::Unchanged => "unchanged",
        })
    }
}

/// A repository's OIDC subject claim customization
/// (`GET /repos/{o}/{r}/actions/oidc/customization/sub`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SubjectClaim {
    /// The default subject (`repo:OWNER/REPO:…`, or the immutable format) is used.
    pub use_default: bool,
    /// The claims the subject is built from when it is customized (e.g. `repo`, `context`).
    pub include_claim_keys: Vec<String>,
    /// The subject's prefix as GitHub reports it (e.g. `repo:octo@123/widgets@456`), when it does.
    pub sub_claim_prefix: Option<String>,
    /// Whether the repository (or, failing that, its organisation) opted in to immutable subjects.
    pub use_immutable_subject: Option<bool>,
}

impl SubjectClaim {
    /// Parses the endpoint's answer defensively: every field may be missing; without `use_default`,
    /// the default is in use exactly when no claim keys are listed.
    pub fn parse(body: &str) -> Result<Self, serde_json::Error> {
        #[derive(Deserialize)]
        struct Raw {
            use_default: Option<bool>,
            include_claim_keys: Option<Vec<String>>,
            sub_claim_prefix: Option<String>,
            use_immutable_subject: Option<bool>,
        }
        let raw: Raw = serde_json::from_str(body)?;
        let include_claim_keys = raw.include_claim_keys.unwrap_or_default();
        Ok(Self {
            use_default: raw.use_default.unwrap_or(include_claim_keys.is_empty()),
            include_claim_keys,
            sub_claim_prefix: raw.sub_claim_prefix.filter(|p| !p.trim().is_empty()),
            use_immutable_subject: raw.use_immutable_subject,
        })
    }
}

/// An organisation's OIDC subject template (`GET /orgs/{org}/actions/oidc/customization/sub`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrgSubjectClaim {
    /// Empty: no template.
    pub include_claim_keys: Vec<String>,
    pub use_immutable_subject: bool,
}

impl OrgSubjectClaim {
    pub fn parse(body: &str) -> Result<Self, serde_json::Error> {
        #[derive(Deserialize)]
        struct Raw {
            include_claim_keys: Option<Vec<String>>,
            use_immutable_subject: Option<bool>,
        }
        let raw: Raw = serde_json::from_str(body)?;
        Ok(Self {
            include_claim_keys: raw.include_claim_keys.unwrap_or_default(),
            use_immutable_subject: raw.use_immutable_subject.unwrap_or(false),
        })
    }
}

/// A repository's names and ids (`GET /repos/{o}/{r}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repository {
    pub id: u64,
    pub name: String,
    /// `OWNER/REPO` as GitHub spells it now.
    pub full_name: String,
    pub owner_login: String,
    pub owner_id: u64,
}

impl Repository {
    pub fn parse(body: &str) -> Result<Self, serde_json::Error> {
        #[derive(Deserialize)]
        struct Owner {
            login: String,
            id: u64,
        }
        #[derive(Deserialize)]
        struct Raw {
            id: u64,
            name: String,
            full_name: String,
            owner: Owner,
        }
        let raw: Raw = serde_json::from_str(body)?;
        Ok(Self {
            id: raw.id,
            name: raw.name,
            full_name: raw.full_name,
            owner_login: raw.owner.login,
            owner_id: raw.owner.id,
        })
    }
}
