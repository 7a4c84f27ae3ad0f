//! CodeArtifact's event on an `npm publish`: `packageFormat` `npm`, the scope (without `@`) as
//! `packageNamespace`, the package's ARN with the scope in it.

use aws_sdk_codeartifact::types::PackageFormat;
use serde_json::{Value, json};

use super::support::ACCOUNT;
use super::{common, npm_tools};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_npm_publish_emits_codeartifacts_event_with_the_scope_as_namespace() {
    let Some(npm) = npm_tools::npm() else { return };
    let sb = common::start_sandbox("complete").await;
    let ca = common::codeartifact(sb.url());
    let endpoint = ca
        .get_repository_endpoint()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Npm)
        .send()
        .await
        .unwrap()
        .repository_endpoint
        .unwrap();
    let token = ca
        .get_authorization_token()
        .domain("octo-org")
        .send()
        .await
        .unwrap()
        .authorization_token
        .unwrap();
    let client = npm_tools::Client::new(&npm, &endpoint, &token);
    for (name, version) in [("@octo-org/hello", "1.0.0"), ("cawiz-npm-probe", "0.1.0")] {
        let dir = npm_tools::package(name, version, "hello");
        let out = client.run(dir.path(), &["publish"]).await;
        assert!(out.status.success(), "{}", npm_tools::text(&out));
    }
    let events = sb.emitted_events();
    assert_eq!(events.len(), 2, "{events:?}");
    let arn = |rest: &str| format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:package/{rest}");
    assert_eq!(events[0]["source"], "aws.codeartifact");
    assert_eq!(
        events[0]["detail-type"],
        "CodeArtifact Package Version State Change"
    );
    assert_eq!(
        events[0]["resources"],
        json!([arn("octo-org/widgets/npm/octo-org/hello")])
    );
    assert_eq!(
        events[1]["resources"],
        json!([arn("octo-org/widgets/npm//cawiz-npm-probe")])
    );
    let coordinates: Vec<[&Value; 6]> = events
        .iter()
        .map(|e| &e["detail"])
        .map(|d| {
            [
                &d["packageFormat"],
                &d["packageNamespace"],
                &d["packageName"],
                &d["packageVersion"],
                &d["packageVersionState"],
                &d["operationType"],
            ]
        })
        .collect();
    let expected = [
        json!(["npm", "octo-org", "hello", "1.0.0", "Published", "Created"]),
        json!([
            "npm",
            null,
            "cawiz-npm-probe",
            "0.1.0",
            "Published",
            "Created"
        ]),
    ];
    let got: Vec<Value> = coordinates.iter().map(|c| json!(c)).collect();
    assert_eq!(got, expected);
}
