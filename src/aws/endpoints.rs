//! The AWS endpoints cawiz would send signed requests to, checked before any client is built:
//! `--endpoint-url`, and the `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` variables the SDK
//! reads itself (unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`, with which it ignores them).
//! Plain http is refused except on loopback ([`crate::endpoint`]). An `endpoint_url` in a profile
//! of `~/.aws/config` is the user's own file and is not read here.

use super::ConnectOptions;

/// An endpoint cawiz refuses: where it is set and what it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{setting} is {url}: plain http, so the signed requests and the tokens AWS answers with would \
     cross the network in clear"
)]
pub struct InsecureEndpoint {
    pub setting: String,
    pub url: String,
}

impl InsecureEndpoint {
    pub fn fix(&self) -> String {
        format!(
            "{}: set {} to an https URL",
            crate::endpoint::RULE,
            self.setting
        )
    }
}

/// The first endpoint in `options` or the environment `vars` that is plain http off loopback.
pub fn check_endpoints(
    options: &ConnectOptions,
    vars: impl IntoIterator<Item = (String, String)>,
) -> Result<(), InsecureEndpoint> {
    let vars: Vec<(String, String)> = vars.into_iter().collect();
    let ignored = vars.iter().any(|(name, value)| {
        name == "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS" && value.trim().eq_ignore_ascii_case("true")
    });
    let flag = options
        .endpoint_url
        .iter()
        .map(|url| ("--endpoint-url".to_owned(), url.clone()));
    let from_env = vars
        .into_iter()
        .filter(|(name, _)| !ignored && name.starts_with("AWS_ENDPOINT_URL"));
    match flag
        .chain(from_env)
        .find(|(_, url)| crate::endpoint::is_plain_http_off_loopback(url))
    {
        Some((setting, url)) => Err(InsecureEndpoint { setting, url }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_flag_and_every_endpoint_variable_are_checked() {
        let flag = ConnectOptions {
            endpoint_url: Some("http://aws.example.com".into()),
            ..ConnectOptions::default()
        };
        let e = check_endpoints(&flag, vars(&[])).unwrap_err();
        assert_eq!(e.setting, "--endpoint-url");
        assert!(e.fix().contains("https"), "{}", e.fix());
        let none = ConnectOptions::default();
        for name in [
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_STS",
            "AWS_ENDPOINT_URL_CODEARTIFACT",
        ] {
            let e = check_endpoints(&none, vars(&[(name, "http://10.1.2.3:4566")])).unwrap_err();
            assert_eq!(e.setting, name);
        }
        assert_eq!(
            check_endpoints(
                &none,
                vars(&[
                    ("AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:4566"),
                    ("AWS_ENDPOINT_URL", "https://proxy.example.com"),
                    ("HTTP_PROXY", "http://proxy.example.com"),
                ])
            ),
            Ok(())
        );
        assert_eq!(
            check_endpoints(
                &none,
                vars(&[
                    ("AWS_ENDPOINT_URL", "http://aws.example.com"),
                    ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
                ])
            ),
            Ok(()),
            "the SDK ignores them"
        );
    }
}
