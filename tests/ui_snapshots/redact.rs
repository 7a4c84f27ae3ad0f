//! What changes from run to run, taken out of the screens: loopback ports, times, durations,
//! account ids, generated ids.

use std::sync::LazyLock;

use cawiz::checklist::Report;
use regex::Regex;

/// The sandbox's port is random and long URLs wrap mid-word (where a filter on the screen cannot
/// find them): take it out of the report before rendering.
pub fn scrub_url(report: &mut Report, url: &str) {
    const SCRUBBED: &str = "http://127.0.0.1:[PORT]";
    let details = &mut report.details;
    for (_, value) in &mut details.facts {
        *value = value.replace(url, SCRUBBED);
    }
    for note in &mut details.notes {
        *note = note.replace(url, SCRUBBED);
    }
    for row in &mut details.rows {
        for line in &mut row.evidence {
            *line = line.replace(url, SCRUBBED);
        }
    }
    let port = url.rsplit(':').next().unwrap_or(url);
    assert!(
        !format!("{report:?}").contains(port),
        "the sandbox's port ({port}) is somewhere scrub_url does not look: {report:#?}"
    );
}

static FILTERS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        // Loopback servers listen on random ports.
        (r"(127\.0\.0\.1|localhost):\d+", "$1:[PORT]"),
        // Times: ISO 8601, then `YYYY-MM-DD HH:MM[:SS][ UTC]` (a bare date such as a policy's
        // Version stays).
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?",
            "[TIME]",
        ),
        (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?( UTC)?", "[TIME]"),
        // Durations: `3s`, `1.2s`, `250ms`, `2m5s`.
        (r"\b(\d+m)?\d+(\.\d+)?(ms|s)\b", "[DURATION]"),
        // The account part of ARNs, then any other account id.
        (r"(arn:aws[\w-]*:[\w-]*:[\w-]*:)\d{12}", "$1[ACCOUNT]"),
        (r"\b\d{12}\b", "[ACCOUNT]"),
        // Generated ids: IAM unique ids, UUIDs.
        (
            r"\b(AROA|AIDA|ANPA|AGPA|AIPA|ASIA|AKIA|APKA)[A-Z0-9]{12,}\b",
            "[ID]",
        ),
        (
            r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b",
            "[UUID]",
        ),
    ]
    .into_iter()
    .map(|(pattern, replacement)| (Regex::new(pattern).expect("filter regex"), replacement))
    .collect()
});

pub fn redact(screen: &str) -> String {
    FILTERS
        .iter()
        .fold(screen.to_owned(), |text, (regex, replacement)| {
            regex.replace_all(&text, *replacement).into_owned()
        })
}
