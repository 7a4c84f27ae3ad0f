//! The Workflow screen on a broken workflow in a working tree: the findings as rows (glyph, id,
//! line, fix), the file with the offending lines marked, the diff apply would make, and the
//! confirmation. The `complete` scenario, so the live facts are those of a finished setup.

use cawiz::app::Identity;
use cawiz::checklist::{self, ItemId, workflow::WorkflowSettings};
use cawiz::setup::Setup;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Fixture, NORMAL, TINY, draw, model, press, redact, size_name, snapshot, ui_fixture};

/// A workflow with four mistakes: the job's permissions lose id-token, another region, twine's
/// --skip-existing, and checkout by tag.
const BROKEN: &str = "name: Publish
on:
  release:
    types: [published]
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
        with:
          role-to-assume: ${{ vars.AWS_ROLE_ARN }}
          aws-region: eu-west-1
      - run: |
          aws codeartifact login --tool twine --domain octo-org --repository widgets
          python -m twine upload -r codeartifact --skip-existing dist/*
";

async fn broken_fixture() -> (Fixture, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join(".git")).expect(".git");
    let file = dir.path().join(".github/workflows/publish.yml");
    std::fs::create_dir_all(file.parent().expect("dir")).expect("mkdir");
    std::fs::write(&file, BROKEN).expect("write");
    let setup = Setup::for_github("octo-org", "widgets");
    let (sb, mut ctx) = ui_fixture::connected("complete", &[], setup.clone(), None).await;
    ctx.workflow = WorkflowSettings::here(dir.path());
    let mut reports = checklist::check_all(&ctx).await;
    let root = dir.path().display().to_string();
    for report in &mut reports {
        redact::scrub_url(report, sb.url());
        for (_, value) in &mut report.details.facts {
            *value = value.replace(&root, "[TREE]");
        }
    }
    let fixture = Fixture {
        identity: Identity {
            account: ctx.account.clone(),
            arn: ctx.caller_arn.clone(),
            region: setup.region.clone(),
            profile: None,
            sandbox: true,
            github: "octo-org/widgets".to_owned(),
        },
        reports,
    };
    (fixture, dir)
}

#[tokio::test]
async fn workflow_screens() {
    let (fixture, _dir) = broken_fixture().await;
    let report = fixture
        .reports
        .iter()
        .find(|r| r.item == ItemId::Workflow)
        .expect("a workflow report");
    assert_eq!(report.status.kind(), "drift", "{:#?}", report.status);
    for size in [NORMAL, TINY] {
        let screen = draw(&model(&fixture, ItemId::Workflow), size);
        snapshot(
            &format!("workflow_broken_{}", size_name(size)),
            &format!(
                "a broken workflow in the working tree: drift and its findings, {}",
                size_name(size)
            ),
            &screen,
        );
    }
    let screen = draw(&model(&fixture, ItemId::Workflow), NORMAL);
    for row in [
        "id-token-missing",
        "region-mismatch",
        "skip-existing-unsupported",
    ] {
        assert!(screen.contains(row), "{row} is a row:\n{screen}");
    }

    // Scrolled: the file with the offending lines marked, then the diff.
    let mut scrolled = model(&fixture, ItemId::Workflow);
    let page = KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE);
    for _ in 0..2 {
        cawiz::app::update(&mut scrolled, cawiz::app::Msg::Key(page));
    }
    let screen = draw(&scrolled, NORMAL);
    snapshot(
        "workflow_broken_scrolled_80x24",
        "the broken workflow's screen scrolled: the offending lines marked, then the diff, 80x24",
        &screen,
    );

    let mut confirm = model(&fixture, ItemId::Workflow);
    press(&mut confirm, 'a');
    let screen = draw(&confirm, NORMAL);
    assert!(
        screen.contains("Replace .github/workflows/publish.yml"),
        "{screen}"
    );
    snapshot(
        "workflow_broken_confirm_80x24",
        "a on the broken workflow: replace it (what is lost is in the diff) and open a pull request, 80x24",
        &screen,
    );
}
