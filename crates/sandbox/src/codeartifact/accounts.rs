//! CodeArtifact as another account's administrator sees it. The sandbox holds CodeArtifact
//! resources for its own account only; every other account is empty: a request without
//! `domain-owner` looks in the caller's own account (and finds nothing, as the AWS CLI does when
//! `--domain-owner` is forgotten), ListDomains lists nothing, and CreateDomain is refused (a
//! departure the README names). Requests on the sandbox account's domains are authorised by its
//! resource policies before they get here (`authz::check_account`).

use serde_json::Value;

use super::Ctx;
use super::paging::page_json;
use crate::protocol::{ApiError, ApiResult, Query};
use crate::world::Holder;

/// The caller's own account for a request without `domain-owner`: the one whose administrator
/// calls, when it is another account.
pub fn default_owner(q: &mut Query, holder: &Holder) {
    if let Holder::Account(account) = holder {
        q.0.entry("domain-owner".to_owned())
            .or_insert_with(|| account.clone());
    }
}

/// The answer to an operation on the caller's own (empty) account, when the caller is another
/// account's administrator; `None` when the operation names a domain and goes on as usual.
pub fn in_other_account(operation: &str, cx: &Ctx) -> Option<ApiResult<Value>> {
    let Holder::Account(account) = &cx.holder else {
        return None;
    };
    match operation {
        "ListDomains" => Some(Ok(page_json("domains", Vec::new(), None))),
        "CreateDomain" => Some(Err(ApiError::new(
            "ValidationException",
            format!(
                "The cawiz sandbox holds CodeArtifact domains for its own account only; account \
                 {account} cannot create one (use the sandbox account's keys)"
            ),
        ))),
        _ => None,
    }
}
