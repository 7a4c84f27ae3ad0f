//! The Doctor screen (`d`): while the doctor runs (a spinner, no diagnosis yet), then a diagnosis
//! with failing, ok, unknown and skipped causes (built from the cause catalogue, as the doctor
//! reports them on the guide's setup), the not-found symptom selected with its failing cause
//! expanded, and `f` on it: the Upstream item's confirmation, as `a` shows it. The sidebar holds
//! the guide scenario's real checks.

use cawiz::app::{Model, Msg, Overlay, Phase, update};
use cawiz::checklist::ItemId;
use cawiz::doctor::{CauseReport, Diagnosis, Symptom, SymptomReport, Verdict, cause_of};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Case, NORMAL, TINY, draw, fixture, model, press, size_name, snapshot};

fn cause(id: &str, verdict: Verdict, evidence: &[&str], fix_item: Option<ItemId>) -> CauseReport {
    let mut c = CauseReport::new(
        cause_of(id).expect("a cause id of the SPEC"),
        verdict,
        evidence.iter().map(|e| (*e).to_owned()).collect(),
    );
    c.fix_item = fix_item;
    c
}

fn skip(reason: &str) -> Verdict {
    Verdict::Skip(reason.to_owned())
}

fn oidc() -> SymptomReport {
    let trust = "GetRole GitHubActionsCodeArtifactRole trust";
    SymptomReport::ranked(
        Symptom::Oidc,
        vec![
            cause(
                "provider-missing",
                Verdict::Ok,
                &["GetOpenIDConnectProvider token.actions.githubusercontent.com: found"],
                Some(ItemId::OidcProvider),
            ),
            cause(
                "trust-subject",
                Verdict::Fail,
                &[&format!(
                    "{trust} sub: StringLike repo:acme-geo/earth-polychromatic-images:*"
                )],
                Some(ItemId::Role),
            ),
            cause(
                "role-arn-variable",
                Verdict::Unknown("GitHub: ListVariables answered 403".to_owned()),
                &[],
                Some(ItemId::Variables),
            ),
            cause("session-duration", skip("no publish workflow"), &[], None),
        ],
    )
}

fn publish() -> SymptomReport {
    SymptomReport::ranked(
        Symptom::Publish403,
        vec![
            cause(
                "policy-missing",
                Verdict::Ok,
                &["GetPolicy CodeArtifact-Publish-Policy: found"],
                Some(ItemId::Role),
            ),
            cause(
                "origin-blocked",
                Verdict::Unknown("no package earth-polychromatic-api yet".to_owned()),
                &[],
                None,
            ),
        ],
    )
}

fn not_found() -> SymptomReport {
    SymptomReport::ranked(
        Symptom::NotFound,
        vec![
            cause(
                "upstream-missing",
                Verdict::Fail,
                &["DescribeRepository pypi-store: not found"],
                Some(ItemId::Upstream),
            ),
            cause(
                "external-connection-missing",
                skip("no repository pypi-store"),
                &[],
                Some(ItemId::Upstream),
            ),
            cause(
                "upstream-not-linked",
                Verdict::Fail,
                &["DescribeRepository earth-polychromatic-api upstreams: [pypi-store]"],
                Some(ItemId::Upstream),
            ),
            cause(
                "package-not-published",
                Verdict::Unknown("ListPackageVersions: the package is not there".to_owned()),
                &[],
                None,
            ),
            cause(
                "name-normalization",
                Verdict::Ok,
                &["earth-polychromatic-api is already normalised (PEP 503)"],
                None,
            ),
        ],
    )
}

fn diagnosis() -> Diagnosis {
    Diagnosis {
        package: "earth-polychromatic-api".to_owned(),
        version: Some("0.1.0".to_owned()),
        symptoms: vec![oidc(), publish(), not_found()],
        notes: Vec::new(),
        listings: Vec::new(),
    }
}

fn both_sizes(name: &str, description: &str, model: &Model) {
    for size in [NORMAL, TINY] {
        let screen = draw(model, size);
        assert!(screen.contains("Doctor"), "{name} at {size:?}:\n{screen}");
        snapshot(
            &format!("guide_doctor_{name}_{}", size_name(size)),
            &format!("guide scenario, {description}, {}", size_name(size)),
            &screen,
        );
    }
}

#[tokio::test]
async fn doctor_screens() {
    let fixture = fixture(Case::Guide).await;
    let mut model = model(&fixture, ItemId::Domain);
    press(&mut model, 'd');
    assert_eq!(model.phase, Phase::Doctor);
    both_sizes("running", "d pressed: the doctor running", &model);

    update(&mut model, Msg::Diagnosed(Ok(Box::new(diagnosis()))));
    both_sizes(
        "oidc",
        "the diagnosis: OIDC selected, its failing cause first",
        &model,
    );

    press(&mut model, '3');
    update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    both_sizes(
        "not_found_expanded",
        "3 and Enter: Package not found, the upstream missing expanded",
        &model,
    );

    press(&mut model, 'f');
    assert!(
        matches!(
            model.overlay,
            Overlay::Confirm {
                item: ItemId::Upstream,
                ..
            }
        ),
        "f on upstream-missing asks to apply the Upstream item: {:?}",
        model.overlay
    );
    let screen = draw(&model, NORMAL);
    snapshot(
        &format!("guide_doctor_fix_confirm_{}", size_name(NORMAL)),
        "guide scenario, f on upstream-missing: the Upstream item's confirmation, 80x24",
        &screen,
    );
    press(&mut model, 'n');
    press(&mut model, '?');
    snapshot(
        &format!("guide_doctor_help_{}", size_name(NORMAL)),
        "guide scenario, ? on the doctor: its keys, 80x24",
        &draw(&model, NORMAL),
    );
}
