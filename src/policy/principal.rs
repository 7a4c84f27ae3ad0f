//! Whether a statement's `Principal` (or `NotPrincipal`) names the caller (IAM User Guide,
//! "AWS JSON policy elements: Principal" and "NotPrincipal").
//!
//! - A web identity (a GitHub token through this account's IAM OIDC provider) is named by
//!   `"*"` or by `{"Federated": PROVIDER_ARN}`; principals are compared literally (a lone `*`
//!   is the only wildcard).
//! - A role session is named by everyone (`"*"`, `{"AWS": "*"}`), its account (`ACCOUNT` or
//!   `arn:PARTITION:iam::ACCOUNT:root`), its role's ARN, or its own session ARN
//!   (`arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION`).
//! - `NotPrincipal` excepts a role session only when it names the account, the role **and** the
//!   session: "AWS might validate the account first, then the role, and then the assumed-role
//!   user", so a Deny whose `NotPrincipal` misses one of them may still deny the session. cawiz
//!   counts such a Deny as applying.
//! - An identity policy has no principal: it applies to the identity it is attached to.

use serde_json::Value;

use super::strings;
use super::terms::{Caller, Tri};

/// The entries of a principal value of `kind` (`AWS`, `Federated`); `"*"` stands for all kinds.
fn entries(value: &Value, kind: &str) -> Vec<String> {
    match value {
        Value::String(s) if s == "*" => vec!["*".to_owned()],
        Value::Object(map) => strings(map.get(kind)),
        _ => Vec::new(),
    }
}

struct SessionNames<'a> {
    partition: &'a str,
    account: &'a str,
    role_arn: &'a str,
    role_name: &'a str,
    session: Option<&'a str>,
}

impl<'a> SessionNames<'a> {
    fn new(account: &'a str, role_arn: &'a str, session: Option<&'a str>) -> Self {
        let partition = role_arn
            .strip_prefix("arn:")
            .and_then(|r| r.split(':').next())
            .filter(|p| !p.is_empty())
            .unwrap_or("aws");
        Self {
            partition,
            account,
            role_arn,
            role_name: role_arn.rsplit('/').next().unwrap_or_default(),
            session,
        }
    }

    fn account(&self, e: &str) -> bool {
        e == self.account || e == format!("arn:{}:iam::{}:root", self.partition, self.account)
    }

    fn role(&self, e: &str) -> bool {
        e == self.role_arn
    }

    /// Whether `e` is the session's ARN: yes, no, or maybe (a session of the role whose name
    /// is not known).
    fn session(&self, e: &str) -> Tri {
        let prefix = format!(
            "arn:{}:sts::{}:assumed-role/{}/",
            self.partition, self.account, self.role_name
        );
        match (e.strip_prefix(&prefix), self.session) {
            (Some(name), Some(ours)) => Tri::from_bool(name == ours),
            (Some(name), None) if !name.is_empty() && !name.contains('/') => Tri::Maybe(format!(
                "{e} names one session of the role, and the session name of the request is not known"
            )),
            _ => Tri::No,
        }
    }

    fn names(&self, e: &str) -> Tri {
        if e == "*" || self.account(e) || self.role(e) {
            return Tri::Yes;
        }
        self.session(e)
    }
}

fn web_identity(principal: &Value, provider: &str) -> bool {
    entries(principal, "Federated")
        .iter()
        .any(|e| e == "*" || e == provider)
}

/// Whether the statement applies to `caller` as far as its principal goes.
pub fn applies(st: &Value, caller: &Caller) -> Tri {
    let (principal, not_principal) = (st.get("Principal"), st.get("NotPrincipal"));
    match caller {
        Caller::Attached => Tri::Yes,
        Caller::WebIdentity { provider } => match (principal, not_principal) {
            (Some(p), _) => Tri::from_bool(web_identity(p, provider)),
            (None, Some(p)) => Tri::from_bool(!web_identity(p, provider)),
            (None, None) => Tri::No,
        },
        Caller::Service { name } => match (principal, not_principal) {
            (Some(p), _) => Tri::from_bool(names_service(p, name)),
            (None, Some(p)) => Tri::from_bool(!names_service(p, name)),
            (None, None) => Tri::No,
        },
        Caller::Account { account } => match (principal, not_principal) {
            (Some(p), _) => Tri::any(
                entries(p, "AWS")
                    .iter()
                    .map(|e| names_account(e, account.as_deref())),
            ),
            (None, Some(p)) => {
                Tri::from_bool(!excepts_account(&entries(p, "AWS"), account.as_deref()))
            }
            (None, None) => Tri::No,
        },
        Caller::Session {
            account,
            role_arn,
            session,
        } => {
            let names = SessionNames::new(account, role_arn, session.as_deref());
            match (principal, not_principal) {
                (Some(p), _) => Tri::any(entries(p, "AWS").iter().map(|e| names.names(e))),
                (None, Some(p)) => excepted(&entries(p, "AWS"), &names).negate(),
                (None, None) => Tri::No,
            }
        }
    }
}

/// Whether a principal value names the service principal `name` (or everyone).
fn names_service(principal: &Value, name: &str) -> bool {
    let everyone = entries(principal, "AWS").iter().any(|e| e == "*");
    everyone
        || entries(principal, "Service")
            .iter()
            .any(|e| e == "*" || e == name)
}

/// Whether `e` names the principals of `account` as one: everyone, the account id, or its root
/// ARN. An entry naming one principal of the account (a role, a user, a session) names some of
/// them: maybe. For any account of an organisation (`None`), only everyone surely does.
fn names_account(e: &str, account: Option<&str>) -> Tri {
    if e == "*" {
        return Tri::Yes;
    }
    let Some(account) = account else {
        return Tri::Maybe(format!(
            "{e} names one account or principal, not every account of the organisation"
        ));
    };
    let root = e.starts_with("arn:") && e.ends_with(&format!(":iam::{account}:root"));
    if e == account || root {
        return Tri::Yes;
    }
    let inside = [format!(":iam::{account}:"), format!(":sts::{account}:")];
    if e.starts_with("arn:") && inside.iter().any(|p| e.contains(p.as_str())) {
        return Tri::Maybe(format!(
            "{e} names one principal of account {account}, not the whole account"
        ));
    }
    Tri::No
}

/// Whether a `NotPrincipal` list excepts the account: everyone, or the account itself.
fn excepts_account(list: &[String], account: Option<&str>) -> bool {
    list.iter()
        .any(|e| e == "*" || (account.is_some() && names_account(e, account).is_yes()))
}

/// Whether a `NotPrincipal` list excepts the session: everyone, or its account, role and session.
fn excepted(list: &[String], names: &SessionNames) -> Tri {
    if list.iter().any(|e| e == "*") {
        return Tri::Yes;
    }
    let account = list.iter().any(|e| names.account(e));
    let role = list.iter().any(|e| names.role(e));
    let session = Tri::any(list.iter().map(|e| names.session(e)));
    Tri::from_bool(account && role).and(session)
}
