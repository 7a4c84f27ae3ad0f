//! How requests reach GitHub's API host. At most [`IN_FLIGHT`] requests of one client are in
//! flight at once (GitHub's secondary rate limits punish bursts of concurrent requests), and
//! identical GETs made while one is in flight share its answer (the checks of one `status` read
//! the same repository, variables and subject format): one request, no stampede. Nothing is
//! cached once answered, so a later read (a run being watched) always asks again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use futures::FutureExt as _;
use futures::future::{BoxFuture, Shared};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::sync::Semaphore;

/// Requests of one client in flight at once.
pub const IN_FLIGHT: usize = 24;

/// An answer as it came: status, headers and body, or why the request failed on the network.
pub type Raw = Result<(StatusCode, HeaderMap, String), String>;

type SharedGet = Shared<BoxFuture<'static, Raw>>;

/// The permits and the GETs in flight, shared by a client's clones.
///
/// The permits are a plain `tokio::sync::Semaphore` per client, and a client talks to one API
/// host: per host, then. It is fair (first come, first served), which is what a wave of reads
/// wants: a LIFO pool would favour the requests asked for last (a listing's later pages) and
/// starve the first of the wave, and would win nothing, as nothing here is cached per permit.
#[derive(Clone)]
pub struct Transport {
    permits: Arc<Semaphore>,
    inflight: Arc<Mutex<HashMap<String, SharedGet>>>,
}

impl Default for Transport {
    fn default() -> Self {
        Self {
            permits: Arc::new(Semaphore::new(IN_FLIGHT)),
            inflight: Arc::default(),
        }
    }
}

impl Transport {
    /// Sends `request` once a permit is free.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Raw {
        send(&self.permits, request).await
    }

    /// GETs `url`, sharing the answer of an identical GET already in flight.
    pub async fn get(&self, http: &reqwest::Client, url: &str) -> Raw {
        let shared = {
            let mut inflight = self.inflight.lock().unwrap_or_else(PoisonError::into_inner);
            match inflight.get(url) {
                Some(answer) => answer.clone(),
                None => {
                    let answer = self.fetch(http.get(url), url.to_owned()).boxed().shared();
                    inflight.insert(url.to_owned(), answer.clone());
                    answer
                }
            }
        };
        shared.await
    }

    /// Sends the GET, then forgets it: the next GET of `url` is a new request.
    fn fetch(
        &self,
        request: reqwest::RequestBuilder,
        url: String,
    ) -> impl Future<Output = Raw> + Send + 'static {
        let (permits, inflight) = (self.permits.clone(), self.inflight.clone());
        async move {
            let answer = send(&permits, request).await;
            inflight
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&url);
            answer
        }
    }
}

async fn send(permits: &Semaphore, request: reqwest::RequestBuilder) -> Raw {
    // The semaphore is never closed; were it, the request would go unthrottled rather than fail.
    let _permit = permits.acquire().await.ok();
    let response = request
        .send()
        .await
        .map_err(|e| crate::error_text::error_chain(&e))?;
    let status = response.status();
    let headers = response.headers().clone();
    let text = response
        .text()
        .await
        .map_err(|e| crate::error_text::error_chain(&e))?;
    Ok((status, headers, text))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    fn slow(body: &str) -> ResponseTemplate {
        ResponseTemplate::new(200)
            .set_body_string(body)
            .set_delay(Duration::from_millis(300))
    }

    #[tokio::test]
    async fn identical_gets_in_flight_are_one_request_and_later_ones_ask_again() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/a"))
            .respond_with(slow("A"))
            .mount(&server)
            .await;
        let (http, transport) = (reqwest::Client::new(), Transport::default());
        let url = format!("{}/a", server.uri());
        let answers = futures::future::join_all((0..5).map(|_| transport.get(&http, &url))).await;
        assert!(
            answers
                .iter()
                .all(|a| matches!(a, Ok((_, _, t)) if t == "A"))
        );
        assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
        transport.get(&http, &url).await.expect("answered");
        assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));
    }

    /// A server answering every request after a second, and the most requests it held at once.
    async fn counting_server() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let peak = most.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (now, most) = (now.clone(), most.clone());
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let held = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(held, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                    let answer =
                        "HTTP/1.1 200 OK\r\ncontent-length: 1\r\nconnection: close\r\n\r\nx";
                    let _ = socket.write_all(answer.as_bytes()).await;
                });
            }
        });
        (url, peak)
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn no_more_than_a_handful_are_in_flight() {
        let (url, most) = counting_server().await;
        let (http, transport) = (reqwest::Client::new(), Transport::default());
        let urls: Vec<String> = (0..3 * IN_FLIGHT).map(|i| format!("{url}/p{i}")).collect();
        let answers = futures::future::join_all(urls.iter().map(|u| transport.get(&http, u))).await;
        assert!(answers.iter().all(Result::is_ok), "{answers:?}");
        let most = most.load(std::sync::atomic::Ordering::SeqCst);
        assert!((2..=IN_FLIGHT).contains(&most), "{most} at once");
    }
}
