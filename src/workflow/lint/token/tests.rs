use super::*;
use crate::workflow::lint::Source;
use crate::workflow::{model, yaml};

/// The lines of `token-exposed` findings in a workflow whose publish job runs `steps` (YAML of
/// the steps list, indented by six spaces).
fn exposed(steps: &str) -> Vec<usize> {
    let text =
        format!("on: push\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n{steps}");
    let wf = model::read(&yaml::parse(&text).expect("yaml"));
    let src = Source::new(&text);
    let lines = |from: usize, script: &str| src.script_lines(from, script);
    let found = findings(&wf, &lines);
    assert!(found.iter().all(|f| f.id == LintId::TokenExposed));
    found.iter().map(|f| f.line).collect()
}

const GET: &str = "aws codeartifact get-authorization-token --domain d --domain-owner 1 --query authorizationToken --output text";

#[test]
fn github_env_unmasked_leaks_masked_does_not() {
    let leak = format!(
        "      - run: |\n          TOKEN=$({GET})\n          echo \"CODEARTIFACT_AUTH_TOKEN=$TOKEN\" >> $GITHUB_ENV\n"
    );
    assert_eq!(exposed(&leak), [8]);
    let direct =
        format!("      - run: echo \"CODEARTIFACT_AUTH_TOKEN=$({GET})\" >> \"$GITHUB_ENV\"\n");
    assert_eq!(exposed(&direct), [6]);
    let tee = format!(
        "      - run: |\n          export TOKEN=`{GET}`\n          echo \"T=${{TOKEN}}\" | tee -a \"$GITHUB_ENV\"\n"
    );
    assert_eq!(exposed(&tee), [8]);
    let masked = format!(
        "      - run: |\n          TOKEN=$({GET})\n          echo \"::add-mask::$TOKEN\"\n          echo \"CODEARTIFACT_AUTH_TOKEN=$TOKEN\" >> $GITHUB_ENV\n      - run: echo \"$CODEARTIFACT_AUTH_TOKEN\" | docker login -u aws --password-stdin x\n"
    );
    assert_eq!(exposed(&masked), Vec::<usize>::new());
}

#[test]
fn outputs_leak_where_they_are_used() {
    let steps = format!(
        "      - id: ca\n        run: |\n          TOKEN=$({GET})\n          echo \"token=$TOKEN\" >> \"$GITHUB_OUTPUT\"\n      - env:\n          NODE_AUTH_TOKEN: ${{{{ steps.ca.outputs.token }}}}\n        run: npm publish\n      - run: npm config set //x/:_authToken=${{{{ steps.ca.outputs.token }}}}\n"
    );
    assert_eq!(exposed(&steps), [9, 11, 13]);
    let old = format!(
        "      - id: ca\n        run: echo \"::set-output name=token::$({GET})\"\n      - uses: some/action@v1\n        with:\n          password: ${{{{ steps.ca.outputs.token }}}}\n"
    );
    assert_eq!(exposed(&old), [7, 10]);
}

#[test]
fn echoes_traces_and_login_files() {
    let echo = format!("      - run: |\n          T=$({GET})\n          echo \"token: $T\"\n");
    assert_eq!(exposed(&echo), [8]);
    let to_files = format!(
        "      - run: |\n          T=$({GET})\n          echo \"//h/npm/r/:_authToken=${{T}}\" > ~/.npmrc\n          printf '%s' \"$T\" | docker login -u aws --password-stdin h\n"
    );
    assert_eq!(exposed(&to_files), Vec::<usize>::new());
    let traced = format!("      - run: |\n          set -ex\n          T=$({GET})\n");
    assert_eq!(exposed(&traced), [8]);
    let bare = format!("      - run: {GET}\n");
    assert_eq!(exposed(&bare), [6]);
    let login = "      - run: |\n          aws codeartifact login --tool twine --domain d --repository r\n          cat ~/.pypirc\n";
    assert_eq!(exposed(login), [8]);
    let dry =
        "      - run: aws codeartifact login --tool npm --domain d --repository r --dry-run\n";
    assert_eq!(exposed(dry), [6]);
    let heredoc = format!(
        "      - run: |\n          T=$({GET})\n          cat <<EOF\n          token=$T\n          EOF\n"
    );
    assert_eq!(exposed(&heredoc), [8]);
}

#[test]
fn the_generated_shape_is_clean() {
    let steps = "      - env:\n          D: x\n        run: |\n          set -euo pipefail\n          TOKEN=\"$(aws codeartifact get-authorization-token \\\n            --domain \"$D\" \\\n            --query authorizationToken --output text)\"\n          echo \"::add-mask::$TOKEN\"\n          export TWINE_USERNAME=aws\n          export TWINE_PASSWORD=\"$TOKEN\"\n          env | sort\n          python -m twine upload --non-interactive dist/*\n";
    assert_eq!(exposed(steps), Vec::<usize>::new());
}

#[test]
fn job_outputs_carry_it_to_other_jobs() {
    let text = format!(
        "on: push\njobs:\n  token:\n    runs-on: ubuntu-latest\n    outputs:\n      token: ${{{{ steps.t.outputs.token }}}}\n    steps:\n      - id: t\n        run: echo \"token=$({GET})\" >> $GITHUB_OUTPUT\n  publish:\n    needs: token\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          T: ${{{{ needs.token.outputs.token }}}}\n        run: echo ok\n"
    );
    let wf = model::read(&yaml::parse(&text).expect("yaml"));
    let src = Source::new(&text);
    let lines = |from: usize, script: &str| src.script_lines(from, script);
    let lines_found: Vec<usize> = findings(&wf, &lines).iter().map(|f| f.line).collect();
    assert_eq!(lines_found, [9, 15]);
}
