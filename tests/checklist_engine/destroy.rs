//! destroy: removes exactly what apply created (newest first), nothing that existed before.

use cawiz::checklist::{self, ItemId, Status};
use cawiz::state::CreatedResource;
use cawiz_sandbox::SandboxHandle;

use super::{
    ACCOUNT, Context, Event, WITHOUT_LOCAL_TEST, apply_ok, common, context, created, status,
    widgets,
};

async fn destroy(ctx: &Context, created: &[CreatedResource]) -> (Vec<CreatedResource>, Vec<Event>) {
    let mut events = Vec::new();
    let (removed, result) = {
        let mut progress = |p: checklist::Progress<'_>| events.push(Event::from_progress(p));
        checklist::destroy(ctx, created, &mut progress).await
    };
    if let Err(e) = result {
        panic!("destroy failed: {e}; events: {events:#?}");
    }
    (removed, events)
}

/// The error code GetPolicy answers for the publish policy (it must be gone).
async fn policy_error_code(sb: &SandboxHandle) -> String {
    common::error_code(
        common::iam(sb.url())
            .get_policy()
            .policy_arn(format!(
                "arn:aws:iam::{ACCOUNT}:policy/CodeArtifact-Publish-Policy"
            ))
            .send()
            .await,
    )
}

#[tokio::test]
async fn destroy_after_apply_from_empty_removes_everything() {
    let sb = common::start_sandbox("empty").await;
    let mut ctx = context(&sb, widgets()).await;
    let events = apply_ok(&mut ctx, &WITHOUT_LOCAL_TEST).await;
    let created = created(&events);
    assert!(created.len() >= 12, "{created:#?}");

    let (removed, events) = destroy(&ctx, &created).await;
    assert_eq!(removed.len(), created.len(), "{events:#?}");
    // Newest first.
    let order: Vec<&CreatedResource> = events
        .iter()
        .filter_map(|e| match e {
            Event::Destroyed(r, _) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(order, created.iter().rev().collect::<Vec<_>>());

    let ca = common::codeartifact(sb.url());
    let (code, _) = common::failure(ca.describe_domain().domain("octo-org").send().await);
    assert_eq!(code, "ResourceNotFoundException");
    assert!(
        ca.list_domains()
            .send()
            .await
            .expect("ListDomains")
            .domains()
            .is_empty()
    );
    let iam = common::iam(sb.url());
    assert_eq!(
        common::error_code(
            iam.get_role()
                .role_name("GitHubActions-CodeArtifact")
                .send()
                .await
        ),
        "NoSuchEntity"
    );
    assert_eq!(policy_error_code(&sb).await, "NoSuchEntity");
    assert!(
        iam.list_open_id_connect_providers()
            .send()
            .await
            .expect("ListOpenIDConnectProviders")
            .open_id_connect_provider_list()
            .is_empty()
    );
    assert!(sb.github_variables("octo-org", "widgets").is_empty());

    let reports = checklist::check_all(&context(&sb, widgets()).await).await;
    assert!(matches!(
        status(&reports, ItemId::Domain),
        Status::Missing { .. }
    ));
    assert!(matches!(
        status(&reports, ItemId::OidcProvider),
        Status::Missing { .. }
    ));
    let done: Vec<ItemId> = reports
        .iter()
        .filter(|r| r.status.is_done())
        .map(|r| r.item)
        .collect();
    assert!(done.is_empty(), "still done after destroy: {done:?}");
}

/// The guide scenario has a domain, a repository, the OIDC provider and a role: apply completes it,
/// destroy takes back only what apply added.
#[tokio::test]
async fn destroy_keeps_what_existed_before_apply() {
    let sb = common::start_sandbox("guide").await;
    let setup = cawiz::setup::Setup::for_github("acme-geo", "earth-polychromatic-api");
    let mut ctx = context(&sb, setup.clone()).await;
    let events = apply_ok(&mut ctx, &WITHOUT_LOCAL_TEST).await;
    let created = created(&events);
    let kinds: Vec<&str> = created.iter().map(|c| c.kind.as_str()).collect();
    for existing in ["domain", "oidc_provider", "role"] {
        assert!(
            !kinds.contains(&existing),
            "{existing} existed before: {kinds:?}"
        );
    }
    assert!(
        created
            .iter()
            .any(|c| c.kind == "repository" && c.id == "acme-geo/pypi-store"),
        "{created:#?}"
    );
    assert!(
        !created
            .iter()
            .any(|c| c.id == "acme-geo/earth-polychromatic-api"),
        "the main repository existed: {created:#?}"
    );

    destroy(&ctx, &created).await;

    let ca = common::codeartifact(sb.url());
    ca.describe_domain()
        .domain("acme-geo")
        .send()
        .await
        .expect("the domain is kept");
    let main = ca
        .describe_repository()
        .domain("acme-geo")
        .repository("earth-polychromatic-api")
        .send()
        .await
        .expect("the main repository is kept")
        .repository
        .expect("repository");
    assert!(
        main.upstreams().is_empty(),
        "the upstream link cawiz added is removed"
    );
    assert_eq!(
        common::error_code(
            ca.describe_repository()
                .domain("acme-geo")
                .repository("pypi-store")
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
    let iam = common::iam(sb.url());
    iam.get_role()
        .role_name("GitHubActions-CodeArtifact")
        .send()
        .await
        .expect("the role is kept");
    assert_eq!(
        iam.list_open_id_connect_providers()
            .send()
            .await
            .expect("ListOpenIDConnectProviders")
            .open_id_connect_provider_list()
            .len(),
        1,
        "the provider is kept"
    );
    let attached = iam
        .list_attached_role_policies()
        .role_name("GitHubActions-CodeArtifact")
        .send()
        .await
        .expect("ListAttachedRolePolicies");
    assert!(attached.attached_policies().is_empty());
    assert_eq!(policy_error_code(&sb).await, "NoSuchEntity");
    let reports = checklist::check_all(&context(&sb, setup).await).await;
    assert!(status(&reports, ItemId::Domain).is_done());
    assert!(status(&reports, ItemId::Repository).is_done());
    assert!(status(&reports, ItemId::OidcProvider).is_done());
}
