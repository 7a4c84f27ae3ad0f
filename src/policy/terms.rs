//! The terms IAM evaluation speaks in: a three-valued answer, what is known of a condition key,
//! who asks, and for how many of the requests a template stands for a statement must hold.

/// Yes, no, or cannot tell (and why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tri {
    Yes,
    No,
    Maybe(String),
}

impl Tri {
    pub fn from_bool(b: bool) -> Self {
        if b { Tri::Yes } else { Tri::No }
    }

    pub fn is_yes(&self) -> bool {
        *self == Tri::Yes
    }

    pub fn is_no(&self) -> bool {
        *self == Tri::No
    }

    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Maybe(w), _) | (_, Tri::Maybe(w)) => Tri::Maybe(w),
            _ => Tri::Yes,
        }
    }

    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::Maybe(w), _) | (_, Tri::Maybe(w)) => Tri::Maybe(w),
            _ => Tri::No,
        }
    }

    pub fn negate(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            m => m,
        }
    }

    /// The conjunction of `items` (`Yes` when empty).
    pub fn all(items: impl IntoIterator<Item = Tri>) -> Tri {
        items.into_iter().fold(Tri::Yes, Tri::and)
    }

    /// The disjunction of `items` (`No` when empty).
    pub fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
        items.into_iter().fold(Tri::No, Tri::or)
    }
}

/// What the evaluator knows of one condition key of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Present with this value.
    Literal(String),
    /// Present, with a value this template (`*`, `?`) stands for.
    Template(String),
    /// Absent in some requests, present with a value of this template in others.
    Optional(String),
    /// Not carried by the request.
    Absent,
    /// Carried, but cawiz cannot know its value (why).
    Unknown(String),
}

/// Who asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// A web identity token from the IAM OIDC provider with this ARN (trust policies).
    WebIdentity { provider: String },
    /// A session of a role (resource policies). `session`: its name, when known.
    Session {
        account: String,
        role_arn: String,
        session: Option<String>,
    },
    /// The principal the identity policy is attached to (no `Principal` element to match).
    Attached,
    /// An AWS service acting as its service principal (`events.amazonaws.com` publishing to a
    /// topic).
    Service { name: String },
    /// The principals of another account (a consumer), as one: `account` `None` for any account
    /// of an organisation.
    Account { account: Option<String> },
}

/// For how many of the requests a template stands for a statement must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    /// Every one (an Allow that is counted).
    Every,
    /// At least one (a Deny that may apply).
    Some,
}
