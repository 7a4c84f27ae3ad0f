//! The Notifications screen (the optional item, with `notify` set) on the `complete` scenario: missing
//! before apply (the plan's five kinds of step), and done after it with both subscriptions pending
//! confirmation (nobody answers at the loopback endpoint; an email is never confirmed here).

use cawiz::app::Identity;
use cawiz::checklist::{self, ItemId};
use cawiz::setup::Setup;

use super::{Fixture, NORMAL, draw, model, redact, snapshot, status_kind, ui_fixture};

fn notify_setup() -> Setup {
    let mut setup = Setup::for_github("octo-org", "widgets");
    setup.notify = vec![
        "http://127.0.0.1:9/hook".to_owned(),
        "email:team@example.com".to_owned(),
    ];
    setup
}

async fn fixture(ctx: &checklist::Context, url: &str) -> Fixture {
    let mut reports = checklist::check_all(ctx).await;
    for report in &mut reports {
        redact::scrub_url(report, url);
    }
    Fixture {
        identity: Identity {
            account: ctx.account.clone(),
            arn: ctx.caller_arn.clone(),
            region: ctx.setup.region.clone(),
            profile: None,
            sandbox: true,
            github: "octo-org/widgets".to_owned(),
        },
        reports,
    }
}

fn screen(fixture: &Fixture, name: &str, description: &str, want: &str) {
    let mut model = model(fixture, ItemId::Notifications);
    model.setup = Some(notify_setup());
    assert_eq!(status_kind(&model, ItemId::Notifications), want);
    let screen = draw(&model, NORMAL);
    assert!(screen.contains("Notifications"), "{screen}");
    snapshot(name, description, &screen);
}

#[tokio::test]
async fn notifications_screens() {
    let (sb, mut ctx) = ui_fixture::connected("complete", &[], notify_setup(), None).await;
    let before = fixture(&ctx, sb.url()).await;
    assert_eq!(
        before.reports.len(),
        ItemId::ALL.len() + 1,
        "the item is there"
    );
    screen(
        &before,
        "complete_notifications_missing_80x24",
        "complete scenario with notify set, Notifications selected (missing), 80x24",
        "missing",
    );
    checklist::apply(&mut ctx, &[ItemId::Notifications], &mut |_| {})
        .await
        .expect("apply");
    let after = fixture(&ctx, sb.url()).await;
    screen(
        &after,
        "complete_notifications_done_80x24",
        "complete scenario with notify set, after apply: Notifications selected (done, both \
         subscriptions pending), 80x24",
        "done",
    );
}
