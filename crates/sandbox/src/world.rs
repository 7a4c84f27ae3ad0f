//! The sandbox's state: one AWS account's IAM entities, CodeArtifact domains and packages, and the
//! authorization tokens it handed out. Plain data; the service modules implement the operations.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

mod holder;
pub mod npm;

pub use holder::Holder;

/// Wall clock plus an offset that tests can advance (to expire tokens without waiting).
#[derive(Debug, Default, Clone)]
pub struct Clock {
    offset: Duration,
}

impl Clock {
    pub fn now(&self) -> SystemTime {
        SystemTime::now() + self.offset
    }
    pub fn advance(&mut self, by: Duration) {
        self.offset += by;
    }
}

/// Seconds since the epoch, as REST-JSON timestamps are sent.
pub fn epoch_seconds(t: SystemTime) -> f64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// ISO 8601 in UTC, as query-protocol (IAM/STS) timestamps are sent: `2026-11-21T05:31:00Z`.
pub fn iso8601(t: SystemTime) -> String {
    let dt = time::OffsetDateTime::from(t);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    dt.format(&fmt)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// A random id in AWS's style: `prefix` followed by upper-case letters and digits, 21 chars in all.
pub fn aws_id(prefix: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut id = prefix.to_owned();
    while id.len() < 21 {
        let i = rand::random::<u8>() as usize % ALPHABET.len();
        id.push(ALPHABET[i] as char);
    }
    id
}

#[derive(Debug)]
pub struct World {
    pub account_id: String,
    pub clock: Clock,
    /// By ARN.
    pub oidc_providers: BTreeMap<String, OidcProvider>,
    /// By role name.
    pub roles: BTreeMap<String, Role>,
    /// Customer-managed policies, by ARN.
    pub policies: BTreeMap<String, ManagedPolicy>,
    /// CodeArtifact domains, by name (all owned by `account_id`).
    pub domains: BTreeMap<String, Domain>,
    /// Authorization tokens from GetAuthorizationToken, by token.
    pub tokens: HashMap<String, AuthToken>,
    /// Role sessions from AssumeRoleWithWebIdentity, by access key id.
    pub sessions: HashMap<String, Session>,
    /// Service control policies of the organisation the account is in (documents as JSON text);
    /// empty: the account is in no organisation. AWS's default `FullAWSAccess` is implied.
    pub service_control_policies: Vec<String>,
    /// The emulated GitHub: repositories, their Actions variables and secrets.
    pub github: super::github::state::GithubState,
    /// GitHub Actions: workflow runs and releases.
    pub actions: super::actions::state::ActionsState,
    /// EventBridge: rules, targets, and what was delivered.
    pub events: super::events::state::EventsState,
    /// SNS: topics and subscriptions.
    pub sns: super::sns::state::SnsState,
}

impl World {
    pub fn new(account_id: &str) -> Self {
        Self {
            account_id: account_id.to_owned(),
            clock: Clock::default(),
            oidc_providers: BTreeMap::new(),
            roles: BTreeMap::new(),
            policies: BTreeMap::new(),
            domains: BTreeMap::new(),
            tokens: HashMap::new(),
            sessions: HashMap::new(),
            service_control_policies: Vec::new(),
            github: Default::default(),
            actions: Default::default(),
            events: Default::default(),
            sns: Default::default(),
        }
    }

    pub fn now(&self) -> SystemTime {
        self.clock.now()
    }
}

#[derive(Debug, Clone)]
pub struct OidcProvider {
    pub arn: String,
    /// As given on create, with `https://`.
    pub url: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
    pub created: SystemTime,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub role_id: String,
    /// The trust policy exactly as given (JSON text).
    pub assume_role_policy: String,
    pub description: Option<String>,
    pub max_session_duration: u32,
    pub created: SystemTime,
    /// ARNs of attached managed policies, in attach order.
    pub attached: Vec<String>,
    /// The managed policy set as the role's permissions boundary, by ARN.
    pub permissions_boundary: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ManagedPolicy {
    pub name: String,
    pub arn: String,
    pub policy_id: String,
    pub path: String,
    pub description: Option<String>,
    pub created: SystemTime,
    pub updated: SystemTime,
    pub versions: Vec<PolicyVersion>,
    /// The number the next version gets (`v{n}`); AWS never reuses version ids.
    pub next_version: u32,
}

impl ManagedPolicy {
    pub fn default_version(&self) -> Option<&PolicyVersion> {
        self.versions.iter().find(|v| v.is_default)
    }
}

#[derive(Debug, Clone)]
pub struct PolicyVersion {
    pub id: String,
    pub document: String,
    pub is_default: bool,
    pub created: SystemTime,
}

#[derive(Debug, Clone)]
pub struct Domain {
    pub name: String,
    pub owner: String,
    pub arn: String,
    pub encryption_key: String,
    pub created: SystemTime,
    /// By repository name.
    pub repositories: BTreeMap<String, Repository>,
    /// A resource policy document (PutDomainPermissionsPolicy), if one was set.
    pub permissions_policy: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Repository {
    pub name: String,
    pub arn: String,
    pub description: Option<String>,
    pub upstreams: Vec<String>,
    pub external_connection: Option<String>,
    pub created: SystemTime,
    /// A resource policy document, if one was set.
    pub permissions_policy: Option<String>,
    /// PyPI packages by PEP 503-normalised name.
    pub packages: BTreeMap<String, Package>,
    /// npm packages by their full name (`@scope/name` or `name`).
    pub npm: BTreeMap<String, npm::NpmPackage>,
}

#[derive(Debug, Clone)]
pub struct Package {
    /// PEP 503-normalised name.
    pub name: String,
    /// Package origin controls (`ALLOW` / `BLOCK`).
    pub publish: String,
    pub upstream: String,
    /// By version string.
    pub versions: BTreeMap<String, PackageVersion>,
}

#[derive(Debug, Clone)]
pub struct PackageVersion {
    pub version: String,
    /// The name as the uploader spelled it.
    pub display_name: String,
    pub summary: Option<String>,
    pub published: SystemTime,
    pub revision: String,
    /// `INTERNAL` (published to this repository) or `EXTERNAL` (came through an upstream).
    pub origin_type: String,
    /// `Published`, `Unlisted`, `Archived` or `Disposed` (UpdatePackageVersionsStatus,
    /// DisposePackageVersions); what the PyPI endpoint lists and serves depends on it.
    pub status: String,
    /// Where it entered the domain: a repository name or an external connection name.
    pub origin_entry: OriginEntry,
    pub files: Vec<PackageFile>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OriginEntry {
    Repository(String),
    ExternalConnection(String),
}

#[derive(Debug, Clone)]
pub struct PackageFile {
    pub filename: String,
    pub sha256: String,
    pub content: Arc<Vec<u8>>,
}

#[derive(Debug, Clone)]
pub struct AuthToken {
    pub domain: String,
    pub owner: String,
    pub expires: SystemTime,
    /// Who asked for it: their rights are checked on the PyPI endpoint.
    pub holder: Holder,
}

/// Temporary credentials from AssumeRoleWithWebIdentity: an `assumed-role/ROLE/SESSION`.
#[derive(Debug, Clone)]
pub struct Session {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    pub role_name: String,
    pub role_id: String,
    pub session_name: String,
    pub expires: SystemTime,
    /// The token's `sub`.
    pub subject: String,
}

impl Session {
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` (no role path, as AWS writes it).
    pub fn arn(&self, account: &str) -> String {
        format!(
            "arn:aws:sts::{account}:assumed-role/{}/{}",
            self.role_name, self.session_name
        )
    }
}

/// PEP 503 name normalisation, as PyPI and CodeArtifact apply it: runs of `-`, `_` and `.` become
/// one `-`, letters are lower-cased. One implementation for the whole crate.
pub fn normalize_name(name: &str) -> String {
    static SEPARATORS: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"[-_.]+").expect("a valid pattern"));
    SEPARATORS.replace_all(name, "-").to_lowercase()
}

/// Constructors shared by the operations and by scenario loading, so both build identical entities.
impl World {
    pub fn oidc_provider_arn(&self, url: &str) -> String {
        let host_path = url.trim_start_matches("https://").trim_end_matches('/');
        format!("arn:aws:iam::{}:oidc-provider/{host_path}", self.account_id)
    }

    pub fn role_arn(&self, path: &str, name: &str) -> String {
        format!("arn:aws:iam::{}:role{path}{name}", self.account_id)
    }

    pub fn policy_arn(&self, path: &str, name: &str) -> String {
        format!("arn:aws:iam::{}:policy{path}{name}", self.account_id)
    }

    pub fn new_oidc_provider(
        &self,
        url: &str,
        client_ids: Vec<String>,
        thumbprints: Vec<String>,
    ) -> OidcProvider {
        OidcProvider {
            arn: self.oidc_provider_arn(url),
            url: url.to_owned(),
            client_ids,
            thumbprints,
            created: self.now(),
        }
    }

    pub fn new_role(
        &self,
        name: &str,
        path: &str,
        trust_policy: &str,
        description: Option<String>,
    ) -> Role {
        Role {
            name: name.to_owned(),
            path: path.to_owned(),
            arn: self.role_arn(path, name),
            role_id: aws_id("AROA"),
            assume_role_policy: trust_policy.to_owned(),
            description,
            max_session_duration: 3600,
            created: self.now(),
            attached: Vec::new(),
            permissions_boundary: None,
        }
    }

    pub fn new_policy(
        &self,
        name: &str,
        path: &str,
        document: &str,
        description: Option<String>,
    ) -> ManagedPolicy {
        let now = self.now();
        ManagedPolicy {
            name: name.to_owned(),
            arn: self.policy_arn(path, name),
            policy_id: aws_id("ANPA"),
            path: path.to_owned(),
            description,
            created: now,
            updated: now,
            versions: vec![PolicyVersion {
                id: "v1".to_owned(),
                document: document.to_owned(),
                is_default: true,
                created: now,
            }],
            next_version: 2,
        }
    }

    pub fn new_domain(&self, name: &str, region: &str, encryption_key: Option<String>) -> Domain {
        let account = &self.account_id;
        Domain {
            name: name.to_owned(),
            owner: account.clone(),
            arn: format!("arn:aws:codeartifact:{region}:{account}:domain/{name}"),
            encryption_key: encryption_key.unwrap_or_else(|| {
                format!("arn:aws:kms:{region}:{account}:key/0f0e0d0c-cawi-zsan-dbox-aws0codeart0")
            }),
            created: self.now(),
            repositories: BTreeMap::new(),
            permissions_policy: None,
        }
    }

    pub fn new_repository(
        &self,
        domain: &str,
        name: &str,
        region: &str,
        description: Option<String>,
    ) -> Repository {
        Repository {
            name: name.to_owned(),
            arn: format!(
                "arn:aws:codeartifact:{region}:{}:repository/{domain}/{name}",
                self.account_id
            ),
            description,
            upstreams: Vec::new(),
            external_connection: None,
            created: self.now(),
            permissions_policy: None,
            packages: BTreeMap::new(),
            npm: BTreeMap::new(),
        }
    }

    /// The region a domain lives in, read back from its ARN.
    pub fn domain_region(domain: &Domain) -> &str {
        domain.arn.split(':').nth(3).unwrap_or("us-east-1")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503() {
        assert_eq!(normalize_name("Friendly-Bard"), "friendly-bard");
        assert_eq!(normalize_name("FRIENDLY._-bard"), "friendly-bard");
        assert_eq!(normalize_name("cawiz_demo.Greeting"), "cawiz-demo-greeting");
    }

    #[test]
    fn ids_and_times() {
        let id = aws_id("AROA");
        assert_eq!(id.len(), 21);
        assert!(id.starts_with("AROA"));
        assert_eq!(
            iso8601(SystemTime::UNIX_EPOCH + Duration::from_secs(86_400)),
            "1970-01-02T00:00:00Z"
        );
        let mut c = Clock::default();
        let before = c.now();
        c.advance(Duration::from_secs(3600));
        assert!(c.now().duration_since(before).unwrap_or_default() >= Duration::from_secs(3600));
    }
}
