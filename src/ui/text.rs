//! What each item is and why it matters (the top of its screen).

use crate::checklist::ItemId;
use crate::format::{Client, FormatSetup};

/// Whether the setup is the classic one: PyPI alone, with pip and twine (the texts name them).
fn pip_only(formats: &[FormatSetup]) -> bool {
    formats.iter().all(|f| f.client == Client::Twine)
}

/// The clients of the setup's formats, as the texts name them (`npm, uv`).
fn clients(formats: &[FormatSetup]) -> String {
    let mut names: Vec<&str> = formats.iter().map(|f| f.client.title()).collect();
    names.dedup();
    names.join(", ")
}

/// [`why`] for the setup's formats: the repository, the upstream and the local test name the
/// setup's clients when they are not pip and twine alone.
pub fn why_for(item: ItemId, formats: &[FormatSetup]) -> String {
    if pip_only(formats) {
        return why(item).to_owned();
    }
    let formats_named: Vec<&str> = formats.iter().map(|f| f.format.as_str()).collect();
    match item {
        ItemId::Repository => format!(
            "The repository your workflow publishes to and your clients install from. Its endpoint \
             for each format ({}) is what {} talk to.",
            formats_named.join(", "),
            clients(formats)
        ),
        ItemId::Upstream => format!(
            "One upstream repository per format ({}), each connected to its public registry, so \
             installs of public packages work through CodeArtifact. Each must exist before the \
             repository names it.",
            formats_named.join(", ")
        ),
        ItemId::LocalTest => format!(
            "Proves it works from here with each format's real client ({}), configured only in \
             temporary places, through the repository and its upstreams.",
            clients(formats)
        ),
        other => why(other).to_owned(),
    }
}

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
        ItemId::Notifications => {
            "Tells people when a version is published: an EventBridge rule on CodeArtifact's real \
             event (\"CodeArtifact Package Version State Change\", Published, this repository) \
             delivers to an SNS topic only that rule may publish to, and SNS to the endpoints."
        }
        ItemId::Consumers => {
            "Other accounts read the repository: the domain's policy lets them get a token, the \
             repository's lets them read (both are needed; a Deny wins). Each consumer also logs \
             in with --domain-owner and needs its own identity policy."
        }
    }
}
