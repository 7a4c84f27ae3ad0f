use super::*;

#[test]
fn the_spec_ids_each_once() {
    let spec = [
        (
            "oidc",
            "provider-missing provider-audience role-missing trust-principal trust-audience trust-subject trust-subject-wildcard role-arn-variable id-token-permission session-duration",
        ),
        (
            "publish-403",
            "policy-missing policy-not-attached token-denied publish-denied boundary-or-scp-deny resource-policy-deny names-mismatch origin-blocked version-exists upload-target npm-registry-elsewhere npm-scope-namespace npm-token-config",
        ),
        (
            "not-found",
            "upstream-missing upstream-not-linked external-connection-missing package-not-published version-status wrong-endpoint token-expired name-normalization index-config",
        ),
        (
            "consumer-403",
            "consumer-domain-policy consumer-repo-policy consumer-deny consumer-identity-policy consumer-domain-owner",
        ),
        (
            "no-notification",
            "notify-rule notify-overview-pattern notify-target notify-topic notify-topic-policy notify-subscription",
        ),
    ];
    for (symptom, ids) in spec {
        let symptom = Symptom::from_key(symptom).unwrap();
        let got: Vec<&str> = causes_of(symptom).map(|c| c.id).collect();
        let want: Vec<&str> = ids.split(' ').collect();
        let mut got_sorted = got.clone();
        got_sorted.sort_unstable();
        let mut want_sorted = want.clone();
        want_sorted.sort_unstable();
        assert_eq!(got_sorted, want_sorted, "{symptom:?}");
    }
    assert_eq!(CAUSES.len(), 43);
}

#[test]
fn every_cause_has_a_check_that_is_not_its_finding() {
    for c in CAUSES {
        assert!(!c.check.is_empty(), "{}", c.id);
        assert_ne!(c.check, c.title, "{}", c.id);
    }
}

#[test]
fn every_log_signature_names_a_cause() {
    for id in crate::pipeline::signatures::causes() {
        assert!(id == "not-found" || cause_of(id).is_some(), "{id}");
    }
}
