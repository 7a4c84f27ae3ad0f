//! At most [`IN_FLIGHT`] requests of one service client in flight at once: CodeArtifact and IAM
//! throttle bursts (`ThrottlingException`), and a check that reads a big account must not send
//! them one. Each SDK client's HTTP client — the one configured, else the SDK's default — is
//! wrapped so that a request (each retry too) waits for a permit of its service's semaphore.
//! Every service is one host on AWS (`codeartifact.REGION…`, `iam…`, `sts.REGION…`); against the
//! sandbox, where the three share one, each still has its own handful.

use std::sync::Arc;

use aws_smithy_runtime::client::defaults::default_http_client_plugin_v2;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin as _;
use tokio::sync::Semaphore;

/// Requests of one service in flight at once.
pub const IN_FLIGHT: usize = 16;

/// The HTTP client an SDK client gets when none is configured.
fn sdk_default() -> Option<SharedHttpClient> {
    let plugin = default_http_client_plugin_v2(BehaviorVersion::latest())?;
    plugin
        .runtime_components(&RuntimeComponentsBuilder::new("cawiz-default-http-client"))
        .http_client()
}

/// `inner` (else the SDK's default) behind a semaphore of its own: one per service client.
/// `None` when there is no HTTP client to wrap (the SDK then uses its own, unbounded).
pub fn limited(inner: Option<SharedHttpClient>) -> Option<SharedHttpClient> {
    let inner = inner.or_else(sdk_default)?;
    Some(SharedHttpClient::new(Limited {
        inner,
        permits: Arc::new(Semaphore::new(IN_FLIGHT)),
    }))
}

#[derive(Debug)]
struct Limited {
    inner: SharedHttpClient,
    permits: Arc<Semaphore>,
}

impl HttpClient for Limited {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(LimitedConnector {
            inner: self.inner.http_connector(settings, components),
            permits: self.permits.clone(),
        })
    }
}

#[derive(Debug)]
struct LimitedConnector {
    inner: SharedHttpConnector,
    permits: Arc<Semaphore>,
}

impl HttpConnector for LimitedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (inner, permits) = (self.inner.clone(), self.permits.clone());
        HttpConnectorFuture::new(async move {
            // Never closed; were it, the request would go unthrottled rather than fail.
            let _permit = permits.acquire_owned().await.ok();
            inner.call(request).await
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use aws_sdk_codeartifact::primitives::SdkBody;
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

    use super::*;

    /// A connector answering after a while, counting the most requests it held at once.
    #[derive(Debug, Default)]
    struct Slow {
        now: Arc<AtomicUsize>,
        most: Arc<AtomicUsize>,
    }

    impl HttpConnector for Slow {
        fn call(&self, _: HttpRequest) -> HttpConnectorFuture {
            let (now, most) = (self.now.clone(), self.most.clone());
            HttpConnectorFuture::new(async move {
                let held = now.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(held, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(300)).await;
                now.fetch_sub(1, Ordering::SeqCst);
                Ok(HttpResponse::new(
                    200.try_into().expect("status"),
                    SdkBody::empty(),
                ))
            })
        }
    }

    #[tokio::test]
    async fn a_service_has_no_more_than_a_handful_in_flight() {
        let slow = Slow::default();
        let most = slow.most.clone();
        let connector = LimitedConnector {
            inner: SharedHttpConnector::new(slow),
            permits: Arc::new(Semaphore::new(IN_FLIGHT)),
        };
        let calls = (0..3 * IN_FLIGHT).map(|_| connector.call(HttpRequest::empty()));
        let answers = futures::future::join_all(calls).await;
        assert!(answers.iter().all(Result::is_ok));
        let most = most.load(Ordering::SeqCst);
        assert_eq!(most, IN_FLIGHT, "{most} at once");
    }

    #[test]
    fn without_a_client_of_its_own_the_sdk_s_default_is_wrapped() {
        assert!(sdk_default().is_some());
        assert!(limited(None).is_some());
    }
}
