//! The symptoms the doctor diagnoses: the guide's three, and the optional ones a setup adds.

/// The guide's three troubleshooting symptoms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Symptom {
    /// "OIDC authentication failed".
    Oidc,
    /// "403 on publish".
    Publish403,
    /// "Package not found".
    NotFound,
    /// Another account (a consumer) gets 403 reading the repository: only when the setup names
    /// consumers ([`Symptom::of`]).
    Consumer403,
    /// A version was published and nobody was told: only when the setup has `notify` endpoints.
    NoNotification,
}

impl Symptom {
    pub const ALL: [Symptom; 3] = [Symptom::Oidc, Symptom::Publish403, Symptom::NotFound];

    /// Every symptom, the optional ones too.
    pub const EVERY: [Symptom; 5] = [
        Symptom::Oidc,
        Symptom::Publish403,
        Symptom::NotFound,
        Symptom::Consumer403,
        Symptom::NoNotification,
    ];

    /// The symptoms of `setup`: [`Symptom::ALL`], `consumer-403` when it names consumers,
    /// `no-notification` when it has `notify` endpoints.
    pub fn of(setup: &crate::setup::Setup) -> Vec<Symptom> {
        let mut out = Symptom::ALL.to_vec();
        if !setup.consumers.is_empty() {
            out.push(Symptom::Consumer403);
        }
        if !setup.notify.is_empty() {
            out.push(Symptom::NoNotification);
        }
        out
    }

    /// The id on the command line and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Symptom::Oidc => "oidc",
            Symptom::Publish403 => "publish-403",
            Symptom::NotFound => "not-found",
            Symptom::Consumer403 => "consumer-403",
            Symptom::NoNotification => "no-notification",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Symptom::Oidc => "OIDC authentication failed",
            Symptom::Publish403 => "403 on publish",
            Symptom::NotFound => "Package not found",
            Symptom::Consumer403 => "403 for a consumer account",
            Symptom::NoNotification => "No notification on publish",
        }
    }

    pub fn from_key(key: &str) -> Option<Symptom> {
        Symptom::EVERY.into_iter().find(|s| s.key() == key)
    }
}
