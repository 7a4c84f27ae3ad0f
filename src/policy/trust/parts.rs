//! The trust policy's verdict taken apart the way STS checks a web-identity request, for the
//! role's rows and the doctor's causes: the principal (this account's GitHub provider), the
//! audience, the subject and any other condition — all of **one** statement, the one closest to
//! accepting the token (never a principal from one statement and a subject from another), and
//! the Deny that refuses it, if any.

use super::super::eval::{ConditionEval, Effect, Evaluation, StatementEval, Tri};
use super::key;

/// One statement's parts, for the token of the configured repository and scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustParts {
    /// The statement they come from (`None`: no statement allows AssumeRoleWithWebIdentity).
    pub statement: Option<usize>,
    pub principal: Tri,
    /// `Yes` also when the statement has no `aud` condition (STS checks the token's audience
    /// against the provider's client ids): see `audience_checked`.
    pub audience: Tri,
    pub audience_checked: bool,
    pub subject: Tri,
    /// The statement's other conditions (`repository`, `job_workflow_ref`, …).
    pub other: Tri,
    /// Those other conditions, described, with what each decided.
    pub other_conditions: Vec<(String, Tri)>,
    /// A Deny statement that refuses the token (its label).
    pub denied_by: Option<String>,
}

impl Default for TrustParts {
    fn default() -> Self {
        Self {
            statement: None,
            principal: Tri::No,
            audience: Tri::No,
            audience_checked: false,
            subject: Tri::No,
            other: Tri::No,
            other_conditions: Vec::new(),
            denied_by: None,
        }
    }
}

fn all(conditions: &[&ConditionEval]) -> Tri {
    Tri::all(conditions.iter().map(|c| c.holds.clone()))
}

fn of(st: &StatementEval) -> TrustParts {
    let (aud, sub) = (key("aud"), key("sub"));
    let auds: Vec<&ConditionEval> = st.on_key(&aud).collect();
    let subs: Vec<&ConditionEval> = st.on_key(&sub).collect();
    let others: Vec<&ConditionEval> = st
        .conditions
        .iter()
        .filter(|c| !c.key.eq_ignore_ascii_case(&aud) && !c.key.eq_ignore_ascii_case(&sub))
        .collect();
    TrustParts {
        statement: Some(st.index),
        principal: st.principal.clone(),
        audience: all(&auds),
        audience_checked: !auds.is_empty(),
        subject: all(&subs),
        other: all(&others),
        other_conditions: others
            .iter()
            .map(|c| (c.describe(), c.holds.clone()))
            .collect(),
        denied_by: None,
    }
}

impl TrustParts {
    fn failing(&self) -> usize {
        [&self.principal, &self.audience, &self.subject, &self.other]
            .iter()
            .filter(|t| t.is_no())
            .count()
    }
}

/// The parts of the statement closest to accepting (fewest failing parts; among equals, one
/// whose subject accepts the token — the statement meant for this repository — then the first),
/// with the Deny that refuses the token.
pub fn closest(eval: &Evaluation) -> TrustParts {
    let mut best: Option<TrustParts> = eval
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow && s.action.is_yes())
        .map(of)
        .min_by_key(|p| (p.failing(), p.subject.is_no()));
    let deny = eval
        .statements
        .iter()
        .find(|s| s.effect == Effect::Deny && !s.applies().is_no());
    if let (Some(parts), Some(deny)) = (best.as_mut(), deny) {
        match deny.applies() {
            Tri::Yes => {
                parts.denied_by = Some(deny.label());
                parts.subject = Tri::No;
            }
            Tri::Maybe(why) => {
                parts.subject = parts.subject.clone().and(Tri::Maybe(format!(
                    "{} (Deny) may refuse the token: {why}",
                    deny.label()
                )));
            }
            Tri::No => {}
        }
    }
    best.unwrap_or_default()
}
