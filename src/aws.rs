//! The only code that touches the AWS SDK: client construction from aws-config, and classification
//! of AWS errors into the kinds cawiz explains (with the fix to try).

mod codeartifact;
mod endpoints;
mod error;
mod events;
mod iam;
mod limit;
mod packages;
mod policies;
mod resource_policies;
mod sns;
mod sts;

pub use codeartifact::{DomainInfo, RepositoryInfo};
pub use endpoints::{InsecureEndpoint, check_endpoints};
pub use error::{AwsError, AwsErrorKind, classify_code, found};
pub use events::{RuleInfo, TargetInfo};
pub use iam::{OidcProviderInfo, PolicyInfo, PolicyVersionInfo, RoleInfo, Simulation};
pub use packages::{PackageInfo, PackageVersionInfo};
pub use resource_policies::{PolicyOn, PolicyRead};
pub use sns::SubscriptionInfo;
pub use sts::{Identity, SessionCredentials};

/// How to reach AWS: the standard credential chain and endpoint settings, overridable by flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// One endpoint for every service (the sandbox, or a proxy). The standard `AWS_ENDPOINT_URL` and
    /// per-service `AWS_ENDPOINT_URL_IAM`, `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_CODEARTIFACT` work too.
    pub endpoint_url: Option<String>,
}

/// The SDK clients cawiz uses, built from one shared configuration.
#[derive(Debug, Clone)]
pub struct Clients {
    pub config: aws_config::SdkConfig,
    pub sts: aws_sdk_sts::Client,
    pub iam: aws_sdk_iam::Client,
    pub codeartifact: aws_sdk_codeartifact::Client,
    pub events: aws_sdk_eventbridge::Client,
    pub sns: aws_sdk_sns::Client,
}

impl Clients {
    /// The clients of `config`, each with its own handful of requests in flight
    /// ([`limit::IN_FLIGHT`]).
    pub fn from_config(config: aws_config::SdkConfig) -> Self {
        let http = || limit::limited(config.http_client());
        let mut sts = aws_sdk_sts::config::Builder::from(&config);
        sts.set_http_client(http());
        let mut iam = aws_sdk_iam::config::Builder::from(&config);
        iam.set_http_client(http());
        let mut codeartifact = aws_sdk_codeartifact::config::Builder::from(&config);
        codeartifact.set_http_client(http());
        let mut events = aws_sdk_eventbridge::config::Builder::from(&config);
        events.set_http_client(http());
        let mut sns = aws_sdk_sns::config::Builder::from(&config);
        sns.set_http_client(http());
        Self {
            sts: aws_sdk_sts::Client::from_conf(sts.build()),
            iam: aws_sdk_iam::Client::from_conf(iam.build()),
            codeartifact: aws_sdk_codeartifact::Client::from_conf(codeartifact.build()),
            events: aws_sdk_eventbridge::Client::from_conf(events.build()),
            sns: aws_sdk_sns::Client::from_conf(sns.build()),
            config,
        }
    }

    /// Loads the configuration the way the AWS CLI does (env, profile, SSO, IMDS), then applies
    /// `options`. Without any region configured, `us-east-1` (SPEC: the default region). Refused
    /// when an endpoint is plain http off loopback ([`check_endpoints`]).
    pub async fn connect(options: &ConnectOptions) -> Result<Self, InsecureEndpoint> {
        check_endpoints(options, std::env::vars())?;
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        let region = aws_config::meta::region::RegionProviderChain::first_try(
            options.region.clone().map(aws_config::Region::new),
        )
        .or_default_provider()
        .or_else(aws_config::Region::from_static(
            crate::setup::DEFAULT_REGION,
        ));
        loader = loader.region(region);
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        Ok(Self::from_config(loader.load().await))
    }

    /// Clients for a loopback endpoint at `url` (the sandbox) with fixed keys and `region`: no
    /// profile or environment lookup.
    pub fn with_static_keys(url: &str, region: &str, key_id: &str, secret: &str) -> Self {
        let credentials =
            aws_sdk_sts::config::Credentials::new(key_id, secret, None, None, "cawiz-sandbox");
        let config = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(region.to_owned()))
            .endpoint_url(url)
            .credentials_provider(aws_sdk_sts::config::SharedCredentialsProvider::new(
                credentials,
            ))
            .retry_config(aws_config::retry::RetryConfig::standard())
            .build();
        Self::from_config(config)
    }

    pub fn region(&self) -> Option<String> {
        self.config.region().map(ToString::to_string)
    }
}

/// The region the AWS CLI would use: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's.
pub async fn default_region(profile: Option<&str>) -> Option<String> {
    let mut chain = aws_config::default_provider::region::DefaultRegionChain::builder();
    if let Some(p) = profile {
        chain = chain.profile_name(p);
    }
    chain.build().region().await.map(|r| r.to_string())
}

/// Why no credentials can be used: the standard chain (env, profile, SSO, web identity, container,
/// IMDS) has none, or the one it found fails to load (an expired SSO session, a broken profile).
/// `None` when there are credentials (whether AWS accepts them is the first call's business).
pub async fn missing_credentials(options: &ConnectOptions) -> Option<String> {
    use aws_credential_types::provider::ProvideCredentials as _;
    use aws_credential_types::provider::error::CredentialsError;
    let clients = match Clients::connect(options).await {
        Ok(c) => c,
        Err(e) => return Some(format!("{e}; {}", e.fix())),
    };
    let where_ = match &options.profile {
        Some(p) => format!("for profile {p}"),
        None => "in the environment, ~/.aws or instance metadata".to_owned(),
    };
    let Some(provider) = clients.config.credentials_provider() else {
        return Some(format!("no AWS credentials {where_}"));
    };
    match provider.provide_credentials().await {
        Err(CredentialsError::CredentialsNotLoaded(_)) => {
            Some(format!("no AWS credentials {where_}"))
        }
        Err(e) => {
            let detail: String = crate::error_text::error_chain(&e)
                .chars()
                .take(300)
                .collect();
            Some(format!(
                "the AWS credentials {where_} could not be loaded: {detail}"
            ))
        }
        Ok(_) => None,
    }
}
