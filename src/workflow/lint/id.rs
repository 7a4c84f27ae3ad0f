//! The finding ids: SPEC item 8's lint table and the ones issue 21 added, each with the
//! kebab-case name the CLI, the JSON and the README use.

use std::fmt;

use serde::Serialize;

/// The finding ids (SPEC item 8's lint table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LintId {
    NoPublishJob,
    IdTokenMissing,
    RoleArnMismatch,
    RegionMismatch,
    SubjectNotTrusted,
    SkipExistingUnsupported,
    UploadToPypi,
    UntrustedTrigger,
    UnpinnedAction,
    ExcessivePermissions,
    TokenExposed,
    LongLivedKeys,
    ExpressionInjection,
    OtherFormat,
}

impl LintId {
    pub const ALL: [LintId; 14] = [
        LintId::NoPublishJob,
        LintId::IdTokenMissing,
        LintId::RoleArnMismatch,
        LintId::RegionMismatch,
        LintId::SubjectNotTrusted,
        LintId::SkipExistingUnsupported,
        LintId::UploadToPypi,
        LintId::UntrustedTrigger,
        LintId::UnpinnedAction,
        LintId::ExcessivePermissions,
        LintId::TokenExposed,
        LintId::LongLivedKeys,
        LintId::ExpressionInjection,
        LintId::OtherFormat,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LintId::NoPublishJob => "no-publish-job",
            LintId::IdTokenMissing => "id-token-missing",
            LintId::RoleArnMismatch => "role-arn-mismatch",
            LintId::RegionMismatch => "region-mismatch",
            LintId::SubjectNotTrusted => "subject-not-trusted",
            LintId::SkipExistingUnsupported => "skip-existing-unsupported",
            LintId::UploadToPypi => "upload-to-pypi",
            LintId::UntrustedTrigger => "untrusted-trigger",
            LintId::UnpinnedAction => "unpinned-action",
            LintId::ExcessivePermissions => "excessive-permissions",
            LintId::TokenExposed => "token-exposed",
            LintId::LongLivedKeys => "long-lived-keys",
            LintId::ExpressionInjection => "expression-injection",
            LintId::OtherFormat => "other-format",
        }
    }
}

impl fmt::Display for LintId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
