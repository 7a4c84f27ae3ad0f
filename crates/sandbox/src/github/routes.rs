//! Which GitHub endpoint a request is: the operations, named after GitHub's REST documentation,
//! and the routing of a method and path to one (with the owner, repository and name in the path).

use axum::http::Method;

use super::PATH_PREFIX;

/// An endpoint, named after the operation in GitHub's REST documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    GetRepository,
    GetOidcSubClaim,
    SetOidcSubClaim,
    GetOrgOidcSubClaim,
    SetOrgOidcSubClaim,
    /// The Actions runtime's token endpoint (`/github/_oidc/token`).
    GetOidcToken,
    /// The issuer's keys and discovery document (no token needed).
    GetOidcKeys,
    GetOidcConfig,
    ListVariables,
    CreateVariable,
    GetVariable,
    UpdateVariable,
    DeleteVariable,
    /// The organisation variables shared with a repository.
    ListRepoOrgVariables,
    ListOrgVariables,
    CreateOrgVariable,
    GetOrgVariable,
    UpdateOrgVariable,
    DeleteOrgVariable,
    ListSelectedReposForOrgVariable,
    SetSelectedReposForOrgVariable,
    AddSelectedRepoToOrgVariable,
    RemoveSelectedRepoFromOrgVariable,
    GetEnvironment,
    CreateOrUpdateEnvironment,
    ListEnvVariables,
    CreateEnvVariable,
    GetEnvVariable,
    UpdateEnvVariable,
    DeleteEnvVariable,
    ListSecrets,
    /// The organisation secrets shared with a repository (the sandbox has none).
    ListRepoOrganizationSecrets,
    GetPublicKey,
    GetSecret,
    SetSecret,
    DeleteSecret,
    GetContent,
    PutContent,
    GetBranch,
    GetRef,
    CreateRef,
    DeleteRef,
    GetTag,
    CreatePullRequest,
    ListPullRequests,
    GetPullRequest,
    MergePullRequest,
}

impl Op {
    /// The operation name counted by `SandboxHandle::calls()` after `GitHub:`.
    pub fn name(self) -> &'static str {
        match self {
            Op::GetRepository => "GetRepository",
            Op::GetOidcSubClaim => "GetOidcSubClaim",
            Op::SetOidcSubClaim => "SetOidcSubClaim",
            Op::GetOrgOidcSubClaim => "GetOrgOidcSubClaim",
            Op::SetOrgOidcSubClaim => "SetOrgOidcSubClaim",
            Op::GetOidcToken => "GetOidcToken",
            Op::GetOidcKeys => "GetOidcKeys",
            Op::GetOidcConfig => "GetOidcConfig",
            Op::ListVariables => "ListVariables",
            Op::CreateVariable => "CreateVariable",
            Op::GetVariable => "GetVariable",
            Op::UpdateVariable => "UpdateVariable",
            Op::DeleteVariable => "DeleteVariable",
            Op::ListRepoOrgVariables => "ListRepoOrganizationVariables",
            Op::ListOrgVariables => "ListOrgVariables",
            Op::CreateOrgVariable => "CreateOrgVariable",
            Op::GetOrgVariable => "GetOrgVariable",
            Op::UpdateOrgVariable => "UpdateOrgVariable",
            Op::DeleteOrgVariable => "DeleteOrgVariable",
            Op::ListSelectedReposForOrgVariable => "ListSelectedReposForOrgVariable",
            Op::SetSelectedReposForOrgVariable => "SetSelectedReposForOrgVariable",
            Op::AddSelectedRepoToOrgVariable => "AddSelectedRepoToOrgVariable",
            Op::RemoveSelectedRepoFromOrgVariable => "RemoveSelectedRepoFromOrgVariable",
            Op::GetEnvironment => "GetEnvironment",
            Op::CreateOrUpdateEnvironment => "CreateOrUpdateEnvironment",
            Op::ListEnvVariables => "ListEnvironmentVariables",
            Op::CreateEnvVariable => "CreateEnvironmentVariable",
            Op::GetEnvVariable => "GetEnvironmentVariable",
            Op::UpdateEnvVariable => "UpdateEnvironmentVariable",
            Op::DeleteEnvVariable => "DeleteEnvironmentVariable",
            Op::ListSecrets => "ListSecrets",
            Op::ListRepoOrganizationSecrets => "ListRepoOrganizationSecrets",
            Op::GetPublicKey => "GetPublicKey",
            Op::GetSecret => "GetSecret",
            Op::SetSecret => "SetSecret",
            Op::DeleteSecret => "DeleteSecret",
            Op::GetContent => "GetContent",
            Op::PutContent => "CreateOrUpdateFileContents",
            Op::GetBranch => "GetBranch",
            Op::GetRef => "GetRef",
            Op::CreateRef => "CreateRef",
            Op::DeleteRef => "DeleteRef",
            Op::GetTag => "GetTag",
            Op::CreatePullRequest => "CreatePullRequest",
            Op::ListPullRequests => "ListPullRequests",
            Op::GetPullRequest => "GetPullRequest",
            Op::MergePullRequest => "MergePullRequest",
        }
    }

    /// The `documentation_url` of the endpoint's errors.
    pub(super) fn doc(self) -> &'static str {
        match self {
            Op::GetRepository => "https://docs.github.com/rest/repos/repos#get-a-repository",
            Op::GetOidcSubClaim => {
                "https://docs.github.com/rest/actions/oidc#get-the-customization-template-for-an-oidc-subject-claim-for-a-repository"
            }
            Op::SetOidcSubClaim => {
                "https://docs.github.com/rest/actions/oidc#set-the-customization-template-for-an-oidc-subject-claim-for-a-repository"
            }
            Op::GetOrgOidcSubClaim => {
                "https://docs.github.com/rest/actions/oidc#get-the-customization-template-for-an-oidc-subject-claim-for-an-organization"
            }
            Op::GetOidcToken | Op::GetOidcKeys | Op::GetOidcConfig => {
                "https://docs.github.com/actions/reference/security/oidc"
            }
            Op::SetOrgOidcSubClaim => {
                "https://docs.github.com/rest/actions/oidc#set-the-customization-template-for-an-oidc-subject-claim-for-an-organization"
            }
            Op::ListVariables => {
                "https://docs.github.com/rest/actions/variables#list-repository-variables"
            }
            Op::CreateVariable => {
                "https://docs.github.com/rest/actions/variables#create-a-repository-variable"
            }
            Op::GetVariable => {
                "https://docs.github.com/rest/actions/variables#get-a-repository-variable"
            }
            Op::UpdateVariable => {
                "https://docs.github.com/rest/actions/variables#update-a-repository-variable"
            }
            Op::DeleteVariable => {
                "https://docs.github.com/rest/actions/variables#delete-a-repository-variable"
            }
            Op::ListRepoOrgVariables
            | Op::ListOrgVariables
            | Op::CreateOrgVariable
            | Op::GetOrgVariable
            | Op::UpdateOrgVariable
            | Op::DeleteOrgVariable
            | Op::ListSelectedReposForOrgVariable
            | Op::SetSelectedReposForOrgVariable
            | Op::AddSelectedRepoToOrgVariable
            | Op::RemoveSelectedRepoFromOrgVariable
            | Op::ListEnvVariables
            | Op::CreateEnvVariable
            | Op::GetEnvVariable
            | Op::UpdateEnvVariable
            | Op::DeleteEnvVariable => super::variables::doc(self),
            Op::GetEnvironment => {
                "https://docs.github.com/rest/deployments/environments#get-an-environment"
            }
            Op::CreateOrUpdateEnvironment => {
                "https://docs.github.com/rest/deployments/environments#create-or-update-an-environment"
            }
            Op::ListSecrets => {
                "https://docs.github.com/rest/actions/secrets#list-repository-secrets"
            }
            Op::ListRepoOrganizationSecrets => {
                "https://docs.github.com/rest/actions/secrets#list-repository-organization-secrets"
            }
            Op::GetPublicKey => {
                "https://docs.github.com/rest/actions/secrets#get-a-repository-public-key"
            }
            Op::GetSecret => "https://docs.github.com/rest/actions/secrets#get-a-repository-secret",
            Op::SetSecret => {
                "https://docs.github.com/rest/actions/secrets#create-or-update-a-repository-secret"
            }
            Op::DeleteSecret => {
                "https://docs.github.com/rest/actions/secrets#delete-a-repository-secret"
            }
            Op::GetContent => "https://docs.github.com/rest/repos/contents#get-repository-content",
            Op::PutContent => {
                "https://docs.github.com/rest/repos/contents#create-or-update-file-contents"
            }
            Op::GetBranch => "https://docs.github.com/rest/branches/branches#get-a-branch",
            Op::GetRef => "https://docs.github.com/rest/git/refs#get-a-reference",
            Op::CreateRef => "https://docs.github.com/rest/git/refs#create-a-reference",
            Op::DeleteRef => "https://docs.github.com/rest/git/refs#delete-a-reference",
            Op::GetTag => "https://docs.github.com/rest/git/tags#get-a-tag",
            Op::CreatePullRequest => {
                "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"
            }
            Op::ListPullRequests => "https://docs.github.com/rest/pulls/pulls#list-pull-requests",
            Op::GetPullRequest => "https://docs.github.com/rest/pulls/pulls#get-a-pull-request",
            Op::MergePullRequest => "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request",
        }
    }

    /// GitHub's `x-accepted-github-permissions`: the fine-grained permission the endpoint needs.
    pub(super) fn permission(self) -> &'static str {
        match self {
            Op::GetRepository => "metadata=read",
            Op::GetOidcSubClaim => "actions=read",
            Op::SetOidcSubClaim => "actions=write",
            Op::GetOrgOidcSubClaim => "organization_administration=read",
            Op::SetOrgOidcSubClaim => "organization_administration=write",
            Op::GetOidcToken => "id-token=write",
            Op::GetOidcKeys | Op::GetOidcConfig => "",
            Op::ListVariables | Op::GetVariable => "actions_variables=read",
            Op::CreateVariable | Op::UpdateVariable | Op::DeleteVariable => {
                "actions_variables=write"
            }
            Op::ListRepoOrgVariables => "actions_variables=read",
            Op::ListOrgVariables | Op::GetOrgVariable | Op::ListSelectedReposForOrgVariable => {
                "organization_actions_variables=read"
            }
            Op::CreateOrgVariable
            | Op::UpdateOrgVariable
            | Op::DeleteOrgVariable
            | Op::SetSelectedReposForOrgVariable
            | Op::AddSelectedRepoToOrgVariable
            | Op::RemoveSelectedRepoFromOrgVariable => "organization_actions_variables=write",
            Op::GetEnvironment => "actions=read",
            Op::CreateOrUpdateEnvironment => "administration=write",
            Op::ListEnvVariables | Op::GetEnvVariable => "environments=read",
            Op::CreateEnvVariable | Op::UpdateEnvVariable | Op::DeleteEnvVariable => {
                "environments=write"
            }
            Op::ListSecrets
            | Op::ListRepoOrganizationSecrets
            | Op::GetPublicKey
            | Op::GetSecret => "secrets=read",
            Op::SetSecret | Op::DeleteSecret => "secrets=write",
            Op::GetContent | Op::GetBranch | Op::GetRef | Op::GetTag => "contents=read",
            Op::PutContent | Op::CreateRef | Op::DeleteRef | Op::MergePullRequest => {
                "contents=write"
            }
            Op::CreatePullRequest => "pull_requests=write",
            Op::ListPullRequests | Op::GetPullRequest => "pull_requests=read",
        }
    }
}

/// A request on the GitHub API: the endpoint and the names in its path (percent-decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub op: Op,
    pub owner: String,
    pub repo: String,
    /// The variable or secret name, the file path, the branch, the ref (`heads/main`), the tag
    /// object's SHA, the pull request's number or the environment's name, for the endpoints
    /// about one.
    pub name: Option<String>,
    /// What is inside `name`: an environment's variable, an organisation variable's repository
    /// id.
    pub item: Option<String>,
}

/// Whether a path is under [`PATH_PREFIX`].
pub fn is_github_path(path: &str) -> bool {
    path == PATH_PREFIX
        || path
            .strip_prefix(PATH_PREFIX)
            .is_some_and(|rest| rest.starts_with('/'))
}

pub fn route(method: &Method, path: &str) -> Option<Route> {
    let rest = path.strip_prefix(PATH_PREFIX)?;
    let segments = crate::protocol::path_segments(rest.split('/'));
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    let m = method.as_str();
    let (owner, repo, tail) = match s.as_slice() {
        ["repos", owner, repo, tail @ ..] => (*owner, *repo, tail),
        ["_oidc", rest @ ..] => {
            let op = match (m, rest) {
                ("GET", ["token"]) => Op::GetOidcToken,
                ("GET", [".well-known", "jwks"]) => Op::GetOidcKeys,
                ("GET", [".well-known", "openid-configuration"]) => Op::GetOidcConfig,
                _ => return None,
            };
            return Some(Route {
                op,
                owner: String::new(),
                repo: String::new(),
                name: None,
                item: None,
            });
        }
        ["orgs", org, "actions", "variables", rest @ ..] => {
            let (op, name, item) = super::variables::org_route(m, rest)?;
            return Some(Route {
                op,
                owner: (*org).to_owned(),
                repo: String::new(),
                name,
                item,
            });
        }
        ["orgs", org, "actions", "oidc", "customization", "sub"] => {
            let op = match m {
                "GET" => Op::GetOrgOidcSubClaim,
                "PUT" => Op::SetOrgOidcSubClaim,
                _ => return None,
            };
            return Some(Route {
                op,
                owner: (*org).to_owned(),
                repo: String::new(),
                name: None,
                item: None,
            });
        }
        _ => return None,
    };
    if let Some((op, name, item)) = super::variables::environment_route(m, tail) {
        return Some(Route {
            op,
            owner: owner.to_owned(),
            repo: repo.to_owned(),
            name: Some(name),
            item,
        });
    }
    let joined = |rest: &[&str]| Some(rest.join("/"));
    let with_name = |op: Op, name: Option<String>| Route {
        op,
        owner: owner.to_owned(),
        repo: repo.to_owned(),
        name,
        item: None,
    };
    let (op, name) = match (m, tail) {
        ("GET", []) => (Op::GetRepository, None),
        ("GET", ["actions", "oidc", "customization", "sub"]) => (Op::GetOidcSubClaim, None),
        ("PUT", ["actions", "oidc", "customization", "sub"]) => (Op::SetOidcSubClaim, None),
        ("GET", ["actions", "variables"]) => (Op::ListVariables, None),
        ("POST", ["actions", "variables"]) => (Op::CreateVariable, None),
        ("GET", ["actions", "variables", n]) => (Op::GetVariable, Some(*n)),
        ("PATCH", ["actions", "variables", n]) => (Op::UpdateVariable, Some(*n)),
        ("DELETE", ["actions", "variables", n]) => (Op::DeleteVariable, Some(*n)),
        ("GET", ["actions", "organization-variables"]) => (Op::ListRepoOrgVariables, None),
        ("GET", ["actions", "secrets"]) => (Op::ListSecrets, None),
        ("GET", ["actions", "organization-secrets"]) => (Op::ListRepoOrganizationSecrets, None),
        ("GET", ["actions", "secrets", "public-key"]) => (Op::GetPublicKey, None),
        ("GET", ["actions", "secrets", n]) => (Op::GetSecret, Some(*n)),
        ("PUT", ["actions", "secrets", n]) => (Op::SetSecret, Some(*n)),
        ("DELETE", ["actions", "secrets", n]) => (Op::DeleteSecret, Some(*n)),
        ("GET", ["contents", rest @ ..]) => return Some(with_name(Op::GetContent, joined(rest))),
        ("PUT", ["contents", rest @ ..]) if !rest.is_empty() => {
            return Some(with_name(Op::PutContent, joined(rest)));
        }
        ("GET", ["branches", rest @ ..]) if !rest.is_empty() => {
            return Some(with_name(Op::GetBranch, joined(rest)));
        }
        ("GET", ["git", "ref", rest @ ..]) if rest.len() >= 2 => {
            return Some(with_name(Op::GetRef, joined(rest)));
        }
        ("POST", ["git", "refs"]) => (Op::CreateRef, None),
        ("DELETE", ["git", "refs", rest @ ..]) if rest.len() >= 2 => {
            return Some(with_name(Op::DeleteRef, joined(rest)));
        }
        ("GET", ["git", "tags", sha]) => (Op::GetTag, Some(*sha)),
        ("POST", ["pulls"]) => (Op::CreatePullRequest, None),
        ("GET", ["pulls"]) => (Op::ListPullRequests, None),
        ("GET", ["pulls", n]) => (Op::GetPullRequest, Some(*n)),
        ("PUT", ["pulls", n, "merge"]) => (Op::MergePullRequest, Some(*n)),
        _ => return None,
    };
    Some(with_name(op, name.map(str::to_owned)))
}

/// The operation name a request is counted (and faults are matched) under, e.g.
/// `GitHub:ListVariables`; `None` for paths GitHub would answer 404.
pub fn operation(method: &Method, path: &str) -> Option<String> {
    route(method, path).map(|r| format!("GitHub:{}", r.op.name()))
}
