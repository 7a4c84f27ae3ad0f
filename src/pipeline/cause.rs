//! The cause of a failed run, settled in one place for `cawiz verify`, the pipeline-run item and
//! the doctor (which ranks it first). The log's signature (`signatures`) names a cause; two of
//! them print what another cause prints too, and facts decide (`../shared/FAILURES.md`, "Beyond
//! the publish job"):
//! - AccessDenied on `GetAuthorizationToken` names the resource it was denied on
//!   (`arn:…:codeartifact:REGION:ACCOUNT:domain/DOMAIN`). The generated workflow asks for a token
//!   before anything else, so a wrong `CODEARTIFACT_DOMAIN`, `AWS_ACCOUNT_ID` or `AWS_REGION`
//!   shows up there: a resource that is not the setup's domain is `names-mismatch`; the setup's
//!   own domain is `token-denied` (the role's policies lack the grant).
//! - twine's `403 Forbidden` on upload is `publish-denied` unless DescribePackage of the package
//!   twine was uploading says `originConfiguration.restrictions.publish = BLOCK`
//!   (`origin-blocked`), or the upload went to another repository than the setup's
//!   (`names-mismatch`).

use crate::aws::Clients;
use crate::doctor::causes::cause_of;

use super::{Diagnosis, RunView};

/// The names the setup gives the run (what the workflow's variables should hold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub domain: String,
    pub account: String,
    pub region: String,
    pub repository: String,
}

/// A CodeArtifact resource an AccessDenied message names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    pub arn: String,
    pub region: String,
    pub account: String,
    pub domain: String,
    /// For repository and package ARNs.
    pub repository: Option<String>,
}

/// The CodeArtifact resource of an AWS CLI error: "… on resource:
/// arn:PARTITION:codeartifact:REGION:ACCOUNT:KIND/DOMAIN[/REPOSITORY…] because …".
pub fn denied_resource(line: &str) -> Option<Denied> {
    let (_, rest) = line.split_once("on resource: ")?;
    let arn = rest.split_whitespace().next()?.trim_end_matches(['.', ',']);
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [scheme, _partition, service, region, account, resource] = parts.as_slice() else {
        return None;
    };
    if *scheme != "arn" || *service != "codeartifact" {
        return None;
    }
    let mut path = resource.split('/');
    let kind = path.next()?;
    let domain = path.next().filter(|d| !d.is_empty())?;
    let repository = match kind {
        "repository" | "package" => path.next().map(str::to_owned),
        _ => None,
    };
    Some(Denied {
        arn: arn.to_owned(),
        region: (*region).to_owned(),
        account: (*account).to_owned(),
        domain: domain.to_owned(),
        repository,
    })
}

/// One line per name the resource gives otherwise than the setup.
pub fn mismatches(denied: &Denied, expected: &Expected) -> Vec<String> {
    let mut pairs = vec![
        ("domain", denied.domain.as_str(), expected.domain.as_str()),
        (
            "account (domain owner)",
            denied.account.as_str(),
            expected.account.as_str(),
        ),
        ("region", denied.region.as_str(), expected.region.as_str()),
    ];
    if let Some(repository) = &denied.repository {
        pairs.push(("repository", repository, expected.repository.as_str()));
    }
    pairs
        .into_iter()
        .filter(|(_, found, want)| found != want)
        .map(|(what, found, want)| format!("{what} {}, but the setup's is {want}", found))
        .collect()
}

/// The repository of a CodeArtifact PyPI endpoint in twine's line (`…/pypi/REPOSITORY/`).
pub fn upload_repository(line: &str) -> Option<&str> {
    let (_, rest) = line.split_once("/pypi/")?;
    rest.split(['/', ' ']).next().filter(|r| !r.is_empty())
}

/// `d` named for `cause`, with the catalogue's title and fix.
fn named(mut d: Diagnosis, cause: &str) -> Diagnosis {
    if let Some(c) = cause_of(cause) {
        c.id.clone_into(&mut d.cause);
        c.title.clone_into(&mut d.title);
        c.fix.clone_into(&mut d.fix);
    }
    d
}

/// AccessDenied on the token: the setup's domain, or another one.
fn by_resource(mut d: Diagnosis, expected: &Expected) -> Diagnosis {
    let Some(denied) = denied_resource(&d.evidence) else {
        return d;
    };
    let wrong = mismatches(&denied, expected);
    if wrong.is_empty() {
        d.facts.push(format!(
            "the denied resource {} is the setup's: the role's policies lack the grant",
            denied.arn
        ));
        return d;
    }
    d.facts.extend(
        wrong
            .into_iter()
            .map(|w| format!("the denied resource {} names {w}", denied.arn)),
    );
    named(d, "names-mismatch")
}

/// twine's 403: another repository, origin controls, or the role's rights.
async fn by_origin(clients: &Clients, expected: &Expected, mut d: Diagnosis) -> Diagnosis {
    if let Some(repository) = upload_repository(&d.evidence)
        && repository != expected.repository
    {
        let fact = format!(
            "twine uploaded to the repository {}, but the setup's is {}",
            repository, expected.repository
        );
        d.facts.push(fact);
        return named(d, "names-mismatch");
    }
    let Some(package) = d.uploaded.clone() else {
        d.facts.push(
            "the log does not say which package twine was uploading: origin controls not read"
                .to_owned(),
        );
        return d;
    };
    let (domain, owner, repo) = (&expected.domain, &expected.account, &expected.repository);
    let shown = package.clone();
    match clients
        .describe_package(domain, owner, repo, &package)
        .await
    {
        Ok(Some(p)) if p.origin_publish.as_deref() == Some("BLOCK") => {
            let fact = format!(
                "DescribePackage {shown}: originConfiguration.restrictions.publish = BLOCK"
            );
            d.facts.push(fact.clone());
            d.confirmed = Some(fact);
            named(d, "origin-blocked")
        }
        Ok(Some(p)) => {
            d.facts.push(format!(
                "DescribePackage {shown}: originConfiguration.restrictions.publish = {}: origin \
                 controls allow it",
                p.origin_publish.as_deref().unwrap_or("ALLOW")
            ));
            d
        }
        Ok(None) => {
            d.facts.push(format!(
                "DescribePackage {shown}: not in {repo} yet, so no origin controls block it"
            ));
            d
        }
        Err(e) => {
            d.facts.push(format!(
                "DescribePackage {shown}: {e}: origin-blocked is not ruled out"
            ));
            d
        }
    }
}

/// Settles a log's provisional cause with the setup's names and AWS's answers.
pub async fn judge(clients: &Clients, expected: &Expected, d: Diagnosis) -> Diagnosis {
    match d.cause.as_str() {
        "token-denied" => by_resource(d, expected),
        "publish-denied" => by_origin(clients, expected, d).await,
        _ => d,
    }
}

/// A run's diagnosis, settled (what every reader of a failed run calls once it has the run).
pub async fn judge_view(clients: &Clients, expected: &Expected, view: &mut RunView) {
    if let Some(d) = view.diagnosis.take() {
        view.diagnosis = Some(judge(clients, expected, d).await);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected() -> Expected {
        Expected {
            domain: "octo-org".to_owned(),
            account: "123456789012".to_owned(),
            region: "us-east-1".to_owned(),
            repository: "widgets".to_owned(),
        }
    }

    fn denied_on(arn: &str) -> String {
        format!(
            "Publish: An error occurred (AccessDeniedException) when calling the \
             GetAuthorizationToken operation: User: arn:aws:sts::123456789012:assumed-role/R/S is \
             not authorized to perform: codeartifact:GetAuthorizationToken on resource: {arn} \
             because no identity-based policy allows the codeartifact:GetAuthorizationToken action"
        )
    }

    fn diagnosis(cause: &str, evidence: String) -> Diagnosis {
        Diagnosis {
            cause: cause.to_owned(),
            title: String::new(),
            evidence,
            fix: String::new(),
            uploaded: None,
            facts: Vec::new(),
            confirmed: None,
        }
    }

    #[test]
    fn the_denied_resource_is_read_from_the_message() {
        let line = denied_on("arn:aws-us-gov:codeartifact:us-gov-west-1:210987654321:domain/acme");
        assert_eq!(
            denied_resource(&line),
            Some(Denied {
                arn: "arn:aws-us-gov:codeartifact:us-gov-west-1:210987654321:domain/acme"
                    .to_owned(),
                region: "us-gov-west-1".to_owned(),
                account: "210987654321".to_owned(),
                domain: "acme".to_owned(),
                repository: None,
            })
        );
        let package = denied_on("arn:aws:codeartifact:us-east-1:1:package/d/r/pypi//x");
        assert_eq!(
            denied_resource(&package).and_then(|d| d.repository),
            Some("r".to_owned())
        );
        assert_eq!(denied_resource(&denied_on("*")), None, "sts's resource");
        assert_eq!(denied_resource("no resource here"), None);
    }

    #[test]
    fn another_domain_account_or_region_is_names_mismatch() {
        for (arn, what) in [
            (
                "arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org-typo",
                "domain octo-org-typo, but the setup's is octo-org",
            ),
            (
                "arn:aws:codeartifact:us-east-1:999999999999:domain/octo-org",
                "account (domain owner) 999999999999, but the setup's is 123456789012",
            ),
            (
                "arn:aws:codeartifact:eu-west-1:123456789012:domain/octo-org",
                "region eu-west-1, but the setup's is us-east-1",
            ),
        ] {
            let d = by_resource(diagnosis("token-denied", denied_on(arn)), &expected());
            assert_eq!(d.cause, "names-mismatch", "{arn}");
            assert!(d.facts.iter().any(|f| f.contains(what)), "{:?}", d.facts);
            assert_eq!(
                Some(d.title.as_str()),
                cause_of("names-mismatch").map(|c| c.title)
            );
        }
        let own = denied_on("arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org");
        let d = by_resource(diagnosis("token-denied", own), &expected());
        assert_eq!(
            d.cause, "token-denied",
            "the setup's own domain: the grant is missing"
        );
        let bearer =
            "User: x is not authorized to perform: sts:GetServiceBearerToken on resource: *";
        let d = by_resource(diagnosis("token-denied", bearer.to_owned()), &expected());
        assert_eq!(d.cause, "token-denied");
    }

    #[test]
    fn the_upload_repository_is_read_from_twines_line() {
        let real = "ERROR    HTTPError: 403 Forbidden from https://d-1.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/ Forbidden";
        assert_eq!(upload_repository(real), Some("widgets"));
        let sandbox = "HTTPError: 403 Forbidden from http://127.0.0.1:9/d-1/pypi/gadgets/";
        assert_eq!(upload_repository(sandbox), Some("gadgets"));
        assert_eq!(upload_repository("HTTPError: 403 Forbidden"), None);
    }
}
