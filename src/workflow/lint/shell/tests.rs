use super::*;

fn words(c: &Command) -> Vec<&str> {
    c.words.iter().map(String::as_str).collect()
}

#[test]
fn continuations_substitutions_and_lines() {
    let script = "set -euo pipefail\nTOKEN=\"$(aws codeartifact get-authorization-token \\\n  --domain \"$D\" \\\n  --query authorizationToken --output text)\"\necho \"::add-mask::$TOKEN\"\n";
    let c = commands(script);
    assert_eq!(c.len(), 3, "{c:#?}");
    assert_eq!(words(&c[0]), ["set", "-euo", "pipefail"]);
    assert_eq!(c[1].line, 1);
    assert_eq!(c[1].words.len(), 1, "{:?}", c[1].words);
    assert_eq!(c[2].line, 4);
    // A substitution spanning lines without backslashes.
    let c = commands("T=$(\n  aws codeartifact get-authorization-token --domain d\n)\necho ok\n");
    assert_eq!(c.len(), 2, "{c:#?}");
    assert_eq!(c[1].line, 3);
}

#[test]
fn outputs_pipes_and_redirects() {
    let c = commands(
        "echo \"A=$T\" >> \"$GITHUB_ENV\"\necho \"$T\" | tee -a $GITHUB_ENV\necho x >&2; echo y 2>/dev/null && echo z > /dev/null\nprintf '%s' \"$T\" | docker login --password-stdin\n",
    );
    assert_eq!(c[0].output, Output::File("\"$GITHUB_ENV\"".into()));
    assert_eq!(c[1].output, Output::Pipe);
    assert_eq!(words(&c[2]), ["tee", "-a", "$GITHUB_ENV"]);
    assert_eq!(c[2].output, Output::Log);
    assert_eq!(c[3].output, Output::Log, "stderr is in the log");
    assert_eq!(c[4].output, Output::Log, "2> leaves stdout alone");
    assert_eq!(c[5].output, Output::File("/dev/null".into()));
    assert_eq!(c[6].output, Output::Pipe);
    assert_eq!(c[7].program(), Some("docker"));
}

#[test]
fn heredocs_comments_and_keywords() {
    let c = commands(
        "# a comment with $TOKEN\ncat <<EOF\ntoken=$TOKEN\nEOF\ncat > f <<'EOF'\n$TOKEN\nEOF\nif [ -n \"$X\" ]; then echo \"$X\"; fi\nFOO=1 ./gradlew publish\n",
    );
    assert_eq!(c[0].program(), Some("cat"));
    assert_eq!(c[0].heredoc.as_deref(), Some("token=$TOKEN"));
    assert_eq!(c[1].heredoc, None, "a quoted delimiter does not expand");
    assert_eq!(c[1].output, Output::File("f".into()));
    let then = c.iter().find(|c| c.words[0] == "then").expect("then");
    assert_eq!(then.program(), Some("echo"));
    let gradle = c.last().expect("gradle");
    assert_eq!(gradle.program(), Some("gradlew"));
    assert_eq!(gradle.line, 8);
    assert!(
        c.iter()
            .all(|c| !c.words.iter().any(|w| w.contains("comment")))
    );
}

#[test]
fn github_expressions_stay_one_word() {
    let c = commands("echo \"${{ steps.t.outputs.token }}\" ${{ github.event.issue.title }}\n");
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].words.len(), 3, "{:?}", c[0].words);
    assert_eq!(
        c[0].expansions(),
        [
            Expansion::Expr("steps.t.outputs.token".into()),
            Expansion::Expr("github.event.issue.title".into())
        ]
    );
}

#[test]
fn hostile_text_never_panics() {
    for s in [
        "\"unterminated",
        "$(",
        "${{",
        "`",
        "<<",
        "cat <<",
        "a >",
        "x\\",
        "'",
        "$(echo 'x",
        "&>",
        "2>&",
        "<<-EOF\nEOF",
        "é ü $é ${é}",
        "\u{1b}[31m",
    ] {
        let _ = commands(s);
        let _ = expansions(s);
    }
}
