//! A consumer as the setup keeps it: another AWS account, or an organisation, allowed to read the
//! repository (the `consumers` input).

/// Who may read: an account, or every account of an organisation (`aws:PrincipalOrgID`). Kept
/// in the setup (and the state file) as its id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Consumer {
    Account(String),
    Organization(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConsumerError(pub String);

impl Consumer {
    /// A 12-digit account id, or an organisation id `o-` followed by 10–32 lower-case letters and
    /// digits (AWS Organizations' pattern).
    pub fn parse(value: &str) -> Result<Self, ConsumerError> {
        let v = value.trim();
        if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Consumer::Account(v.to_owned()));
        }
        if let Some(rest) = v.strip_prefix("o-")
            && (10..=32).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return Ok(Consumer::Organization(v.to_owned()));
        }
        Err(ConsumerError(format!(
            "{v:?} is neither a 12-digit AWS account id nor an organisation id (o-…)"
        )))
    }

    /// The id as written.
    pub fn id(&self) -> &str {
        match self {
            Consumer::Account(a) | Consumer::Organization(a) => a,
        }
    }

    /// The id in a statement's `Sid` (letters and digits only).
    pub(crate) fn sid_part(&self) -> String {
        self.id()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect()
    }
}

impl TryFrom<String> for Consumer {
    type Error = ConsumerError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Consumer::parse(&value)
    }
}

impl From<Consumer> for String {
    fn from(c: Consumer) -> String {
        c.id().to_owned()
    }
}
