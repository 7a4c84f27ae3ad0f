//! apply: from nothing to done in dependency order, idempotent, adopting what exists, and refusing
//! every write with --read-only.

use cawiz::checklist::{self, Action, ApplyError, ItemId, Outcome, Status};

use super::{
    ACCOUNT, Event, WITHOUT_LOCAL_TEST, apply, apply_ok, block_on, common, context, context_with,
    created, sdk_create_domain, sdk_create_oidc_provider, started, status, widgets,
    widgets_variables,
};

#[tokio::test]
async fn apply_from_empty_then_again_changes_nothing() {
    let sb = common::start_sandbox("empty").await;
    let mut ctx = context(&sb, widgets()).await;
    let events = apply_ok(&mut ctx, &WITHOUT_LOCAL_TEST).await;

    // Steps ran in the order the plan gives: upstream created and connected before it is named.
    let steps = started(&events);
    let index = |prefix: &str| {
        steps
            .iter()
            .position(|s| s.description.starts_with(prefix))
            .unwrap_or_else(|| panic!("no step {prefix:?} in {steps:#?}"))
    };
    assert!(index("Create the repository pypi-store") < index("Connect pypi-store to public:pypi"));
    assert!(index("Connect pypi-store to public:pypi") < index("Set the upstreams of widgets"));
    assert!(index("Create the customer-managed policy") < index("Attach "));
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::ItemStart(ItemId::LocalTest))),
        "the local test was not selected"
    );
    for item in WITHOUT_LOCAL_TEST {
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::ItemDone(i, Status::Done { .. }) if *i == item)),
            "{item:?} not verified done: {events:#?}"
        );
    }
    let kinds: Vec<String> = created(&events).into_iter().map(|c| c.kind).collect();
    for kind in [
        "domain",
        "repository",
        "upstream_link",
        "oidc_provider",
        "role",
        "policy",
        "policy_attachment",
        "variable",
    ] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "{kind} not recorded: {kinds:?}"
        );
    }

    // A fresh check agrees, and the SDK sees the resources.
    let fresh = context(&sb, widgets()).await;
    let reports = checklist::check_all(&fresh).await;
    for item in WITHOUT_LOCAL_TEST {
        assert!(
            status(&reports, item).is_done(),
            "{item:?}: {:?}",
            status(&reports, item)
        );
        assert!(
            super::report(&reports, item).actions.is_empty(),
            "a done item plans nothing"
        );
    }
    let ca = common::codeartifact(sb.url());
    let main = ca
        .describe_repository()
        .domain("octo-org")
        .repository("widgets")
        .send()
        .await
        .expect("DescribeRepository widgets")
        .repository
        .expect("repository");
    let upstreams: Vec<String> = main
        .upstreams()
        .iter()
        .filter_map(|u| u.repository_name().map(str::to_owned))
        .collect();
    assert_eq!(upstreams, ["pypi-store"]);
    assert_eq!(
        main.description(),
        Some("Python packages for octo-org/widgets")
    );
    let store = ca
        .describe_repository()
        .domain("octo-org")
        .repository("pypi-store")
        .send()
        .await
        .expect("DescribeRepository pypi-store")
        .repository
        .expect("repository");
    assert!(
        store
            .external_connections()
            .iter()
            .any(|c| c.external_connection_name() == Some("public:pypi"))
    );
    let attached = common::iam(sb.url())
        .list_attached_role_policies()
        .role_name("GitHubActions-CodeArtifact")
        .send()
        .await
        .expect("ListAttachedRolePolicies");
    assert!(
        attached
            .attached_policies()
            .iter()
            .any(|p| p.policy_name() == Some("CodeArtifact-Publish-Policy"))
    );
    assert_eq!(
        sb.github_variables("octo-org", "widgets"),
        widgets_variables()
    );

    // Second run: every item already done, no mutating call at all (AWS or GitHub).
    let before = sb.mutating_calls();
    let mut again = context(&sb, widgets()).await;
    let events = apply_ok(&mut again, &WITHOUT_LOCAL_TEST).await;
    assert_eq!(
        sb.mutating_calls(),
        before,
        "the second apply changed something"
    );
    assert!(started(&events).is_empty(), "{events:#?}");
    for item in WITHOUT_LOCAL_TEST {
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::AlreadyDone(i) if *i == item)),
            "{item:?} not reported as already done: {events:#?}"
        );
    }
}

#[tokio::test]
async fn oidc_provider_without_the_sts_client_id_is_adopted_and_completed() {
    let sb = common::start_sandbox("empty").await;
    let other_thumbprint = "a031c46782e6e6c662c2c87c76da9aa62ccabd8e";
    let arn = sdk_create_oidc_provider(&sb, "my-other-audience", other_thumbprint).await;
    let mut ctx = context(&sb, widgets()).await;

    let report = checklist::check_item(&ctx, ItemId::OidcProvider).await;
    assert!(
        matches!(&report.status, Status::Drift { diff, .. } if diff.iter().any(|d| d.contains("sts.amazonaws.com"))),
        "{:?}",
        report.status
    );
    assert_eq!(
        report.actions,
        vec![Action::AddOidcClientId {
            arn: arn.clone(),
            client_id: "sts.amazonaws.com".into()
        }]
    );

    apply_ok(&mut ctx, &[ItemId::OidcProvider]).await;
    let calls = sb.calls();
    assert_eq!(calls.get("AddClientIDToOpenIDConnectProvider"), Some(&1));
    assert_eq!(
        calls.get("CreateOpenIDConnectProvider"),
        Some(&1),
        "only the SDK's own create: {calls:?}"
    );
    let got = common::iam(sb.url())
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await
        .expect("GetOpenIDConnectProvider");
    let mut ids = got.client_id_list().to_vec();
    ids.sort();
    assert_eq!(ids, ["my-other-audience", "sts.amazonaws.com"]);
    assert_eq!(
        got.thumbprint_list(),
        [other_thumbprint],
        "thumbprints are never rewritten"
    );
    let after = checklist::check_item(&ctx, ItemId::OidcProvider).await;
    assert!(after.status.is_done(), "{:?}", after.status);
}

#[tokio::test]
async fn existing_domain_and_repository_are_adopted() {
    let sb = common::start_sandbox("empty").await;
    sdk_create_domain(&sb, "octo-org").await;
    common::codeartifact(sb.url())
        .create_repository()
        .domain("octo-org")
        .repository("widgets")
        .description("made by hand")
        .send()
        .await
        .expect("CreateRepository (SDK)");
    let mut ctx = context(&sb, widgets()).await;
    let reports = checklist::check_all(&ctx).await;
    assert!(status(&reports, ItemId::Domain).is_done());
    let repo = super::report(&reports, ItemId::Repository);
    assert!(repo.status.is_done(), "{:?}", repo.status);
    assert!(
        repo.details
            .notes
            .iter()
            .any(|n| n.contains("adopts the repository")),
        "a different description is noted, not changed: {:?}",
        repo.details.notes
    );
    let events = apply_ok(&mut ctx, &[ItemId::Domain, ItemId::Repository]).await;
    assert!(started(&events).is_empty(), "{events:#?}");
    let calls = sb.calls();
    assert_eq!(calls.get("CreateDomain"), Some(&1), "{calls:?}");
    assert_eq!(calls.get("CreateRepository"), Some(&1), "{calls:?}");
    let described = common::codeartifact(sb.url())
        .describe_repository()
        .domain("octo-org")
        .repository("widgets")
        .send()
        .await
        .expect("DescribeRepository");
    assert_eq!(
        described.repository.and_then(|r| r.description),
        Some("made by hand".to_owned())
    );
}

/// Someone creates the domain between cawiz's check and its CreateDomain: "already exists" is
/// adopted, not failed on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domain_created_between_check_and_apply_is_adopted() {
    let sb = common::start_sandbox("empty").await;
    let mut ctx = context(&sb, widgets()).await;
    let mut events = Vec::new();
    let result = {
        let mut progress = |p: checklist::Progress<'_>| {
            let event = Event::from_progress(p);
            if let Event::StepStart(step) = &event
                && step
                    .description
                    .starts_with("Create the CodeArtifact domain")
            {
                block_on(sdk_create_domain(&sb, "octo-org"));
            }
            events.push(event);
        };
        checklist::apply(&mut ctx, &[ItemId::Domain], &mut progress).await
    };
    result.expect("apply adopts the domain");
    assert!(
        events.iter().any(
            |e| matches!(e, Event::StepDone(_, Outcome::Adopted(what)) if what.contains("octo-org"))
        ),
        "{events:#?}"
    );
    assert!(
        created(&events).is_empty(),
        "an adopted domain is not cawiz's to destroy"
    );
    assert_eq!(sb.calls().get("CreateDomain"), Some(&2));
}

#[tokio::test]
async fn read_only_apply_refuses_and_changes_nothing() {
    let sb = common::start_sandbox("empty").await;
    let mut ctx = context_with(&sb, widgets(), true, true, Default::default()).await;
    let (result, events) = apply(&mut ctx, &[]).await;
    assert!(
        matches!(&result, Err(ApplyError::ReadOnly(what)) if what.contains("domain")),
        "{result:?}"
    );
    assert!(
        !events.iter().any(|e| matches!(e, Event::StepDone(..))),
        "{events:#?}"
    );
    assert!(sb.mutating_calls().is_empty(), "{:?}", sb.mutating_calls());
    assert_eq!(ctx.account, ACCOUNT);
}
