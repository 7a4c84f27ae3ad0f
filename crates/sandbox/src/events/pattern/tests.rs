use serde_json::{Value, json};

use super::*;

/// CodeArtifact's event as its User Guide shows it ("CodeArtifact event format and example").
fn event() -> Value {
    json!({
        "version": "0",
        "id": "73f03fec-a137-971e-6ac6-07c8ffffffff",
        "detail-type": "CodeArtifact Package Version State Change",
        "source": "aws.codeartifact",
        "account": "123456789012",
        "time": "2019-11-21T23:19:54Z",
        "region": "us-west-2",
        "resources": ["arn:aws:codeartifact:us-west-2:123456789012:package/mydomain/myrepo/npm//mypackage"],
        "detail": {
            "domainName": "mydomain",
            "domainOwner": "123456789012",
            "repositoryName": "myrepo",
            "packageFormat": "npm",
            "packageNamespace": null,
            "packageName": "mypackage",
            "packageVersion": "1.0.0",
            "packageVersionState": "Published",
            "changes": {"assetsAdded": 1, "assetsRemoved": 0, "metadataUpdated": true},
            "operationType": "Created",
            "sequenceNumber": 1
        }
    })
}

fn check(pattern: Value, expected: bool) {
    assert_eq!(validate(&pattern), Ok(()), "{pattern}");
    assert_eq!(matches(&pattern, &event()), expected, "{pattern}");
}

#[test]
fn exact_values_and_nested_objects() {
    check(
        json!({"source": ["aws.codeartifact"], "detail-type": ["CodeArtifact Package Version State Change"]}),
        true,
    );
    // The CodeArtifact overview's pattern: CodeArtifact never sends this detail-type.
    check(
        json!({"source": ["aws.codeartifact"], "detail-type": ["Package Version Published"]}),
        false,
    );
    check(
        json!({"detail": {"domainName": ["mydomain"], "packageVersionState": ["Published"]}}),
        true,
    );
    check(
        json!({"detail": {"domainName": ["other", "mydomain"]}}),
        true,
    );
    check(json!({"detail": {"repositoryName": ["MyRepo"]}}), false);
    check(json!({"detail": {"packageNamespace": [null]}}), true);
    check(
        json!({"detail": {"changes": {"metadataUpdated": [true]}}}),
        true,
    );
    check(json!({"detail": {"sequenceNumber": [1.0]}}), true);
    // An event array matches when any element does.
    check(
        json!({"resources": [{"prefix": "arn:aws:codeartifact:us-west-2:"}]}),
        true,
    );
    // A nested object against a scalar, or a missing field: no match.
    check(json!({"source": {"x": ["y"]}}), false);
    check(json!({"detail": {"nope": ["x"]}}), false);
}

#[test]
fn filters() {
    check(json!({"detail": {"packageName": [{"prefix": "my"}]}}), true);
    check(
        json!({"detail": {"packageName": [{"prefix": "your"}]}}),
        false,
    );
    check(
        json!({"detail": {"packageName": [{"suffix": "package"}]}}),
        true,
    );
    check(
        json!({"detail": {"packageName": [{"prefix": {"equals-ignore-case": "MY"}}]}}),
        true,
    );
    check(
        json!({"detail": {"packageName": [{"equals-ignore-case": "MYPACKAGE"}]}}),
        true,
    );
    check(
        json!({"detail": {"packageName": [{"wildcard": "my*age"}]}}),
        true,
    );
    check(
        json!({"detail": {"packageName": [{"wildcard": "my*x"}]}}),
        false,
    );
    check(
        json!({"detail": {"packageVersionState": [{"anything-but": "Unlisted"}]}}),
        true,
    );
    check(
        json!({"detail": {"packageVersionState": [{"anything-but": ["Published", "Archived"]}]}}),
        false,
    );
    check(
        json!({"detail": {"packageName": [{"anything-but": {"prefix": "my"}}]}}),
        false,
    );
    check(json!({"detail": {"nope": [{"anything-but": "x"}]}}), false);
    check(json!({"detail": {"domainOwner": [{"exists": true}]}}), true);
    check(json!({"detail": {"nope": [{"exists": false}]}}), true);
    check(
        json!({"detail": {"domainOwner": [{"exists": false}]}}),
        false,
    );
    check(
        json!({"detail": {"sequenceNumber": [{"numeric": [">", 0, "<=", 5]}]}}),
        true,
    );
    check(
        json!({"detail": {"sequenceNumber": [{"numeric": [">", 1]}]}}),
        false,
    );
    check(
        json!({"detail": {"packageName": [{"numeric": [">", 1]}]}}),
        false,
    );
    check(
        json!({"$or": [{"detail": {"packageName": ["x"]}}, {"detail": {"packageFormat": ["npm"]}}]}),
        true,
    );
}

#[test]
fn invalid_patterns_are_refused() {
    for bad in [
        json!("aws.codeartifact"),
        json!({}),
        json!({"source": "aws.codeartifact"}),
        json!({"source": []}),
        json!({"source": [["x"]]}),
        json!({"detail": {"x": [{"prefix": 1}]}}),
        json!({"detail": {"x": [{"numeric": [">"]}]}}),
        json!({"detail": {"x": [{"numeric": ["!", 1]}]}}),
        json!({"detail": {"x": [{"exists": "yes"}]}}),
        json!({"detail": {"x": [{"regex": "a"}]}}),
        json!({"detail": {"x": [{"prefix": "a", "suffix": "b"}]}}),
        json!({"$or": [{"source": ["x"]}]}),
    ] {
        assert!(validate(&bad).is_err(), "{bad}");
    }
}
