//! Removes what cawiz created (and only that), newest first, so nothing is deleted while something
//! else still uses it. A regional resource is deleted only by a run in the region it was created
//! in (recorded in the state): from another region it is left in place, its record kept, and the
//! run says which `--region` deletes it — a not-found answer there would prove nothing. Resources
//! already gone from their own region count as removed, and are reported as already gone.

use crate::aws::found;
use crate::state::CreatedResource;

use super::{ApplyError, Context, Progress};
use crate::shell::shell_quote as q;

/// The region to delete `r` in: the one it was created in, else (global resources) `default`.
pub fn region_of<'a>(r: &'a CreatedResource, default: &'a str) -> &'a str {
    r.region.as_deref().unwrap_or(default)
}

/// What deleting `r` means, and the equivalent command.
pub fn describe(r: &CreatedResource, region: &str) -> (String, String) {
    let region = q(region_of(r, region));
    let (a, b) = r.id.split_once('/').unwrap_or((r.id.as_str(), ""));
    match r.kind.as_str() {
        "domain" => (
            format!("Delete the domain {}", r.id),
            format!(
                "aws codeartifact delete-domain --domain {} --region {region}",
                q(&r.id)
            ),
        ),
        "repository" => (
            format!("Delete the repository {b} in {a}"),
            format!(
                "aws codeartifact delete-repository --domain {} --repository {} --region {region}",
                q(a),
                q(b)
            ),
        ),
        "upstream_link" => {
            let (repo, upstream) = b.split_once('/').unwrap_or((b, ""));
            (
                format!("Remove the upstream {upstream} from {repo}"),
                format!(
                    "aws codeartifact update-repository --domain {} --repository {} --upstreams '[]' \
                     --region {region}  # cawiz keeps any other upstreams",
                    q(a),
                    q(repo)
                ),
            )
        }
        "oidc_provider" => (
            format!("Delete the OIDC provider {}", r.id),
            format!(
                "aws iam delete-open-id-connect-provider --open-id-connect-provider-arn {}",
                q(&r.id)
            ),
        ),
        "role" => (
            format!("Delete the role {}", r.id),
            format!("aws iam delete-role --role-name {}", q(&r.id)),
        ),
        "policy" => (
            format!("Delete the policy {} (and its old versions)", r.id),
            format!("aws iam delete-policy --policy-arn {}", q(&r.id)),
        ),
        "policy_attachment" => {
            let (role, arn) = r.id.split_once('|').unwrap_or((r.id.as_str(), ""));
            (
                format!("Detach {arn} from {role}"),
                format!(
                    "aws iam detach-role-policy --role-name {} --policy-arn {}",
                    q(role),
                    q(arn)
                ),
            )
        }
        "variable" => {
            let (github, name) = r.id.rsplit_once('/').unwrap_or(("", r.id.as_str()));
            (
                format!("Delete the Actions variable {name} of {github}"),
                format!("gh variable delete {} --repo {}", q(name), q(github)),
            )
        }
        super::workflow::FILE_KIND => super::workflow::describe_removal(r),
        k if super::notifications::is_notify_kind(k) => {
            super::notifications::describe_removal(r, &region)
        }
        super::consumers::STATEMENTS_KIND => super::consumers::describe_removal(r, &region),
        other => (format!("Forget the {other} {}", r.id), String::new()),
    }
}

/// "deleted", or "already gone" when AWS answered not found (in the resource's own region).
fn gone<T>(result: Option<T>, region: &str) -> String {
    match result {
        Some(_) => "deleted".to_owned(),
        None => format!("already gone (not found in {region})"),
    }
}

async fn remove(ctx: &Context, r: &CreatedResource) -> Result<String, ApplyError> {
    let region = region_of(r, &ctx.setup.region);
    if region != ctx.setup.region {
        return Ok(format!(
            "left in place: it is in {region}, this run is in {} (run `cawiz destroy --region \
             {region}`)",
            ctx.setup.region
        ));
    }
    let c = &ctx.clients;
    let owner = &ctx.account;
    let (a, b) = r.id.split_once('/').unwrap_or((r.id.as_str(), ""));
    let outcome = match r.kind.as_str() {
        "domain" => gone(found(c.delete_domain(&r.id, owner).await)?, region),
        "repository" => gone(found(c.delete_repository(a, owner, b).await)?, region),
        "upstream_link" => {
            let (repo, upstream) = b.split_once('/').unwrap_or((b, ""));
            match c.describe_repository(a, owner, repo).await? {
                Some(info) => {
                    let keep: Vec<String> = info
                        .upstreams
                        .into_iter()
                        .filter(|u| u != upstream)
                        .collect();
                    gone(found(c.set_upstreams(a, owner, repo, &keep).await)?, region)
                }
                None => gone(None::<()>, region),
            }
        }
        "oidc_provider" => gone(found(c.delete_oidc_provider(&r.id).await)?, "IAM"),
        "role" => gone(found(c.delete_role(&r.id).await)?, "IAM"),
        "policy" => {
            let Some(versions) = found(c.list_policy_versions(&r.id).await)? else {
                return Ok(gone(None::<()>, "IAM"));
            };
            for v in versions.iter().filter(|v| !v.is_default) {
                found(c.delete_policy_version(&r.id, &v.version_id).await)?;
            }
            gone(found(c.delete_policy(&r.id).await)?, "IAM")
        }
        "policy_attachment" => {
            let (role, arn) = r.id.split_once('|').unwrap_or((r.id.as_str(), ""));
            gone(found(c.detach_role_policy(role, arn).await)?, "IAM")
        }
        "variable" => {
            let name = r.id.rsplit('/').next().unwrap_or_default();
            if !ctx.github.has_token() {
                return Ok("left in place: no GitHub token (run the gh command)".to_owned());
            }
            let s = &ctx.setup;
            let deleted = ctx
                .github
                .delete_variable(&s.github_owner, &s.github_repo, name)
                .await?;
            gone(deleted.then_some(()), "the GitHub repository")
        }
        super::workflow::FILE_KIND => return super::workflow::remove(r).map(str::to_owned),
        k if super::notifications::is_notify_kind(k) => {
            return super::notifications::remove(ctx, r, region).await;
        }
        super::consumers::STATEMENTS_KIND => super::consumers::remove(ctx, r).await?,
        _ => "forgotten".to_owned(),
    };
    Ok(outcome)
}

/// Deletes `created` newest first. Returns the resources removed (to drop from the state) and the
/// first error, if any (deletion stops there).
pub async fn destroy(
    ctx: &Context,
    created: &[CreatedResource],
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> (Vec<CreatedResource>, Result<(), ApplyError>) {
    let mut removed = Vec::new();
    if ctx.read_only && !created.is_empty() {
        return (
            removed,
            Err(ApplyError::ReadOnly("delete what cawiz created".to_owned())),
        );
    }
    for r in created.iter().rev() {
        match remove(ctx, r).await {
            Ok(what) => {
                progress(Progress::Destroyed(r, &what));
                if !what.starts_with("left") {
                    removed.push(r.clone());
                }
            }
            Err(e) => return (removed, Err(e)),
        }
    }
    (removed, Ok(()))
}
