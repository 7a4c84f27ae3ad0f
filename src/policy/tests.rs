use serde_json::json;

use super::*;
use crate::setup::{Setup, SubjectScope};

const ACCOUNT: &str = "123456789012";

fn setup() -> Setup {
    Setup::for_github("octo-org", "widgets")
}

/// Classic subjects of octo-org/widgets, as GitHub confirmed them.
pub fn classic() -> SubjectRules {
    SubjectRules {
        owner: "octo-org".into(),
        repo: "widgets".into(),
        canonical: true,
        ids: None,
        claim_keys: None,
        unconfirmed: None,
    }
}

#[test]
fn permissions_policy_equals_the_complete_scenarios() {
    let scenario: Value = serde_json::from_str(
        &include_str!("../../crates/sandbox/assets/scenarios/complete.json")
            .replace("${ACCOUNT_ID}", ACCOUNT)
            .replace("${REGION}", "us-east-1"),
    )
    .unwrap();
    assert_eq!(
        permissions_policy(&setup(), ACCOUNT),
        scenario["policies"][0]["document"]
    );
    let role_trust = &scenario["roles"][0]["trust_policy"];
    assert_eq!(&trust_policy(&setup(), ACCOUNT, &classic()), role_trust);
}

#[test]
fn trust_policy_subjects_per_scope_and_format() {
    let mut s = setup();
    let doc = trust_policy(&s, ACCOUNT, &classic());
    assert_eq!(
        doc["Statement"][0]["Condition"]["StringLike"]["token.actions.githubusercontent.com:sub"],
        "repo:octo-org/widgets:*"
    );
    s.scope = SubjectScope::Branch("main".into());
    let immutable = SubjectRules {
        ids: Some((42, 7)),
        ..classic()
    };
    let doc = trust_policy(&s, ACCOUNT, &immutable);
    assert_eq!(
        doc["Statement"][0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"],
        "repo:octo-org@42/widgets@7:ref:refs/heads/main"
    );
    assert_eq!(
        doc["Statement"][0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:aud"],
        "sts.amazonaws.com"
    );
    let provider = oidc_provider_arn(&s.region, ACCOUNT);
    let review = review_trust(&doc, &immutable, &s.scope, &provider, OIDC_AUDIENCE);
    assert!(review.accepts() && review.findings.is_empty(), "{review:?}");
}

#[test]
fn arns() {
    let s = setup();
    assert_eq!(
        domain_arn(&s, ACCOUNT),
        "arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org"
    );
    assert_eq!(
        repository_arn(&s, ACCOUNT, "widgets"),
        "arn:aws:codeartifact:us-east-1:123456789012:repository/octo-org/widgets"
    );
    assert_eq!(
        package_arn(&s, ACCOUNT, "widgets"),
        "arn:aws:codeartifact:us-east-1:123456789012:package/octo-org/widgets/pypi//widgets"
    );
}

#[test]
fn parses_url_encoded_and_plain_documents() {
    let doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]});
    let plain = doc.to_string();
    let encoded = urlencoding::encode(&plain).into_owned();
    assert!(encoded.starts_with("%7B"));
    assert_eq!(parse_document(&encoded).unwrap(), doc);
    assert_eq!(parse_document(&plain).unwrap(), doc);
    let with_percent = json!({"Statement": [{"Sid": "100%"}]});
    assert_eq!(
        parse_document(&with_percent.to_string()).unwrap(),
        with_percent
    );
    assert!(parse_document("%7Bnot json").is_err());
}

#[test]
fn grants_read_from_documents() {
    let s = setup();
    let doc = permissions_policy(&s, ACCOUNT);
    let package = package_arn(&s, ACCOUNT, "widgets");
    assert!(document_allows(
        &doc,
        "codeartifact:PublishPackageVersion",
        &package,
        &[]
    ));
    assert!(document_allows(
        &doc,
        "CodeArtifact:publishpackageversion",
        &package,
        &[]
    ));
    let other_domain = package.replace("octo-org", "acme");
    assert!(!document_allows(
        &doc,
        "codeartifact:PublishPackageVersion",
        &other_domain,
        &[]
    ));
    let service = [("sts:AWSServiceName", "codeartifact.amazonaws.com")];
    assert!(document_allows(
        &doc,
        "sts:GetServiceBearerToken",
        "*",
        &service
    ));
    let wrong = [("sts:AWSServiceName", "s3.amazonaws.com")];
    assert!(!document_allows(
        &doc,
        "sts:GetServiceBearerToken",
        "*",
        &wrong
    ));
    let mut denied = doc.clone();
    denied["Statement"].as_array_mut().unwrap().push(json!({
        "Effect": "Deny", "Action": "codeartifact:Publish*", "Resource": "*"
    }));
    assert!(!document_allows(
        &denied,
        "codeartifact:PublishPackageVersion",
        &package,
        &[]
    ));
    assert!(broader_than_needed(&doc, &setup(), ACCOUNT).is_empty());
    let broad = json!({"Statement": [{"Sid": "All", "Effect": "Allow", "Action": "codeartifact:*", "Resource": "*"}]});
    let found = broader_than_needed(&broad, &setup(), ACCOUNT);
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(found[2].contains("the upstream pypi-store"), "{found:?}");
}

#[test]
fn cawiz_statements_are_added_and_others_kept() {
    let s = setup();
    let ours = permissions_policy(&s, ACCOUNT);
    let shared = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "OtherDomain", "Effect": "Allow", "Action": "codeartifact:ReadFromRepository", "Resource": "arn:aws:codeartifact:us-east-1:123456789012:repository/acme/*"},
        {"Sid": "CodeArtifactPublish", "Effect": "Allow", "Action": "codeartifact:DescribeDomain", "Resource": "*"}
    ]});
    let merged = with_cawiz_statements(&shared, &ours);
    let sids: Vec<&str> = statements(&merged)
        .iter()
        .filter_map(|st| st["Sid"].as_str())
        .collect();
    assert_eq!(
        sids,
        [
            "OtherDomain",
            "CodeArtifactPublish",
            "CodeArtifactReadUpstream",
            "CodeArtifactBearerToken"
        ]
    );
    assert_eq!(
        statements(&merged)[1],
        &ours["Statement"][0],
        "cawiz's own Sid is replaced"
    );
}

#[test]
fn glob() {
    assert!(glob_match("repo:o/r:*", "repo:o/r:ref:refs/heads/main"));
    assert!(glob_match("a?c", "abc"));
    assert!(glob_match("*", ""));
    assert!(glob_match("a*b*c", "a-x-b-y-c"));
    assert!(!glob_match("a*b", "a-x-c"));
    assert!(!glob_match("repo:o/r:*", "repo:o/rx:ref"));
}

#[test]
fn diff_marks_changed_lines() {
    let a = json!({"Action": "sts:AssumeRoleWithWebIdentity", "Sub": "repo:o/api:*"});
    assert!(diff_json(&a, &a).is_empty());
    let b = json!({"Action": "sts:AssumeRoleWithWebIdentity", "Sub": "repo:o/images:*"});
    let d = diff_json(&a, &b);
    let rendered: Vec<String> = d.iter().map(DiffLine::render).collect();
    assert!(
        rendered.contains(&"+   \"Sub\": \"repo:o/api:*\"".to_owned()),
        "{rendered:?}"
    );
    assert!(
        rendered.contains(&"-   \"Sub\": \"repo:o/images:*\"".to_owned()),
        "{rendered:?}"
    );
    assert!(
        rendered.contains(&"    \"Action\": \"sts:AssumeRoleWithWebIdentity\",".to_owned()),
        "{rendered:?}"
    );
}

#[test]
fn a_new_policy_names_the_setups_repository_and_reads_only_the_upstream() {
    let s = setup();
    let doc = permissions_policy(&s, ACCOUNT);
    let base = "arn:aws:codeartifact:us-east-1:123456789012";
    let allows = |action: &str, resource: &str| document_allows(&doc, action, resource, &[]);
    let publish = "codeartifact:PublishPackageVersion";
    assert!(allows(
        publish,
        &format!("{base}:package/octo-org/widgets/pypi//widgets")
    ));
    assert!(!allows(
        publish,
        &format!("{base}:package/octo-org/pypi-store/pypi//widgets")
    ));
    assert!(!allows(
        publish,
        &format!("{base}:package/octo-org/other/pypi//widgets")
    ));
    let read = "codeartifact:ReadFromRepository";
    assert!(allows(read, &format!("{base}:repository/octo-org/widgets")));
    assert!(allows(
        read,
        &format!("{base}:repository/octo-org/pypi-store")
    ));
    assert!(!allows(read, &format!("{base}:repository/octo-org/other")));
    // The guide's domain-wide policy: broader, with the upstream named.
    let guide = json!({"Statement": [{"Effect": "Allow", "Action": publish,
        "Resource": format!("{base}:package/octo-org/*/*")}]});
    let found = broader_than_needed(&guide, &s, ACCOUNT);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("dependency confusion"));
}

#[test]
fn the_publish_policy_grants_the_formats_packages_in_their_namespaces() {
    let mut s = setup();
    s.formats = crate::format::parse_formats("pypi, npm@octo-org", &[]).expect("formats");
    let doc = permissions_policy(&s, ACCOUNT);
    let publish = |format, namespace, name| {
        let arn = format_package_arn(&s, ACCOUNT, format, namespace, name);
        document_allows(&doc, "codeartifact:PublishPackageVersion", &arn, &[])
    };
    use crate::format::Format::{Npm, Pypi};
    assert!(publish(Pypi, None, "widgets"));
    assert!(publish(Npm, Some("octo-org"), "widgets"));
    assert!(!publish(Npm, Some("other"), "widgets"), "another scope");
    assert!(
        !publish(Npm, None, "widgets"),
        "unscoped, when the setup names a scope"
    );
    s.formats = crate::format::parse_formats("pypi", &[]).expect("formats");
    let doc = permissions_policy(&s, ACCOUNT);
    let npm = format_package_arn(&s, ACCOUNT, Npm, None, "widgets");
    assert!(
        !document_allows(&doc, "codeartifact:PublishPackageVersion", &npm, &[]),
        "a pypi setup publishes no npm package"
    );
}

mod service_and_account_principals {
    use serde_json::json;

    use crate::policy::Tri;
    use crate::policy::eval::{Caller, Claim, Request, evaluate};

    fn allowed(doc: &serde_json::Value, caller: Caller) -> Tri {
        let request = Request {
            caller,
            action: "sns:Publish".into(),
            resource: Some("arn:aws:sns:us-east-1:123456789012:t".into()),
            keys: vec![(
                "aws:SourceArn".into(),
                Claim::Literal("arn:aws:events:us-east-1:123456789012:rule/r".into()),
            )],
        };
        evaluate(doc, &request).allowed
    }

    #[test]
    fn a_service_principal_is_named_by_its_name_or_everyone() {
        let events = || Caller::Service {
            name: "events.amazonaws.com".into(),
        };
        let allow = |principal: serde_json::Value| json!({"Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sns:Publish", "Resource": "*"}]});
        assert_eq!(
            allowed(&allow(json!({"Service": "events.amazonaws.com"})), events()),
            Tri::Yes
        );
        assert_eq!(
            allowed(
                &allow(json!({"Service": ["s3.amazonaws.com", "events.amazonaws.com"]})),
                events()
            ),
            Tri::Yes
        );
        assert_eq!(allowed(&allow(json!("*")), events()), Tri::Yes);
        assert_eq!(
            allowed(&allow(json!({"Service": "s3.amazonaws.com"})), events()),
            Tri::No
        );
        assert_eq!(
            allowed(
                &allow(json!({"AWS": "arn:aws:iam::123456789012:root"})),
                events()
            ),
            Tri::No
        );
        let not = json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": "*"},
            {"Effect": "Deny", "NotPrincipal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish", "Resource": "*"}
        ]});
        assert_eq!(allowed(&not, events()), Tri::Yes);
    }

    #[test]
    fn an_account_is_named_by_its_id_root_or_everyone_and_one_role_is_a_maybe() {
        let b = || Caller::Account {
            account: Some("210987654321".into()),
        };
        let allow = |principal: serde_json::Value| json!({"Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sns:Publish", "Resource": "*"}]});
        assert_eq!(
            allowed(&allow(json!({"AWS": "210987654321"})), b()),
            Tri::Yes
        );
        assert_eq!(
            allowed(
                &allow(json!({"AWS": "arn:aws:iam::210987654321:root"})),
                b()
            ),
            Tri::Yes
        );
        assert_eq!(allowed(&allow(json!({"AWS": "*"})), b()), Tri::Yes);
        assert_eq!(
            allowed(
                &allow(json!({"AWS": "arn:aws:iam::123456789012:root"})),
                b()
            ),
            Tri::No
        );
        assert!(matches!(
            allowed(
                &allow(json!({"AWS": "arn:aws:iam::210987654321:role/ci"})),
                b()
            ),
            Tri::Maybe(_)
        ));
        let org = Caller::Account { account: None };
        assert!(matches!(
            allowed(&allow(json!({"AWS": "210987654321"})), org),
            Tri::Maybe(_)
        ));
        let not = json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": "*"},
            {"Effect": "Deny", "NotPrincipal": {"AWS": "210987654321"}, "Action": "sns:Publish", "Resource": "*"}
        ]});
        assert_eq!(allowed(&not, b()), Tri::Yes);
        assert_eq!(
            allowed(
                &not,
                Caller::Account {
                    account: Some("555566667777".into())
                }
            ),
            Tri::No
        );
    }
}
