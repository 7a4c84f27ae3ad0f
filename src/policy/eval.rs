//! IAM's policy evaluation, in one place for trust policies (STS's AssumeRoleWithWebIdentity),
//! resource policies (a domain's or repository's) and identity policies read without simulation
//! (IAM User Guide, "Policy evaluation logic" and "Condition operators"):
//!
//! - a statement applies when its principal (`Principal`/`NotPrincipal`), action
//!   (`Action`/`NotAction`), resource (`Resource`/`NotResource`) and **every** condition match;
//!   inside `Condition`, operators and keys are ANDed and the values of one key ORed (negated
//!   operators — `StringNotEquals`, `StringNotLike` — require that no value matches);
//! - an applying Deny wins over any Allow; without an applying Allow the request is denied;
//! - a key the request does not carry fails positive operators and satisfies negated ones;
//!   `…IfExists` holds when the key is absent; `ForAllValues:` holds on an absent key and
//!   `ForAnyValue:` does not; `Null` tests presence.
//!
//! Answers are three-valued ([`Tri`]): what cawiz cannot know (an `actor` claim, an operator it
//! does not evaluate) is `Maybe` with the reason, never assumed either way. A request value may
//! be a *template* standing for many requests (every tag's subject): an Allow then counts only
//! when it holds for every one of them ([`Quantifier::Every`]), a Deny as soon as it may hold for
//! some ([`Quantifier::Some`]) — so a yes is never wrong.

use serde_json::Value;

use super::glob::glob_match;
pub use super::operators::{Operator, Qualifier, parse_operator};
use super::strings;

pub use super::terms::{Caller, Claim, Quantifier, Tri};

/// One request: who, what, on which resource (none for trust policies), and its context keys.
#[derive(Debug, Clone)]
pub struct Request {
    pub caller: Caller,
    pub action: String,
    pub resource: Option<String>,
    /// Condition keys (compared case-insensitively, as IAM does); a key not listed is absent.
    pub keys: Vec<(String, Claim)>,
}

impl Request {
    /// The key's claim; a key not listed is absent, but for AWS's global keys (`aws:…`), which
    /// cawiz does not model: those are unknown.
    fn claim(&self, key: &str) -> Claim {
        match self.keys.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
            Some((_, c)) => c.clone(),
            None if key.to_ascii_lowercase().starts_with("aws:") => {
                Claim::Unknown(format!("cawiz does not know the request's {key}"))
            }
            None => Claim::Absent,
        }
    }
}

/// One condition (operator and key) of a statement, and whether it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionEval {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
    pub holds: Tri,
}

impl ConditionEval {
    /// `StringLike token.actions.githubusercontent.com:sub = [a, b]`, for evidence.
    pub fn describe(&self) -> String {
        let values = match self.values.as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        format!("{} {} = {values}", self.operator, self.key)
    }

    /// Whether the operator is a negated one (`StringNotEquals`, …).
    pub fn negated(&self) -> bool {
        super::operators::parse_operator(&self.operator).negated
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
    Other,
}

/// One statement read for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementEval {
    /// 0-based position in the document.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal: Tri,
    pub action: Tri,
    pub resource: Tri,
    pub conditions: Vec<ConditionEval>,
}

impl StatementEval {
    /// Whether the statement applies: everything ANDed.
    pub fn applies(&self) -> Tri {
        Tri::all(
            [
                self.principal.clone(),
                self.action.clone(),
                self.resource.clone(),
            ]
            .into_iter()
            .chain(self.conditions.iter().map(|c| c.holds.clone())),
        )
    }

    /// The statement's Sid, else `statement N` (1-based).
    pub fn label(&self) -> String {
        self.sid
            .clone()
            .unwrap_or_else(|| format!("statement {}", self.index + 1))
    }

    /// The conditions on `key` (a full key such as `token.actions.githubusercontent.com:sub`).
    pub fn on_key<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a ConditionEval> + 'a {
        self.conditions
            .iter()
            .filter(move |c| c.key.eq_ignore_ascii_case(key))
    }
}

/// The decision on one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// Allowed: an Allow applies (for every request the templates stand for) and no Deny may.
    pub allowed: Tri,
    /// Every statement, read for this request (Allows for every request, Denies for some).
    pub statements: Vec<StatementEval>,
}

/// Evaluates `doc` for `request`.
pub fn evaluate(doc: &Value, request: &Request) -> Evaluation {
    let statements: Vec<StatementEval> = super::statements(doc)
        .into_iter()
        .enumerate()
        .map(|(index, st)| {
            let effect = match st.get("Effect").and_then(Value::as_str) {
                Some("Allow") => Effect::Allow,
                Some("Deny") => Effect::Deny,
                _ => Effect::Other,
            };
            let quantifier = match effect {
                Effect::Deny => Quantifier::Some,
                _ => Quantifier::Every,
            };
            read_statement(st, index, effect, request, quantifier)
        })
        .collect();
    let deny = Tri::any(
        statements
            .iter()
            .filter(|s| s.effect == Effect::Deny)
            .map(StatementEval::applies),
    );
    let allow = Tri::any(
        statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
            .map(StatementEval::applies),
    );
    Evaluation {
        allowed: deny.negate().and(allow),
        statements,
    }
}

/// One statement read for `request`.
pub fn read_statement(
    st: &Value,
    index: usize,
    effect: Effect,
    request: &Request,
    quantifier: Quantifier,
) -> StatementEval {
    StatementEval {
        index,
        sid: st
            .get("Sid")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        effect,
        principal: super::principal::applies(st, &request.caller),
        action: field_matches(st, "Action", "NotAction", &request.action, true, false),
        resource: match &request.resource {
            Some(r) => field_matches(st, "Resource", "NotResource", r, false, true),
            None => Tri::Yes,
        },
        conditions: conditions(st, request, quantifier),
    }
}

/// Whether `value` is covered by the statement's `field`, or not excluded by its `not_field`;
/// `absent_ok`: a statement with neither covers everything (a resource policy's Resource).
fn field_matches(
    st: &Value,
    field: &str,
    not_field: &str,
    value: &str,
    ignore_case: bool,
    absent_ok: bool,
) -> Tri {
    let any = |patterns: &Value| {
        strings(Some(patterns)).iter().any(|p| {
            if ignore_case {
                glob_match(&p.to_lowercase(), &value.to_lowercase())
            } else {
                glob_match(p, value)
            }
        })
    };
    Tri::from_bool(match (st.get(field), st.get(not_field)) {
        (Some(p), _) => any(p),
        (None, Some(p)) => !any(p),
        (None, None) => absent_ok,
    })
}

fn condition_values(value: &Value) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) => Some(v.to_string()),
        _ => None,
    };
    match value {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

fn conditions(st: &Value, request: &Request, quantifier: Quantifier) -> Vec<ConditionEval> {
    let Some(cond) = st.get("Condition") else {
        return Vec::new();
    };
    let Some(ops) = cond.as_object() else {
        return vec![ConditionEval {
            operator: "Condition".to_owned(),
            key: String::new(),
            values: Vec::new(),
            holds: Tri::No,
        }];
    };
    let mut out = Vec::new();
    for (operator, keys) in ops {
        let Some(keys) = keys.as_object() else {
            out.push(ConditionEval {
                operator: operator.clone(),
                key: String::new(),
                values: Vec::new(),
                holds: Tri::No,
            });
            continue;
        };
        for (key, values) in keys {
            let values = condition_values(values);
            let holds = super::operators::holds(
                &super::operators::parse_operator(operator),
                &values,
                &request.claim(key),
                quantifier,
            );
            out.push(ConditionEval {
                operator: operator.clone(),
                key: key.clone(),
                values,
                holds,
            });
        }
    }
    out
}
