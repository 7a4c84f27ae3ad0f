//! Job logs as GitHub serves them: one line per output line, each prefixed with the time it was
//! written (`2026-11-29T03:08:29.1234567Z `, seven fractional digits), `##[group]`/`##[endgroup]`
//! around a step's header, `##[error]` for what the UI shows as `Error: …`, secrets as `***`.

use std::time::{Duration, SystemTime};

use super::state::{Job, LogLine};

/// `2026-11-29T03:08:29.1234567Z`.
pub fn timestamp(at: SystemTime) -> String {
    let dt = time::OffsetDateTime::from(at);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let seconds = dt
        .format(&fmt)
        .unwrap_or_else(|_| "1970-01-01T00:00:00".to_owned());
    format!("{seconds}.{:07}Z", dt.nanosecond() / 100)
}

/// The text of a job's log, as the download serves it.
pub fn render(job: &Job) -> String {
    job.log
        .iter()
        .map(|l| format!("{} {}\n", timestamp(l.at), l.text))
        .collect()
}

/// Appends `lines` to a job's log, written from `start` on (a fraction of a millisecond apart, as
/// a runner streams them) and masked.
pub fn append(log: &mut Vec<LogLine>, start: SystemTime, lines: &[String], masks: &[String]) {
    for (i, line) in lines.iter().enumerate() {
        let mut text = line.clone();
        for secret in masks.iter().filter(|m| !m.is_empty()) {
            text = text.replace(secret.as_str(), "***");
        }
        log.push(LogLine {
            at: start + Duration::from_micros(137 * i as u64),
            text,
        });
    }
}

/// How long a log link works (GitHub: "expires after 1 minute").
const LINK_LIFETIME: Duration = Duration::from_secs(60);
const SIGNING_SALT: &str = "cawiz-sandbox-job-logs";

fn signature(job_id: u64, expires: &str) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(format!("{job_id}|{expires}|{SIGNING_SALT}"));
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest)
}

/// Where `…/jobs/{id}/logs` redirects: the sandbox's download of the log, signed and valid for a
/// minute on the sandbox clock, shaped like GitHub's `signedlogcontent` links.
pub fn signed_url(api_url: &str, job_id: u64, now: SystemTime) -> String {
    let expires = timestamp(now + LINK_LIFETIME);
    format!(
        "{api_url}/_logs/jobs/{job_id}?urlExpires={}&urlSigningMethod=HMACV1&urlSignature={}",
        urlencoding::encode(&expires),
        urlencoding::encode(&signature(job_id, &expires))
    )
}

/// Why a log link is refused, if it is.
pub fn link_problem(
    job_id: u64,
    expires: &str,
    sig: &str,
    now: SystemTime,
) -> Option<&'static str> {
    if signature(job_id, expires) != sig {
        return Some("the log link's signature does not match");
    }
    let format = time::format_description::well_known::Rfc3339;
    match time::OffsetDateTime::parse(expires, &format) {
        Ok(at) if SystemTime::from(at) > now => None,
        Ok(_) => {
            Some("the log link has expired (links work for one minute); ask for the logs again")
        }
        Err(_) => Some("the log link's urlExpires is not a time"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_seven_fractional_digits() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_nanos(1_764_385_709_123_456_789);
        assert_eq!(timestamp(at), "2025-11-29T03:08:29.1234567Z");
    }

    #[test]
    fn links_expire_after_a_minute() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_385_709);
        let url = signed_url("http://h/github", 7, now);
        let q = crate::protocol::Query::parse(url.split_once('?').map(|(_, q)| q));
        let (expires, sig) = (q.get("urlExpires").unwrap(), q.get("urlSignature").unwrap());
        assert_eq!(link_problem(7, expires, sig, now), None);
        assert!(link_problem(8, expires, sig, now).is_some());
        let later = now + Duration::from_secs(61);
        assert!(link_problem(7, expires, sig, later).is_some());
    }

    #[test]
    fn lines_are_masked() {
        let mut log = Vec::new();
        let start = SystemTime::UNIX_EPOCH;
        append(
            &mut log,
            start,
            &["token s3cret here".to_owned(), "plain".to_owned()],
            &["s3cret".to_owned()],
        );
        assert_eq!(log[0].text, "token *** here");
        assert!(log[1].at > log[0].at);
    }
}
