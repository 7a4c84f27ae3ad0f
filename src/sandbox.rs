//! The product's thin adapter to the sandbox crate (`cawiz-sandbox`): the `cawiz sandbox` command,
//! the in-process sandbox of `--sandbox`, and AWS clients with the sandbox's keys. Everything the
//! product uses of the sandbox goes through here; the sandbox knows nothing of the product.

pub use cawiz_sandbox::{
    SANDBOX_GITHUB_TOKEN, SandboxConfig, SandboxError, SandboxHandle, start, wheel,
};

use crate::aws::Clients;

/// AWS clients for the sandbox at `url`: the keys it prints, `region`, no profile or env lookup.
pub fn aws_clients(url: &str, region: &str) -> Clients {
    Clients::with_static_keys(
        url,
        region,
        cawiz_sandbox::SANDBOX_ACCESS_KEY_ID,
        cawiz_sandbox::SANDBOX_SECRET_ACCESS_KEY,
    )
}

/// `cawiz sandbox`: serves `config` in the foreground, with its banner, until Ctrl-C.
pub async fn serve(config: SandboxConfig) -> Result<(), SandboxError> {
    cawiz_sandbox::serve(config).await
}
