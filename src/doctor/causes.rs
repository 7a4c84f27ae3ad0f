//! The doctor's causes (`../shared/SPEC.md`, "Doctor"): stable ids per symptom, each with what it
//! means and the fix to try (`../shared/FAILURES.md`). The pipeline's log signatures and the
//! doctor's checks both name causes by these ids.

pub use super::symptom::Symptom;

/// One cause: its id, symptom, what it means (`title`, the finding beside ✗), the check it
/// passes (`check`, beside ✓, ? and -) and the fix to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cause {
    pub id: &'static str,
    pub symptom: Symptom,
    pub title: &'static str,
    pub check: &'static str,
    pub fix: &'static str,
}

const fn cause(
    id: &'static str,
    symptom: Symptom,
    title: &'static str,
    check: &'static str,
    fix: &'static str,
) -> Cause {
    Cause {
        id,
        symptom,
        title,
        check,
        fix,
    }
}

use Symptom::{Consumer403, NoNotification, NotFound, Oidc, Publish403};

/// Every cause, each symptom's in the SPEC's order.
pub const CAUSES: &[Cause] = &[
    cause(
        "provider-missing",
        Oidc,
        "No GitHub OIDC provider in the account",
        "The account has GitHub's OIDC provider",
        "create the provider (the OIDC provider item's apply)",
    ),
    cause(
        "provider-audience",
        Oidc,
        "The provider does not accept the token's audience",
        "The provider accepts the token's audience",
        "add the client id sts.amazonaws.com to the provider (AddClientIDToOpenIDConnectProvider), or drop the workflow's audience: input",
    ),
    cause(
        "role-missing",
        Oidc,
        "The role does not exist",
        "The role exists",
        "create the role (the role item's apply)",
    ),
    cause(
        "trust-principal",
        Oidc,
        "The trust policy's principal is not this account's GitHub provider",
        "The trust policy's principal is this account's GitHub provider",
        "set Principal.Federated to this account's token.actions.githubusercontent.com provider",
    ),
    cause(
        "trust-audience",
        Oidc,
        "The trust policy does not require the audience sts.amazonaws.com",
        "The trust policy accepts the audience sts.amazonaws.com",
        "add StringEquals token.actions.githubusercontent.com:aud = sts.amazonaws.com",
    ),
    cause(
        "trust-subject",
        Oidc,
        "The trust policy does not accept the subject GitHub sends for the job",
        "The trust policy accepts the subject GitHub sends for the job",
        "accept the job's subject (StringLike with the exact form: classic or immutable, canonical case, its ref/environment) — the role item's apply adds it",
    ),
    cause(
        "trust-subject-wildcard",
        Oidc,
        "The trust policy lets other repositories assume the role",
        "The trust policy lets no other repository assume the role",
        "narrow the subject to this repository",
    ),
    cause(
        "role-arn-variable",
        Oidc,
        "role-to-assume (or aws-region) is empty or names another role: the repository's variables",
        "role-to-assume and aws-region name the role and the region",
        "set the repository's variables (`cawiz apply --only variables`): AWS_ROLE_ARN to the role's ARN (with its path), AWS_REGION to the region; and role-to-assume: ${{ vars.AWS_ROLE_ARN }}",
    ),
    cause(
        "id-token-permission",
        Oidc,
        "The job that assumes the role lacks id-token: write",
        "The job that assumes the role has id-token: write",
        "give that job permissions: id-token: write (a job-level permissions block replaces the workflow's)",
    ),
    cause(
        "session-duration",
        Oidc,
        "role-duration-seconds exceeds the role's MaxSessionDuration",
        "role-duration-seconds is within the role's MaxSessionDuration",
        "lower role-duration-seconds (3600 at most with role chaining), or raise the role's MaxSessionDuration",
    ),
    cause(
        "policy-missing",
        Publish403,
        "The publish policy does not exist",
        "The publish policy exists",
        "create it (the role item's apply)",
    ),
    cause(
        "policy-not-attached",
        Publish403,
        "The publish policy is not attached to the role",
        "The publish policy is attached to the role",
        "attach it (the role item's apply)",
    ),
    cause(
        "token-denied",
        Publish403,
        "The role may not get a CodeArtifact token",
        "The role may get a CodeArtifact token",
        "allow codeartifact:GetAuthorizationToken on the domain and sts:GetServiceBearerToken (sts:AWSServiceName = codeartifact.amazonaws.com) in an identity policy",
    ),
    cause(
        "publish-denied",
        Publish403,
        "The role may not publish the package",
        "The role may publish the package",
        "allow codeartifact:PublishPackageVersion on package/DOMAIN/REPO/* (the repository's ARN alone is not enough)",
    ),
    cause(
        "boundary-or-scp-deny",
        Publish403,
        "A permissions boundary or an SCP denies the action",
        "No permissions boundary or SCP denies a publish action",
        "ask the account's or the organisation's administrators to allow it; more grants in the role's policies cannot override it",
    ),
    cause(
        "resource-policy-deny",
        Publish403,
        "The domain's or repository's resource policy denies the role",
        "The domain's and repository's resource policies let the role in",
        "edit the resource policy (Put…PermissionsPolicy) to allow the role, or remove the Deny",
    ),
    cause(
        "names-mismatch",
        Publish403,
        "The workflow's variables name another domain, repository, account or region",
        "The workflow's variables name the real domain, repository, account and region",
        "set CODEARTIFACT_DOMAIN, CODEARTIFACT_REPOSITORY, AWS_ACCOUNT_ID and AWS_REGION to the real ones (the variables item's apply)",
    ),
    cause(
        "origin-blocked",
        Publish403,
        "Package origin controls block publishing this name",
        "Package origin controls allow publishing this name",
        "rename the package, or allow publishing (PutPackageOriginConfiguration publish=ALLOW) if the name is yours",
    ),
    cause(
        "version-exists",
        Publish403,
        "This version already exists in the repository or an upstream",
        "This version is not in the repository or an upstream yet",
        "bump the version",
    ),
    cause(
        "upload-target",
        Publish403,
        "twine uploads somewhere else than the CodeArtifact repository",
        "twine uploads to the CodeArtifact repository",
        "set TWINE_REPOSITORY_URL from get-repository-endpoint (and TWINE_USERNAME=aws, TWINE_PASSWORD=token); no --skip-existing",
    ),
    cause(
        "npm-registry-elsewhere",
        Publish403,
        "npm publishes somewhere else: package.json's publishConfig.registry or the project's .npmrc names another registry",
        "package.json and the project's .npmrc leave npm publishing to the repository",
        "remove publishConfig.registry from package.json and the project's registry lines from .npmrc (the workflow's setup-node sets the registry), or point them at the repository's npm endpoint, ending in /",
    ),
    cause(
        "npm-scope-namespace",
        Publish403,
        "The package's npm scope is outside the namespace the role may publish",
        "The role may publish the package's npm scope",
        "name the package in the setup's scope, or set the setup's npm namespace to the package's scope (cawiz init --format npm@SCOPE) and apply the role",
    ),
    cause(
        "npm-token-config",
        Publish403,
        "The project's .npmrc holds a literal token (readable by anyone, dead within 12 hours) or an option npm no longer knows",
        "The project's .npmrc holds no literal token",
        "delete the token line (rotate the credential) and let setup-node write //HOST/npm/REPO/:_authToken=${NODE_AUTH_TOKEN} from the workflow's token",
    ),
    cause(
        "upstream-missing",
        NotFound,
        "The upstream repository does not exist",
        "The upstream repository exists",
        "create it (the upstream item's apply)",
    ),
    cause(
        "upstream-not-linked",
        NotFound,
        "The repository does not list the upstream",
        "The repository lists the upstream",
        "add the upstream to the repository (the upstream item's apply)",
    ),
    cause(
        "external-connection-missing",
        NotFound,
        "The upstream has no public:pypi connection (Available)",
        "The upstream has its public:pypi connection (Available)",
        "associate public:pypi with the upstream (the upstream item's apply)",
    ),
    cause(
        "package-not-published",
        NotFound,
        "The package was never published to the repository",
        "The package is published to the repository",
        "publish it (run the pipeline: cawiz verify)",
    ),
    cause(
        "version-status",
        NotFound,
        "The version is Unlisted, Archived or Disposed",
        "The version is Published",
        "set it Published (UpdatePackageVersionsStatus)",
    ),
    cause(
        "wrong-endpoint",
        NotFound,
        "pip reads another repository's index (the upstream, say)",
        "pip reads the repository's own index",
        "point pip at the repository you publish to (its get-repository-endpoint + simple/)",
    ),
    cause(
        "token-expired",
        NotFound,
        "The token in pip's index URL expired or is wrong (CodeArtifact may answer 404 instead of 401)",
        "The token in pip's index URL is accepted",
        "get a fresh token just before use (aws codeartifact login, or the local test)",
    ),
    cause(
        "index-config",
        NotFound,
        "uv's or poetry's own configuration names the repository with the wrong URL (the upload endpoint for installs, or the simple/ index for uploads), or poetry.toml overrides the workflow's repository",
        "uv's or poetry's index configuration names the repository rightly",
        "installs read ENDPOINT/simple/, uploads go to ENDPOINT (get-repository-endpoint --format pypi); remove a poetry.toml repository that overrides the workflow's",
    ),
    cause(
        "name-normalization",
        NotFound,
        "A CodeArtifact API call names the Python package in a spelling the API does not know",
        "API calls use the package's PEP 503 name",
        "use the PEP 503 name in CodeArtifact API calls and ARNs (lower case, each run of -_. as one -); pip and twine take any spelling",
    ),
    cause(
        "consumer-domain-policy",
        Consumer403,
        "The domain's permissions policy does not let the consumer get a token",
        "The domain's permissions policy lets the consumer get a token",
        "grant codeartifact:GetAuthorizationToken (and DescribeDomain) to the consumer in the domain's policy",
    ),
    cause(
        "consumer-repo-policy",
        Consumer403,
        "No permissions policy lets the consumer read the repository",
        "The repository's (or domain's) permissions policy lets the consumer read",
        "grant codeartifact:ReadFromRepository and the describe/list actions to the consumer in the repository's policy",
    ),
    cause(
        "consumer-deny",
        Consumer403,
        "An explicit Deny in a permissions policy refuses the consumer",
        "No Deny in the permissions policies refuses the consumer",
        "remove or narrow the Deny statement (a Deny wins over every grant; cawiz never removes others' statements)",
    ),
    cause(
        "consumer-identity-policy",
        Consumer403,
        "The consumer's own identity policy does not allow the calls",
        "The consumer's own identity policy allows the calls",
        "in the consumer's account, allow codeartifact:GetAuthorizationToken on the domain, codeartifact:ReadFromRepository on the repository and sts:GetServiceBearerToken (sts:AWSServiceName codeartifact.amazonaws.com)",
    ),
    cause(
        "consumer-domain-owner",
        Consumer403,
        "The consumer's commands do not pass --domain-owner",
        "The consumer passes --domain-owner with this account",
        "the consumer passes --domain-owner with this account to aws codeartifact login / get-authorization-token",
    ),
    cause(
        "notify-rule",
        NoNotification,
        "No enabled EventBridge rule matches CodeArtifact's event for this repository",
        "An enabled rule matches CodeArtifact's Published event for this repository",
        "put the rule on CodeArtifact's real event (the notifications item's apply)",
    ),
    cause(
        "notify-overview-pattern",
        NoNotification,
        "A rule waits for \"Package Version Published\", which CodeArtifact never sends",
        "No rule waits for the overview's \"Package Version Published\"",
        "set its detail-type to \"CodeArtifact Package Version State Change\" with packageVersionState Published",
    ),
    cause(
        "notify-target",
        NoNotification,
        "The rule does not deliver to the topic",
        "The rule's targets include the topic",
        "add the topic as the rule's target (PutTargets: the notifications item's apply)",
    ),
    cause(
        "notify-topic",
        NoNotification,
        "The topic the rule should deliver to does not exist",
        "The topic exists",
        "create the topic (the notifications item's apply), or name an existing one with sns:ARN",
    ),
    cause(
        "notify-topic-policy",
        NoNotification,
        "The topic's policy does not let EventBridge publish for the rule (FailedInvocations climb while Invocations look fine)",
        "The topic's policy lets EventBridge publish for the rule",
        "allow events.amazonaws.com sns:Publish with aws:SourceArn = the rule (the notifications item's apply)",
    ),
    cause(
        "notify-subscription",
        NoNotification,
        "An endpoint is not subscribed, or has not confirmed its subscription",
        "Every endpoint is subscribed and confirmed",
        "subscribe it (apply), then confirm: the email's link, or the endpoint GETting the SubscribeURL",
    ),
];

/// The cause with `id`.
pub fn cause_of(id: &str) -> Option<&'static Cause> {
    CAUSES.iter().find(|c| c.id == id)
}

/// A symptom's causes, in order.
pub fn causes_of(symptom: Symptom) -> impl Iterator<Item = &'static Cause> {
    CAUSES.iter().filter(move |c| c.symptom == symptom)
}

#[cfg(test)]
mod tests;
