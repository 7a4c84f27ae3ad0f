//! What each item is and why it matters (the top of its screen).

use crate::checklist::ItemId;

pub fn why(item: ItemId) -> &'static str {
    match item {
        ItemId::Domain => {
            "A CodeArtifact domain groups repositories and owns their storage and encryption key. \
             Every repository below lives in it."
        }
        ItemId::Repository => {
            "The repository your workflow publishes to and pip installs from. Its pypi endpoint is \
             what pip and twine talk to."
        }
        ItemId::Upstream => {
            "An upstream repository connected to public PyPI, so `pip install` of public packages \
             works through CodeArtifact. It must exist before the repository names it."
        }
        ItemId::OidcProvider => {
            "IAM's trust in GitHub's OIDC tokens (token.actions.githubusercontent.com, audience \
             sts.amazonaws.com): no long-lived keys in GitHub."
        }
        ItemId::Role => {
            "The role GitHub Actions assumes: its trust policy must accept this repository's token \
             (and no repository it should not), and it must be allowed each publish action. Shared \
             roles and policies keep what others rely on."
        }
        ItemId::Variables => {
            "The repository variables the workflow reads (region, account, role ARN, domain, \
             repository), so the workflow holds no hard-coded ids."
        }
        ItemId::LocalTest => {
            "Proves it works from here with real pip (and twine when you opt in), through the \
             repository and its upstream."
        }
        ItemId::Workflow => {
            "The GitHub Actions workflow that builds the package and publishes it: least privilege \
             (id-token only on the publish job), pinned actions, the role and region from the \
             variables, and triggers whose OIDC subject the role trusts."
        }
        ItemId::PipelineRun => {
            "The proof: a run of the publish workflow that assumes the role through OIDC, gets a \
             token and uploads. Apply starts one (publishing a throw-away probe package) and \
             watches it; a failure names its cause from the run's log."
        }
        ItemId::Consumers => {
            "Other accounts read the repository: the domain's policy lets them get a token, the \
             repository's lets them read (both are needed; a Deny wins). Each consumer also logs \
             in with --domain-owner and needs its own identity policy."
        }
    }
}
