mod common;

#[tokio::test]
async fn get_caller_identity_names_the_sandbox_account() {
    let sb = common::start_sandbox("empty").await;
    let out = common::sts(sb.url())
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");
    assert_eq!(out.account(), Some("123456789012"));
    assert_eq!(
        out.arn(),
        Some("arn:aws:iam::123456789012:user/cawiz-sandbox")
    );
    assert!(out.user_id().is_some());
}

#[tokio::test]
async fn account_id_is_configurable() {
    let config = cawiz_sandbox::SandboxConfig {
        account_id: "210987654321".into(),
        ..Default::default()
    };
    let sb = common::start_sandbox_with(config).await;
    let out = common::sts(sb.url())
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");
    assert_eq!(out.account(), Some("210987654321"));
}

#[tokio::test]
async fn sts_matches_moto() {
    let Some(moto) = common::start_moto() else {
        return;
    };
    let out = common::sts(&moto.url)
        .get_caller_identity()
        .send()
        .await
        .expect("moto GetCallerIdentity");
    assert_eq!(
        out.account(),
        Some("123456789012"),
        "moto and the sandbox share the default account id"
    );
}
