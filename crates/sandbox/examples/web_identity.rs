//! The Rust SDK's default credential chain, unchanged, against the sandbox: with
//! `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` (and `AWS_ENDPOINT_URL`) in the environment it
//! assumes the role through the sandbox's STS. Prints the caller's ARN, then the outcome of
//! GetAuthorizationToken for the domain given as the first argument. Used by
//! `tests/sandbox_web_identity.rs`.

#[tokio::main]
async fn main() {
    let domain = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "octo-org".to_owned());
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let sts = aws_sdk_sts::Client::new(&config);
    match sts.get_caller_identity().send().await {
        Ok(out) => println!("arn {}", out.arn().unwrap_or_default()),
        Err(e) => {
            println!("error {}", aws_sdk_sts::error::DisplayErrorContext(&e));
            return;
        }
    }
    let codeartifact = aws_sdk_codeartifact::Client::new(&config);
    match codeartifact
        .get_authorization_token()
        .domain(domain)
        .send()
        .await
    {
        Ok(_) => println!("token ok"),
        Err(e) => println!(
            "token error {}",
            aws_sdk_codeartifact::error::DisplayErrorContext(&e)
        ),
    }
}
