//! Item 4, GitHub's OIDC provider in IAM. An account has at most one per URL: adopt it, add the
//! client id when missing. Thumbprints are shown, never judged (AWS validates GitHub's certificate
//! against trusted CAs since July 2023).

use crate::aws::{AwsError, OidcProviderInfo};
use crate::policy::{
    GITHUB_OIDC_HOST, GITHUB_OIDC_URL, GITHUB_THUMBPRINT, OIDC_AUDIENCE, oidc_provider_arn,
};
use crate::setup::AuthMethod;

use super::rows::{Row, Verdict};
use super::{Action, Context, ItemId, Report, Status};

pub async fn check(ctx: &Context) -> Report {
    if ctx.setup.auth == AuthMethod::AccessKeys {
        return Report::new(
            ItemId::OidcProvider,
            Status::Done {
                summary: "not used: the setup stores access keys instead of using OIDC".to_owned(),
            },
        );
    }
    match find(ctx).await {
        Ok(found) => assess(ctx, found),
        Err(e) => Report::new(ItemId::OidcProvider, Status::Error(e.into())),
    }
}

/// GitHub's provider in the account, by the ARN derived from its URL, else by listing (in case IAM
/// spells the ARN differently).
pub async fn find(ctx: &Context) -> Result<Option<OidcProviderInfo>, AwsError> {
    let arn = oidc_provider_arn(&ctx.setup.region, &ctx.account);
    if let Some(provider) = ctx.clients.get_oidc_provider(&arn).await? {
        return Ok(Some(provider));
    }
    let suffix = format!("/{GITHUB_OIDC_HOST}");
    let arns = ctx.clients.list_oidc_providers().await?;
    match arns.iter().find(|a| a.to_lowercase().ends_with(&suffix)) {
        Some(other) => ctx.clients.get_oidc_provider(other).await,
        None => Ok(None),
    }
}

pub fn assess(ctx: &Context, found: Option<OidcProviderInfo>) -> Report {
    let Some(p) = found else {
        let mut report = Report::new(
            ItemId::OidcProvider,
            Status::Missing {
                summary: format!(
                    "no OIDC provider for {GITHUB_OIDC_URL} in account {}",
                    ctx.account
                ),
            },
        );
        report.actions.push(Action::CreateOidcProvider {
            url: GITHUB_OIDC_URL.to_owned(),
            client_id: OIDC_AUDIENCE.to_owned(),
            thumbprint: GITHUB_THUMBPRINT.to_owned(),
        });
        return report;
    };
    let has_client = p.client_ids.iter().any(|c| c == OIDC_AUDIENCE);
    let status = if has_client {
        Status::Done {
            summary: format!("{GITHUB_OIDC_HOST} with client id {OIDC_AUDIENCE}"),
        }
    } else {
        Status::Drift {
            summary: format!("the provider exists but does not list the client id {OIDC_AUDIENCE}"),
            diff: vec![format!("+ client id: {OIDC_AUDIENCE}")],
            findings: Vec::new(),
        }
    };
    let mut report = Report::new(ItemId::OidcProvider, status);
    if !has_client {
        report.actions.push(Action::AddOidcClientId {
            arn: p.arn.clone(),
            client_id: OIDC_AUDIENCE.to_owned(),
        });
    }
    let d = &mut report.details;
    d.rows = vec![
        Row::new("provider", "GitHub's OIDC provider exists", Verdict::Ok)
            .evidence(format!("GetOpenIDConnectProvider: {}", p.arn)),
        Row::new(
            "provider-audience",
            format!("Client id {OIDC_AUDIENCE}"),
            Verdict::from_ok(has_client),
        )
        .evidence(format!("ClientIDList: [{}]", p.client_ids.join(", ")))
        .fix(
            "add it (apply: AddClientIDToOpenIDConnectProvider)",
            Some(ItemId::OidcProvider),
        ),
    ];
    d.fact("ARN", &p.arn);
    d.fact("URL", &p.url);
    d.fact("client ids", p.client_ids.join(", "));
    d.fact("thumbprints", p.thumbprints.join(", "));
    d.notes.push(
        "Thumbprints are informational: since July 2023 AWS validates GitHub's certificate against \
         trusted root CAs, so cawiz never flags or rewrites them."
            .to_owned(),
    );
    report
}
