//! The runner's file commands as GitHub runs them: `echo "NAME=value" >> "$GITHUB_ENV"` prints
//! nothing, and every later step of the job has NAME in its environment, which the step's header
//! prints (`env:`) — the CodeArtifact token in clear unless `::add-mask::` registered it first.

use serde_json::json;

use super::{commit_workflow, dispatch, log_of, watch};

/// A publish job that fetches the token, writes it to `$GITHUB_ENV` (`mask` first or not), and
/// has one more step.
fn workflow(mask: bool) -> String {
    format!(
        "name: Publish
on: workflow_dispatch
permissions: {{}}
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
      contents: read
    steps:
      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
        with:
          role-to-assume: ${{{{ vars.AWS_ROLE_ARN }}}}
          aws-region: ${{{{ vars.AWS_REGION }}}}
      - name: Get a CodeArtifact token
        run: |
          TOKEN=$(aws codeartifact get-authorization-token --domain octo-org --domain-owner 123456789012 --query authorizationToken --output text)
          {}echo \"CODEARTIFACT_AUTH_TOKEN=$TOKEN\" >> \"$GITHUB_ENV\"
      - name: Next step
        run: echo next
",
        if mask {
            "echo \"::add-mask::$TOKEN\"\n          "
        } else {
            ""
        }
    )
}

/// The token the log shows in clear (`cawizsbx.…`), if any.
fn clear_token(log: &str) -> Option<String> {
    log.split_whitespace()
        .find(|w| w.starts_with("cawizsbx."))
        .map(str::to_owned)
}

#[tokio::test]
async fn a_token_in_github_env_is_printed_by_the_next_step_unless_masked() {
    let sb = super::common::start_sandbox("complete").await;
    commit_workflow(&sb, &workflow(false)).await;
    let run = dispatch(&sb, json!({})).await;
    let (_, done) = watch(&sb, run).await;
    assert_eq!(done["conclusion"], "success", "{done}");
    let log = log_of(&sb, run, "publish").await;
    let token = clear_token(&log).unwrap_or_else(|| panic!("the token in clear:\n{log}"));
    let header = log
        .lines()
        .find(|l| l.contains("CODEARTIFACT_AUTH_TOKEN:"))
        .unwrap_or_else(|| panic!("no env: line:\n{log}"));
    assert!(
        header.ends_with(&format!("  CODEARTIFACT_AUTH_TOKEN: {token}")),
        "{header}"
    );
    // The echo into $GITHUB_ENV printed nothing itself.
    assert!(
        !log.contains(&format!("CODEARTIFACT_AUTH_TOKEN={token}")),
        "{log}"
    );

    commit_workflow(&sb, &workflow(true)).await;
    let run = dispatch(&sb, json!({})).await;
    let (_, done) = watch(&sb, run).await;
    assert_eq!(done["conclusion"], "success", "{done}");
    let log = log_of(&sb, run, "publish").await;
    assert_eq!(clear_token(&log), None, "{log}");
    assert!(log.contains("  CODEARTIFACT_AUTH_TOKEN: ***"), "{log}");
}
