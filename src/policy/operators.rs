//! Condition operators on one key of the request (IAM User Guide, "Condition operators" and
//! "Single-valued vs. multivalued context keys"). The keys cawiz evaluates are single-valued, so
//! `ForAnyValue:`/`ForAllValues:` differ from the plain operator only when the key is absent.

use super::glob::{covers, glob_match, in_template, overlaps};
use super::terms::{Claim, Quantifier, Tri};

/// A condition operator taken apart: `ForAnyValue:StringLikeIfExists` → qualifier, base, IfExists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub qualifier: Qualifier,
    pub base: String,
    pub if_exists: bool,
    pub negated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    None,
    ForAnyValue,
    ForAllValues,
}

pub fn parse_operator(operator: &str) -> Operator {
    let (qualifier, rest) = if let Some(r) = operator.strip_prefix("ForAnyValue:") {
        (Qualifier::ForAnyValue, r)
    } else if let Some(r) = operator.strip_prefix("ForAllValues:") {
        (Qualifier::ForAllValues, r)
    } else {
        (Qualifier::None, operator)
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    Operator {
        qualifier,
        negated: base.contains("Not"),
        base: base.to_owned(),
        if_exists,
    }
}

/// How a base operator compares one condition value with the request's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compare {
    Equals { ignore_case: bool },
    Like { ignore_case: bool },
    Arn,
}

fn compare_of(base: &str) -> Option<Compare> {
    Some(match base {
        "StringEquals" | "StringNotEquals" | "Bool" => Compare::Equals {
            ignore_case: base == "Bool",
        },
        "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase" => {
            Compare::Equals { ignore_case: true }
        }
        "StringLike" | "StringNotLike" => Compare::Like { ignore_case: false },
        "ArnEquals" | "ArnLike" | "ArnNotEquals" | "ArnNotLike" => Compare::Arn,
        _ => return None,
    })
}

fn fold(text: &str, ignore_case: bool) -> String {
    if ignore_case {
        text.to_lowercase()
    } else {
        text.to_owned()
    }
}

/// ArnLike/ArnEquals: each of the six colon-separated parts matched on its own, with wildcards.
fn arn_match(pattern: &str, value: &str) -> bool {
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let v: Vec<&str> = value.splitn(6, ':').collect();
    if p.len() != 6 || v.len() != 6 {
        return glob_match(pattern, value);
    }
    p.iter().zip(&v).all(|(p, v)| glob_match(p, v))
}

/// Whether condition value `wanted` matches every (`Every`) or some (`Some`) value the request's
/// `value` stands for (`template`: `*`/`?` in it stand for any text).
fn matches(compare: Compare, wanted: &str, value: &str, template: bool, q: Quantifier) -> bool {
    if !template {
        return match compare {
            Compare::Equals { ignore_case } => {
                fold(wanted, ignore_case) == fold(value, ignore_case)
            }
            Compare::Like { ignore_case } => {
                glob_match(&fold(wanted, ignore_case), &fold(value, ignore_case))
            }
            Compare::Arn => arn_match(wanted, value),
        };
    }
    let (wanted, value) = match compare {
        Compare::Equals { ignore_case } | Compare::Like { ignore_case } => {
            (fold(wanted, ignore_case), fold(value, ignore_case))
        }
        Compare::Arn => (wanted.to_owned(), value.to_owned()),
    };
    match (compare, q) {
        // A literal equals every value of a template only if the template has one value.
        (Compare::Equals { .. }, Quantifier::Every) => false,
        (Compare::Equals { .. }, Quantifier::Some) => in_template(&value, &wanted),
        (_, Quantifier::Every) => covers(&wanted, &value),
        (_, Quantifier::Some) => overlaps(&wanted, &value),
    }
}

/// The other quantifier: a negated operator holds for every request when no value matches any.
fn flip(q: Quantifier) -> Quantifier {
    match q {
        Quantifier::Every => Quantifier::Some,
        Quantifier::Some => Quantifier::Every,
    }
}

/// The operator on a present value.
fn present(
    op: &Operator,
    compare: Compare,
    values: &[String],
    value: &str,
    template: bool,
    q: Quantifier,
) -> Tri {
    if op.negated {
        // No value may match: for every request, none matches some request (and vice versa).
        let any = values
            .iter()
            .any(|w| matches(compare, w, value, template, flip(q)));
        Tri::from_bool(!any)
    } else {
        Tri::from_bool(
            values
                .iter()
                .any(|w| matches(compare, w, value, template, q)),
        )
    }
}

/// The operator when the key is absent.
fn absent(op: &Operator, values: &[String]) -> Tri {
    if op.base == "Null" {
        return Tri::from_bool(values.iter().any(|v| v.eq_ignore_ascii_case("true")));
    }
    if op.if_exists {
        return Tri::Yes;
    }
    match op.qualifier {
        Qualifier::ForAllValues => Tri::Yes,
        Qualifier::ForAnyValue => Tri::No,
        Qualifier::None => Tri::from_bool(op.negated),
    }
}

/// Whether the condition `op` with `values` holds for the request's `claim` of its key.
pub fn holds(op: &Operator, values: &[String], claim: &Claim, q: Quantifier) -> Tri {
    let when_present = |value: &str, template: bool| -> Tri {
        if op.base == "Null" {
            return Tri::from_bool(values.iter().any(|v| v.eq_ignore_ascii_case("false")));
        }
        match compare_of(&op.base) {
            Some(compare) => present(op, compare, values, value, template, q),
            None => Tri::Maybe(format!("cawiz does not evaluate the {} operator", op.base)),
        }
    };
    match claim {
        Claim::Literal(v) => when_present(v, false),
        Claim::Template(v) => when_present(v, true),
        Claim::Absent => absent(op, values),
        Claim::Optional(v) => {
            let (a, p) = (absent(op, values), when_present(v, true));
            match q {
                Quantifier::Every => a.and(p),
                Quantifier::Some => a.or(p),
            }
        }
        Claim::Unknown(why) => Tri::Maybe(why.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(op: &str, values: &[&str], claim: Claim, q: Quantifier) -> Tri {
        let values: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
        holds(&parse_operator(op), &values, &claim, q)
    }

    fn lit(v: &str) -> Claim {
        Claim::Literal(v.to_owned())
    }

    fn tpl(v: &str) -> Claim {
        Claim::Template(v.to_owned())
    }

    use Quantifier::{Every, Some as Any};

    #[test]
    fn literal_values() {
        assert_eq!(
            check("StringEquals", &["a", "b"], lit("b"), Every),
            Tri::Yes
        );
        assert_eq!(check("StringEquals", &["a"], lit("A"), Every), Tri::No);
        assert_eq!(
            check("StringEqualsIgnoreCase", &["a"], lit("A"), Every),
            Tri::Yes
        );
        assert_eq!(
            check("StringNotEquals", &["a", "b"], lit("b"), Every),
            Tri::No
        );
        assert_eq!(
            check("StringNotEquals", &["a", "b"], lit("c"), Every),
            Tri::Yes
        );
        assert_eq!(
            check("StringLike", &["repo:o/r:*"], lit("repo:o/r:x"), Every),
            Tri::Yes
        );
        assert_eq!(
            check("StringNotLike", &["repo:o/*"], lit("repo:o/r:x"), Every),
            Tri::No
        );
        assert_eq!(
            check("StringEquals", &["repo:o/r:*"], lit("repo:o/r:x"), Every),
            Tri::No,
            "a wildcard under StringEquals is a literal character"
        );
        assert!(matches!(
            check("NumericLessThan", &["1"], lit("0"), Every),
            Tri::Maybe(_)
        ));
    }

    #[test]
    fn absent_keys() {
        assert_eq!(check("StringEquals", &["a"], Claim::Absent, Every), Tri::No);
        assert_eq!(
            check("StringNotEquals", &["a"], Claim::Absent, Every),
            Tri::Yes
        );
        assert_eq!(
            check("StringEqualsIfExists", &["a"], Claim::Absent, Every),
            Tri::Yes
        );
        assert_eq!(
            check("ForAllValues:StringEquals", &["a"], Claim::Absent, Every),
            Tri::Yes
        );
        assert_eq!(
            check("ForAnyValue:StringEquals", &["a"], Claim::Absent, Every),
            Tri::No
        );
        assert_eq!(check("Null", &["true"], Claim::Absent, Every), Tri::Yes);
        assert_eq!(check("Null", &["false"], lit("x"), Every), Tri::Yes);
        assert!(matches!(
            check("StringEquals", &["a"], Claim::Unknown("why".into()), Every),
            Tri::Maybe(w) if w == "why"
        ));
    }

    #[test]
    fn templates_for_every_and_some_request() {
        let tags = tpl("repo:o/r:ref:refs/tags/*");
        assert_eq!(
            check("StringLike", &["repo:o/r:*"], tags.clone(), Every),
            Tri::Yes
        );
        assert_eq!(
            check(
                "StringLike",
                &["repo:o/r:ref:refs/tags/v*"],
                tags.clone(),
                Every
            ),
            Tri::No
        );
        assert_eq!(
            check(
                "StringLike",
                &["repo:o/r:ref:refs/tags/v*"],
                tags.clone(),
                Any
            ),
            Tri::Yes
        );
        assert_eq!(
            check(
                "StringEquals",
                &["repo:o/r:ref:refs/tags/v1"],
                tags.clone(),
                Every
            ),
            Tri::No
        );
        assert_eq!(
            check(
                "StringEquals",
                &["repo:o/r:ref:refs/tags/v1"],
                tags.clone(),
                Any
            ),
            Tri::Yes
        );
        // Negated: no tag may be refused for every request; some tag may be, for some.
        assert_eq!(
            check(
                "StringNotLike",
                &["repo:o/r:ref:refs/tags/beta*"],
                tags.clone(),
                Every
            ),
            Tri::No
        );
        assert_eq!(
            check(
                "StringNotLike",
                &["repo:o/r:ref:refs/tags/beta*"],
                tags.clone(),
                Any
            ),
            Tri::Yes
        );
        assert_eq!(
            check("StringNotLike", &["repo:x/*"], tags.clone(), Every),
            Tri::Yes
        );
        assert_eq!(
            check(
                "StringNotEquals",
                &["repo:o/r:ref:refs/tags/v1"],
                tags,
                Every
            ),
            Tri::No
        );
        // Present in some requests only: an Allow on it does not hold for the others.
        let env = Claim::Optional("*".to_owned());
        assert_eq!(
            check("StringEquals", &["prod"], env.clone(), Every),
            Tri::No
        );
        assert_eq!(
            check("StringEqualsIfExists", &["*"], env.clone(), Every),
            Tri::No
        );
        assert_eq!(
            check("StringLikeIfExists", &["*"], env.clone(), Every),
            Tri::Yes
        );
        assert_eq!(check("StringEquals", &["prod"], env, Any), Tri::Yes);
    }
}
