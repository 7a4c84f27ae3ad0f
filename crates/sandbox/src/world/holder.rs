//! Whose rights a CodeArtifact call, or a token it handed out, carries.

/// Who calls CodeArtifact, or obtained a token, as the rights to check depend on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// The sandbox account's own administrator: allowed everything.
    Admin,
    /// A role session from AssumeRoleWithWebIdentity, by access key id: the role's policies.
    Session(String),
    /// Another account's administrator, by account id: the resource policies.
    Account(String),
}
