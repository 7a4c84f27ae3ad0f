//! The commands the plan shows.
use super::*;

#[test]
fn commands_are_quoted_and_complete() {
    let a = Action::CreateRepository {
        domain: "octo-org".into(),
        owner: "123456789012".into(),
        repository: "widgets".into(),
        description: "Python packages for octo-org/widgets".into(),
    };
    assert_eq!(
        a.command("us-east-1"),
        "aws codeartifact create-repository --domain octo-org --domain-owner 123456789012 \
         --repository widgets --description 'Python packages for octo-org/widgets' --region us-east-1"
    );
    let up = Action::SetUpstreams {
        domain: "d".into(),
        owner: "1".into(),
        repository: "r".into(),
        upstreams: vec!["a".into(), "pypi-store".into()],
    };
    assert!(
        up.command("eu-west-1")
            .ends_with("--upstreams repositoryName=a repositoryName=pypi-store --region eu-west-1")
    );
    let role = Action::CreateRole {
        name: "R".into(),
        trust_policy: serde_json::json!({"a": "it's"}),
    };
    assert!(role.command("x").contains(r#"'{"a":"it'\''s"}'"#));
}
