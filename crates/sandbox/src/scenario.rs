//! Scenarios: the sandbox's starting state, read from `assets/scenarios/*.json` (embedded in the
//! binary). `${ACCOUNT_ID}` and `${REGION}` in a file are replaced before it is read.

use serde::Deserialize;

use super::SandboxError;
use super::wheel;
use super::world::{OriginEntry, Package, PackageFile, PackageVersion, World, normalize_name};

/// The scenario names `--scenario` accepts.
pub const SCENARIOS: &[&str] = &["empty", "complete", "guide"];

/// Region of the resources a scenario creates.
const SCENARIO_REGION: &str = "us-east-1";

fn source(name: &str) -> Option<&'static str> {
    match name {
        "empty" => Some(include_str!("../assets/scenarios/empty.json")),
        "complete" => Some(include_str!("../assets/scenarios/complete.json")),
        "guide" => Some(include_str!("../assets/scenarios/guide.json")),
        _ => None,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    #[allow(dead_code)]
    description: String,
    github: Option<ScGithub>,
    oidc_providers: Vec<ScOidc>,
    policies: Vec<ScPolicy>,
    roles: Vec<ScRole>,
    domains: Vec<ScDomain>,
    packages: Vec<ScPackage>,
    /// Service control policies of the account's organisation (documents); none: no organisation.
    #[serde(default)]
    service_control_policies: Vec<serde_json::Value>,
}

/// The GitHub repository the scenario is set up for, as the sandbox's GitHub API serves it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScGithub {
    owner: String,
    repo: String,
    /// Fixed ids; without them, ids are derived from the names (as for any other repository).
    owner_id: Option<u64>,
    repo_id: Option<u64>,
    /// Whether OIDC subjects use the immutable `repo:OWNER@OWNER_ID/REPO@REPO_ID` format.
    #[serde(default)]
    immutable_subject: bool,
    /// Actions variables the repository already has, by name.
    #[serde(default)]
    variables: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScOidc {
    url: String,
    client_ids: Vec<String>,
    thumbprints: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScPolicy {
    name: String,
    description: Option<String>,
    document: serde_json::Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScRole {
    name: String,
    description: Option<String>,
    trust_policy: serde_json::Value,
    attached_policies: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScDomain {
    name: String,
    repositories: Vec<ScRepository>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScRepository {
    name: String,
    description: Option<String>,
    #[serde(default)]
    upstreams: Vec<String>,
    external_connection: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScPackage {
    domain: String,
    repository: String,
    name: String,
    version: String,
}

/// Builds the world for scenario `name` in account `account_id`.
pub fn load(name: &str, account_id: &str) -> Result<World, SandboxError> {
    let text = source(name).ok_or_else(|| SandboxError::UnknownScenario(name.to_owned()))?;
    let text = text
        .replace("${ACCOUNT_ID}", account_id)
        .replace("${REGION}", SCENARIO_REGION);
    let err = |message: String| SandboxError::Scenario {
        name: name.to_owned(),
        message,
    };
    let scenario: Scenario = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;

    let mut world = World::new(account_id);
    if let Some(gh) = scenario.github {
        if !super::github::valid_repository(&gh.owner, &gh.repo) {
            return Err(err(format!(
                "github {}/{} is not a name GitHub accepts",
                gh.owner, gh.repo
            )));
        }
        let now = world.now();
        let repo = world.github.add(
            &gh.owner,
            &gh.repo,
            gh.owner_id,
            gh.repo_id,
            gh.immutable_subject,
            now,
        );
        for (name, value) in gh.variables {
            if let Some(problem) = super::github::name_problem(&name) {
                return Err(err(format!("github variable {name:?}: {problem}")));
            }
            let name = name.to_ascii_uppercase();
            let variable = super::github::GhVariable {
                name: name.clone(),
                value,
                created: now,
                updated: now,
            };
            repo.variables.insert(name, variable);
        }
        world.github.scenario_repo = Some((gh.owner, gh.repo));
    }
    world.service_control_policies = scenario
        .service_control_policies
        .iter()
        .map(pretty)
        .collect();
    for p in scenario.oidc_providers {
        let provider = world.new_oidc_provider(&p.url, p.client_ids, p.thumbprints);
        world.oidc_providers.insert(provider.arn.clone(), provider);
    }
    for p in scenario.policies {
        let policy = world.new_policy(&p.name, "/", &pretty(&p.document), p.description);
        world.policies.insert(policy.arn.clone(), policy);
    }
    for r in scenario.roles {
        let mut role = world.new_role(&r.name, "/", &pretty(&r.trust_policy), r.description);
        for policy_name in &r.attached_policies {
            let arn = world.policy_arn("/", policy_name);
            if !world.policies.contains_key(&arn) {
                return Err(err(format!(
                    "role {} attaches unknown policy {policy_name}",
                    r.name
                )));
            }
            role.attached.push(arn);
        }
        world.roles.insert(role.name.clone(), role);
    }
    for d in scenario.domains {
        let mut domain = world.new_domain(&d.name, SCENARIO_REGION, None);
        for r in d.repositories {
            for up in &r.upstreams {
                if !domain.repositories.contains_key(up) {
                    return Err(err(format!(
                        "repository {} names upstream {up} before it exists",
                        r.name
                    )));
                }
            }
            let mut repo = world.new_repository(&d.name, &r.name, SCENARIO_REGION, r.description);
            repo.upstreams = r.upstreams;
            repo.external_connection = r.external_connection;
            domain.repositories.insert(repo.name.clone(), repo);
        }
        world.domains.insert(domain.name.clone(), domain);
    }
    for p in scenario.packages {
        let w = wheel::build_simple(
            &p.name,
            &p.version,
            &format!("{} (sandbox scenario package)", p.name),
        )
        .map_err(|e| err(e.to_string()))?;
        let now = world.now();
        let repo = world
            .domains
            .get_mut(&p.domain)
            .and_then(|d| d.repositories.get_mut(&p.repository))
            .ok_or_else(|| {
                err(format!(
                    "package {} names unknown repository {}/{}",
                    p.name, p.domain, p.repository
                ))
            })?;
        let normalized = normalize_name(&p.name);
        let package = repo
            .packages
            .entry(normalized.clone())
            .or_insert_with(|| Package {
                name: normalized,
                publish: "ALLOW".to_owned(),
                upstream: "BLOCK".to_owned(),
                versions: Default::default(),
            });
        package.versions.insert(
            p.version.clone(),
            PackageVersion {
                version: p.version.clone(),
                display_name: p.name.clone(),
                summary: None,
                published: now,
                revision: super::world::aws_id("REV"),
                origin_type: "INTERNAL".to_owned(),
                status: super::codeartifact::status::PUBLISHED.to_owned(),
                origin_entry: OriginEntry::Repository(p.repository.clone()),
                files: vec![PackageFile {
                    sha256: w.sha256_hex(),
                    filename: w.filename,
                    content: std::sync::Arc::new(w.bytes),
                }],
            },
        );
    }
    Ok(world)
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_loads() {
        for name in SCENARIOS {
            load(name, "210987654321").unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        assert!(matches!(
            load("nope", "210987654321"),
            Err(SandboxError::UnknownScenario(_))
        ));
    }

    #[test]
    fn complete_is_complete_and_guide_has_the_guides_mistakes() {
        let w = load("complete", "210987654321").unwrap();
        let role = &w.roles["GitHubActions-CodeArtifact"];
        assert_eq!(
            role.attached,
            vec!["arn:aws:iam::210987654321:policy/CodeArtifact-Publish-Policy"]
        );
        assert!(role.assume_role_policy.contains("repo:octo-org/widgets:*"));
        assert_eq!(
            w.domains["octo-org"].repositories["widgets"].upstreams,
            vec!["pypi-store"]
        );
        assert_eq!(
            w.domains["octo-org"].repositories["pypi-store"]
                .external_connection
                .as_deref(),
            Some("public:pypi")
        );

        let (owner, repo) = w.github.scenario_repo.clone().unwrap();
        let gh = w.github.get(&owner, &repo).unwrap();
        assert_eq!(
            (gh.owner_id, gh.id, gh.immutable_subject),
            (90210042, 712398456, false)
        );
        assert_eq!(
            gh.variables["AWS_ROLE_ARN"].value,
            "arn:aws:iam::210987654321:role/GitHubActions-CodeArtifact"
        );
        assert_eq!(gh.variables["AWS_REGION"].value, "us-east-1");
        assert_eq!(gh.variables.len(), 5);

        let g = load("guide", "210987654321").unwrap();
        assert_eq!(
            g.github.scenario_repo,
            Some(("acme-geo".to_owned(), "earth-polychromatic-api".to_owned()))
        );
        assert!(
            load("empty", "210987654321")
                .unwrap()
                .github
                .repos
                .is_empty()
        );
        let role = &g.roles["GitHubActions-CodeArtifact"];
        assert!(
            role.attached.is_empty(),
            "the guide never creates the policy it attaches"
        );
        assert!(
            role.assume_role_policy
                .contains("earth-polychromatic-images")
        );
        assert!(g.policies.is_empty());
        let repo = &g.domains["acme-geo"].repositories["earth-polychromatic-api"];
        assert!(repo.upstreams.is_empty());
        assert!(
            !g.domains["acme-geo"]
                .repositories
                .contains_key("pypi-store")
        );
    }
}
