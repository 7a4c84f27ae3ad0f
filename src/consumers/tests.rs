use serde_json::{Value, json};

use super::*;
use crate::checklist::rows::Verdict;

const B: &str = "210987654321";
const DOMAIN: &str = "arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org";
const REPO: &str = "arn:aws:codeartifact:us-east-1:123456789012:repository/octo-org/widgets";

fn policy(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn verdicts(
    consumer: &Consumer,
    domain: Option<&Value>,
    repo: Option<&Value>,
) -> (Verdict, Verdict) {
    let rows = consumer_rows(consumer, domain, repo, DOMAIN, REPO);
    (rows[0].verdict.clone(), rows[1].verdict.clone())
}

#[test]
fn consumers_parse() {
    assert_eq!(Consumer::parse(B), Ok(Consumer::Account(B.into())));
    assert_eq!(
        Consumer::parse("o-a1b2c3d4e5"),
        Ok(Consumer::Organization("o-a1b2c3d4e5".into()))
    );
    for bad in ["12345", "o-short", "O-A1B2C3D4E5", "21098765432x", ""] {
        assert!(Consumer::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn both_policies_are_needed_and_cawiz_statements_grant_them() {
    let b = Consumer::Account(B.into());
    let domain = policy(vec![domain_statement(&b)]);
    let repo = policy(vec![repository_statement(&b)]);
    assert_eq!(verdicts(&b, None, None), (Verdict::Fail, Verdict::Fail));
    assert_eq!(
        verdicts(&b, None, Some(&repo)),
        (Verdict::Fail, Verdict::Ok)
    );
    assert_eq!(
        verdicts(&b, Some(&domain), None),
        (Verdict::Ok, Verdict::Fail)
    );
    assert_eq!(
        verdicts(&b, Some(&domain), Some(&repo)),
        (Verdict::Ok, Verdict::Ok)
    );
    // Another account is not the one granted.
    let c = Consumer::Account("555566667777".into());
    assert_eq!(
        verdicts(&c, Some(&domain), Some(&repo)),
        (Verdict::Fail, Verdict::Fail)
    );
    // A domain policy granting the reads too is enough: CodeArtifact evaluates both.
    let wide = policy(vec![
        json!({"Effect": "Allow", "Principal": {"AWS": B}, "Action": "codeartifact:*", "Resource": "*"}),
    ]);
    assert_eq!(verdicts(&b, Some(&wide), None), (Verdict::Ok, Verdict::Ok));
    // Granted to one role of the account only: not the account as a whole.
    let one_role = policy(vec![
        json!({"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{B}:role/ci")}, "Action": "codeartifact:*", "Resource": "*"}),
    ]);
    assert_eq!(
        verdicts(&b, Some(&one_role), Some(&one_role)),
        (Verdict::Fail, Verdict::Fail)
    );
}

#[test]
fn an_explicit_deny_wins() {
    let b = Consumer::Account(B.into());
    let deny = json!({"Sid": "NoReads", "Effect": "Deny", "Principal": "*", "Action": "codeartifact:ReadFromRepository", "Resource": "*"});
    let repo = policy(vec![repository_statement(&b), deny]);
    let domain = policy(vec![domain_statement(&b)]);
    let rows = consumer_rows(&b, Some(&domain), Some(&repo), DOMAIN, REPO);
    assert_eq!(rows[1].verdict, Verdict::Fail);
    assert!(
        rows[1].evidence.iter().any(|e| e.contains("NoReads")),
        "{:?}",
        rows[1].evidence
    );
    // A Deny on one principal of the account may apply to the consumer's reads: it counts.
    let deny_role = json!({"Effect": "Deny", "Principal": {"AWS": format!("arn:aws:iam::{B}:role/x")}, "Action": "codeartifact:GetAuthorizationToken", "Resource": "*"});
    let domain = policy(vec![domain_statement(&b), deny_role]);
    assert_eq!(verdicts(&b, Some(&domain), Some(&repo)).0, Verdict::Fail);
}

#[test]
fn organisations_are_granted_through_their_id() {
    let org = Consumer::Organization("o-a1b2c3d4e5".into());
    let st = domain_statement(&org);
    assert_eq!(
        st["Condition"]["StringEquals"]["aws:PrincipalOrgID"],
        "o-a1b2c3d4e5"
    );
    assert_eq!(st["Sid"], "cawizConsumeroa1b2c3d4e5Token");
    let domain = policy(vec![st]);
    let repo = policy(vec![repository_statement(&org)]);
    assert_eq!(
        verdicts(&org, Some(&domain), Some(&repo)),
        (Verdict::Ok, Verdict::Ok)
    );
    // An account's grant does not cover the organisation.
    let b = Consumer::Account(B.into());
    let for_b = policy(vec![domain_statement(&b), repository_statement(&b)]);
    assert_eq!(
        verdicts(&org, Some(&for_b), Some(&for_b)),
        (Verdict::Fail, Verdict::Fail)
    );
}

#[test]
fn merging_keeps_every_other_statement_and_destroy_removes_only_cawiz() {
    let b = Consumer::Account(B.into());
    let theirs = json!({"Sid": "TeamRead", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "codeartifact:ReadFromRepository", "Resource": "*"});
    let unnamed = json!({"Effect": "Deny", "Principal": "*", "Action": "codeartifact:DeleteRepository", "Resource": "*"});
    let existing = json!({"Version": "2012-10-17", "Statement": [theirs.clone(), unnamed.clone()]});
    let merged = merge_cawiz_statements(Some(&existing), &[repository_statement(&b)]);
    assert_eq!(merged["Statement"].as_array().map(Vec::len), Some(3));
    assert_eq!(merged["Statement"][0], theirs);
    assert_eq!(merged["Statement"][1], unnamed);
    // Applying again replaces ours in place: no duplicate.
    let again = merge_cawiz_statements(Some(&merged), &[repository_statement(&b)]);
    assert_eq!(again, merged);
    // A second consumer is added beside the first.
    let c = Consumer::Account("555566667777".into());
    let both = merge_cawiz_statements(Some(&merged), &[repository_statement(&c)]);
    assert_eq!(both["Statement"].as_array().map(Vec::len), Some(4));
    // A single statement (not a list) is read as one.
    let single = json!({"Statement": theirs.clone()});
    let merged = merge_cawiz_statements(Some(&single), &[repository_statement(&b)]);
    assert_eq!(merged["Statement"][0], theirs);
    assert_eq!(merged["Version"], "2012-10-17");

    let left = without_cawiz_statements(&both).unwrap_or_default();
    assert_eq!(left["Statement"], json!([theirs, unnamed]));
    let only_ours = merge_cawiz_statements(None, &[domain_statement(&b)]);
    assert_eq!(without_cawiz_statements(&only_ours), None);
}
