//! The optional `consumers` item: in the sidebar only when the setup names consumers, and its
//! screen (each consumer's rows, the policies, the consumer's own steps) on `complete` with two
//! consumers configured and no grant yet.

use cawiz::app::Model;
use cawiz::checklist::{self, ItemId};
use cawiz::consumers::Consumer;
use cawiz::setup::Setup;

use super::{NORMAL, TINY, draw, redact, size_name, snapshot, status_kind, ui_fixture};

#[tokio::test]
async fn consumers_screen() {
    let mut setup = Setup::for_github("octo-org", "widgets");
    setup.consumers = vec![
        Consumer::Account("222233334444".into()),
        Consumer::Organization("o-a1b2c3d4e5".into()),
    ];
    let (sb, ctx) = ui_fixture::connected("complete", &[], setup.clone(), None).await;
    let mut reports = checklist::check_all(&ctx).await;
    for report in &mut reports {
        redact::scrub_url(report, sb.url());
    }
    let fixture = super::Fixture {
        identity: super::fixture_identity(&ctx, &setup),
        reports,
    };
    let mut model = Model::new(fixture.identity.clone(), ItemId::Consumers);
    model.setup = Some(setup);
    for report in &fixture.reports {
        cawiz::app::update(
            &mut model,
            cawiz::app::Msg::Checked(Box::new(report.clone())),
        );
    }
    assert_eq!(status_kind(&model, ItemId::Consumers), "missing");
    for size in [NORMAL, TINY] {
        let screen = draw(&model, size);
        if size == NORMAL {
            for needle in ["Consumer accounts", "missing", "may get a token"] {
                assert!(screen.contains(needle), "{needle}:\n{screen}");
            }
        }
        snapshot(
            &format!("complete_consumers_{}", size_name(size)),
            &format!(
                "complete scenario with two consumers and no grant, Consumer accounts selected \
                 (missing), {}",
                size_name(size)
            ),
            &screen,
        );
    }
    // The screen's lines below the fold: the consumer's own steps and identity policy.
    let report = fixture
        .reports
        .iter()
        .find(|r| r.item == ItemId::Consumers)
        .expect("the item's report");
    let text = format!("{:?}", report.details.documents);
    for needle in [
        "aws codeartifact login --tool pip --domain octo-org --domain-owner",
        "sts:GetServiceBearerToken",
        "cawizConsumer222233334444Token",
        "aws:PrincipalOrgID",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
}
