//! check_all and plan on a fresh account: statuses, blocking, and the order of the plan's actions
//! (the guide's mistakes avoided).

use cawiz::checklist::{self, Action, ItemId, Status};

use super::{ACCOUNT, REGION, common, context, report, status, widgets};

#[tokio::test]
async fn empty_account_statuses_blocking_and_plan_order() {
    let sb = common::start_sandbox("empty").await;
    let ctx = context(&sb, widgets()).await;
    assert_eq!(ctx.account, ACCOUNT);
    let reports = checklist::check_all(&ctx).await;
    assert_eq!(
        reports.iter().map(|r| r.item).collect::<Vec<_>>(),
        ItemId::ALL.to_vec(),
        "reports in checklist order"
    );

    assert!(
        matches!(status(&reports, ItemId::Domain), Status::Missing { .. }),
        "{:?}",
        status(&reports, ItemId::Domain)
    );
    assert!(matches!(
        status(&reports, ItemId::OidcProvider),
        Status::Missing { .. }
    ));
    let blocked = [
        (ItemId::Repository, ItemId::Domain),
        (ItemId::Upstream, ItemId::Repository),
        (ItemId::Role, ItemId::OidcProvider),
        (ItemId::Variables, ItemId::Role),
        (ItemId::LocalTest, ItemId::Upstream),
        (ItemId::Workflow, ItemId::Variables),
    ];
    for (item, by) in blocked {
        assert_eq!(
            status(&reports, item),
            &Status::Blocked { by },
            "{item:?} should be blocked by {by:?}"
        );
    }
    // The role's own check (before blocking is resolved) says missing, not an error.
    let role = checklist::check_item(&ctx, ItemId::Role).await;
    assert!(
        matches!(&role.status, Status::Missing { summary } if summary.contains("GitHubActions-CodeArtifact")),
        "{:?}",
        role.status
    );
    // Blocked items keep their plan.
    assert!(!report(&reports, ItemId::Upstream).actions.is_empty());

    let actions: Vec<Action> = reports.iter().flat_map(|r| r.actions.clone()).collect();
    let position = |what: &str, pred: &dyn Fn(&Action) -> bool| {
        actions
            .iter()
            .position(pred)
            .unwrap_or_else(|| panic!("no {what} in the plan: {actions:#?}"))
    };
    let create_domain = position(
        "CreateDomain",
        &|a| matches!(a, Action::CreateDomain { domain } if domain == "octo-org"),
    );
    let create_main = position("CreateRepository(widgets)", &|a| {
        matches!(a, Action::CreateRepository { repository, description, .. }
            if repository == "widgets" && description == "Python packages for octo-org/widgets")
    });
    let create_upstream = position(
        "CreateRepository(pypi-store)",
        &|a| matches!(a, Action::CreateRepository { repository, .. } if repository == "pypi-store"),
    );
    let associate = position("AssociateExternalConnection", &|a| {
        matches!(a, Action::AssociateExternalConnection { repository, connection, .. }
            if repository == "pypi-store" && connection == "public:pypi")
    });
    let set_upstreams = position("SetUpstreams", &|a| {
        matches!(a, Action::SetUpstreams { repository, upstreams, .. }
            if repository == "widgets" && upstreams == &["pypi-store".to_owned()])
    });
    assert!(create_domain < create_main, "the domain first");
    assert!(
        create_main < set_upstreams && create_upstream < associate && associate < set_upstreams,
        "pypi-store is created and connected before widgets names it (the guide's first \
         mistake): {actions:#?}"
    );
    let create_oidc = position("CreateOidcProvider", &|a| {
        matches!(a, Action::CreateOidcProvider { url, client_id, thumbprint }
            if url == "https://token.actions.githubusercontent.com"
                && client_id == "sts.amazonaws.com"
                && thumbprint == "6938fd4d98bab03faadb97b34396831e3780aea1")
    });
    let create_role = position("CreateRole", &|a| matches!(a, Action::CreateRole { .. }));
    let create_policy = position("CreatePolicy", &|a| {
        matches!(a, Action::CreatePolicy { name, document }
            if name == "CodeArtifact-Publish-Policy"
                && document == &cawiz::policy::permissions_policy(&widgets(), ACCOUNT))
    });
    let attach = position("AttachRolePolicy", &|a| {
        matches!(a, Action::AttachRolePolicy { role, policy_arn }
            if role == "GitHubActions-CodeArtifact"
                && policy_arn == &format!("arn:aws:iam::{ACCOUNT}:policy/CodeArtifact-Publish-Policy"))
    });
    assert!(
        create_oidc < create_role,
        "the provider before the role trusting it"
    );
    assert!(
        create_policy < attach,
        "the policy is created before it is attached (the guide's second mistake)"
    );
    let variables = actions
        .iter()
        .filter(|a| matches!(a, Action::SetVariable { .. }))
        .count();
    assert_eq!(variables, 5, "{actions:#?}");
    // Last, the workflow: not in a working tree here, so it is committed through the API (a pull
    // request), after the local test.
    let local_test = position("RunLocalTest", &|a| {
        matches!(a, Action::RunLocalTest { .. })
    });
    assert!(
        matches!(&actions[local_test + 1..], [Action::Workflow(w), Action::Pipeline(_)] if w.describe().contains("pull request")),
        "{:#?}",
        &actions[local_test..]
    );

    // The plan: one step per action, in the same order, each with its shell command.
    let steps = checklist::plan(&reports, REGION);
    assert_eq!(steps.len(), actions.len());
    for (step, action) in steps.iter().zip(&actions) {
        assert_eq!(step.description, action.describe());
        assert_eq!(step.command, action.command(REGION));
    }
    assert!(
        steps[create_upstream]
            .command
            .starts_with("aws codeartifact create-repository --domain octo-org")
    );
    assert!(
        steps[set_upstreams]
            .command
            .contains("--upstreams repositoryName=pypi-store")
    );
    assert!(
        steps
            .iter()
            .any(|s| s.command.starts_with("gh variable set AWS_ROLE_ARN"))
    );

    // Checking changed nothing.
    assert!(sb.mutating_calls().is_empty(), "{:?}", sb.mutating_calls());
}
