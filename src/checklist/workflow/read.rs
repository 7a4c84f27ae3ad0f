//! What the workflow check reads, concurrently: the working tree's workflow files, the default
//! branch's copies (with a token), what the role trusts (GetRole and the subject format), the
//! repository's variables and secrets, and the action pins.

use std::path::PathBuf;
use std::sync::LazyLock;

use regex::Regex;

use crate::format::npm_project::NpmFinding;
use crate::github::{ActionsVariables, RemoteFile};
use crate::listing::{Listed, Listing};
use crate::policy::{oidc_provider_arn, parse_document, trust_policy};
use crate::setup::AuthMethod;
use crate::workflow::{
    Format, LintContext, LocalFile, Pins, Trust, TrustSource, WORKFLOWS_DIR, workflow_files,
};

use super::super::Context;
use super::super::role::subject_rules;
use super::super::variables::read::{
    add_missing, judged, publish_environments, read_levels, with_referenced,
};
use super::BRANCH;
use super::pins;

/// The working tree, as far as the check could read it.
#[derive(Debug, Clone)]
pub enum Local {
    /// No tree to read or write (why).
    None(String),
    Tree {
        root: PathBuf,
        files: Vec<LocalFile>,
    },
}

/// The default branch's workflow files.
#[derive(Debug, Clone)]
pub enum Remote {
    /// Not read (no token, or an error): why.
    Unread(String),
    Read {
        branch: String,
        files: Vec<RemoteFile>,
    },
}

/// cawiz's pull request for the workflow, when one is open (read only without a working tree,
/// where it decides whether apply still has something to do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub number: u64,
    pub url: String,
    /// The publishing file's text on the pull request's branch (`None`: not there).
    pub files: Vec<RemoteFile>,
}

#[derive(Debug, Clone)]
pub struct Facts {
    pub local: Local,
    pub remote: Remote,
    pub pending: Option<Pending>,
    pub lint: LintContext,
    pub pins: Pins,
    /// How facts were decided (assumptions, what could not be read).
    pub notes: Vec<String>,
    /// What could not be read, each said once (the notes hold them too; the lint's findings only
    /// refer to them).
    pub unread: Vec<String>,
    /// The listings read (the organisation's variables, the secrets' names), with their pages.
    pub listings: Vec<Listing>,
    /// The working tree's npm files judged, when the setup has the npm format.
    pub npm: Option<Vec<NpmFinding>>,
}

fn read_local(ctx: &Context) -> Local {
    let s = &ctx.setup;
    let Some(root) = &ctx.workflow.root else {
        return Local::None(format!(
            "cawiz is not running in a git working tree (run it in a clone of {}/{} to check and \
             write .github/workflows there)",
            s.github_owner, s.github_repo
        ));
    };
    if let Some((owner, repo)) = crate::setup::detect_github(root)
        && !(owner.eq_ignore_ascii_case(&s.github_owner)
            && repo.eq_ignore_ascii_case(&s.github_repo))
    {
        return Local::None(format!(
            "the working tree {} is a clone of {owner}/{repo}, not of {}/{}",
            root.display(),
            s.github_owner,
            s.github_repo
        ));
    }
    match workflow_files(root) {
        Ok(files) => Local::Tree {
            root: root.clone(),
            files,
        },
        Err(e) => Local::None(format!(
            "cannot read {}: {e}",
            root.join(WORKFLOWS_DIR).display()
        )),
    }
}

async fn read_remote(ctx: &Context) -> Remote {
    let s = &ctx.setup;
    let gh = &ctx.github;
    if !gh.has_token() {
        return Remote::Unread(
            "no GitHub token: the default branch's copy (the one Actions runs) was not read"
                .to_owned(),
        );
    }
    let (owner, repo) = (s.github_owner.as_str(), s.github_repo.as_str());
    let files_on = |branch: String| async move {
        let paths = gh
            .list_files(owner, repo, WORKFLOWS_DIR, Some(&branch))
            .await?;
        let reads = paths
            .iter()
            .filter(|p| p.ends_with(".yml") || p.ends_with(".yaml"))
            .map(|p| gh.get_file(owner, repo, p, Some(&branch)));
        let mut files = Vec::new();
        for file in futures::future::join_all(reads).await {
            files.extend(file?);
        }
        Ok::<_, crate::github::GithubError>(files)
    };
    let result = match super::super::on_default_branch(ctx, files_on).await {
        Ok((branch, Ok(files))) => Ok(Remote::Read { branch, files }),
        Ok((_, Err(e))) | Err(e) => Err(e),
    };
    result.unwrap_or_else(|e| {
        Remote::Unread(format!(
            "the default branch's copy could not be read: {e} ({})",
            e.fix()
        ))
    })
}

/// What the role accepts as `sub`, and the role's ARN (as GetRole says, else from the setup).
async fn read_trust(ctx: &Context, notes: &mut Vec<String>) -> (Option<Trust>, String) {
    let s = &ctx.setup;
    if s.auth == AuthMethod::AccessKeys {
        return (None, ctx.role_arn());
    }
    let (rules, role) = tokio::join!(subject_rules(ctx), ctx.clients.get_role(&s.role_name));
    let from_setup = |why: String| Trust {
        rules: rules.clone(),
        scope: s.scope.clone(),
        document: trust_policy(s, &ctx.account, &rules),
        provider: oidc_provider_arn(&s.region, &ctx.account),
        source: TrustSource::Setup(why),
    };
    notes.push(rules.describe(&s.scope));
    match role {
        Ok(Some(role)) => match parse_document(&role.trust_policy) {
            Ok(doc) => (
                Some(Trust {
                    rules: rules.clone(),
                    scope: s.scope.clone(),
                    document: doc,
                    provider: oidc_provider_arn(&s.region, &ctx.account),
                    source: TrustSource::Live {
                        role: s.role_name.clone(),
                    },
                }),
                role.arn,
            ),
            Err(e) => (Some(from_setup(format!("its trust policy: {e}"))), role.arn),
        },
        Ok(None) => (
            Some(from_setup(format!(
                "the role {} does not exist yet",
                s.role_name
            ))),
            ctx.role_arn(),
        ),
        Err(e) => {
            notes.push(format!("GetRole failed: {e}"));
            (
                Some(from_setup("GetRole failed (see the notes)".to_owned())),
                ctx.role_arn(),
            )
        }
    }
}

type Names = (Option<ActionsVariables>, Option<Listed<String>>);

/// The texts of the working tree's workflow files.
pub(super) fn local_texts(local: &Local) -> Vec<&str> {
    match local {
        Local::Tree { files, .. } => files.iter().map(|f| f.text.as_str()).collect(),
        Local::None(_) => Vec::new(),
    }
}

/// The variables the publish job sees at every level (its environments: the scope's and the
/// working tree's publish jobs'; the names the variables item judges and the working tree's
/// workflows read) and the repository's secret names, when a token can read them.
async fn read_names(ctx: &Context, local: &Local, notes: &mut Vec<String>) -> Names {
    if !ctx.github.has_token() {
        notes.push(
            "No GitHub token: ${{ vars.X }} and ${{ secrets.X }} were not resolved against the \
             repository."
                .to_owned(),
        );
        return (None, None);
    }
    let texts = local_texts(local);
    let environments = publish_environments(ctx, &texts);
    let names = with_referenced(judged(ctx), &texts);
    let (vars, secrets) = tokio::join!(
        read_levels(ctx, &environments, &names),
        read_secrets(ctx, &texts)
    );
    let vars = match vars {
        Ok(v) => Some(v),
        Err(e) => {
            notes.push(format!(
                "The variables could not be read ({e}): not resolved."
            ));
            None
        }
    };
    (vars, secrets)
}

/// Whether a workflow names a secret (`secrets.NAME`, `secrets . NAME`, `secrets['NAME']`): only
/// then are the secrets listed (the lint checks nothing else against them).
pub(super) fn names_secrets(texts: &[&str]) -> bool {
    static SECRETS: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"\bsecrets\s*[.\[]").ok());
    match SECRETS.as_ref() {
        Some(secrets) => texts.iter().any(|t| secrets.is_match(t)),
        // Never happens (a constant pattern); were it, list them rather than skip the check.
        None => true,
    }
}

/// The repository's secret names, when one of `texts` names a secret (the lint checks them).
/// Listing secrets needs admin rights the variables do not: its failure only skips the check.
async fn read_secrets(ctx: &Context, texts: &[&str]) -> Option<Listed<String>> {
    if !names_secrets(texts) {
        return None;
    }
    let s = &ctx.setup;
    ctx.github
        .list_secret_names(&s.github_owner, &s.github_repo)
        .await
        .ok()
}

/// The open pull request from cawiz's branch and the workflows on that branch, when there is no
/// working tree (with one, the working tree decides).
async fn read_pending(ctx: &Context, local: &Local) -> Option<Pending> {
    if !matches!(local, Local::None(_)) || !ctx.github.has_token() {
        return None;
    }
    let s = &ctx.setup;
    let (owner, repo) = (s.github_owner.as_str(), s.github_repo.as_str());
    let pull = ctx.github.find_pull(owner, repo, BRANCH).await.ok()??;
    let paths = ctx
        .github
        .list_files(owner, repo, WORKFLOWS_DIR, Some(BRANCH))
        .await
        .ok()?;
    let reads = paths
        .iter()
        .map(|p| ctx.github.get_file(owner, repo, p, Some(BRANCH)));
    let files = futures::future::join_all(reads)
        .await
        .into_iter()
        .filter_map(|f| f.ok().flatten())
        .collect::<Vec<_>>();
    Some(Pending {
        number: pull.number,
        url: pull.html_url,
        files,
    })
}

/// The actions and tags the working tree's workflows name by tag or branch.
fn named_tags(local: &Local) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = match local {
        Local::Tree { files, .. } => files
            .iter()
            .flat_map(|f| crate::workflow::lint::named_tags(&f.text))
            .collect(),
        Local::None(_) => Vec::new(),
    };
    out.sort();
    out.dedup();
    out
}

/// The setup's package formats, each once, in the setup's order.
pub fn setup_formats(setup: &crate::setup::Setup) -> Vec<Format> {
    let mut out: Vec<Format> = Vec::new();
    for f in &setup.formats {
        if !out.contains(&f.format) {
            out.push(f.format);
        }
    }
    out
}

pub async fn read(ctx: &Context) -> Facts {
    let mut trust_notes = Vec::new();
    let mut name_notes = Vec::new();
    let local = read_local(ctx);
    let mut level_notes = Vec::new();
    let wanted = named_tags(&local);
    let (
        remote,
        (trust, role_arn),
        (variables, secrets),
        pins,
        pending,
        (tags, tag_note),
        levels,
        npm,
    ) = tokio::join!(
        read_remote(ctx),
        read_trust(ctx, &mut trust_notes),
        read_names(ctx, &local, &mut name_notes),
        pins::resolve(&ctx.github),
        read_pending(ctx, &local),
        super::tags::resolve(&ctx.github, &wanted),
        super::secrets::read(ctx, &local, &mut level_notes),
        super::project::read(ctx),
    );
    // The default branch's publish jobs may run in an environment the working tree's do not, or
    // read other variables or secrets: those are read now (nothing more when they are the same).
    let (variables, secrets) = match &remote {
        Remote::Read { files, .. } if ctx.github.has_token() => {
            let mut texts = local_texts(&local);
            texts.extend(files.iter().map(|f| f.text.as_str()));
            let environments = publish_environments(ctx, &texts);
            let names = with_referenced(judged(ctx), &texts);
            let variables = async {
                match variables {
                    Some(vars) => Some(add_missing(ctx, vars, &environments, &names).await),
                    None => None,
                }
            };
            let secrets = async {
                match secrets {
                    None => read_secrets(ctx, &texts).await,
                    read => read,
                }
            };
            tokio::join!(variables, secrets)
        }
        _ => (variables, secrets),
    };
    let (org_secrets, environment_secrets) = levels;
    let mut listings: Vec<Listing> = variables
        .as_ref()
        .map(|v| v.listings().to_vec())
        .unwrap_or_default();
    listings.extend(secrets.as_ref().map(|s| s.listing.clone()));
    let secrets = secrets.map(|s| s.items);
    let default_branch = match &remote {
        Remote::Read { branch, .. } => branch.clone(),
        Remote::Unread(_) => "main".to_owned(),
    };
    let lint = LintContext {
        region: Some(ctx.setup.region.clone()),
        role_arn: Some(role_arn),
        variables,
        secrets,
        trust,
        default_branch,
        require_publish_job: false,
        pins: pins.pins.clone(),
        auth: Some(ctx.setup.auth),
        formats: setup_formats(&ctx.setup),
        tags,
        org_secrets,
        environment_secrets,
    };
    let mut notes = trust_notes;
    notes.extend(name_notes);
    notes.extend(level_notes);
    notes.extend(tag_note.clone());
    let unread: Vec<String> = notes
        .iter()
        .filter(|n| n.starts_with("GetRole failed"))
        .cloned()
        .chain(tag_note)
        .collect();
    Facts {
        unread,
        local,
        remote,
        pending,
        lint,
        pins,
        notes,
        listings,
        npm,
    }
}

#[cfg(test)]
mod tests {
    use super::names_secrets;

    #[test]
    fn the_secrets_are_listed_only_for_a_workflow_that_names_one() {
        let oidc = "role-to-assume: ${{ vars.AWS_ROLE_ARN }}\nenv:\n  X: ${{ github.secrets_dir }}";
        assert!(!names_secrets(&[oidc, "on: push"]));
        for named in [
            "aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}",
            "key: ${{ secrets . AWS_ACCESS_KEY_ID }}",
            "key: ${{ secrets['AWS_ACCESS_KEY_ID'] }}",
        ] {
            assert!(names_secrets(&[oidc, named]), "{named}");
        }
    }
}
