//! The workflow item against live facts: the generated file judged by the role's real trust policy
//! (narrowed after setup: drift, although the setup's scope is fine), the repository's real
//! variables (another region, or none yet), the immutable subject format read from GitHub, and the
//! setup's trust when the role does not exist (said so).

use cawiz::checklist::{self, ItemId, Status, workflow};
use cawiz::workflow::{generate, write_atomic};
use cawiz_sandbox::SandboxHandle;

use super::{common, context, widgets};

const ROLE: &str = "GitHubActions-CodeArtifact";

/// A working tree holding the workflow generated for the setup (with the sandbox's pins).
async fn tree_with_generated(ctx: &checklist::Context) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join(".git")).expect(".git");
    let pins = workflow::resolve_pins(&ctx.github).await;
    write_atomic(
        &dir.path().join(".github/workflows/publish.yml"),
        &generate(&ctx.setup, &pins),
    )
    .expect("write");
    dir
}

async fn check(sb: &SandboxHandle) -> (checklist::Report, tempfile::TempDir) {
    let mut ctx = context(sb, widgets()).await;
    let dir = tree_with_generated(&ctx).await;
    ctx.workflow = workflow::WorkflowSettings::here(dir.path());
    (checklist::check_item(&ctx, ItemId::Workflow).await, dir)
}

fn lint_ids(report: &checklist::Report) -> Vec<String> {
    report
        .details
        .workflow
        .as_ref()
        .map(|w| w.findings.iter().map(|f| f.id.to_string()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_generated_file_is_done_on_the_complete_setup() {
    let sb = common::start_sandbox("complete").await;
    let (report, _dir) = check(&sb).await;
    assert!(report.status.is_done(), "{:#?}", report.status);
    assert!(lint_ids(&report).is_empty());
    assert!(
        report
            .details
            .facts
            .iter()
            .any(|(l, v)| l == "subjects checked against"
                && v == &format!("the trust policy of {ROLE}")),
        "{:?}",
        report.details.facts
    );
}

#[tokio::test]
async fn a_trust_policy_narrowed_after_setup_makes_the_workflow_drift() {
    let sb = common::start_sandbox("complete").await;
    common::iam(sb.url())
        .update_assume_role_policy()
        .role_name(ROLE)
        .policy_document(
            common::github_trust_policy("repo:octo-org/widgets:ref:refs/heads/main").to_string(),
        )
        .send()
        .await
        .expect("UpdateAssumeRolePolicy");
    let (report, _dir) = check(&sb).await;
    assert!(
        matches!(report.status, Status::Drift { .. }),
        "{:#?}",
        report.status
    );
    assert_eq!(
        lint_ids(&report),
        ["subject-not-trusted", "subject-not-trusted"]
    );
    let view = report.details.workflow.as_ref().expect("view");
    assert!(
        view.findings[0]
            .message
            .contains("the trust policy of GitHubActions-CodeArtifact")
    );
    assert!(
        report.actions.is_empty(),
        "the file is the generated one: the fix is the role's, not a rewrite: {:#?}",
        report.actions
    );
}

#[tokio::test]
async fn the_repositorys_real_variables_are_read() {
    let sb = common::start_sandbox("complete").await;
    let response = reqwest::Client::new()
        .patch(format!(
            "{}/repos/octo-org/widgets/actions/variables/AWS_REGION",
            sb.github_url()
        ))
        .bearer_auth(cawiz_sandbox::SANDBOX_GITHUB_TOKEN)
        .json(&serde_json::json!({"name": "AWS_REGION", "value": "eu-west-1"}))
        .send()
        .await
        .expect("PATCH");
    assert!(response.status().is_success());
    let (report, _dir) = check(&sb).await;
    assert_eq!(lint_ids(&report), ["region-mismatch"]);
    let view = report.details.workflow.as_ref().expect("view");
    assert!(
        view.findings[0]
            .message
            .contains("\"eu-west-1\" (from vars.AWS_REGION, the repository's variable)")
    );
}

#[tokio::test]
async fn immutable_subjects_are_compared_in_their_own_form() {
    let sb = common::start_sandbox("complete").await;
    assert!(sb.set_github_immutable_subject("octo-org", "widgets", true));
    let (report, _dir) = check(&sb).await;
    let view = report.details.workflow.as_ref().expect("view");
    assert!(!view.findings.is_empty(), "{:#?}", report.status);
    assert!(
        view.findings
            .iter()
            .all(|f| f.id.as_str() == "subject-not-trusted" && f.message.contains("repo:octo-org@")),
        "the runs send immutable subjects, the role trusts the classic one: {:#?}",
        view.findings
    );
}

#[tokio::test]
async fn on_an_empty_account_the_missing_variables_are_the_errors_and_the_setups_trust_is_said() {
    let sb = common::start_sandbox("empty").await;
    let (report, _dir) = check(&sb).await;
    // The variables the file reads do not exist yet (the variables item creates them); the
    // subjects are fine against the trust cawiz would write.
    assert_eq!(lint_ids(&report), ["role-arn-mismatch", "region-mismatch"]);
    assert!(
        matches!(&report.status, Status::Drift { summary, .. } if summary.contains("the fix is elsewhere")),
        "{:#?}",
        report.status
    );
    assert!(
        report.actions.is_empty(),
        "nothing to rewrite: {:#?}",
        report.actions
    );
    assert!(
        report
            .details
            .facts
            .iter()
            .any(|(l, v)| l == "subjects checked against"
                && v.contains("the role GitHubActions-CodeArtifact does not exist yet")),
        "{:?}",
        report.details.facts
    );
}
