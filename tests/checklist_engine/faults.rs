//! Injected faults: a denied call makes its item an error with a fix while the other items are
//! still checked; throttling is retried by the SDK's standard retries.

use cawiz::aws::AwsErrorKind;
use cawiz::checklist::{self, ItemId, Status};
use cawiz_sandbox::SandboxConfig;

use super::{common, context, status, widgets};

fn config(scenario: &str, fault: &str, seed: u64) -> SandboxConfig {
    SandboxConfig {
        faults: vec![fault.parse().expect("fault spec")],
        fault_seed: seed,
        ..SandboxConfig::scenario(scenario)
    }
}

#[tokio::test]
async fn access_denied_on_get_role_is_an_error_and_the_rest_is_checked() {
    let sb =
        common::start_sandbox_with(config("complete", "GetRole=AccessDeniedException", 1)).await;
    let ctx = context(&sb, widgets()).await;
    let reports = checklist::check_all(&ctx).await;
    match status(&reports, ItemId::Role) {
        Status::Error(e) => {
            assert_eq!(e.kind, AwsErrorKind::AccessDenied, "{e:?}");
            assert!(!e.fix.is_empty(), "an error comes with a fix");
            assert!(
                e.fix.contains("GetRole"),
                "the fix names the call: {}",
                e.fix
            );
        }
        other => panic!("expected an error, got {other:?}"),
    }
    for item in [
        ItemId::Domain,
        ItemId::Repository,
        ItemId::Upstream,
        ItemId::OidcProvider,
    ] {
        assert!(
            status(&reports, item).is_done(),
            "{item:?}: {:?}",
            status(&reports, item)
        );
    }
    assert_eq!(
        status(&reports, ItemId::Variables),
        &Status::Blocked { by: ItemId::Role },
        "variables wait for the role, whose check failed"
    );
    assert_eq!(
        sb.calls().get("GetRole"),
        Some(&3),
        "access denied is not retried: one GetRole each by the role's check, the variables' (for \
         the role's ARN as AWS has it) and the workflow's (what the role trusts)"
    );
    let workflow = reports
        .iter()
        .find(|r| r.item == ItemId::Workflow)
        .expect("the workflow's report");
    assert!(
        workflow
            .details
            .facts
            .iter()
            .any(|(label, value)| label == "subjects checked against"
                && value.contains("could not be read")),
        "the workflow says it compared with the setup: {:?}",
        workflow.details.facts
    );
}

#[tokio::test]
async fn throttling_is_retried_and_recovers() {
    // With seed 3 the injector's first draw (0.11) is below the rate and its second (0.70) is not:
    // the first DescribeDomain is throttled, the SDK's standard retry succeeds.
    let sb = common::start_sandbox_with(config(
        "complete",
        "DescribeDomain=ThrottlingException@0.5",
        3,
    ))
    .await;
    let ctx = context(&sb, widgets()).await;
    let report = checklist::check_item(&ctx, ItemId::Domain).await;
    assert!(report.status.is_done(), "{:?}", report.status);
    assert_eq!(
        sb.calls().get("DescribeDomain"),
        Some(&2),
        "one throttled call, one retry (if not 2, the seed no longer gives fail-then-succeed)"
    );
}

#[tokio::test]
async fn throttling_that_never_ends_is_classified() {
    let sb =
        common::start_sandbox_with(config("complete", "DescribeDomain=ThrottlingException", 1))
            .await;
    let ctx = context(&sb, widgets()).await;
    let report = checklist::check_item(&ctx, ItemId::Domain).await;
    match &report.status {
        Status::Error(e) => {
            assert_eq!(e.kind, AwsErrorKind::Throttled, "{e:?}");
            assert!(!e.fix.is_empty());
        }
        other => panic!("expected an error, got {other:?}"),
    }
    assert!(
        sb.calls().get("DescribeDomain").is_some_and(|n| *n > 1),
        "retried before giving up: {:?}",
        sb.calls()
    );
}
