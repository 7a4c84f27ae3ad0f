//! EventBridge's event pattern language (EventBridge User Guide, "Event patterns" and "Content
//! filtering"): a pattern is a JSON object whose fields mirror the event's; a nested object
//! descends into the event's object, an array lists the values one of which the event's field must
//! match (an event array matches when any element does). A value in the array is an exact value
//! (string, number, `null`, boolean) or one filter: `prefix`, `suffix`, `equals-ignore-case`,
//! `anything-but` (a value, a list, or `{"prefix": …}` / `{"suffix": …}`), `exists`, `numeric`
//! (`[op, n, op, n]`), `wildcard` (`*` for any run of characters). `$or` lists alternative
//! patterns. Every field of the pattern must match (AND); a missing field matches only
//! `{"exists": false}` (and `anything-but` never, as EventBridge requires the field).

use serde_json::Value;

/// Why a pattern is not one EventBridge accepts: the reason after "Event pattern is not valid.
/// Reason: ".
pub type Invalid = String;

/// Checks `pattern` is a valid event pattern (a JSON object of arrays, objects and `$or`).
pub fn validate(pattern: &Value) -> Result<(), Invalid> {
    let Value::Object(fields) = pattern else {
        return Err("the pattern must be a JSON object".to_owned());
    };
    if fields.is_empty() {
        return Err("the pattern must have at least one field".to_owned());
    }
    for (key, value) in fields {
        validate_field(key, value)?;
    }
    Ok(())
}

fn validate_field(key: &str, value: &Value) -> Result<(), Invalid> {
    match value {
        Value::Object(_) => validate(value),
        Value::Array(items) if key == "$or" => {
            if items.len() < 2 {
                return Err("\"$or\" needs at least two alternatives".to_owned());
            }
            items.iter().try_for_each(validate)
        }
        Value::Array(items) => {
            if items.is_empty() {
                return Err(format!("\"{key}\" must not be an empty array"));
            }
            items.iter().try_for_each(|m| validate_matcher(key, m))
        }
        _ => Err(format!("\"{key}\" must be an object or an array")),
    }
}

fn validate_matcher(key: &str, matcher: &Value) -> Result<(), Invalid> {
    let Value::Object(filter) = matcher else {
        return match matcher {
            Value::Array(_) => Err(format!("\"{key}\" has an array inside its array")),
            _ => Ok(()),
        };
    };
    let mut entries = filter.iter();
    let (Some((name, arg)), None) = (entries.next(), entries.next()) else {
        return Err(format!(
            "a filter of \"{key}\" must have exactly one operator"
        ));
    };
    let ok = match name.as_str() {
        "prefix" | "suffix" => {
            arg.is_string() || arg.get("equals-ignore-case").is_some_and(Value::is_string)
        }
        "equals-ignore-case" | "wildcard" => arg.is_string(),
        "exists" => arg.is_boolean(),
        "anything-but" => valid_anything_but(arg),
        "numeric" => numeric_ops(arg).is_some(),
        _ => return Err(format!("unrecognized match type {name}")),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{name}\" of \"{key}\" has an argument it does not take"
        ))
    }
}

fn valid_anything_but(arg: &Value) -> bool {
    match arg {
        Value::Array(items) => !items.is_empty() && items.iter().all(is_scalar),
        Value::Object(map) => {
            map.len() == 1
                && map
                    .iter()
                    .all(|(k, v)| matches!(k.as_str(), "prefix" | "suffix") && v.is_string())
        }
        other => is_scalar(other),
    }
}

fn is_scalar(v: &Value) -> bool {
    v.is_string() || v.is_number()
}

/// Whether `event` matches `pattern` (assumed valid).
pub fn matches(pattern: &Value, event: &Value) -> bool {
    let Value::Object(fields) = pattern else {
        return false;
    };
    fields.iter().all(|(key, want)| {
        if key == "$or" {
            return want
                .as_array()
                .is_some_and(|alternatives| alternatives.iter().any(|p| matches(p, event)));
        }
        field_matches(want, event.as_object().and_then(|o| o.get(key)))
    })
}

fn field_matches(want: &Value, got: Option<&Value>) -> bool {
    match want {
        Value::Object(_) => got.is_some_and(|g| g.is_object() && matches(want, g)),
        Value::Array(matchers) => matchers.iter().any(|m| matcher_matches(m, got)),
        _ => false,
    }
}

/// One entry of a pattern's array against the event's field (`None`: absent).
fn matcher_matches(matcher: &Value, got: Option<&Value>) -> bool {
    if let Some(Value::Object(filter)) = Some(matcher)
        && let Some((name, arg)) = filter.iter().next()
        && name == "exists"
    {
        return arg.as_bool() == Some(got.is_some());
    }
    let Some(got) = got else {
        return false;
    };
    if let Value::Array(items) = got {
        return items.iter().any(|item| single(matcher, item));
    }
    single(matcher, got)
}

fn single(matcher: &Value, got: &Value) -> bool {
    let Value::Object(filter) = matcher else {
        return scalar_equal(matcher, got);
    };
    let Some((name, arg)) = filter.iter().next() else {
        return false;
    };
    let text = got.as_str();
    match name.as_str() {
        "prefix" => affix(arg, text, |s, p| s.starts_with(p)),
        "suffix" => affix(arg, text, |s, p| s.ends_with(p)),
        "equals-ignore-case" => text
            .zip(arg.as_str())
            .is_some_and(|(s, w)| s.to_lowercase() == w.to_lowercase()),
        "wildcard" => text.zip(arg.as_str()).is_some_and(|(s, w)| wildcard(w, s)),
        "anything-but" => anything_but(arg, got),
        "numeric" => got
            .as_f64()
            .zip(numeric_ops(arg))
            .is_some_and(|(n, ops)| ops.iter().all(|(op, bound)| compare(op, n, *bound))),
        _ => false,
    }
}

fn scalar_equal(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => want == got,
    }
}

/// `prefix`/`suffix` with a plain string or `{"equals-ignore-case": …}`.
fn affix(arg: &Value, text: Option<&str>, test: fn(&str, &str) -> bool) -> bool {
    let Some(text) = text else {
        return false;
    };
    match arg {
        Value::String(p) => test(text, p),
        Value::Object(map) => map
            .get("equals-ignore-case")
            .and_then(Value::as_str)
            .is_some_and(|p| test(&text.to_lowercase(), &p.to_lowercase())),
        _ => false,
    }
}

fn anything_but(arg: &Value, got: &Value) -> bool {
    match arg {
        Value::Array(items) => !items.iter().any(|i| scalar_equal(i, got)),
        Value::Object(map) => {
            let text = got.as_str();
            !map.iter().any(|(k, v)| {
                let needle = v.as_str().unwrap_or_default();
                match k.as_str() {
                    "prefix" => text.is_some_and(|t| t.starts_with(needle)),
                    "suffix" => text.is_some_and(|t| t.ends_with(needle)),
                    _ => false,
                }
            })
        }
        other => !scalar_equal(other, got),
    }
}

/// `[">", 0, "<=", 5]` as (operator, bound) pairs; `None` when malformed.
fn numeric_ops(arg: &Value) -> Option<Vec<(String, f64)>> {
    let items = arg.as_array()?;
    if items.is_empty() || items.len() % 2 != 0 {
        return None;
    }
    items
        .chunks(2)
        .map(|pair| {
            let op = pair.first()?.as_str()?;
            let bound = pair.get(1)?.as_f64()?;
            matches!(op, "<" | "<=" | "=" | ">" | ">=").then(|| (op.to_owned(), bound))
        })
        .collect()
}

fn compare(op: &str, n: f64, bound: f64) -> bool {
    match op {
        "<" => n < bound,
        "<=" => n <= bound,
        "=" => n == bound,
        ">" => n > bound,
        ">=" => n >= bound,
        _ => false,
    }
}

/// `*` matches any run of characters; everything else literally.
fn wildcard(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == text;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests;
