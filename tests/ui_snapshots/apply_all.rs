//! `A` on the empty scenario: the combined confirmation (every pending step of every item, in
//! order), and the screen while the one job runs (the item it is on selected and spinning, the
//! header's gauge with its place), at both sizes. No `Tick` is sent, so the time stays 0 s.

use cawiz::app::{Msg, Overlay, update};
use cawiz::checklist::ItemId;

use super::{Case, NORMAL, TINY, draw, fixture, model, press, size_name, snapshot};

#[tokio::test]
async fn apply_all_screens() {
    let case = Case::Empty;
    let fixture = fixture(case).await;
    for size in [NORMAL, TINY] {
        let mut m = model(&fixture, ItemId::Domain);
        press(&mut m, 'A');
        let Overlay::ConfirmAll(plan) = &m.overlay else {
            panic!("A asks first: {:?}", m.overlay);
        };
        assert_eq!(
            plan.items.first(),
            Some(&ItemId::Domain),
            "in dependency order"
        );
        snapshot(
            &format!("{}_apply_all_confirm_{}", case.name(), size_name(size)),
            &format!(
                "{} scenario, A pressed: every pending step of every item, {}",
                case.name(),
                size_name(size)
            ),
            &draw(&m, size),
        );
        press(&mut m, 'y');
        update(&mut m, Msg::AllItem(ItemId::Domain));
        update(
            &mut m,
            Msg::Log("→ Create the CodeArtifact domain octo-org".into()),
        );
        update(&mut m, Msg::AllItem(ItemId::Repository));
        snapshot(
            &format!("{}_apply_all_progress_{}", case.name(), size_name(size)),
            &format!(
                "{} scenario, A then y: on the second item, {}",
                case.name(),
                size_name(size)
            ),
            &draw(&m, size),
        );
    }
}
