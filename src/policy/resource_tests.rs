//! `resource_policy_decision`: one test per rule.

use serde_json::{Value, json};

use super::{Principal, ResourceDecision, resource_policy_decision};

const ACCOUNT: &str = "123456789012";
const ROLE: &str = "arn:aws:iam::123456789012:role/ci/GitHubActions-CodeArtifact";
const SESSION: &str =
    "arn:aws:sts::123456789012:assumed-role/GitHubActions-CodeArtifact/GitHubActions";
const REPO: &str = "arn:aws:codeartifact:us-east-1:123456789012:repository/octo-org/widgets";
const PUBLISH: &str = "codeartifact:PublishPackageVersion";

fn principal() -> Principal {
    Principal {
        role_arn: ROLE.to_owned(),
        account: ACCOUNT.to_owned(),
        session: Some("GitHubActions".to_owned()),
    }
}

fn statement(effect: &str, principal: Value) -> Value {
    json!({ "Effect": effect, "Principal": principal, "Action": "codeartifact:*", "Resource": "*" })
}

fn doc(statements: Vec<Value>) -> Value {
    json!({ "Version": "2012-10-17", "Statement": statements })
}

fn decide(d: &Value) -> ResourceDecision {
    resource_policy_decision(d, &principal(), PUBLISH, REPO)
}

fn deny(statement: &str) -> ResourceDecision {
    ResourceDecision::ExplicitDeny {
        statement: statement.to_owned(),
    }
}

fn allow(statement: &str) -> ResourceDecision {
    ResourceDecision::Allow {
        statement: statement.to_owned(),
    }
}

#[test]
fn principals_name_everyone_the_account_the_role_or_its_sessions() {
    for p in [
        json!("*"),
        json!({"AWS": "*"}),
        json!({"AWS": ACCOUNT}),
        json!({"AWS": "arn:aws:iam::123456789012:root"}),
        json!({"AWS": ROLE}),
        json!({"AWS": SESSION}),
        json!({"AWS": ["arn:aws:iam::210987654321:root", ROLE]}),
    ] {
        assert_eq!(
            decide(&doc(vec![statement("Deny", p.clone())])),
            deny("statement 1"),
            "{p}"
        );
    }
}

#[test]
fn other_principals_do_not_name_the_role() {
    for p in [
        json!({"AWS": "210987654321"}),
        json!({"AWS": "arn:aws:iam::210987654321:root"}),
        // The same name without the role's path is another role.
        json!({"AWS": "arn:aws:iam::123456789012:role/GitHubActions-CodeArtifact"}),
        json!({"AWS": "arn:aws:sts::123456789012:assumed-role/Other/GitHubActions"}),
        json!({"AWS": "arn:aws:sts::210987654321:assumed-role/GitHubActions-CodeArtifact/s"}),
        // "You cannot use a wildcard (*) to mean all sessions" (IAM User Guide, Principal).
        json!({"AWS": "arn:aws:sts::123456789012:assumed-role/GitHubActions-CodeArtifact/*"}),
        json!({"Service": "codebuild.amazonaws.com"}),
        json!({"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}),
        // Only a lone "*" is a wildcard principal.
        json!("arn:aws:iam::123456789012:root"),
    ] {
        let d = doc(vec![statement("Deny", p.clone())]);
        assert_eq!(decide(&d), ResourceDecision::NotMentioned, "{p}");
    }
}

#[test]
fn the_account_root_follows_the_roles_partition() {
    let gov = Principal {
        role_arn: "arn:aws-us-gov:iam::123456789012:role/R".to_owned(),
        account: ACCOUNT.to_owned(),
        session: Some("GitHubActions".to_owned()),
    };
    let d = doc(vec![statement(
        "Deny",
        json!({"AWS": "arn:aws-us-gov:iam::123456789012:root"}),
    )]);
    assert_eq!(
        resource_policy_decision(&d, &gov, PUBLISH, REPO),
        deny("statement 1")
    );
    let commercial = doc(vec![statement(
        "Deny",
        json!({"AWS": "arn:aws:iam::123456789012:root"}),
    )]);
    assert_eq!(
        resource_policy_decision(&commercial, &gov, PUBLISH, REPO),
        ResourceDecision::NotMentioned
    );
}

#[test]
fn not_principal_excepts_a_session_only_with_its_account_role_and_session() {
    let not = |p: Value| {
        doc(vec![json!({
            "Effect": "Deny", "NotPrincipal": p, "Action": "codeartifact:*", "Resource": "*"
        })])
    };
    // Someone else is excepted, or only part of the session's identities: still denied (IAM may
    // check the account, then the role, then the session).
    for p in [
        json!({"AWS": "arn:aws:iam::210987654321:root"}),
        json!({"AWS": ROLE}),
        json!({"AWS": ["arn:aws:iam::123456789012:root", ROLE]}),
        json!({"AWS": [ACCOUNT, SESSION]}),
        json!({"AWS": [ACCOUNT, ROLE, "arn:aws:sts::123456789012:assumed-role/GitHubActions-CodeArtifact/other"]}),
    ] {
        assert_eq!(decide(&not(p.clone())), deny("statement 1"), "{p}");
    }
    for p in [
        json!({"AWS": ["arn:aws:iam::123456789012:root", ROLE, SESSION]}),
        json!("*"),
    ] {
        assert_eq!(
            decide(&not(p.clone())),
            ResourceDecision::NotMentioned,
            "{p}"
        );
    }
    // The session's name not known: a NotPrincipal naming a session may or may not except it.
    let unknown = Principal {
        session: None,
        ..principal()
    };
    assert_eq!(
        resource_policy_decision(
            &not(json!({"AWS": [ACCOUNT, ROLE, SESSION]})),
            &unknown,
            PUBLISH,
            REPO
        ),
        ResourceDecision::ConditionalDeny {
            statement: "statement 1".to_owned()
        }
    );
}

#[test]
fn actions_match_with_wildcards_ignoring_case() {
    for (action, applies) in [
        (json!("codeartifact:*"), true),
        (json!("CodeArtifact:publishpackageversion"), true),
        (json!("codeartifact:Publish*"), true),
        (
            json!([
                "codeartifact:ReadFromRepository",
                "codeartifact:PublishPackage?ersion"
            ]),
            true,
        ),
        (json!("*"), true),
        (json!("codeartifact:ReadFromRepository"), false),
        (json!("s3:*"), false),
    ] {
        let d = doc(vec![
            json!({"Effect": "Deny", "Principal": "*", "Action": action, "Resource": "*"}),
        ]);
        let expected = if applies {
            deny("statement 1")
        } else {
            ResourceDecision::NotMentioned
        };
        assert_eq!(decide(&d), expected, "{action}");
    }
}

#[test]
fn not_action_inverts() {
    let not = |a: &str| {
        doc(vec![
            json!({"Effect": "Deny", "Principal": "*", "NotAction": a, "Resource": "*"}),
        ])
    };
    assert_eq!(decide(&not("codeartifact:Read*")), deny("statement 1"));
    assert_eq!(
        decide(&not("codeartifact:publish*")),
        ResourceDecision::NotMentioned
    );
    let neither = doc(vec![
        json!({"Effect": "Deny", "Principal": "*", "Resource": "*"}),
    ]);
    assert_eq!(decide(&neither), ResourceDecision::NotMentioned);
}

#[test]
fn resources_match_with_wildcards_and_a_missing_one_means_this_resource() {
    for (resource, applies) in [
        (Some(json!("*")), true),
        (Some(json!(REPO)), true),
        (
            Some(json!(
                "arn:aws:codeartifact:us-east-1:123456789012:repository/octo-org/*"
            )),
            true,
        ),
        (
            Some(json!(
                "arn:aws:codeartifact:us-east-1:123456789012:repository/octo-org/other"
            )),
            false,
        ),
        // ARNs are compared with their case.
        (
            Some(json!(
                "arn:aws:codeartifact:us-east-1:123456789012:repository/octo-org/WIDGETS"
            )),
            false,
        ),
        (None, true),
    ] {
        let mut st = json!({"Effect": "Deny", "Principal": "*", "Action": PUBLISH});
        if let Some(r) = &resource {
            st["Resource"] = r.clone();
        }
        let expected = if applies {
            deny("statement 1")
        } else {
            ResourceDecision::NotMentioned
        };
        assert_eq!(decide(&doc(vec![st])), expected, "{resource:?}");
    }
}

#[test]
fn not_resource_inverts() {
    let not = |r: &str| {
        doc(vec![
            json!({"Effect": "Deny", "Principal": "*", "Action": "*", "NotResource": r}),
        ])
    };
    assert_eq!(
        decide(&not("arn:aws:codeartifact:*:*:domain/*")),
        deny("statement 1")
    );
    assert_eq!(
        decide(&not("arn:aws:codeartifact:*:*:repository/*")),
        ResourceDecision::NotMentioned
    );
}

#[test]
fn deny_beats_allow_whatever_the_order() {
    let allow_first = doc(vec![
        json!({"Sid": "AllowAll", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}),
        json!({"Sid": "NoPublish", "Effect": "Deny", "Principal": {"AWS": ROLE}, "Action": PUBLISH, "Resource": "*"}),
    ]);
    assert_eq!(decide(&allow_first), deny("NoPublish"));
    let only_allow = doc(vec![statement("Allow", json!({"AWS": ACCOUNT}))]);
    assert_eq!(decide(&only_allow), allow("statement 1"));
}

#[test]
fn a_deny_with_a_condition_cannot_be_decided_and_an_explicit_one_wins() {
    let conditional = json!({
        "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc"}}
    });
    let allow_all = statement("Allow", json!("*"));
    assert_eq!(
        decide(&doc(vec![allow_all.clone(), conditional.clone()])),
        ResourceDecision::ConditionalDeny {
            statement: "statement 2".to_owned()
        }
    );
    let explicit = statement("Deny", json!({"AWS": ROLE}));
    assert_eq!(
        decide(&doc(vec![conditional, explicit])),
        deny("statement 2")
    );
}

#[test]
fn an_allow_with_a_condition_does_not_count() {
    let conditional = json!({
        "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}
    });
    assert_eq!(
        decide(&doc(vec![conditional])),
        ResourceDecision::NotMentioned
    );
}

#[test]
fn statements_are_named_by_sid_else_by_position() {
    let single =
        json!({"Statement": {"Sid": "Lock", "Effect": "Deny", "Principal": "*", "Action": "*"}});
    assert_eq!(decide(&single), deny("Lock"));
    let d = doc(vec![
        statement("Deny", json!({"AWS": "210987654321"})),
        json!({"Sid": "", "Effect": "Deny", "Principal": "*", "Action": "*"}),
    ]);
    assert_eq!(decide(&d), deny("statement 2"));
    assert_eq!(decide(&json!({})), ResourceDecision::NotMentioned);
}
