//! OpenID Connect providers: create (URL, client id and thumbprint rules), get, list, add a
//! client id, and delete (idempotent).

use aws_sdk_iam::Client;

use crate::common;
use crate::{ACCOUNT, GITHUB_OIDC, THUMBPRINT};

/// Creates GitHub's provider and checks the create, get, list and add-client-id paths; returns
/// its ARN.
pub async fn create_get_list(iam: &Client, sandbox: bool) -> String {
    let arn = iam
        .create_open_id_connect_provider()
        .url(GITHUB_OIDC)
        .client_id_list("sts.amazonaws.com")
        .thumbprint_list(THUMBPRINT)
        .send()
        .await
        .expect("CreateOpenIDConnectProvider")
        .open_id_connect_provider_arn
        .expect("provider ARN");
    assert_eq!(
        arn,
        format!("arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com")
    );
    let again = iam
        .create_open_id_connect_provider()
        .url(GITHUB_OIDC)
        .client_id_list("x");
    assert_eq!(
        common::error_code(again.send().await),
        "EntityAlreadyExists"
    );
    let no_scheme = iam
        .create_open_id_connect_provider()
        .url("example.com")
        .client_id_list("x");
    assert_eq!(
        common::error_code(no_scheme.send().await),
        "ValidationError"
    );
    let thumbprint = |t: String| {
        iam.create_open_id_connect_provider()
            .url("https://thumbprint.example.com")
            .thumbprint_list(t)
            .send()
    };
    let long = thumbprint("a".repeat(41)).await;
    assert_eq!(common::error_code(long), "ValidationError");
    if sandbox {
        // moto only rejects thumbprints longer than 40 characters; IAM wants exactly 40.
        let short = thumbprint("abc".to_owned()).await;
        assert_eq!(common::error_code(short), "ValidationError");
        // moto accepts any scheme; IAM requires https://.
        let http = iam
            .create_open_id_connect_provider()
            .url("http://example.com")
            .client_id_list("x");
        assert_eq!(common::error_code(http.send().await), "InvalidInput");
    }

    let got = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await;
    let got = got.expect("GetOpenIDConnectProvider");
    assert_eq!(
        got.url(),
        Some("token.actions.githubusercontent.com"),
        "IAM drops the scheme"
    );
    assert_eq!(got.client_id_list(), ["sts.amazonaws.com"]);
    assert_eq!(got.thumbprint_list(), [THUMBPRINT]);
    assert!(got.create_date().is_some());
    let listed = iam
        .list_open_id_connect_providers()
        .send()
        .await
        .expect("List");
    let arns: Vec<_> = listed
        .open_id_connect_provider_list()
        .iter()
        .filter_map(|p| p.arn())
        .collect();
    assert!(arns.contains(&arn.as_str()), "{arns:?}");

    let unknown = format!("arn:aws:iam::{ACCOUNT}:oidc-provider/nowhere.example.com");
    let missing = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&unknown);
    assert_eq!(common::error_code(missing.send().await), "NoSuchEntity");
    if sandbox {
        // moto 5.2.5 does not implement AddClientIDToOpenIDConnectProvider (it answers 500).
        for _ in 0..2 {
            let add = iam
                .add_client_id_to_open_id_connect_provider()
                .open_id_connect_provider_arn(&arn);
            add.client_id("sigstore")
                .send()
                .await
                .expect("AddClientID (idempotent)");
        }
        let got = iam
            .get_open_id_connect_provider()
            .open_id_connect_provider_arn(&arn)
            .send()
            .await;
        assert_eq!(
            got.expect("Get").client_id_list(),
            ["sts.amazonaws.com", "sigstore"]
        );
        let add = iam
            .add_client_id_to_open_id_connect_provider()
            .open_id_connect_provider_arn(&unknown);
        assert_eq!(
            common::error_code(add.client_id("x").send().await),
            "NoSuchEntity"
        );
    }
    arn
}

/// Deletes the provider, twice (the second delete succeeds too).
pub async fn delete(iam: &Client, arn: String) {
    let delete = || {
        iam.delete_open_id_connect_provider()
            .open_id_connect_provider_arn(&arn)
            .send()
    };
    delete().await.expect("DeleteOpenIDConnectProvider");
    let got = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await;
    assert_eq!(common::error_code(got), "NoSuchEntity");
    delete()
        .await
        .expect("DeleteOpenIDConnectProvider is idempotent");
}
