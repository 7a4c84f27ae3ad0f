//! The emulated GitHub's data: repositories (created on first use, with ids derived from their
//! names), their Actions variables and secrets, their secrets key pair, and the rate-limit window.

use std::collections::{BTreeMap, BTreeSet};
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use crypto_box::SecretKey;

use super::git::Git;

/// Requests per hour a token may make (GitHub's limit for a personal access token).
pub const RATE_LIMIT: u32 = 5_000;
/// Largest variable or secret value GitHub accepts: 48 KB.
pub const MAX_VALUE_BYTES: usize = 48 * 1024;
/// Most variables a repository may hold.
pub const MAX_VARIABLES: usize = 500;
/// Most variables an organisation may hold.
pub const MAX_ORG_VARIABLES: usize = 1_000;
/// Most variables an environment may hold.
pub const MAX_ENV_VARIABLES: usize = 100;

#[derive(Debug, Default)]
pub struct GithubState {
    /// By lower-cased `owner/repo` (GitHub's names are case-insensitive).
    pub repos: BTreeMap<String, GhRepo>,
    /// Owners seen so far, by lower-cased login: (login as first spelled, id).
    pub owners: BTreeMap<String, (String, u64)>,
    /// The scenario's repository, as `(owner, repo)`.
    pub scenario_repo: Option<(String, String)>,
    /// Organisations' OIDC subject templates, by lower-cased login.
    pub orgs: BTreeMap<String, OrgOidc>,
    /// Organisations' Actions variables, by lower-cased login, then upper-cased name.
    pub org_variables: BTreeMap<String, BTreeMap<String, OrgVariable>>,
    pub rate: RateWindow,
}

/// Which of an organisation's repositories see one of its variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    All,
    /// Private and internal repositories.
    Private,
    /// The repositories in `selected`.
    Selected,
}

impl Visibility {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "all" => Some(Self::All),
            "private" => Some(Self::Private),
            "selected" => Some(Self::Selected),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Private => "private",
            Self::Selected => "selected",
        }
    }
}

/// An organisation's Actions variable.
#[derive(Debug, Clone)]
pub struct OrgVariable {
    pub name: String,
    pub value: String,
    pub visibility: Visibility,
    /// Repository ids, for `Visibility::Selected`.
    pub selected: BTreeSet<u64>,
    pub created: SystemTime,
    pub updated: SystemTime,
}

impl OrgVariable {
    /// Whether a repository sees it (every sandbox repository is private).
    pub fn shared_with(&self, repo_id: u64) -> bool {
        match self.visibility {
            Visibility::All | Visibility::Private => true,
            Visibility::Selected => self.selected.contains(&repo_id),
        }
    }
}

/// A deployment environment of a repository, with its Actions variables.
#[derive(Debug, Clone)]
pub struct GhEnvironment {
    pub name: String,
    pub id: u64,
    pub created: SystemTime,
    pub updated: SystemTime,
    /// By upper-cased name.
    pub variables: BTreeMap<String, GhVariable>,
}

/// An organisation's OIDC subject template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgOidc {
    /// Empty: no template set.
    pub include_claim_keys: Vec<String>,
    pub use_immutable_subject: bool,
}

#[derive(Debug)]
pub struct GhRepo {
    pub owner: String,
    pub owner_id: u64,
    pub name: String,
    pub id: u64,
    /// Whether OIDC subjects use the immutable `repo:OWNER@OWNER_ID/REPO@REPO_ID` format by
    /// default (a repository created since GitHub introduced them), whatever the opt-in says.
    pub immutable_subject: bool,
    /// The repository-level opt-in to immutable subjects; `None`: the organisation's setting.
    pub use_immutable_subject: Option<bool>,
    /// `false`: the subject is built from claim keys (the repository's, else the organisation's).
    pub use_default: bool,
    /// The repository's own claim keys, when it customizes its subject.
    pub include_claim_keys: Option<Vec<String>>,
    pub created: SystemTime,
    /// By upper-cased name.
    pub variables: BTreeMap<String, GhVariable>,
    /// By upper-cased name.
    pub secrets: BTreeMap<String, GhSecret>,
    /// Deployment environments, by lower-cased name (GitHub's are case-insensitive).
    pub environments: BTreeMap<String, GhEnvironment>,
    pub secret_key: SecretKey,
    pub key_id: String,
    /// Branches, commits (files) and pull requests.
    pub git: Git,
}

#[derive(Debug, Clone)]
pub struct GhVariable {
    pub name: String,
    pub value: String,
    pub created: SystemTime,
    pub updated: SystemTime,
}

#[derive(Debug, Clone)]
pub struct GhSecret {
    pub name: String,
    /// Base64 of the sealed box, as sent; never returned by the API.
    pub encrypted_value: String,
    pub created: SystemTime,
    pub updated: SystemTime,
}

/// The current hour of the rate limit.
#[derive(Debug, Default, Clone, Copy)]
pub struct RateWindow {
    /// Unix seconds when the window resets (0: not started).
    pub reset: u64,
    pub used: u32,
}

impl RateWindow {
    /// Counts one request at `now` (Unix seconds); `false` when the limit is already exhausted.
    pub fn take(&mut self, now: u64) -> bool {
        if now >= self.reset {
            self.reset = now + 3600;
            self.used = 0;
        }
        if self.used >= RATE_LIMIT {
            return false;
        }
        self.used += 1;
        true
    }

    pub fn remaining(&self) -> u32 {
        RATE_LIMIT.saturating_sub(self.used)
    }
}

/// FNV-1a: a tiny hash that is the same on every machine and in every Rust version.
pub fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The id GitHub would give the owner `login` here: 8 digits, derived from the name.
pub fn derived_owner_id(login: &str) -> u64 {
    10_000_000 + fnv1a(&login.to_lowercase()) % 90_000_000
}

/// The id of `owner/repo` here: 9 digits, derived from the name.
pub fn derived_repo_id(owner: &str, repo: &str) -> u64 {
    100_000_000 + fnv1a(&format!("{owner}/{repo}").to_lowercase()) % 900_000_000
}

/// Whether GitHub would accept `owner` and `repo` as names: an owner is 1–39 ASCII letters, digits
/// or hyphens, not starting with a hyphen; a repository 1–100 ASCII letters, digits, `.`, `_` or
/// `-`, and not `.` or `..`.
pub fn valid_repository(owner: &str, repo: &str) -> bool {
    let owner_ok = (1..=39).contains(&owner.len())
        && !owner.starts_with('-')
        && owner
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let repo_ok = (1..=100).contains(&repo.len())
        && repo != "."
        && repo != ".."
        && repo
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    owner_ok && repo_ok
}

/// GitHub's rule for variable and secret names: letters, digits and `_`, not starting with a digit
/// or with `GITHUB_` (case-insensitive). `None` when valid, else why not.
pub fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("names cannot be empty")
    } else if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Some(
            "names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_); spaces are not allowed",
        )
    } else if name.as_bytes()[0].is_ascii_digit() {
        Some("names must not start with a number")
    } else if name.to_ascii_uppercase().starts_with("GITHUB_") {
        Some("names must not start with the GITHUB_ prefix")
    } else {
        None
    }
}

impl GithubState {
    /// Adds a repository (the scenario's). `None` ids are derived from the names.
    pub fn add(
        &mut self,
        owner: &str,
        repo: &str,
        owner_id: Option<u64>,
        repo_id: Option<u64>,
        immutable_subject: bool,
        now: SystemTime,
    ) -> &mut GhRepo {
        let (login, owner_id) = self
            .owners
            .entry(owner.to_lowercase())
            .or_insert_with(|| {
                (
                    owner.to_owned(),
                    owner_id.unwrap_or_else(|| derived_owner_id(owner)),
                )
            })
            .clone();
        self.repos
            .entry(format!("{owner}/{repo}").to_lowercase())
            .or_insert_with(|| GhRepo {
                id: repo_id.unwrap_or_else(|| derived_repo_id(owner, repo)),
                owner: login,
                owner_id,
                name: repo.to_owned(),
                immutable_subject,
                use_immutable_subject: None,
                use_default: true,
                include_claim_keys: None,
                created: now,
                variables: BTreeMap::new(),
                secrets: BTreeMap::new(),
                environments: BTreeMap::new(),
                // A fresh key pair per repository and run, with an 18-digit id like GitHub's.
                secret_key: SecretKey::from_bytes(rand::random::<[u8; 32]>()),
                key_id: (rand::random::<u64>() % 900_000_000_000_000_000 + 100_000_000_000_000_000)
                    .to_string(),
                git: Git::new(owner, repo, now),
            })
    }

    /// The repository, created on first use as GitHub would already have it; `None` for names
    /// GitHub rejects.
    pub fn repo_mut(&mut self, owner: &str, repo: &str, now: SystemTime) -> Option<&mut GhRepo> {
        if !valid_repository(owner, repo) {
            return None;
        }
        Some(self.add(owner, repo, None, None, false, now))
    }

    /// The organisation `login`'s OIDC template, when it set one.
    pub fn org(&self, login: &str) -> Option<&OrgOidc> {
        self.orgs.get(&login.to_lowercase())
    }

    /// The repository if it was used or seeded already (never creates one).
    pub fn get(&self, owner: &str, repo: &str) -> Option<&GhRepo> {
        self.repos.get(&format!("{owner}/{repo}").to_lowercase())
    }

    /// The organisation variables `repo` sees (its owner's, by visibility), by upper-cased name.
    pub fn shared_variables(&self, repo: &GhRepo) -> Vec<&OrgVariable> {
        self.org_variables
            .get(&repo.owner.to_lowercase())
            .map(|vars| vars.values().filter(|v| v.shared_with(repo.id)).collect())
            .unwrap_or_default()
    }
}

impl GhRepo {
    /// Base64 of the repository's X25519 public key for sealing secrets.
    pub fn public_key_b64(&self) -> String {
        STANDARD.encode(self.secret_key.public_key().as_bytes())
    }

    /// `repo:OWNER@OWNER_ID/REPO@REPO_ID`.
    pub fn immutable_prefix(&self) -> String {
        format!(
            "repo:{}@{}/{}@{}",
            self.owner, self.owner_id, self.name, self.id
        )
    }

    /// A secret's value, unsealed with the repository's secret key (for tests; never on the API).
    pub fn open_secret(&self, name: &str) -> Option<String> {
        let secret = self.secrets.get(&name.to_ascii_uppercase())?;
        let sealed = STANDARD.decode(&secret.encrypted_value).ok()?;
        let plain = self.secret_key.unseal(&sealed).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_derived_from_names_and_stable() {
        assert_eq!(derived_owner_id("Octo-Org"), derived_owner_id("octo-org"));
        assert_eq!(
            derived_repo_id("octo-org", "Widgets"),
            derived_repo_id("OCTO-ORG", "widgets")
        );
        assert_ne!(
            derived_repo_id("octo-org", "widgets"),
            derived_repo_id("octo-org", "gadgets")
        );
        // Fixed across runs and machines (FNV-1a): pin one value.
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
        let id = derived_repo_id("octo-org", "widgets");
        assert!((100_000_000..1_000_000_000).contains(&id));
    }

    #[test]
    fn repositories_are_created_on_first_use_and_share_owner_ids() {
        let now = SystemTime::now();
        let mut gh = GithubState::default();
        gh.add("octo-org", "widgets", Some(42), Some(4242), true, now);
        let lazily = gh.repo_mut("OCTO-ORG", "gadgets", now).map(|r| r.owner_id);
        assert_eq!(lazily, Some(42), "the owner keeps its id");
        let r = gh
            .repo_mut("Octo-Org", "WIDGETS", now)
            .map(|r| (r.id, r.name.clone()));
        assert_eq!(r, Some((4242, "widgets".to_owned())), "case-insensitive");
        assert!(gh.repo_mut("-bad", "x", now).is_none());
        assert!(gh.repo_mut("ok", "..", now).is_none());
        assert!(gh.repo_mut("ok", "has space", now).is_none());
    }

    #[test]
    fn variable_name_rules() {
        for ok in ["AWS_REGION", "aws_region", "_X", "A1"] {
            assert_eq!(name_problem(ok), None, "{ok}");
        }
        for bad in ["", "1ABC", "GITHUB_TOKEN", "github_x", "A-B", "A B", "É"] {
            assert!(name_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn rate_window_resets_hourly() {
        let mut w = RateWindow::default();
        for _ in 0..RATE_LIMIT {
            assert!(w.take(1_000));
        }
        assert!(!w.take(1_001));
        assert_eq!(w.remaining(), 0);
        assert!(w.take(1_000 + 3600));
        assert_eq!(w.remaining(), RATE_LIMIT - 1);
    }
}
