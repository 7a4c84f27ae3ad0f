//! `name-normalization`: pip and twine accept any spelling of a Python package's name, but
//! CodeArtifact's API and ARNs know it only by its PEP 503 form ("the normalized name must be
//! used in CodeArtifact CLI or API requests", User Guide, "Python package name normalization"):
//! `aws codeartifact list-package-versions --package My_Pkg` is ResourceNotFoundException. cawiz
//! asks with the normalised name itself, so a project named `My_Pkg` is no cause; the cause is a
//! call that cawiz can read — the publish workflow's `aws codeartifact … --package` — naming a
//! Python package in another spelling.

use crate::setup::normalize_package_name;
use crate::workflow::calls::{PackageCall, package_calls};
use crate::workflow::{model, yaml};

use super::evidence::Evidence;
use super::report::{CauseReport, Verdict, report};

const ID: &str = "name-normalization";

/// Whether a call asks for a Python package by a spelling the API does not know: a fixed name
/// that is not its own PEP 503 form, for format pypi.
fn unnormalized(call: &PackageCall) -> Option<(String, String)> {
    if call.format.as_deref() != Some("pypi") {
        return None;
    }
    let name = call.literal_package()?;
    let normal = normalize_package_name(name);
    (normal != name).then(|| (name.to_owned(), normal))
}

/// What cawiz itself asked for.
fn own_calls(e: &Evidence) -> String {
    let t = &e.target;
    let (given, normalized) = (&t.given, &t.normalized);
    if t.given == t.normalized {
        format!("cawiz asked CodeArtifact for {normalized}")
    } else {
        format!(
            "cawiz asked CodeArtifact for {normalized} (the PEP 503 name of {given}, which pip \
             and twine accept)"
        )
    }
}

pub(super) fn name_normalization(e: &Evidence) -> CauseReport {
    let Some((path, text, _)) = &e.workflow.file else {
        return report(
            ID,
            Verdict::Unknown("no publishing workflow to read its CodeArtifact calls".to_owned()),
            vec![own_calls(e)],
        );
    };
    let Ok(doc) = yaml::parse(text) else {
        return report(
            ID,
            Verdict::Unknown(format!("{path} is not YAML")),
            vec![own_calls(e)],
        );
    };
    let calls = package_calls(&model::read(&doc), text);
    let wrong: Vec<String> = calls
        .iter()
        .filter_map(|call| {
            let (name, normal) = unnormalized(call)?;
            Some(format!(
                "{path}:{}: job {}: {} — CodeArtifact's API knows this Python package only as \
                 {} (ResourceNotFoundException for {})",
                call.line,
                call.job,
                call.text(),
                normal,
                name
            ))
        })
        .collect();
    if !wrong.is_empty() {
        return report(ID, Verdict::Fail, wrong);
    }
    let theirs = if calls.is_empty() {
        format!("{path}: no CodeArtifact call names a package")
    } else {
        format!(
            "{path}: its {} CodeArtifact package call(s) use PEP 503 names (or a name the shell builds)",
            calls.len()
        )
    };
    report(ID, Verdict::Ok, vec![own_calls(e), theirs])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(package: &str, format: Option<&str>) -> PackageCall {
        PackageCall {
            job: "publish".to_owned(),
            line: 3,
            operation: "list-package-versions".to_owned(),
            package: package.to_owned(),
            format: format.map(str::to_owned),
        }
    }

    #[test]
    fn only_a_fixed_pypi_name_in_another_spelling_is_wrong() {
        assert_eq!(
            unnormalized(&call("My_Pkg", Some("pypi"))),
            Some(("My_Pkg".to_owned(), "my-pkg".to_owned()))
        );
        assert_eq!(unnormalized(&call("my-pkg", Some("pypi"))), None);
        assert_eq!(unnormalized(&call("$NAME", Some("pypi"))), None);
        assert_eq!(
            unnormalized(&call("My_Pkg", Some("npm"))),
            None,
            "npm's rules differ"
        );
        assert_eq!(
            unnormalized(&call("My_Pkg", None)),
            None,
            "no format: not pypi's call"
        );
    }
}
