//! The `consumers` input: other AWS accounts (`--consumer ACCOUNT_ID`, 12 digits) or an
//! organisation (`--consumer-org o-…`, AWS Organizations' `^o-[a-z0-9]{10,32}$`) allowed to read
//! the repository. Never the setup's own account: its administrators need no resource policy.

use super::{Consumer, Field, FieldError};

fn refuse(value: &str, rule: impl Into<String>) -> FieldError {
    FieldError {
        field: Field::Consumers,
        value: value.to_owned(),
        rule: rule.into(),
    }
}

/// One `--consumer`: an account id, not `own`.
pub fn parse_account(value: &str, own: Option<&str>) -> Result<Consumer, FieldError> {
    super::rules::validate(Field::Consumers, value)?;
    match Consumer::parse(value) {
        Ok(Consumer::Account(a)) if Some(a.as_str()) == own => Err(refuse(
            value,
            "that is the setup's own account: its administrators need no resource policy",
        )),
        Ok(c @ Consumer::Account(_)) => Ok(c),
        Ok(Consumer::Organization(_)) => Err(refuse(
            value,
            "an organisation id goes to --consumer-org; --consumer takes a 12-digit account id",
        )),
        Err(_) => Err(refuse(value, "an AWS account id is exactly 12 digits")),
    }
}

/// One `--consumer-org`: an organisation id.
pub fn parse_org(value: &str) -> Result<Consumer, FieldError> {
    super::rules::validate(Field::Consumers, value)?;
    match Consumer::parse(value) {
        Ok(c @ Consumer::Organization(_)) => Ok(c),
        _ => Err(refuse(
            value,
            "an AWS organisation id is o- followed by 10–32 lower-case letters and digits \
             (^o-[a-z0-9]{10,32}$)",
        )),
    }
}

/// Account ids and organisation ids together, comma- or space-separated (the form's field):
/// each valid, none twice, not `own`.
pub fn parse_consumers(text: &str, own: Option<&str>) -> Result<Vec<Consumer>, FieldError> {
    let mut out: Vec<Consumer> = Vec::new();
    for part in text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        let consumer = if part.starts_with("o-") {
            parse_org(part)?
        } else {
            parse_account(part, own)?
        };
        if out.contains(&consumer) {
            return Err(refuse(part, "listed twice"));
        }
        out.push(consumer);
    }
    Ok(out)
}

/// The consumers as the form and `init` show them.
pub fn consumers_text(consumers: &[Consumer]) -> String {
    consumers
        .iter()
        .map(Consumer::id)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rules the setup's consumers break (the state file may have been edited by hand).
pub fn consumer_errors(consumers: &[Consumer], own: Option<&str>) -> Vec<FieldError> {
    let text = consumers_text(consumers);
    parse_consumers(&text, own).err().into_iter().collect()
}
