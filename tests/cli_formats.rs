//! The setup's package formats as a user meets them: detected from the working tree by `init`,
//! given with `--format`, named by `status --json`, an old state file read as `[pypi]`, and the
//! upstream item creating one upstream per format in the formats' order (the built binary against
//! the in-process sandbox).

mod common;

use common::arrange::{ACCOUNT, default_policy_document};
use common::cli::{Cli, assert_ok, item, read, text};
use serde_json::{Value, json};

fn state_of(cli: &Cli) -> Value {
    serde_json::from_str(&read(&cli.state())).expect("state is JSON")
}

#[tokio::test(flavor = "multi_thread")]
async fn formats_are_detected_named_and_get_one_upstream_each() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    let dir = cli.dir.path();
    common::git_init(dir);
    std::fs::write(
        dir.join("package.json"),
        r#"{"name": "@octo-org/widgets", "version": "1.0.0"}"#,
    )
    .expect("package.json");
    std::fs::write(dir.join("pyproject.toml"), "[project]\nname = 'widgets'\n").expect("toml");
    std::fs::write(dir.join("uv.lock"), "version = 1\n").expect("uv.lock");
    cli.init("octo-org/widgets", "octo-org", "widgets").await;

    let expected = json!([
        {"format": "pypi", "client": "uv", "upstream": "pypi-store", "external_connection": "public:pypi"},
        {"format": "npm", "client": "npm", "upstream": "npm-store", "external_connection": "public:npmjs", "namespace": "octo-org"},
    ]);
    assert_eq!(state_of(&cli)["setup"]["formats"], expected);
    let (doc, _) = cli.status_json().await;
    let formats = &doc["setup"]["formats"];
    assert_eq!(formats[0]["client"], "uv", "{doc:#}");
    assert_eq!(formats[1]["format"], "npm", "{doc:#}");
    assert_eq!(formats[1]["namespace"], "octo-org", "{doc:#}");
    assert_eq!(formats[1]["upstream"], "npm-store", "{doc:#}");

    cli.apply_only(&["domain", "repository", "upstream", "oidc-provider", "role"])
        .await;
    let (doc_after_apply, _) = cli.status_json().await;
    let upstream = item(&doc_after_apply, "upstream");
    assert_eq!(upstream["status"], "done", "{upstream:#}");
    let titles: Vec<&str> = upstream["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["title"].as_str())
        .collect();
    for title in [
        "npm-store connected to public:npmjs",
        "widgets lists npm-store as upstream",
        "pypi-store connected to public:pypi",
    ] {
        assert!(titles.contains(&title), "{title}: {titles:?}");
    }
    let main = common::codeartifact(sb.url())
        .describe_repository()
        .domain("octo-org")
        .repository("widgets")
        .send()
        .await
        .expect("widgets");
    let listed: Vec<&str> = main
        .repository()
        .map(|r| {
            r.upstreams()
                .iter()
                .filter_map(|u| u.repository_name())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(listed, ["pypi-store", "npm-store"]);
    let npm_store = common::codeartifact(sb.url())
        .describe_repository()
        .domain("octo-org")
        .repository("npm-store")
        .send()
        .await
        .expect("npm-store");
    let connections: Vec<&str> = npm_store
        .repository()
        .map(|r| {
            r.external_connections()
                .iter()
                .filter_map(|c| c.external_connection_name())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(connections, ["public:npmjs"]);

    // The policy grants each format's packages in its namespace, and the role is simulated on
    // the project's package in each format.
    let doc = default_policy_document(&sb).await;
    let base = format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:package/octo-org/widgets");
    let publish: Vec<String> = doc["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|st| st["Sid"] == "CodeArtifactPublish")
        .flat_map(|st| cawiz::policy::strings(st.get("Resource")))
        .filter(|r| r.contains(":package/"))
        .collect();
    assert_eq!(
        publish,
        [format!("{base}/pypi/*"), format!("{base}/npm/octo-org/*")]
    );
    let role = item(&doc_after_apply, "role");
    assert_eq!(role["status"], "done", "{role:#}");
    let simulated: Vec<String> = role["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["id"] == "allow:codeartifact:PublishPackageVersion")
        .map(|r| r["verdict"].to_string() + " " + r["title"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(simulated.len(), 2, "{simulated:?}");
    assert!(
        simulated.iter().all(|r| r.starts_with("\"ok\"")),
        "{simulated:?}"
    );
    assert!(
        simulated
            .iter()
            .any(|r| r.ends_with("widgets/octo-org/widgets")),
        "{simulated:?}"
    );

    // Nothing left to do for the upstreams.
    let plan = text(&cli.run(&["plan"]).await);
    for step in ["associate-external-connection", "update-repository"] {
        assert!(!plan.contains(step), "{step}: {plan}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn format_flags_override_detection_and_bad_ones_are_refused() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    std::fs::write(cli.dir.path().join("package.json"), "{}").expect("package.json");
    let init = ["init", "--non-interactive", "--github", "octo-org/widgets"];
    let out = cli
        .run(
            &[
                &init[..],
                &["--format", "pypi:poetry", "--upstream", "py-proxy"],
            ]
            .concat(),
        )
        .await;
    assert_ok(&out);
    assert_eq!(
        state_of(&cli)["setup"]["formats"],
        json!([{"format": "pypi", "client": "poetry", "upstream": "py-proxy", "external_connection": "public:pypi"}])
    );
    for (args, rule) in [
        (&["--format", "maven"][..], "not supported yet"),
        (
            &["--format", "npm:twine"][..],
            "the clients of npm are npm, pnpm, yarn",
        ),
        (&["--format", "npm@Octo"][..], "lower-case"),
        (
            &["--format", "pypi,npm", "--upstream", "store"][..],
            "one upstream repository per format",
        ),
    ] {
        let out = cli.run(&[&init[..], args].concat()).await;
        assert!(!out.status.success(), "{args:?}: {}", text(&out));
        assert!(text(&out).contains(rule), "{args:?}: {}", text(&out));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_state_file_without_formats_is_read_as_pypi_with_its_upstream() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    // The file as cawiz before formats wrote it (schema 2): the pypi upstream in the setup.
    let mut old = state_of(&cli);
    old["schema_version"] = json!(2);
    let setup = old["setup"].as_object_mut().expect("setup");
    setup.remove("formats");
    setup.insert("upstream".to_owned(), json!("py-proxy"));
    setup.insert("external_connection".to_owned(), json!("public:pypi"));
    std::fs::write(cli.state(), old.to_string()).expect("write");

    let (doc, _) = cli.status_json().await;
    assert_eq!(
        doc["setup"]["formats"],
        json!([{"format": "pypi", "client": "pip", "upstream": "py-proxy", "external_connection": "public:pypi", "namespace": null}]),
        "{doc:#}"
    );
}
