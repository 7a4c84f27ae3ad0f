//! The headless commands as a user runs them: the built binary against the in-process sandbox
//! (AWS through AWS_ENDPOINT_URL, GitHub through GITHUB_API_URL), a state file in a temp dir, and
//! the sandbox's call counters as the witness of what changed.

mod common;

use cawiz_sandbox::SANDBOX_GITHUB_TOKEN;
use common::cli::{Cli, assert_no_panic, assert_ok, item, read, statuses, text};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn empty_to_done_idempotent_then_destroyed() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    common::git_init(cli.dir.path());
    cli.init("octo-org/widgets", "octo-org", "widgets").await;

    let (before, ok) = cli.status_json().await;
    assert!(!ok, "status must fail while items are missing");
    assert_eq!(item(&before, "domain")["status"], "missing");
    assert_eq!(item(&before, "repository")["status"], "blocked");
    assert_eq!(item(&before, "repository")["blocked_by"], "domain");

    let apply = cli.with_python(&["apply", "--yes"]);
    let out = cli.run(&apply).await;
    assert_ok(&out);

    // The workflow went to a pull request: no run can start before it is merged, and the
    // pipeline item says so with the step that does it.
    let (after, ok) = cli.status_json().await;
    assert!(!ok);
    let pipeline = item(&after, "pipeline_run");
    assert_eq!(pipeline["status"], "missing", "{pipeline:#}");
    assert!(
        pipeline["summary"]
            .as_str()
            .is_some_and(|s| s.contains("is not on main")),
        "{pipeline:#}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("gh pr merge cawiz/publish-workflow"),
        "{}",
        text(&out)
    );
    common::merge_pull(&sb, "octo-org", "widgets", 1).await;

    // Applied again: a verification run publishes the probe, and every item is done.
    let out = cli.run(&apply).await;
    assert_ok(&out);
    let (after, ok) = cli.status_json().await;
    if cli.python.is_some() {
        assert!(ok, "all nine done after apply: {after:#}");
        assert!(
            statuses(&after).iter().all(|(_, s)| s == "done"),
            "{:?}",
            statuses(&after)
        );
    }
    // No token in the state file, although the local test used one.
    let state = read(&cli.state());
    for token in sb.issued_tokens() {
        assert!(
            !state.contains(token.as_str()),
            "the state file holds a token"
        );
    }
    let doc: Value = serde_json::from_str(&state).expect("state JSON");
    assert!(
        doc["created"].as_array().is_some_and(|c| c.len() >= 8),
        "created resources recorded: {}",
        doc["created"]
    );

    let mutating = sb.mutating_calls();
    let again = cli.run(&apply).await;
    assert_ok(&again);
    assert_eq!(
        sb.mutating_calls(),
        mutating,
        "a second apply must change nothing:\n{}",
        text(&again)
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("Nothing to do"));

    let out = cli.run(&["destroy", "--yes"]).await;
    assert_ok(&out);
    let (gone, ok) = cli.status_json().await;
    assert!(!ok);
    for (key, status) in statuses(&gone) {
        assert!(
            status == "missing" || status == "blocked",
            "{key} is {status} after destroy: {gone:#}"
        );
    }
    assert!(sb.github_variables("octo-org", "widgets").is_empty());
    assert!(
        !cli.dir
            .path()
            .join(".github/workflows/publish.yml")
            .exists(),
        "the workflow cawiz wrote is deleted"
    );
    let doc: Value = serde_json::from_str(&read(&cli.state())).expect("state JSON");
    assert_eq!(doc["created"], Value::Array(vec![]));
    assert!(doc["history"].as_array().is_some_and(|h| h.len() > 10));
}

#[tokio::test(flavor = "multi_thread")]
async fn guide_mistakes_are_reported_at_the_right_items() {
    let sb = common::start_sandbox("guide").await;
    let cli = Cli::new(&sb);
    cli.init(
        "acme-geo/earth-polychromatic-api",
        "acme-geo",
        "earth-polychromatic-api",
    )
    .await;
    let (doc, ok) = cli.status_json().await;
    assert!(!ok);
    assert_eq!(item(&doc, "domain")["status"], "done");
    assert_eq!(item(&doc, "repository")["status"], "done");
    assert_eq!(item(&doc, "oidc_provider")["status"], "done");
    // Mistake 1: the upstream was never created.
    assert_eq!(item(&doc, "upstream")["status"], "missing");
    // Mistakes 2 and 3: the policy never created (so not attached), the subject names another repo.
    let role = item(&doc, "role");
    assert_eq!(role["status"], "drift");
    let summary = role["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("earth-polychromatic-images"), "{summary}");
    assert!(summary.contains("does not exist"), "{summary}");
    assert!(
        role["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["severity"] == "error"
                && f["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("earth-polychromatic-images")))),
        "{role:#}"
    );
    assert!(
        role["plan"]
            .as_array()
            .is_some_and(|p| p.iter().any(|s| s["command"]
                .as_str()
                .is_some_and(|c| c.starts_with("aws iam create-policy ")))),
        "the plan creates the policy: {role:#}"
    );
    assert_eq!(item(&doc, "local_test")["status"], "blocked");
    assert_eq!(item(&doc, "local_test")["blocked_by"], "upstream");

    // The sh plan creates the upstream before it is referenced.
    let out = cli.run(&["plan", "--format", "sh"]).await;
    assert_ok(&out);
    let script = String::from_utf8_lossy(&out.stdout);
    let create = script
        .find("create-repository --domain acme-geo --domain-owner 123456789012 --repository pypi-store")
        .expect("creates pypi-store");
    let reference = script
        .find("--upstreams repositoryName=pypi-store")
        .expect("references pypi-store");
    assert!(create < reference, "{script}");
    assert!(script.starts_with("#!/bin/sh\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn access_denied_on_one_item_leaves_the_others_checked() {
    let sb = common::start_sandbox_with_faults("complete", &["GetRole=AccessDenied"]).await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let (doc, ok) = cli.status_json().await;
    assert!(!ok);
    let role = item(&doc, "role");
    assert_eq!(role["status"], "error", "{role:#}");
    assert_eq!(role["error"]["kind"], "access_denied");
    assert!(
        role["error"]["fix"]
            .as_str()
            .is_some_and(|f| f.contains("--profile")),
        "{role:#}"
    );
    for key in ["domain", "repository", "upstream", "oidc_provider"] {
        assert_eq!(item(&doc, key)["status"], "done", "{key}: {doc:#}");
    }
    // The human form says the same, with the fix, and no backtrace.
    let out = cli.run(&["status"]).await;
    assert_no_panic(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("access denied"), "{stdout}");
    assert!(stdout.contains("fix:"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_credentials_get_the_login_fix_and_no_backtrace() {
    let sb = common::start_sandbox_with_faults("empty", &["GetCallerIdentity=ExpiredToken"]).await;
    let cli = Cli::new(&sb);
    std::fs::write(
        cli.state(),
        serde_json::to_string(&cawiz::state::State::new(cawiz::setup::Setup::for_github(
            "octo-org", "widgets",
        )))
        .expect("json"),
    )
    .expect("state");
    let out = cli.run(&["status"]).await;
    assert!(!out.status.success());
    assert_no_panic(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("aws sso login"), "{stderr}");
    assert!(stderr.contains("aws configure"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_refuses_every_write() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let out = cli.run(&["--read-only", "apply", "--yes"]).await;
    assert!(!out.status.success(), "{}", text(&out));
    assert_no_panic(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--read-only"));
    assert!(sb.mutating_calls().is_empty(), "{:?}", sb.mutating_calls());
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_at_the_field_with_the_rule() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    let out = cli
        .run(&[
            "init",
            "--non-interactive",
            "--github",
            "octo-org/widgets",
            "--domain",
            "Octo_Org",
        ])
        .await;
    assert!(!out.status.success());
    assert_no_panic(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("domain"), "{stderr}");
    assert!(stderr.contains("lower-case"), "{stderr}");
    assert!(!cli.state().exists(), "nothing saved for a bad setup");

    let out = cli.run(&["apply", "--only", "nope", "--yes"]).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("oidc-provider"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corrupt_state_file_is_reported_and_kept() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    std::fs::write(cli.state(), "{ not json").expect("write");
    let out = cli.run(&["status"]).await;
    assert!(!out.status.success());
    assert_no_panic(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&cli.state().display().to_string()),
        "{stderr}"
    );
    assert_eq!(read(&cli.state()), "{ not json");
    let out = cli
        .run(&["init", "--non-interactive", "--github", "octo-org/widgets"])
        .await;
    assert!(!out.status.success(), "init must not overwrite it");
    assert_eq!(read(&cli.state()), "{ not json");
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_are_generated() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    for shell in ["bash", "zsh", "fish"] {
        let out = cli.run(&["completions", shell]).await;
        assert_ok(&out);
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains("cawiz"), "{shell}");
        assert!(script.contains("apply"), "{shell}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_is_retried_and_recovered() {
    let sb = common::start_sandbox_with_faults(
        "complete",
        &[
            "DescribeDomain=ThrottlingException#2",
            "GetRole=Throttling#1",
        ],
    )
    .await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let (doc, _) = cli.status_json().await;
    assert_eq!(item(&doc, "domain")["status"], "done", "{doc:#}");
    assert_eq!(item(&doc, "role")["status"], "done", "{doc:#}");
    let calls = sb.calls();
    // init's identity check makes no DescribeDomain; status retried twice, then succeeded. GetRole:
    // the role's check, the variables' (the role's ARN) and the workflow's (what the role trusts)
    // each read it once, and the throttled call was retried once.
    assert_eq!(calls.get("DescribeDomain"), Some(&3), "{calls:?}");
    assert_eq!(calls.get("GetRole"), Some(&4), "{calls:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn init_reads_the_github_repository_from_the_git_remote() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(cli.dir.path())
            .env("HOME", cli.dir.path())
            .status()
            .expect("git runs")
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&[
        "remote",
        "add",
        "origin",
        "git@github.com:Octo-Org/Widgets.Py.git",
    ]);
    let out = cli.run(&["init", "--non-interactive"]).await;
    assert_ok(&out);
    let doc: Value = serde_json::from_str(&read(&cli.state())).expect("state JSON");
    assert_eq!(doc["setup"]["github_owner"], "Octo-Org");
    assert_eq!(doc["setup"]["github_repo"], "Widgets.Py");
    assert_eq!(
        doc["setup"]["domain"], "octo-org",
        "suggested: the owner lower-cased"
    );
    assert_eq!(doc["setup"]["repository"], "Widgets.Py");
    assert_eq!(doc["setup"]["account_id"], Value::Null);
    assert!(String::from_utf8_lossy(&out.stdout).contains("account 123456789012"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(cli.state())
            .expect("state")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pip_configuration_is_written_only_when_asked_and_confirmed() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    if cli.python.is_none() {
        return;
    }
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let pip_conf = cli.dir.path().join("home/.config/pip/pip.conf");
    let args = cli.with_python(&["test"]);
    let out = cli.run(&args).await;
    assert_ok(&out);
    assert!(
        !pip_conf.exists(),
        "a plain test never touches pip's configuration"
    );

    // Asked for, but no terminal to confirm on: refused, nothing written.
    let mut asked = args.clone();
    asked.push("--write-pip-config");
    let out = cli.run(&asked).await;
    assert!(!out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert!(!pip_conf.exists());

    asked.push("--yes");
    let out = cli.run(&asked).await;
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("expires in"),
        "the warning shows the expiry: {stdout}"
    );
    let written = std::fs::read_to_string(&pip_conf).expect("pip.conf written");
    assert!(written.contains("index-url"), "{written}");
    assert!(written.contains("/pypi/widgets/simple/"), "{written}");
    for token in sb.issued_tokens() {
        assert!(!stdout.contains(token.as_str()), "token printed");
    }
    let state = read(&cli.state());
    for token in sb.issued_tokens() {
        assert!(!state.contains(token.as_str()), "token in the state file");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn logs_never_hold_a_token_even_at_trace_level() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    if cli.python.is_none() {
        return;
    }
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let args = cli.with_python(&["test"]);
    let out = cli.run_with(&args, &[("RUST_LOG", "trace")]).await;
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DEBUG"), "logging is on");
    let tokens = sb.issued_tokens();
    assert!(!tokens.is_empty());
    for token in tokens {
        assert!(!stderr.contains(token.as_str()), "a token was logged");
        assert!(!String::from_utf8_lossy(&out.stdout).contains(token.as_str()));
    }
    assert!(
        !stderr.contains(SANDBOX_GITHUB_TOKEN),
        "the GitHub token was logged"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_for_another_account_are_refused_with_the_fix() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    let out = cli
        .run(&[
            "init",
            "--non-interactive",
            "--github",
            "octo-org/widgets",
            "--account-id",
            "999999999999",
        ])
        .await;
    assert_ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("999999999999"),
        "init warns at once: {}",
        text(&out)
    );
    let out = cli.run(&["apply", "--yes"]).await;
    assert!(!out.status.success());
    assert_no_panic(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("belong to account 123456789012"),
        "{stderr}"
    );
    assert!(stderr.contains("--profile"), "{stderr}");
    assert!(
        sb.mutating_calls().is_empty(),
        "nothing applied to the wrong account"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tui_without_a_terminal_says_so_instead_of_panicking() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let out = cli.run(&[]).await;
    assert!(!out.status.success());
    assert_no_panic(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    assert!(stderr.contains("cawiz status"), "{stderr}");
}
