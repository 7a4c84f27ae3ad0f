use super::*;

fn sample() -> State {
    let mut s = State::new(Setup::for_github("octo-org", "widgets"));
    s.items.insert(
        "domain".into(),
        ItemRecord {
            status: "done".into(),
            summary: "exists".into(),
            checked_at: 1,
        },
    );
    s.created.push(CreatedResource {
        item: "domain".into(),
        kind: "codeartifact-domain".into(),
        id: "arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org".into(),
        created_at: 1,
        region: Some("us-east-1".into()),
    });
    s.record("domain", "apply", "created");
    s
}

#[test]
fn round_trips_with_mode_0600() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/octo-org-widgets.json");
    assert_eq!(load(&path).unwrap(), None);
    let state = sample();
    save(&path, &state).unwrap();
    assert_eq!(load(&path).unwrap(), Some(state.clone()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temp file left behind");
}

#[test]
fn corrupt_file_is_reported_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    std::fs::write(&path, "{ not json").unwrap();
    let err = load(&path).unwrap_err();
    assert!(matches!(err, StateError::Corrupt { .. }));
    assert!(err.to_string().contains(&path.display().to_string()));
    assert!(matches!(
        save(&path, &sample()),
        Err(StateError::Corrupt { .. })
    ));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{ not json",
        "never overwritten"
    );
}

#[test]
fn an_older_schema_is_migrated_on_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    let mut v = serde_json::to_value(sample()).unwrap();
    v["schema_version"] = 1.into();
    v["created"][0]["kind"] = "domain".into();
    v["created"][0].as_object_mut().unwrap().remove("region");
    std::fs::write(&path, v.to_string()).unwrap();
    let state = load(&path).unwrap().unwrap();
    assert_eq!(state.schema_version, SCHEMA_VERSION);
    assert_eq!(state.created[0].region.as_deref(), Some("us-east-1"));
    save(&path, &state).unwrap();
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(written["schema_version"], SCHEMA_VERSION);
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    let mut v = serde_json::to_value(sample()).unwrap();
    v["schema_version"] = 99.into();
    std::fs::write(&path, v.to_string()).unwrap();
    let err = load(&path).unwrap_err();
    assert!(
        matches!(err, StateError::NewerSchema { found: 99, .. }),
        "{err}"
    );
    assert!(save(&path, &sample()).is_err());
}

#[test]
fn secrets_are_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    for secret in [
        "index https://aws:eyJ2ZXIiOjEsImlzdSI6MTY@d-1.d.codeartifact.us-east-1.amazonaws.com/pypi/r/simple/",
        "token cawizsbx.AAAABBBBCCCC",
        "key AKIAABCDEFGHIJKLMNOP",
    ] {
        let mut s = sample();
        s.record("local_test", "pip install", secret);
        assert!(
            matches!(save(&path, &s), Err(StateError::Secret { .. })),
            "{secret}"
        );
        assert!(!path.exists());
    }
}

#[test]
fn the_sandbox_key_is_an_example_key_and_real_looking_keys_stay_refused() {
    let key = cawiz_sandbox::SANDBOX_ACCESS_KEY_ID;
    assert_eq!(key.len(), 20, "{key}");
    assert!(key.starts_with("AKIA") && key.ends_with("EXAMPLE"), "{key}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    let mut s = sample();
    s.record(
        "variables",
        "sandbox",
        &format!("export AWS_ACCESS_KEY_ID={key}"),
    );
    save(&path, &s).unwrap();
    for real in [
        "AKIAZ3MSJV4WQXKDFB7N",
        "ASIAZ3MSJV4WQXKDFB7N",
        "AKIAEXAMPLEZ3MSJV4WQ",
    ] {
        let mut s = sample();
        s.record("variables", "set", &format!("key {real}"));
        assert!(
            matches!(save(&path, &s), Err(StateError::Secret { .. })),
            "{real}"
        );
    }
}

#[cfg(unix)]
#[test]
fn the_temporary_file_is_fresh_and_never_a_planted_link() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "keep").unwrap();
    let path = dir.path().join("state/s.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    // The name the old code used: `.NAME.PID.tmp`.
    let planted = path
        .parent()
        .unwrap()
        .join(format!(".s.json.{}.tmp", std::process::id()));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    let state = sample();
    save(&path, &state).unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    assert_eq!(load(&path).unwrap(), Some(state));
}

#[test]
fn the_known_facts_are_saved_and_a_file_without_them_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    let mut state = sample();
    state.known = Known {
        account_id: Some("123456789012".into()),
        role: Some(KnownRole {
            name: "GitHubActions-CodeArtifact".into(),
            arn: "arn:aws:iam::123456789012:role/ci/GitHubActions-CodeArtifact".into(),
        }),
        policy: Some(KnownPolicy {
            arn: "arn:aws:iam::123456789012:policy/CodeArtifact-Publish-Policy".into(),
            default_version: "v4".into(),
        }),
        default_branch: Some(KnownBranch {
            repository: "octo-org/widgets".into(),
            branch: "trunk".into(),
        }),
    };
    save(&path, &state).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"default_version\": \"v4\""), "{text}");
    assert_eq!(load(&path).unwrap(), Some(state.clone()));
    // A file written before the facts were kept (schema 3, no `known`) loads with none.
    let mut old: serde_json::Value = serde_json::from_str(&text).unwrap();
    old.as_object_mut().unwrap().remove("known");
    std::fs::write(&path, old.to_string()).unwrap();
    let loaded = load(&path).unwrap().unwrap();
    assert!(loaded.known.is_empty());
    assert_eq!(loaded.setup, state.setup);
    // Nothing recorded: nothing written.
    save(&path, &loaded).unwrap();
    assert!(!std::fs::read_to_string(&path).unwrap().contains("known"));
}

#[test]
fn notify_endpoints_are_kept_and_a_file_without_them_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    // A file written before `notify` existed (any schema): no notifications.
    let mut v = serde_json::to_value(sample()).unwrap();
    assert!(v["setup"].get("notify").is_none(), "not written when empty");
    v["setup"].as_object_mut().unwrap().remove("notify");
    std::fs::write(&path, v.to_string()).unwrap();
    assert_eq!(
        load(&path).unwrap().unwrap().setup.notify,
        Vec::<String>::new()
    );
    v["schema_version"] = 2.into();
    std::fs::write(&path, v.to_string()).unwrap();
    assert_eq!(
        load(&path).unwrap().unwrap().setup.notify,
        Vec::<String>::new()
    );

    let mut state = sample();
    state.setup.notify = vec![
        "https://hooks.example.com/x".into(),
        "email:team@example.com".into(),
    ];
    save(&path, &state).unwrap();
    assert_eq!(load(&path).unwrap(), Some(state));
}

#[test]
fn consumers_round_trip_and_a_file_without_them_has_none() {
    use crate::setup::Consumer;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    let mut state = sample();
    save(&path, &state).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(!written.contains("consumers"), "none: not written");
    assert_eq!(load(&path).unwrap().unwrap().setup.consumers, vec![]);
    state.setup.consumers = vec![
        Consumer::Account("222233334444".into()),
        Consumer::Organization("o-a1b2c3d4e5".into()),
    ];
    save(&path, &state).unwrap();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        doc["setup"]["consumers"],
        serde_json::json!(["222233334444", "o-a1b2c3d4e5"])
    );
    assert_eq!(load(&path).unwrap(), Some(state));
    // A hand-edited consumer that is no id is refused with the file kept.
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("222233334444", "not-an-account");
    std::fs::write(&path, &edited).unwrap();
    assert!(matches!(load(&path), Err(StateError::Corrupt { .. })));
}

#[test]
fn an_older_schema_migrates_to_no_consumers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    let mut doc = serde_json::to_value(sample()).unwrap();
    doc["schema_version"] = 2.into();
    let setup = doc["setup"].as_object_mut().unwrap();
    setup.remove("formats");
    setup.insert("upstream".into(), "pypi-store".into());
    std::fs::write(&path, doc.to_string()).unwrap();
    let loaded = load(&path).unwrap().unwrap();
    assert!(loaded.setup.consumers.is_empty());
    assert_eq!(loaded.setup, sample().setup);
}
