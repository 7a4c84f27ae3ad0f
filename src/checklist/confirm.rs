//! Reading before GetCallerIdentity answers. Every read names the account (the domain's owner,
//! the ARNs), so waiting for GetCallerIdentity costs a round trip. When the account is expected —
//! the setup's, else the one the state recorded — the reads start with it at once and
//! GetCallerIdentity runs beside them to confirm it; if it answers with another account, what was
//! read is thrown away and read again with the confirmed one (one more round trip, only then).
//! Nothing is judged from an account GetCallerIdentity did not confirm.

use futures::FutureExt as _;
use futures::future::BoxFuture;

use crate::aws::{AwsErrorKind, Clients, Identity};
use crate::github::GithubClient;
use crate::localtest::Options;
use crate::setup::Setup;
use crate::state::{Known, LocalTestRecord};

use super::learned::Learned;
use super::workflow::WorkflowSettings;
use super::{Context, ItemError};

/// The account to read with before GetCallerIdentity answers: the setup's, else the recorded one.
pub fn expected_account(setup: &Setup, known: &Known) -> Option<String> {
    setup
        .account_id
        .clone()
        .or_else(|| known.account_id.clone())
}

/// A context for `setup` whose account is `expected` (empty: unknown), not confirmed yet: use it
/// through [`confirmed`].
pub fn unconfirmed(
    clients: Clients,
    setup: Setup,
    github: GithubClient,
    local_test: Option<LocalTestRecord>,
    local_test_config: Options,
    read_only: bool,
    known: &Known,
) -> Context {
    let account = expected_account(&setup, known).unwrap_or_default();
    Context {
        clients,
        setup,
        known: known.in_account(&account),
        learned: Learned::new(known, &account),
        account,
        caller_arn: String::new(),
        github,
        local_test,
        local_test_config,
        read_only,
        created: Vec::new(),
        workflow: WorkflowSettings::default(),
        setup_changed_at: None,
    }
}

/// Takes GetCallerIdentity's answer: the account, the caller, and what is known in that account.
pub fn confirm(ctx: &mut Context, identity: Identity) {
    if ctx.account != identity.account {
        ctx.known = ctx.known.in_account(&identity.account);
        ctx.learned = Learned::new(&ctx.known, &identity.account);
    }
    ctx.account = identity.account;
    ctx.caller_arn = identity.arn;
}

/// Reads to run with a context: they get the account only once confirmed, or the expected one.
pub type Reads<'r, T> = dyn for<'a> Fn(&'a Context) -> BoxFuture<'a, T> + Send + Sync + 'r;

/// Runs `reads` (read-only) on `ctx` with its account confirmed by GetCallerIdentity: at once,
/// beside GetCallerIdentity, when an account is expected; again when GetCallerIdentity answered
/// with another one. A failing GetCallerIdentity (or the setup's account not being the caller's)
/// ends it with that error, whatever the reads were doing.
pub async fn confirmed<T: Send>(ctx: &mut Context, reads: &Reads<'_, T>) -> Result<T, ItemError> {
    let clients = ctx.clients.clone();
    let setup = ctx.setup.clone();
    if ctx.account.is_empty() {
        let identity = identify(&clients, &setup).await?;
        confirm(ctx, identity);
        return Ok(reads(ctx).await);
    }
    let expected = ctx.account.clone();
    let (identity, read) =
        futures::future::try_join(identify(&clients, &setup), reads(ctx).map(Ok)).await?;
    let same = identity.account == expected;
    confirm(ctx, identity);
    if same {
        return Ok(read);
    }
    tracing::debug!(
        expected,
        account = ctx.account,
        "the recorded account is not the caller's: read again"
    );
    drop(read);
    Ok(reads(ctx).await)
}

/// Resolves the account from GetCallerIdentity and checks it against the setup.
pub async fn identify(clients: &Clients, setup: &Setup) -> Result<Identity, ItemError> {
    let identity = clients.caller_identity().await?;
    if let Some(want) = &setup.account_id
        && *want != identity.account
    {
        return Err(ItemError {
            kind: AwsErrorKind::AccessDenied,
            message: format!(
                "the credentials belong to account {} ({}), but the setup is for account {want}",
                identity.account, identity.arn
            ),
            fix: format!(
                "use credentials for account {want} (--profile), or record the setup for this account \
                 with `cawiz init --account-id {}`",
                identity.account
            ),
        });
    }
    Ok(identity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setups_account_comes_first_then_the_recorded_one() {
        let mut setup = Setup::for_github("octo-org", "widgets");
        let known = Known {
            account_id: Some("210987654321".into()),
            ..Known::default()
        };
        assert_eq!(expected_account(&setup, &Known::default()), None);
        assert_eq!(
            expected_account(&setup, &known).as_deref(),
            Some("210987654321")
        );
        setup.account_id = Some("123456789012".into());
        assert_eq!(
            expected_account(&setup, &known).as_deref(),
            Some("123456789012")
        );
    }
}
