//! SimulatePrincipalPolicy of each publish action on the ARN it needs, as the role.

use cawiz::checklist::{self, ItemId, Status};

use super::{ACCOUNT, WITHOUT_LOCAL_TEST, apply_ok, common, context, widgets};

#[tokio::test]
async fn every_action_is_allowed_on_its_arn_until_the_policy_is_detached() {
    let sb = common::start_sandbox("complete").await;
    let mut ctx = context(&sb, widgets()).await;
    apply_ok(&mut ctx, &WITHOUT_LOCAL_TEST).await;
    assert!(sb.mutating_calls().is_empty(), "complete needs no change");

    let role = checklist::check_item(&ctx, ItemId::Role).await;
    match &role.status {
        Status::Done { summary } => {
            assert!(summary.contains("11/11 actions allowed"), "{summary}");
        }
        other => panic!("expected done, got {other:?}"),
    }
    let base = format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}");
    let domain = format!("{base}:domain/octo-org");
    let repository = format!("{base}:repository/octo-org/widgets");
    let package = format!("{base}:package/octo-org/widgets/pypi//widgets");
    let expected = [
        ("codeartifact:GetAuthorizationToken", domain.as_str()),
        ("codeartifact:DescribeDomain", domain.as_str()),
        ("codeartifact:ReadFromRepository", repository.as_str()),
        ("codeartifact:GetRepositoryEndpoint", repository.as_str()),
        ("codeartifact:DescribeRepository", repository.as_str()),
        ("codeartifact:ListPackages", repository.as_str()),
        ("codeartifact:PublishPackageVersion", package.as_str()),
        ("codeartifact:PutPackageMetadata", package.as_str()),
        ("codeartifact:DescribePackageVersion", package.as_str()),
        ("codeartifact:ListPackageVersions", package.as_str()),
        ("sts:GetServiceBearerToken", "*"),
    ];
    let sims = &role.details.simulations;
    assert_eq!(sims.len(), 11, "{sims:#?}");
    for (action, resource) in expected {
        let sim = sims
            .iter()
            .find(|s| s.action == action)
            .unwrap_or_else(|| panic!("{action} not simulated: {sims:#?}"));
        assert_eq!(sim.resource, resource, "{action}");
        assert_eq!(sim.decision, "allowed", "{action} on {resource}");
        assert!(
            !sim.matched.is_empty(),
            "the deciding statement of {action} is shown"
        );
    }
    assert!(
        role.details
            .notes
            .iter()
            .any(|n| n.contains("resource policies") && n.contains("service control policies")),
        "what simulation cannot see is said: {:#?}",
        role.details.notes
    );
    assert!(
        sb.calls()
            .get("SimulatePrincipalPolicy")
            .is_some_and(|n| *n >= 4)
    );

    common::iam(sb.url())
        .detach_role_policy()
        .role_name("GitHubActions-CodeArtifact")
        .policy_arn(format!(
            "arn:aws:iam::{ACCOUNT}:policy/CodeArtifact-Publish-Policy"
        ))
        .send()
        .await
        .expect("DetachRolePolicy (SDK)");
    let role = checklist::check_item(&ctx, ItemId::Role).await;
    match &role.status {
        Status::Drift { summary, diff, .. } => {
            assert!(summary.contains("not attached"), "{summary}");
            assert!(
                diff.iter()
                    .any(|d| d.contains("CodeArtifact-Publish-Policy")),
                "{diff:?}"
            );
        }
        other => panic!("expected drift, got {other:?}"),
    }
    assert!(
        role.details.simulations.iter().all(|s| !s.allowed()),
        "with nothing attached the simulation denies: {:#?}",
        role.details.simulations
    );
    assert_eq!(
        role.actions,
        vec![cawiz::checklist::Action::AttachRolePolicy {
            role: "GitHubActions-CodeArtifact".into(),
            policy_arn: format!("arn:aws:iam::{ACCOUNT}:policy/CodeArtifact-Publish-Policy")
        }]
    );
}
