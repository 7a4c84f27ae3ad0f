//! The real `npm` (and the AWS CLI) as outside clients of the sandbox: each run isolated, with a
//! temporary `--userconfig` and cache, a cleared environment and a throw-away HOME.

use std::path::{Path, PathBuf};
use std::process::Output;

/// `npm` from PATH. Missing, it fails the test loudly unless `CAWIZ_SKIP_NPM_TESTS=1` says to skip.
pub fn npm() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("npm"))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        if std::env::var("CAWIZ_SKIP_NPM_TESTS").as_deref() == Ok("1") {
            eprintln!("!!! SKIPPED: npm not found and CAWIZ_SKIP_NPM_TESTS=1 !!!");
            return None;
        }
        panic!("npm is not installed (Node 20+); set CAWIZ_SKIP_NPM_TESTS=1 to skip the npm tests");
    }
    found
}

/// A client configuration in a temporary directory: the user config npm reads instead of
/// `~/.npmrc`, its cache, and HOME.
pub struct Client {
    pub npm: PathBuf,
    pub home: tempfile::TempDir,
}

impl Client {
    /// `registry=ENDPOINT` and `//HOST/PATH/:_authToken=TOKEN`, as `aws codeartifact login
    /// --tool npm` writes them.
    pub fn new(npm: &Path, endpoint: &str, token: &str) -> Self {
        let home = tempfile::tempdir().expect("tempdir");
        let nerf = endpoint.trim_start_matches("http:");
        let config = format!(
            "registry={endpoint}\n{nerf}:_authToken={token}\naudit=false\nfund=false\nupdate-notifier=false\n"
        );
        std::fs::write(home.path().join("npmrc"), config).expect("write npmrc");
        Self {
            npm: npm.to_owned(),
            home,
        }
    }

    pub async fn run(&self, dir: &Path, args: &[&str]) -> Output {
        let home = self.home.path();
        tokio::process::Command::new(&self.npm)
            .arg("--userconfig")
            .arg(home.join("npmrc"))
            .args(args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("npm_config_cache", home.join("cache"))
            .env("npm_config_globalconfig", home.join("global-npmrc"))
            .output()
            .await
            .expect("npm runs")
    }
}

pub fn text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A package directory with `package.json` and `index.js` exporting `greeting`.
pub fn package(name: &str, version: &str, greeting: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = serde_json::json!({
        "name": name, "version": version, "main": "index.js", "license": "MIT",
        "description": format!("{name} for the sandbox's npm tests"),
    });
    std::fs::write(dir.path().join("package.json"), manifest.to_string()).expect("package.json");
    std::fs::write(
        dir.path().join("index.js"),
        format!("module.exports = {};\n", serde_json::json!(greeting)),
    )
    .expect("index.js");
    dir
}

/// The AWS CLI against the sandbox as its administrator, from a cleared environment.
pub async fn aws(url: &str, args: &[&str]) -> Option<Output> {
    let aws = crate::common::python_tool("aws")?;
    let home = tempfile::tempdir().expect("tempdir");
    let out = tokio::process::Command::new(aws)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("AWS_ENDPOINT_URL", url)
        .env("AWS_REGION", crate::common::REGION)
        .env("AWS_DEFAULT_REGION", crate::common::REGION)
        .env("AWS_ACCESS_KEY_ID", "AKIAI44QH8DHBEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .await
        .expect("aws runs");
    Some(out)
}
