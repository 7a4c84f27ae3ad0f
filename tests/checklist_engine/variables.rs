//! The GitHub Actions variables: drift fixed with PATCH (POST answers 409), missing ones created,
//! and the access-key method's secrets left to a person.

use cawiz::checklist::{self, Action, ItemId, Outcome, Status};
use cawiz::setup::AuthMethod;
use cawiz_sandbox::{SANDBOX_GITHUB_TOKEN, SandboxHandle};

use super::{Event, apply_ok, common, context, started, widgets, widgets_variables};

/// A raw GitHub API request on the sandbox (arranging state without cawiz's client).
async fn github(
    sb: &SandboxHandle,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) {
    let mut request = reqwest::Client::new()
        .request(method.clone(), format!("{}{path}", sb.github_url()))
        .bearer_auth(SANDBOX_GITHUB_TOKEN)
        .header("accept", "application/vnd.github+json");
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("GitHub request");
    assert!(
        response.status().is_success(),
        "{method} {path}: {}",
        response.status()
    );
}

/// `after - before`, per operation.
fn new_calls(
    before: &std::collections::BTreeMap<String, u64>,
    after: &std::collections::BTreeMap<String, u64>,
) -> std::collections::BTreeMap<String, u64> {
    after
        .iter()
        .filter_map(|(op, n)| {
            let d = n - before.get(op).copied().unwrap_or(0);
            (d > 0).then(|| (op.clone(), d))
        })
        .collect()
}

#[tokio::test]
async fn a_wrong_value_is_patched_and_a_missing_one_created() {
    let sb = common::start_sandbox("complete").await;
    assert_eq!(
        sb.github_variables("octo-org", "widgets"),
        widgets_variables()
    );
    github(
        &sb,
        reqwest::Method::PATCH,
        "/repos/octo-org/widgets/actions/variables/AWS_REGION",
        Some(serde_json::json!({"name": "AWS_REGION", "value": "eu-west-1"})),
    )
    .await;
    github(
        &sb,
        reqwest::Method::DELETE,
        "/repos/octo-org/widgets/actions/variables/CODEARTIFACT_REPOSITORY",
        None,
    )
    .await;

    let mut ctx = context(&sb, widgets()).await;
    let report = checklist::check_item(&ctx, ItemId::Variables).await;
    match &report.status {
        Status::Drift { diff, .. } => {
            for line in [
                "- AWS_REGION=eu-west-1",
                "+ AWS_REGION=us-east-1",
                "+ CODEARTIFACT_REPOSITORY=widgets",
            ] {
                assert!(diff.iter().any(|d| d == line), "{line} not in {diff:?}");
            }
        }
        other => panic!("expected drift, got {other:?}"),
    }
    let names: Vec<&str> = report
        .actions
        .iter()
        .map(|a| match a {
            Action::SetVariable { name, .. } => name.as_str(),
            other => panic!("unexpected action {other:?}"),
        })
        .collect();
    assert_eq!(names, ["AWS_REGION", "CODEARTIFACT_REPOSITORY"]);

    let before = sb.calls();
    let events = apply_ok(&mut ctx, &[ItemId::Variables]).await;
    let calls = new_calls(&before, &sb.calls());
    assert_eq!(
        calls.get("GitHub:CreateVariable"),
        Some(&2),
        "POST for both: {calls:?}"
    );
    assert_eq!(
        calls.get("GitHub:UpdateVariable"),
        Some(&1),
        "PATCH after the 409 on AWS_REGION: {calls:?}"
    );
    assert_eq!(
        sb.github_variables("octo-org", "widgets"),
        widgets_variables()
    );
    let outcomes: Vec<&Outcome> = events
        .iter()
        .filter_map(|e| match e {
            Event::StepDone(_, o) => Some(o),
            _ => None,
        })
        .collect();
    assert!(
        matches!(outcomes.as_slice(), [Outcome::Changed(_), Outcome::Created { kind: "variable", id, region: None }]
            if id == "octo-org/widgets/CODEARTIFACT_REPOSITORY"),
        "{outcomes:#?}"
    );
    assert!(
        checklist::check_item(&ctx, ItemId::Variables)
            .await
            .status
            .is_done()
    );
}

#[tokio::test]
async fn access_keys_need_secrets_set_by_hand() {
    let sb = common::start_sandbox("complete").await;
    let mut setup = widgets();
    setup.auth = AuthMethod::AccessKeys;
    let mut ctx = context(&sb, setup).await;
    let expected: Vec<String> = checklist::expected_variables(&ctx, &ctx.role_arn())
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        expected,
        [
            "AWS_REGION",
            "AWS_ACCOUNT_ID",
            "CODEARTIFACT_DOMAIN",
            "CODEARTIFACT_REPOSITORY"
        ],
        "no AWS_ROLE_ARN with access keys"
    );

    let reports = checklist::check_all(&ctx).await;
    for item in [ItemId::OidcProvider, ItemId::Role] {
        assert!(
            matches!(super::status(&reports, item), Status::Done { summary } if summary.contains("not used")),
            "{item:?}: {:?}",
            super::status(&reports, item)
        );
    }
    let variables = super::report(&reports, ItemId::Variables);
    assert!(
        matches!(&variables.status, Status::Drift { summary, .. } if summary.contains("AWS_ACCESS_KEY_ID")),
        "{:?}",
        variables.status
    );
    assert_eq!(
        variables.actions,
        vec![
            Action::SetSecretByHand {
                github: "octo-org/widgets".into(),
                name: "AWS_ACCESS_KEY_ID".into()
            },
            Action::SetSecretByHand {
                github: "octo-org/widgets".into(),
                name: "AWS_SECRET_ACCESS_KEY".into()
            }
        ]
    );
    assert!(variables.actions.iter().all(Action::is_manual));

    let events = apply_ok(&mut ctx, &[ItemId::Variables]).await;
    assert!(
        started(&events).is_empty(),
        "nothing automatic: {events:#?}"
    );
    let manual: Vec<String> = events
        .iter()
        .find_map(|e| match e {
            Event::NeedsYou(ItemId::Variables, steps) => {
                Some(steps.iter().map(|s| s.command.clone()).collect())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no NeedsYou: {events:#?}"));
    assert_eq!(
        manual,
        [
            "gh secret set AWS_ACCESS_KEY_ID --repo octo-org/widgets",
            "gh secret set AWS_SECRET_ACCESS_KEY --repo octo-org/widgets"
        ]
    );
    assert!(sb.mutating_calls().is_empty(), "{:?}", sb.mutating_calls());
    assert!(sb.calls().contains_key("GitHub:ListSecrets"));
}
