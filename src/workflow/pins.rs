//! The actions the generated workflow uses, each pinned to a full commit SHA with its tag in a
//! comment. cawiz ships pins (`assets/workflow/pins.tsv`); with a GitHub token it resolves each
//! action's major tag to the commit it points at now.

use std::fmt;

const SHIPPED: &str = include_str!("../../assets/workflow/pins.tsv");

/// One action at one commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// `owner/repo` of the action.
    pub action: String,
    /// The tag the commit is (`v7.0.1`), or the major tag it was resolved from (`v7`).
    pub tag: String,
    /// The full 40-hex commit SHA.
    pub sha: String,
    /// The major tag followed when resolving (`v7`).
    pub major: String,
}

impl Pin {
    /// `owner/repo@SHA # TAG`, as a `uses:` value.
    pub fn uses(&self) -> String {
        format!("{}@{} # {}", self.action, self.sha, self.tag)
    }
}

/// Where the pins came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinSource {
    /// The SHAs cawiz ships (no GitHub token, or a look-up failed): why.
    Shipped(String),
    /// Resolved through the GitHub API just now; notes say what differs from the shipped pins.
    Resolved(Vec<String>),
}

/// The pins the generator uses, and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pins {
    pub pins: Vec<Pin>,
    pub source: PinSource,
}

impl Pins {
    /// The shipped pins, with the reason they are used.
    pub fn shipped(why: impl Into<String>) -> Self {
        Self {
            pins: shipped(),
            source: PinSource::Shipped(why.into()),
        }
    }

    pub fn get(&self, action: &str) -> Option<&Pin> {
        self.pins.iter().find(|p| p.action == action)
    }

    /// One sentence for screens and `workflow print`'s stderr.
    pub fn describe(&self) -> String {
        match &self.source {
            PinSource::Shipped(why) => format!("the commit SHAs cawiz ships ({why})"),
            PinSource::Resolved(notes) if notes.is_empty() => {
                "resolved through GitHub: the commits the major tags point at".to_owned()
            }
            PinSource::Resolved(notes) => format!(
                "resolved through GitHub: the commits the major tags point at; {}",
                notes.join("; ")
            ),
        }
    }

    /// `actions/checkout v7.0.1, …`: each action with its tag.
    pub fn tags(&self) -> String {
        self.pins
            .iter()
            .map(|p| format!("{} {}", p.action, p.tag))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Pins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// The pins in `assets/workflow/pins.tsv`: `action TAB tag TAB commit TAB major`, `#` comments.
pub fn shipped() -> Vec<Pin> {
    SHIPPED
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t').map(str::trim);
            Some(Pin {
                action: cols.next()?.to_owned(),
                tag: cols.next()?.to_owned(),
                sha: cols.next()?.to_owned(),
                major: cols.next()?.to_owned(),
            })
        })
        .collect()
}

/// True for a full commit SHA (40 hex digits, as GitHub requires for a pin).
pub fn is_full_sha(text: &str) -> bool {
    text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The pin after resolving `shipped.major` to `sha` through GitHub: the shipped exact tag when the
/// major still points at the shipped commit, else the major tag (with a note saying so). An answer
/// that is not a full commit SHA is refused (why, for the user): it goes into the workflow's
/// `uses:` line, where anything else could add steps.
pub fn resolved(shipped: &Pin, sha: &str) -> Result<(Pin, Option<String>), String> {
    if !is_full_sha(sha) {
        let shown: String = crate::escape::line(sha).chars().take(60).collect();
        return Err(format!(
            "GitHub's answer for the tag {} of {} is not a full commit SHA (40 hex digits): \
             \"{shown}\" was refused",
            shipped.major, shipped.action
        ));
    }
    if sha.eq_ignore_ascii_case(&shipped.sha) {
        return Ok((shipped.clone(), None));
    }
    let pin = Pin {
        tag: shipped.major.clone(),
        sha: sha.to_lowercase(),
        ..shipped.clone()
    };
    let note = format!(
        "{} {} now points at {} (cawiz ships {} = {}): pinned the newer commit",
        shipped.action,
        shipped.major,
        &pin.sha[..pin.sha.len().min(12)],
        shipped.tag,
        &shipped.sha[..shipped.sha.len().min(12)]
    );
    Ok((pin, Some(note)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_pins_are_full_shas_of_the_five_actions() {
        let pins = shipped();
        let actions: Vec<&str> = pins.iter().map(|p| p.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "actions/checkout",
                "actions/setup-python",
                "actions/upload-artifact",
                "actions/download-artifact",
                "aws-actions/configure-aws-credentials"
            ]
        );
        for p in &pins {
            assert!(is_full_sha(&p.sha), "{p:?}");
            assert!(p.tag.starts_with(&p.major), "{p:?}");
        }
        let cac = pins.iter().find(|p| p.action.starts_with("aws-actions/"));
        assert_eq!(cac.map(|p| p.major.as_str()), Some("v6"));
    }

    #[test]
    fn resolving_keeps_the_exact_tag_when_the_major_has_not_moved() {
        let pin = &shipped()[0];
        assert_eq!(
            resolved(pin, &pin.sha.to_uppercase()),
            Ok((pin.clone(), None))
        );
        let newer = "a".repeat(40);
        let (moved, note) = resolved(pin, &newer).unwrap();
        assert_eq!(moved.tag, "v7");
        assert_eq!(moved.sha, newer);
        assert!(note.is_some_and(|n| n.contains("newer commit")));
        assert_eq!(
            moved.uses(),
            format!("actions/checkout@{newer} # v7"),
            "the tag comes as a comment"
        );
    }

    #[test]
    fn an_answer_that_is_not_a_full_sha_is_refused() {
        let pin = &shipped()[0];
        for bad in [
            "abc\n      - run: curl evil",
            &format!("{}\n", pin.sha),
            &format!("{} # x", pin.sha),
            "",
            &"g".repeat(40),
        ] {
            let why = resolved(pin, bad).unwrap_err();
            assert!(why.contains("not a full commit SHA"), "{why}");
            assert!(!why.contains('\n'), "{why}");
        }
    }

    #[test]
    fn full_sha_rule() {
        assert!(is_full_sha("3d3c42e5aac5ba805825da76410c181273ba90b1"));
        assert!(!is_full_sha("3d3c42e"));
        assert!(!is_full_sha("v7"));
        assert!(!is_full_sha(&"g".repeat(40)));
    }
}
