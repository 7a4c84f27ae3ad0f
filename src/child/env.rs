//! The environment a child gets back from cawiz's after it is cleared: an allow-list per tool.

use std::ffi::OsString;

/// What a child needs from cawiz's environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// pip, twine and venv that see nothing of the user's pip or twine configuration (the local
    /// test proves the repository, not this machine's set-up): [`BASE`], [`NETWORK`] and pip's
    /// own proxy and certificate variables.
    Python,
    /// pip as the user runs it (the doctor's view of pip, the user's pip configuration file): also
    /// every `PIP_*` variable, the XDG directories and what a keyring needs.
    PythonAsUser,
    /// git reading the working tree: [`BASE`] and where the user's own git configuration is.
    Git,
    /// `gh auth token`: [`BASE`], [`NETWORK`], gh's configuration and what a keyring needs.
    Gh,
    /// npm run by the local test: [`BASE`], [`NETWORK`] and Node's extra certificate authorities;
    /// never an `npm_config_*` variable (it could name another registry or token).
    Node,
}

/// What every program needs: where programs and home are, temporary files, the locale (plus every
/// `LC_*`), and what Windows programs cannot start without.
const BASE: &[&str] = &[
    "PATH",
    "HOME",
    "TMPDIR",
    "TMP",
    "TEMP",
    "LANG",
    "LANGUAGE",
    "TZ",
    "SYSTEMROOT",
    "SYSTEMDRIVE",
    "WINDIR",
    "COMSPEC",
    "PATHEXT",
    "USERPROFILE",
    "APPDATA",
    "LOCALAPPDATA",
    "PROGRAMDATA",
    "HOMEDRIVE",
    "HOMEPATH",
];

/// Proxies and certificate authorities, as requests, urllib3, curl and Go read them.
const NETWORK: &[&str] = &[
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
];

/// pip's transport settings: a proxy or a CA bundle a network needs, never an index.
const PIP_TRANSPORT: &[&str] = &["PIP_CERT", "PIP_CLIENT_CERT", "PIP_PROXY"];

/// Node's own certificate authorities (a corporate proxy's).
const NODE: &[&str] = &["NODE_EXTRA_CA_CERTS"];

/// Where per-user configuration and caches are.
const XDG: &[&str] = &[
    "XDG_CONFIG_HOME",
    "XDG_CONFIG_DIRS",
    "XDG_CACHE_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
];

/// What a keyring (Secret Service over D-Bus, Python's `keyring`) needs.
const KEYRING: &[&str] = &[
    "XDG_RUNTIME_DIR",
    "DBUS_SESSION_BUS_ADDRESS",
    "PYTHON_KEYRING_BACKEND",
];

/// The user's own choice of git configuration files (never the repository's).
const GIT: &[&str] = &[
    "XDG_CONFIG_HOME",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG_NOSYSTEM",
];

/// gh's configuration; the enterprise token is what `gh auth token --hostname HOST` prints for a
/// GitHub Enterprise host.
const GH: &[&str] = &[
    "GH_CONFIG_DIR",
    "GH_HOST",
    "GH_ENTERPRISE_TOKEN",
    "GITHUB_ENTERPRISE_TOKEN",
];

impl Profile {
    fn names(self) -> Vec<&'static [&'static str]> {
        match self {
            Profile::Python => vec![BASE, NETWORK, PIP_TRANSPORT],
            Profile::PythonAsUser => vec![BASE, NETWORK, XDG, KEYRING],
            Profile::Git => vec![BASE, GIT],
            Profile::Gh => vec![BASE, NETWORK, XDG, KEYRING, GH],
            Profile::Node => vec![BASE, NETWORK, NODE],
        }
    }

    fn prefixes(self) -> &'static [&'static str] {
        match self {
            Profile::PythonAsUser => &["LC_", "PIP_"],
            Profile::Python | Profile::Git | Profile::Gh | Profile::Node => &["LC_"],
        }
    }

    /// Whether a child of this profile gets the variable `name`.
    fn wants(self, name: &str) -> bool {
        self.names()
            .iter()
            .any(|list| list.iter().any(|wanted| same_name(wanted, name)))
            || self.prefixes().iter().any(|prefix| {
                name.get(..prefix.len())
                    .is_some_and(|head| same_name(prefix, head))
            })
    }
}

/// Variable names compare as the platform does: exactly, ignoring case on Windows.
fn same_name(a: &str, b: &str) -> bool {
    if cfg!(windows) {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

/// The variables of `vars` (cawiz's environment) a child of `profile` gets, in their order.
pub fn inherited(
    vars: impl IntoIterator<Item = (OsString, OsString)>,
    profile: Profile,
) -> Vec<(OsString, OsString)> {
    vars.into_iter()
        .filter(|(name, _)| name.to_str().is_some_and(|n| profile.wants(n)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// cawiz's environment on a developer's machine: what children need, and what they must not get.
    fn environment() -> Vec<(OsString, OsString)> {
        [
            ("PATH", "/usr/bin:/bin"),
            ("HOME", "/home/me"),
            ("LANG", "en_GB.UTF-8"),
            ("LC_CTYPE", "en_GB.UTF-8"),
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("no_proxy", "localhost"),
            ("SSL_CERT_FILE", "/etc/corp-ca.pem"),
            ("XDG_CONFIG_HOME", "/home/me/.config"),
            ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus"),
            ("PIP_CERT", "/etc/corp-ca.pem"),
            ("PIP_INDEX_URL", "https://aws:secret@example/simple/"),
            ("PIP_EXTRA_INDEX_URL", "https://pypi.org/simple/"),
            ("TWINE_PASSWORD", "secret"),
            ("PYTHONPATH", "/home/me/clone"),
            ("PYTHONSTARTUP", "/home/me/clone/evil.py"),
            ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ),
            ("AWS_SESSION_TOKEN", "session"),
            ("AWS_PROFILE", "prod"),
            ("GITHUB_TOKEN", "ghp_secret"),
            ("GH_TOKEN", "ghp_secret"),
            ("GH_CONFIG_DIR", "/home/me/.config/gh"),
            ("GIT_DIR", "/elsewhere/.git"),
            ("GIT_CONFIG_GLOBAL", "/home/me/.gitconfig-work"),
            ("LD_PRELOAD", "/home/me/clone/evil.so"),
            ("CAWIZ_STATE", "/home/me/state.json"),
            ("NODE_EXTRA_CA_CERTS", "/etc/corp-ca.pem"),
            ("npm_config_registry", "https://registry.npmjs.org/"),
            ("NODE_AUTH_TOKEN", "npm_secret"),
        ]
        .into_iter()
        .map(|(k, v)| (OsString::from(k), OsString::from(v)))
        .collect()
    }

    fn names(profile: Profile) -> Vec<String> {
        inherited(environment(), profile)
            .into_iter()
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .collect()
    }

    const COMMON: &[&str] = &["PATH", "HOME", "LANG", "LC_CTYPE"];
    const NET: &[&str] = &["HTTPS_PROXY", "no_proxy", "SSL_CERT_FILE"];

    fn expected(parts: &[&[&str]]) -> Vec<String> {
        let wanted: Vec<&str> = parts.concat();
        environment()
            .into_iter()
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .filter(|k| wanted.contains(&k.as_str()))
            .collect()
    }

    #[test]
    fn python_children_get_the_network_and_nothing_that_chooses_an_index_or_code() {
        assert_eq!(
            names(Profile::Python),
            expected(&[COMMON, NET, &["PIP_CERT"]])
        );
    }

    #[test]
    fn pip_as_the_user_gets_the_users_pip_settings_but_no_credentials_of_cawiz() {
        assert_eq!(
            names(Profile::PythonAsUser),
            expected(&[
                COMMON,
                NET,
                &["XDG_CONFIG_HOME", "DBUS_SESSION_BUS_ADDRESS"],
                &["PIP_CERT", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"],
            ])
        );
    }

    #[test]
    fn git_gets_the_users_configuration_files_only() {
        assert_eq!(
            names(Profile::Git),
            expected(&[COMMON, &["XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL"]])
        );
    }

    #[test]
    fn gh_gets_its_configuration_and_keyring() {
        assert_eq!(
            names(Profile::Gh),
            expected(&[
                COMMON,
                NET,
                &[
                    "XDG_CONFIG_HOME",
                    "DBUS_SESSION_BUS_ADDRESS",
                    "GH_CONFIG_DIR"
                ],
            ])
        );
    }

    #[test]
    fn npm_gets_the_network_and_nodes_certificates_but_no_npm_configuration() {
        assert_eq!(
            names(Profile::Node),
            expected(&[COMMON, NET, &["NODE_EXTRA_CA_CERTS"]])
        );
    }

    #[test]
    fn no_profile_gets_aws_or_github_credentials() {
        for profile in [
            Profile::Python,
            Profile::PythonAsUser,
            Profile::Git,
            Profile::Gh,
            Profile::Node,
        ] {
            let got = names(profile);
            for secret in [
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                "GITHUB_TOKEN",
                "GH_TOKEN",
                "TWINE_PASSWORD",
                "NODE_AUTH_TOKEN",
                "npm_config_registry",
                "PYTHONPATH",
                "LD_PRELOAD",
            ] {
                assert!(
                    !got.iter().any(|n| n == secret),
                    "{profile:?} gets {secret}"
                );
            }
        }
    }
}
