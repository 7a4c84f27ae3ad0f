//! Older state files, brought up to the current schema when read (the file itself is rewritten at
//! the next save). Each step takes the JSON of one schema to the next.

use serde_json::Value;

/// Kinds of resource that live in one region (CodeArtifact's); IAM and GitHub ones are global.
pub const REGIONAL_KINDS: [&str; 3] = ["domain", "repository", "upstream_link"];

/// `value` (of schema `from`) in the current schema's shape.
pub fn migrate(mut value: Value, from: u64) -> Value {
    if from < 2 {
        value = v1_to_v2(value);
    }
    if from < 3 {
        value = v2_to_v3(value);
    }
    value["schema_version"] = Value::from(super::SCHEMA_VERSION);
    value
}

/// Schema 2 records the region of each regional resource cawiz created. Schema 1 did not, and
/// every resource was created in the setup's region: that is the one recorded.
fn v1_to_v2(mut value: Value) -> Value {
    let region = value["setup"]["region"].clone();
    if let Some(created) = value.get_mut("created").and_then(Value::as_array_mut) {
        for resource in created {
            let regional = resource["kind"]
                .as_str()
                .is_some_and(|k| REGIONAL_KINDS.contains(&k));
            if regional && resource.get("region").is_none_or(Value::is_null) {
                resource["region"] = region.clone();
            }
        }
    }
    value
}

/// Schema 3 gives the setup its package formats. Before, every setup was pypi with pip+twine, its
/// upstream and external connection fields the pypi upstream's: they move into that format's entry.
fn v2_to_v3(mut value: Value) -> Value {
    let Some(setup) = value.get_mut("setup").and_then(Value::as_object_mut) else {
        return value;
    };
    if setup.contains_key("formats") {
        return value;
    }
    let upstream = setup
        .remove("upstream")
        .unwrap_or_else(|| Value::from("pypi-store"));
    let connection = setup
        .remove("external_connection")
        .unwrap_or_else(|| Value::from("public:pypi"));
    setup.insert(
        "formats".to_owned(),
        serde_json::json!([{
            "format": "pypi",
            "client": "pip",
            "upstream": upstream,
            "external_connection": connection,
        }]),
    );
    value
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn v1_records_get_the_setups_region() {
        let v1 = json!({
            "schema_version": 1,
            "setup": {"region": "eu-west-1"},
            "created": [
                {"item": "domain", "kind": "domain", "id": "octo-org", "created_at": 1},
                {"item": "role", "kind": "role", "id": "R", "created_at": 2}
            ]
        });
        let v2 = super::migrate(v1, 1);
        assert_eq!(v2["schema_version"], super::super::SCHEMA_VERSION);
        assert_eq!(v2["created"][0]["region"], "eu-west-1");
        assert!(v2["created"][1].get("region").is_none(), "IAM is global");
    }

    #[test]
    fn v2_setups_become_pypi_with_their_upstream() {
        let v2 = json!({
            "schema_version": 2,
            "setup": {"region": "eu-west-1", "upstream": "py-proxy", "external_connection": "public:pypi"}
        });
        let v3 = super::migrate(v2, 2);
        assert_eq!(
            v3["setup"]["formats"],
            json!([{"format": "pypi", "client": "pip", "upstream": "py-proxy", "external_connection": "public:pypi"}])
        );
        assert!(v3["setup"].get("upstream").is_none());
        assert!(v3["setup"].get("external_connection").is_none());
    }
}
