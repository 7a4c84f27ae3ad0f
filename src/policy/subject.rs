//! What GitHub puts in the `sub` claim of the configured repository's tokens, and whether a trust
//! policy's subject pattern accepts it (SPEC "Subjects").
//!
//! The repository part is GitHub's canonical name (`full_name`: IAM compares case-sensitively), in
//! the classic `repo:OWNER/REPO` or the immutable `repo:OWNER@OWNER_ID/REPO@REPO_ID` form; a custom
//! template (`include_claim_keys`) builds the whole subject from its claims instead. The rest
//! follows the job: `ref:refs/heads/B`, `ref:refs/tags/T`, `pull_request`, `environment:E`. When
//! GitHub could not be asked, either default form of the typed name (in any case) is accepted:
//! cawiz never plans to rewrite a subject it cannot prove wrong.

use crate::setup::{Setup, SubjectScope};

use super::glob_match;

/// What cawiz knows of the subjects GitHub sends for the configured repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectRules {
    /// The owner and repository names: GitHub's own spelling when `canonical`, else as typed.
    pub owner: String,
    pub repo: String,
    pub canonical: bool,
    /// The owner and repository ids, when the `repo` part carries them (immutable subjects).
    pub ids: Option<(u64, u64)>,
    /// A custom template's claim keys; `None`: the default `repo:…:CONTEXT` subject.
    pub claim_keys: Option<Vec<String>>,
    /// Why the subject format could not be read from GitHub (then either default form counts).
    pub unconfirmed: Option<String>,
}

/// How a trust policy's subject pattern relates to the configured repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternScope {
    /// It names this repository (in any default form or case).
    Ours,
    /// It names another repository: that repository's business, kept as it is.
    Other(String),
    /// A wildcard before the repository is pinned: other repositories match it too.
    BeyondRepository,
    /// Not a `repo:` subject (a custom template's, say): judged only by whether it accepts ours.
    Custom,
}

impl SubjectRules {
    /// Nothing read from GitHub: the typed names, either default form. `why` says what failed.
    pub fn unconfirmed(setup: &Setup, why: impl Into<String>) -> Self {
        Self {
            owner: setup.github_owner.clone(),
            repo: setup.github_repo.clone(),
            canonical: false,
            ids: None,
            claim_keys: None,
            unconfirmed: Some(why.into()),
        }
    }

    /// Classic subjects of `owner/repo`, taken as confirmed (what cawiz writes for a setup when
    /// nothing else is known, and for tests).
    pub fn classic(owner: &str, repo: &str) -> Self {
        Self {
            owner: owner.to_owned(),
            repo: repo.to_owned(),
            canonical: true,
            ids: None,
            claim_keys: None,
            unconfirmed: None,
        }
    }

    /// `repo:OWNER/REPO` or `repo:OWNER@OWNER_ID/REPO@REPO_ID`.
    pub fn repo_part(&self) -> String {
        match self.ids {
            Some((owner_id, repo_id)) => {
                format!("repo:{}@{owner_id}/{}@{repo_id}", self.owner, self.repo)
            }
            None => format!("repo:{}/{}", self.owner, self.repo),
        }
    }

    /// The subject (a `StringLike` pattern) covering every run `scope` allows: what cawiz writes.
    pub fn expected(&self, scope: &SubjectScope) -> String {
        self.subject(&context(scope), scope)
    }

    /// The subject of the runs whose default-form context is `run_context` (`ref:refs/tags/v1`,
    /// `environment:prod`, …); a custom template's other claims follow `scope`.
    pub fn subject(&self, run_context: &str, scope: &SubjectScope) -> String {
        match &self.claim_keys {
            None => format!("{}:{run_context}", self.repo_part()),
            Some(keys) => keys
                .iter()
                .map(|key| self.claim(key, run_context, scope))
                .collect::<Vec<_>>()
                .join(":"),
        }
    }

    /// One claim of a custom template as `key:value` (`*` where the value depends on the run).
    fn claim(&self, key: &str, run_context: &str, scope: &SubjectScope) -> String {
        let any = "*".to_owned();
        let id = |i: Option<u64>| i.map_or_else(|| any.clone(), |v| v.to_string());
        let value = match key {
            "repo" => return self.repo_part(),
            "context" => return run_context.to_owned(),
            "repository" => format!("{}/{}", self.owner, self.repo),
            "repository_owner" => self.owner.clone(),
            "repository_owner_id" => id(self.ids.map(|i| i.0)),
            "repository_id" => id(self.ids.map(|i| i.1)),
            "environment" => match scope {
                SubjectScope::Environment(e) => escape(e),
                _ => any,
            },
            "ref" => match scope {
                SubjectScope::Branch(b) => format!("refs/heads/{b}"),
                SubjectScope::Tags => "refs/tags/*".to_owned(),
                _ => any,
            },
            _ => any,
        };
        format!("{key}:{value}")
    }

    /// Whether `pattern` (under `StringLike` when `like`, else `StringEquals`) accepts the subject
    /// of every run `scope` allows.
    pub fn accepts(&self, pattern: &str, like: bool, scope: &SubjectScope) -> bool {
        self.accepts_run(pattern, like, &context(scope), scope)
    }

    /// Whether `pattern` accepts the subject of the runs whose context is `run_context`.
    pub fn accepts_run(
        &self,
        pattern: &str,
        like: bool,
        run_context: &str,
        scope: &SubjectScope,
    ) -> bool {
        let expected = self.subject(run_context, scope);
        let exact = if like {
            glob_match(pattern, &expected)
        } else {
            pattern == expected && !expected.contains(['*', '?'])
        };
        exact || (self.claim_keys.is_none() && self.accepts_loosely(pattern, like, run_context))
    }

    /// The default form when GitHub did not confirm the names' case or the format: the typed
    /// names in any case, classic or immutable with any ids (or the known ones).
    fn accepts_loosely(&self, pattern: &str, like: bool, context: &str) -> bool {
        if self.canonical && self.unconfirmed.is_none() {
            return false;
        }
        let Some((name, rest)) = pattern
            .strip_prefix("repo:")
            .and_then(|p| p.split_once(':'))
        else {
            return false;
        };
        let rest_ok = if like {
            glob_match(rest, context)
        } else {
            rest == context && !context.contains(['*', '?'])
        };
        rest_ok && self.names_ours(name)
    }

    /// `OWNER/REPO` or `OWNER@ID/REPO@ID` of this repository (case-insensitively unless canonical;
    /// ids as known, else any digits when the format is unconfirmed).
    fn names_ours(&self, name: &str) -> bool {
        let Some((owner, repo)) = name.split_once('/') else {
            return false;
        };
        let same = |a: &str, b: &str| {
            if self.canonical {
                a == b
            } else {
                a.eq_ignore_ascii_case(b)
            }
        };
        let part = |text: &str, expected_name: &str, expected_id: Option<u64>| match text
            .split_once('@')
        {
            None => {
                same(text, expected_name) && (expected_id.is_none() || self.unconfirmed.is_some())
            }
            Some((n, id)) => {
                same(n, expected_name)
                    && !id.is_empty()
                    && id.bytes().all(|b| b.is_ascii_digit())
                    && match expected_id {
                        Some(known) => id == known.to_string(),
                        None => self.unconfirmed.is_some(),
                    }
            }
        };
        part(owner, &self.owner, self.ids.map(|i| i.0))
            && part(repo, &self.repo, self.ids.map(|i| i.1))
    }

    /// Classifies a subject pattern found in a trust policy.
    pub fn scope_of(&self, pattern: &str, like: bool) -> PatternScope {
        let Some(rest) = pattern.strip_prefix("repo:") else {
            return if like && pattern.starts_with(['*', '?']) {
                PatternScope::BeyondRepository
            } else {
                PatternScope::Custom
            };
        };
        let name = rest.split_once(':').map_or(rest, |(n, _)| n);
        if like && name.contains(['*', '?']) {
            return PatternScope::BeyondRepository;
        }
        let owner_repo = |n: &str| {
            n.split('/')
                .map(|p| p.split('@').next().unwrap_or(p).to_lowercase())
                .collect::<Vec<_>>()
        };
        if owner_repo(name) == owner_repo(&format!("{}/{}", self.owner, self.repo)) {
            PatternScope::Ours
        } else {
            PatternScope::Other(name.to_owned())
        }
    }

    /// Whether the subject identifies the repository: always for the default form; for a custom
    /// template, only when it includes `repo`, `repository` or `repository_id`.
    pub fn names_repository(&self) -> bool {
        self.claim_keys.as_ref().is_none_or(|keys| {
            keys.iter()
                .any(|k| matches!(k.as_str(), "repo" | "repository" | "repository_id"))
        })
    }

    /// A sentence for the check's notes: where the subject format came from.
    pub fn describe(&self, scope: &SubjectScope) -> String {
        let expected = self.expected(scope);
        match &self.unconfirmed {
            Some(why) => format!(
                "Could not read the subject format from GitHub ({why}), so neither the classic \
                 repo:{o}/{r}:… nor the immutable repo:{o}@ID/{r}@ID:… form (nor the names' case) is \
                 confirmed: a trust policy accepting either counts, and cawiz writes {expected}.",
                o = self.owner,
                r = self.repo
            ),
            None => match &self.claim_keys {
                Some(keys) => format!(
                    "GitHub builds this repository's subjects from a custom template ({}): {expected}",
                    keys.join(", ")
                ),
                None if self.ids.is_some() => {
                    format!("GitHub issues immutable subjects: {expected}")
                }
                None => format!("GitHub issues classic subjects: {expected}"),
            },
        }
    }
}

/// The part of the default subject after the repository, for the runs `scope` allows (a `:` in a
/// value is sent as `%3A`).
pub fn context(scope: &SubjectScope) -> String {
    match scope {
        SubjectScope::AllRefs => "*".to_owned(),
        SubjectScope::Branch(b) => format!("ref:refs/heads/{}", escape(b)),
        SubjectScope::Tags => "ref:refs/tags/*".to_owned(),
        SubjectScope::PullRequests => "pull_request".to_owned(),
        SubjectScope::Environment(e) => format!("environment:{}", escape(e)),
    }
}

fn escape(value: &str) -> String {
    value.replace(':', "%3A")
}
