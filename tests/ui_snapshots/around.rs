//! The screens around the checklist: the start, the welcome screen, the setup form (first run,
//! a broken rule, edit), AWS unreachable, and the local test's confirmation and output pane.

use cawiz::app::{Model, Msg, update};
use cawiz::checklist::ItemId;
use cawiz::setup::Setup;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Case, NORMAL, TINY, draw, fixture, model, press, size_name, snapshot};

fn both_sizes(name: &str, description: &str, model: &Model) {
    for size in [NORMAL, TINY] {
        snapshot(
            &format!("{name}_{}", size_name(size)),
            &format!("{description}, {}", size_name(size)),
            &draw(model, size),
        );
    }
}

fn key(model: &mut Model, code: KeyCode, modifiers: KeyModifiers) {
    update(model, Msg::Key(KeyEvent::new(code, modifiers)));
}

#[test]
fn start_welcome_and_form_screens() {
    let setup = Setup::for_github("octo-org", "widgets");
    let (mut model, _) = Model::start(None, false, ItemId::Domain, NORMAL);
    both_sizes(
        "starting",
        "start-up without a setup: looking for credentials",
        &model,
    );

    update(
        &mut model,
        Msg::NoCredentials(
            "no AWS credentials in the environment, ~/.aws or instance metadata".into(),
        ),
    );
    both_sizes(
        "welcome",
        "no credentials, no --sandbox: the welcome screen",
        &model,
    );

    let (mut model, _) = Model::start(None, false, ItemId::Domain, NORMAL);
    let mut blank = setup.clone();
    blank.github_owner.clear();
    blank.github_repo.clear();
    update(&mut model, Msg::NeedSetup(Box::new(blank)));
    both_sizes(
        "form_first_run",
        "the first run's setup form, untouched",
        &model,
    );
    for c in "acme/gadgets".chars() {
        key(&mut model, KeyCode::Char(c), KeyModifiers::NONE);
    }
    key(&mut model, KeyCode::Tab, KeyModifiers::NONE);
    key(&mut model, KeyCode::Tab, KeyModifiers::NONE);
    key(&mut model, KeyCode::Char('u'), KeyModifiers::CONTROL);
    for c in "Bad_Domain".chars() {
        key(&mut model, KeyCode::Char(c), KeyModifiers::NONE);
    }
    both_sizes(
        "form_bad_domain",
        "the setup form: a domain breaking AWS's rule, the rule under it",
        &model,
    );

    let (mut model, _) = Model::start(Some(setup), false, ItemId::Domain, NORMAL);
    update(
        &mut model,
        Msg::Connected(Err(cawiz::checklist::ItemError {
            kind: cawiz::aws::AwsErrorKind::ExpiredCredentials,
            message: "ExpiredToken: the security token included in the request is expired".into(),
            fix: "refresh the credentials (aws sso login, or new keys) and press r".into(),
        })),
    );
    both_sizes(
        "aws_unreachable",
        "GetCallerIdentity failed: the error and its fix",
        &model,
    );
    key(&mut model, KeyCode::Char('e'), KeyModifiers::NONE);
    both_sizes(
        "form_edit",
        "e: the inputs in the form, focused on the domain",
        &model,
    );
}

#[tokio::test]
async fn local_test_output_screens() {
    let fixture = fixture(Case::Guide).await;
    let mut model = model(&fixture, ItemId::LocalTest);
    model.setup = Some(Case::Guide.setup());
    press(&mut model, 't');
    both_sizes(
        "local_test_confirm",
        "t: the local test's confirmation",
        &model,
    );
    press(&mut model, 'y');
    for line in [
        "▸ pip download: six through earth-polychromatic-api",
        "▸ $ PIP_INDEX_URL='http://aws:****@127.0.0.1:[PORT]/acme-geo/pypi/simple/' python3 -m pip download six",
        "Looking in indexes: http://aws:****@127.0.0.1:[PORT]/acme-geo/pypi/simple/",
        "Collecting six",
        "  Downloading six-1.17.0-py2.py3-none-any.whl (11 kB)",
    ] {
        update(&mut model, Msg::Output(line.to_owned()));
    }
    both_sizes(
        "local_test_running",
        "the local test running: pip's output streams into the pane",
        &model,
    );
    update(
        &mut model,
        Msg::Output("Successfully downloaded six".to_owned()),
    );
    update(
        &mut model,
        Msg::Applied {
            item: ItemId::LocalTest,
            result: Ok("passed".to_owned()),
        },
    );
    both_sizes(
        "local_test_after",
        "the local test's output after the run",
        &model,
    );
}
