//! IAM's decisions as the sandbox enforces them — STS on a trust policy, CodeArtifact on a
//! resource policy —, for the table of IAM cases the product's evaluator runs too
//! (`tests/iam_cases.json` at the workspace root).

pub use crate::authz::account_document_decision as consumer_decision;
pub use crate::authz::document_decision as resource_decision;
pub use crate::simulate::Decision;
pub use crate::sts::web_identity::trust_allows;
