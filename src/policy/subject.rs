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

use super::glob::{covers, glob_match, overlaps};

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

    /// The `sub` values GitHub may send for the runs whose context is `run_context`: the one
    /// subject when GitHub confirmed the names and the format; otherwise the typed names'
    /// classic subject and, for each of `policy_subjects` that names this repository in another
    /// case or form (`repo:Octo-Org/Widgets:…`, `repo:octo-org@1/widgets@2:…`), that spelling —
    /// GitHub sends exactly one of them, and cawiz cannot tell which.
    pub fn candidates(
        &self,
        run_context: &str,
        scope: &SubjectScope,
        policy_subjects: &[String],
    ) -> Vec<String> {
        let mut out = vec![self.subject(run_context, scope)];
        if self.claim_keys.is_some() || (self.canonical && self.unconfirmed.is_none()) {
            return out;
        }
        for pattern in policy_subjects {
            let Some(name) = pattern
                .strip_prefix("repo:")
                .and_then(|p| p.split(':').next())
            else {
                continue;
            };
            let candidate = format!("repo:{name}:{run_context}");
            if self.names_ours(name) && !out.contains(&candidate) {
                out.push(candidate);
            }
        }
        out
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

    /// GitHub's names are unique in any case: which repository a value names is decided
    /// case-insensitively (whether STS accepts it is not).
    fn fold(&self, text: &str) -> String {
        text.to_lowercase()
    }

    /// The shapes (patterns) of every subject this repository's tokens can carry.
    fn shapes(&self) -> Vec<String> {
        if self.claim_keys.is_some() {
            return vec![self.subject("*", &SubjectScope::AllRefs)];
        }
        let (o, r) = (&self.owner, &self.repo);
        let mut out = vec![format!("repo:{o}/{r}:*")];
        match self.ids {
            Some((oid, rid)) => out.push(format!("repo:{o}@{oid}/{r}@{rid}:*")),
            None => out.push(format!("repo:{o}@*/{r}@*:*")),
        }
        out
    }

    /// Classifies a `sub` value of a trust policy (under `StringLike` when `like`): whether every
    /// subject it matches is this repository's, one other repository's, or more.
    pub fn scope_of(&self, value: &str, like: bool) -> PatternScope {
        let folded = self.fold(value);
        let ours = self.shapes().iter().any(|shape| {
            let shape = self.fold(shape);
            if like {
                covers(&shape, &folded)
            } else {
                glob_match(&shape, &folded)
            }
        });
        if ours {
            return PatternScope::Ours;
        }
        let single = |name: &str| !like || !name.contains(['*', '?']);
        match value.strip_prefix("repo:") {
            Some(rest) => {
                let name = rest.split_once(':').map_or(rest, |(n, _)| n);
                if single(name) {
                    PatternScope::Other(name.to_owned())
                } else {
                    PatternScope::BeyondRepository
                }
            }
            None if like && overlaps(value, "repo:*") => PatternScope::BeyondRepository,
            None => PatternScope::Custom,
        }
    }

    /// Classifies a `repository` (`OWNER/REPO`) or `repository_id` value of a trust policy.
    pub fn scope_of_claim(&self, claim: &str, value: &str, like: bool) -> PatternScope {
        let ours = match claim {
            "repository_id" => match self.ids {
                Some((_, rid)) => rid.to_string(),
                None => return PatternScope::Other(format!("repository_id {value}")),
            },
            _ => self.fold(&format!("{}/{}", self.owner, self.repo)),
        };
        let folded = self.fold(value);
        if folded == ours {
            PatternScope::Ours
        } else if like && value.contains(['*', '?']) {
            PatternScope::BeyondRepository
        } else {
            PatternScope::Other(format!("{claim} {value}"))
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
