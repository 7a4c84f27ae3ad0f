//! `expression-injection`: a `${{ }}` of text someone else writes (an issue or pull request
//! title or body, a comment, a commit message, a branch name, a manual run's free-text input)
//! inside `run:` or github-script's `script:`. GitHub pastes the value into the script before
//! the shell reads it, so a `"` or `$(…)` in it becomes code — in the job that holds the AWS
//! credentials.

use std::sync::LazyLock;

use regex::Regex;

use super::super::model::{Job, Workflow};
use super::{LintFinding, LintId, Source};

fn re(pattern: &str) -> Regex {
    #[allow(clippy::expect_used)]
    Regex::new(pattern).expect("valid built-in pattern")
}

static EXPRESSION: LazyLock<Regex> = LazyLock::new(|| re(r"\$\{\{(.*?)\}\}"));

/// Contexts whose text people outside the workflow write, and who.
static CONTROLLED: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"\bgithub\.head_ref\b", "the pull request's branch name"),
        (
            r"\bgithub\.event\.(?:issue|pull_request|discussion)\.(?:title|body)\b",
            "a title or body anyone can write",
        ),
        (
            r"\bgithub\.event\.(?:comment|review|review_comment)\.body\b",
            "a comment anyone can write",
        ),
        (
            r"\bgithub\.event\.pull_request\.head\.(?:ref|label|repo\.default_branch)\b",
            "the pull request's branch",
        ),
        (
            r"\bgithub\.event\.(?:head_commit|workflow_run\.head_commit|commits\b[^ ]*?)\.(?:message|author\.(?:email|name))\b",
            "a commit message or author",
        ),
        (r"\bgithub\.event\.pages\b[^ ]*?\.page_name\b", "a wiki page name"),
        (
            r"\bgithub\.event\.workflow_run\.(?:head_branch|display_title)\b",
            "the triggering run's branch or title",
        ),
    ]
    .into_iter()
    .map(|(p, who)| (re(p), who))
    .collect()
});
static EVENT_INPUT: LazyLock<Regex> =
    LazyLock::new(|| re(r"\bgithub\.event\.inputs\.([A-Za-z0-9_-]+)"));
static INPUT: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|[^.\w])inputs\.([A-Za-z0-9_-]+)"));

/// What in `expression` (the inside of `${{ }}`) someone else writes, and who.
fn controlled(wf: &Workflow, expression: &str) -> Option<String> {
    if let Some((_, who)) = CONTROLLED.iter().find(|(r, _)| r.is_match(expression)) {
        return Some((*who).to_owned());
    }
    let free_text = |name: &str| {
        wf.dispatch_inputs
            .iter()
            .find(|d| d.name == name)
            .is_none_or(|d| d.is_text())
    };
    if let Some(c) = EVENT_INPUT.captures(expression)
        && free_text(&c[1])
    {
        return Some(format!("the manual run's input {}", &c[1]));
    }
    // `inputs.X` of a manual run (a reusable workflow's inputs come from its callers).
    INPUT
        .captures_iter(expression)
        .map(|c| c[1].to_owned())
        .find(|name| {
            wf.dispatch_inputs
                .iter()
                .any(|d| &d.name == name && d.is_text())
        })
        .map(|name| format!("the manual run's input {name}"))
}

fn finding(job: &Job, line: usize, expression: &str, who: &str, place: &str) -> LintFinding {
    LintFinding::warning(
        LintId::ExpressionInjection,
        line,
        format!(
            "job {}: ${{{{ {expression} }}}} in {place} is {who}, pasted into the code before it runs: \
             a quote or $(…) in it runs as a command",
            job.id
        ),
        format!(
            "pass it through env: (`env: VALUE: ${{{{ {expression} }}}}`) and use \"$VALUE\" in the \
             script"
        ),
    )
}

/// Each line of `text` (a value starting at `from`) with the controlled expressions on it.
fn scan(
    wf: &Workflow,
    job: &Job,
    src: &Source,
    from: usize,
    text: &str,
    place: &str,
) -> Vec<LintFinding> {
    let lines = src.script_lines(from, text);
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        for c in EXPRESSION.captures_iter(l) {
            let expression = c[1].trim();
            if let Some(who) = controlled(wf, expression) {
                let line = lines.get(i).copied().unwrap_or(from);
                out.push(finding(job, line, expression, &who, place));
            }
        }
    }
    out
}

/// `expression-injection` for every `run:` and github-script `script:` of `wf`.
pub fn findings(wf: &Workflow, src: &Source) -> Vec<LintFinding> {
    let mut out = Vec::new();
    for job in &wf.jobs {
        for step in &job.steps {
            if let Some((script, line)) = &step.run {
                out.extend(scan(wf, job, src, *line, script, "run:"));
            }
            if step.action().as_deref() == Some("actions/github-script")
                && let Some(input) = step.input("script")
            {
                out.extend(scan(wf, job, src, input.line, &input.value, "script:"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::{model, yaml};

    fn lines_of(text: &str) -> Vec<usize> {
        let wf = model::read(&yaml::parse(text).expect("yaml"));
        findings(&wf, &Source::new(text))
            .iter()
            .map(|f| f.line)
            .collect()
    }

    #[test]
    fn controlled_text_in_scripts() {
        let text = "on:\n  workflow_dispatch:\n    inputs:\n      notes:\n        type: string\n      probe:\n        type: boolean\n      level:\n        type: choice\n        options: [a, b]\n  pull_request:\njobs:\n  p:\n    steps:\n      - run: |\n          echo \"${{ github.event.pull_request.title }}\"\n          echo \"${{ inputs.notes }} ${{ github.event.inputs.notes }}\"\n          echo \"${{ inputs.probe }} ${{ inputs.level }} ${{ github.event.pull_request.number }}\"\n          git push origin \"${{ github.head_ref }}\"\n      - uses: actions/github-script@v7\n        with:\n          script: |\n            console.log(`${{ github.event.comment.body }}`)\n      - env:\n          TITLE: ${{ github.event.issue.title }}\n        run: echo \"$TITLE\"\n";
        // Two expressions on line 17: two findings.
        assert_eq!(lines_of(text), [16, 17, 17, 19, 23]);
    }

    #[test]
    fn reusable_inputs_are_the_callers() {
        let text = "on:\n  workflow_call:\n    inputs:\n      version:\n        type: string\njobs:\n  p:\n    steps:\n      - run: echo ${{ inputs.version }}\n";
        assert_eq!(lines_of(text), Vec::<usize>::new());
    }
}
