//! Known failure texts of a publishing run's log → the doctor's cause id (`../shared/FAILURES.md`,
//! "Log signatures"): first match wins, in this order. Each pattern is a case-insensitive regular
//! expression over one log line, worded as configure-aws-credentials, the AWS CLI, twine and pip
//! print it. Two texts name a cause only provisionally, because two causes print them alike:
//! AccessDenied on `GetAuthorizationToken` (`token-denied`, or `names-mismatch` when the resource
//! in the message is not the setup's domain) and twine's 403 (`publish-denied`, or
//! `origin-blocked` when DescribePackage says `publish = BLOCK`); `super::cause` settles them.

use std::sync::LazyLock;

use regex::Regex;

/// What a signature says about a run that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    /// The doctor's cause id (`id-token-permission`, `trust-subject`, …), or `not-found` when only
    /// the not-found checks can tell which cause it is.
    pub cause: &'static str,
    /// The log line that matched, as the log has it (timestamp removed).
    pub line: String,
    /// The package twine was uploading (`Uploading FILE`, its PEP 503 name), when it got that far.
    pub uploaded: Option<String>,
}

/// (pattern, cause), in the order FAILURES.md gives.
const SIGNATURES: &[(&str, &str)] = &[
    (
        r"Did you mean to set the .id-token. permission",
        "id-token-permission",
    ),
    (
        r"Could not load credentials from any providers",
        "role-arn-variable",
    ),
    // configure-aws-credentials reads `aws-region` as a required input: an unset `vars.AWS_REGION`
    // (no variables at all) stops the step before any credential is tried.
    (
        r"Input required and not supplied: (aws-region|role-to-assume)",
        "role-arn-variable",
    ),
    (r"Incorrect token audience", "provider-audience"),
    (r"No OpenIDConnect provider found", "provider-missing"),
    (
        r"Not authorized to perform sts:AssumeRoleWithWebIdentity",
        "trust-subject",
    ),
    (
        r"DurationSeconds exceeds the MaxSessionDuration",
        "session-duration",
    ),
    (
        r"explicit deny in a (service control policy|permissions boundary)|because no (service control policy|permissions boundary) allows",
        "boundary-or-scp-deny",
    ),
    (
        r"calling the GetAuthorizationToken operation|sts:GetServiceBearerToken",
        "token-denied",
    ),
    (
        r"Domain not found\. Domain '.*' owned by account",
        "names-mismatch",
    ),
    (
        r"Uploading distributions to https://upload\.pypi\.org|Missing 'codeartifact' section|--skip-existing",
        "upload-target",
    ),
    // Real endpoints are `https://D-O.d.codeartifact.R.amazonaws.com/pypi/REPO/`; the sandbox's
    // are `http://127.0.0.1:PORT/D-O/pypi/REPO/`: both have `/pypi/`.
    (
        r"HTTPError: 403 Forbidden from \S*(\.codeartifact\.|/pypi/)",
        "publish-denied",
    ),
    (
        r"HTTPError: 409 Conflict from \S*(\.codeartifact\.|/pypi/)",
        "version-exists",
    ),
    (r"401 Error, Credentials not correct for", "token-expired"),
    (r"No matching distribution found for", "not-found"),
];

static COMPILED: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    SIGNATURES
        .iter()
        .filter_map(|(pattern, cause)| {
            regex::RegexBuilder::new(pattern)
                .case_insensitive(true)
                .build()
                .ok()
                .map(|r| (r, *cause))
        })
        .collect()
});

/// The causes the signatures name (for checking them against the doctor's catalogue).
pub fn causes() -> impl Iterator<Item = &'static str> {
    SIGNATURES.iter().map(|(_, cause)| *cause)
}

/// GitHub's log lines start with an ISO timestamp (`2026-11-29T03:08:29.1234567Z `): without it.
fn without_timestamp(line: &str) -> &str {
    let stamp = line.split_once(' ').filter(|(t, _)| {
        t.len() >= 20 && t.as_bytes()[4] == b'-' && t.ends_with('Z') && t.contains('T')
    });
    stamp.map_or(line, |(_, rest)| rest)
}

/// Terminal escape sequences (colours, cursor codes): rich writes them into twine's log.
static ANSI: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]").ok());

fn without_escapes(line: &str) -> String {
    match ANSI.as_ref() {
        Some(re) => re.replace_all(line, "").into_owned(),
        None => line.to_owned(),
    }
}

/// rich's log records (twine's `ERROR    message`): a level column of 9 characters, the message
/// wrapped at 80 columns with continuation lines indented by 9 spaces.
const RECORD_INDENT: &str = "         ";

fn starts_record(line: &str) -> bool {
    ["ERROR ", "WARNING ", "INFO ", "DEBUG ", "CRITICAL "]
        .iter()
        .any(|level| line.starts_with(level))
}

/// The log as logical lines: timestamps and escape codes dropped, and a rich record's wrapped
/// lines joined again — with a space where rich broke at one (the line was padded), without
/// where it folded a long word such as a URL (the line was full).
pub fn logical_lines(log: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_record = false;
    let mut broke_at_space = false;
    for raw in log.lines() {
        let line = without_escapes(without_timestamp(raw));
        let continues = in_record && line.starts_with(RECORD_INDENT) && !line.trim().is_empty();
        match out.last_mut() {
            Some(last) if continues => {
                if broke_at_space {
                    last.push(' ');
                }
                last.push_str(line.trim());
            }
            _ => {
                in_record = starts_record(&line);
                out.push(line.trim_end().to_owned());
            }
        }
        broke_at_space = line.ends_with(' ');
    }
    out
}

/// The package of twine's first `Uploading FILE` line (not `Uploading distributions to URL`).
fn uploaded(lines: &[String]) -> Option<String> {
    lines.iter().find_map(|line| {
        let file = line.trim().strip_prefix("Uploading ")?;
        let file = file.split_whitespace().next()?;
        crate::localtest::dist_name_version(file).map(|(name, _)| name)
    })
}

/// The first signature that matches a line of `log`, in signature order (a run's log can hold
/// several; the earlier one in the list is the cause, the later ones its consequences).
pub fn diagnose(log: &str) -> Option<Matched> {
    let lines = logical_lines(log);
    COMPILED.iter().find_map(|(pattern, cause)| {
        lines
            .iter()
            .find(|line| pattern.is_match(line))
            .map(|line| Matched {
                cause,
                line: line.clone(),
                uploaded: uploaded(&lines),
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signature_compiles() {
        assert_eq!(COMPILED.len(), SIGNATURES.len());
    }

    #[test]
    fn real_lines_name_their_cause() {
        for (line, cause) in [
            (
                "It looks like you might be trying to authenticate with OIDC. Did you mean to set the `id-token` permission?",
                "id-token-permission",
            ),
            (
                "Error: Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers",
                "role-arn-variable",
            ),
            (
                "##[error]Input required and not supplied: aws-region",
                "role-arn-variable",
            ),
            (
                "Error: Could not assume role with OIDC: Incorrect token audience",
                "provider-audience",
            ),
            (
                "Error: Could not assume role with OIDC: No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com",
                "provider-missing",
            ),
            (
                "Error: Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity",
                "trust-subject",
            ),
            (
                "Error: Could not assume role with OIDC: The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
                "session-duration",
            ),
            (
                "An error occurred (AccessDeniedException) when calling the GetAuthorizationToken operation: User: arn:aws:sts::1:assumed-role/R/S is not authorized to perform: codeartifact:PublishPackageVersion on resource: x with an explicit deny in a service control policy",
                "boundary-or-scp-deny",
            ),
            (
                "An error occurred (AccessDeniedException) when calling the GetAuthorizationToken operation: User: arn:aws:sts::1:assumed-role/R/S is not authorized to perform: codeartifact:GetAuthorizationToken on resource: arn:aws:codeartifact:us-east-1:1:domain/d because no identity-based policy allows the codeartifact:GetAuthorizationToken action",
                "token-denied",
            ),
            (
                "An error occurred (ResourceNotFoundException) when calling the GetRepositoryEndpoint operation: Domain not found. Domain 'acme' owned by account '123456789012' does not exist.",
                "names-mismatch",
            ),
            (
                "Uploading distributions to https://upload.pypi.org/legacy/",
                "upload-target",
            ),
            (
                "ERROR    HTTPError: 403 Forbidden from https://octo-org-123456789012.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/",
                "publish-denied",
            ),
            (
                "ERROR    HTTPError: 403 Forbidden from http://127.0.0.1:41234/octo-org-123456789012/pypi/widgets/",
                "publish-denied",
            ),
            (
                "ERROR    HTTPError: 409 Conflict from https://octo-org-1.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/",
                "version-exists",
            ),
            (
                "WARNING: 401 Error, Credentials not correct for https://x/simple/six/",
                "token-expired",
            ),
            (
                "ERROR: No matching distribution found for widgets==1.0",
                "not-found",
            ),
        ] {
            let stamped = format!("2026-11-29T03:08:29.1234567Z {line}");
            let found = diagnose(&format!("noise\n{stamped}\nmore noise"))
                .unwrap_or_else(|| panic!("{line}"));
            assert_eq!(found.cause, cause, "{line}");
            assert_eq!(found.line, line, "the timestamp is dropped");
        }
        assert_eq!(diagnose("all good\nUploading widgets-1.0.whl"), None);
        assert_eq!(
            diagnose("HTTPError: 403 Forbidden from https://upload.pypi.org/legacy/"),
            None,
            "pypi.org's 403 is not CodeArtifact's"
        );
    }

    #[test]
    fn twines_wrapped_coloured_records_are_joined_before_matching() {
        // As twine 7 writes through rich at 80 columns (crates/sandbox/src/actions/twine.rs).
        let log = format!(
            "2026-11-29T03:08:29.1234567Z \x1b[31mERROR   \x1b[0m HTTPError: 403 Forbidden from{}\n\
             2026-11-29T03:08:29.1234567Z          https://octo-org-123456789012.d.codeartifact.us-east-1.amazonaws.com/py\n\
             2026-11-29T03:08:29.1234567Z          pi/widgets/{}\n\
             2026-11-29T03:08:29.1234567Z          Forbidden{}\n\
             2026-11-29T03:08:29.1234567Z Error: Process completed with exit code 1.",
            " ".repeat(42),
            " ".repeat(60),
            " ".repeat(62)
        );
        let found = diagnose(&log).expect("matched");
        assert_eq!(found.cause, "publish-denied");
        assert_eq!(
            found.line,
            "ERROR    HTTPError: 403 Forbidden from https://octo-org-123456789012.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/ Forbidden"
        );
        let lines = logical_lines(&log);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[1], "Error: Process completed with exit code 1.");
    }

    #[test]
    fn the_package_twine_was_uploading_comes_with_the_match() {
        let log = "Uploading distributions to http://127.0.0.1:1/o-1/pypi/widgets/\n\
                   \x1b[?25hUploading widgets_Cawiz.probe-0.0.5.1-py3-none-any.whl\n\
                   ERROR    HTTPError: 403 Forbidden from http://127.0.0.1:1/o-1/pypi/widgets/";
        let found = diagnose(log).expect("matched");
        assert_eq!(found.cause, "publish-denied");
        assert_eq!(found.uploaded.as_deref(), Some("widgets-cawiz-probe"));
        let token = "An error occurred (AccessDeniedException) when calling the GetAuthorizationToken operation: …";
        assert_eq!(diagnose(token).and_then(|m| m.uploaded), None);
    }

    #[test]
    fn indented_lines_outside_a_record_stay_apart() {
        let lines = logical_lines("Run twine upload dist/*\n         indented script line");
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn the_earlier_signature_wins() {
        let log = "Error: Could not load credentials from any providers\n\
                   It looks like you might be trying to authenticate with OIDC. Did you mean to set the `id-token` permission?";
        assert_eq!(diagnose(log).unwrap().cause, "id-token-permission");
    }
}
