//! Item 1, the CodeArtifact domain: DescribeDomain; apply = CreateDomain.

use crate::aws::DomainInfo;

use super::rows::{Row, Verdict};
use super::{Action, Context, ItemId, Report, Status};

pub async fn check(ctx: &Context) -> Report {
    match ctx
        .clients
        .describe_domain(&ctx.setup.domain, &ctx.account)
        .await
    {
        Ok(found) => assess(ctx, found),
        Err(e) => Report::new(ItemId::Domain, Status::Error(e.into())),
    }
}

/// The status and plan for what DescribeDomain answered.
pub fn assess(ctx: &Context, found: Option<DomainInfo>) -> Report {
    let domain = &ctx.setup.domain;
    let Some(d) = found else {
        let mut report = Report::new(
            ItemId::Domain,
            Status::Missing {
                summary: format!(
                    "no domain {domain} in account {} ({})",
                    ctx.account, ctx.setup.region
                ),
            },
        );
        report.actions.push(Action::CreateDomain {
            domain: domain.clone(),
        });
        report
            .details
            .notes
            .extend(ctx.created_elsewhere("domain", domain));
        report.details.rows = vec![exists_row(ctx, None)];
        return report;
    };
    let status = if d.status.is_empty() || d.status == "Active" {
        Status::Done {
            summary: format!(
                "{} (owner {}, {} {})",
                d.name,
                d.owner,
                d.repository_count,
                if d.repository_count == 1 {
                    "repository"
                } else {
                    "repositories"
                }
            ),
        }
    } else {
        Status::Drift {
            summary: format!(
                "domain {} is {}, not Active: wait for it, or pick another name",
                d.name, d.status
            ),
            diff: vec![
                format!("- status: {}", d.status),
                "+ status: Active".to_owned(),
            ],
            findings: Vec::new(),
        }
    };
    let mut report = Report::new(ItemId::Domain, status);
    let details = &mut report.details;
    details.rows = vec![
        exists_row(ctx, Some(&d)),
        Row::new(
            "domain-active",
            "Status Active",
            Verdict::from_ok(d.status.is_empty() || d.status == "Active"),
        )
        .evidence(format!("DescribeDomain status: {}", d.status))
        .fix("wait for it, or pick another name", None),
    ];
    details.fact("domain", &d.name);
    details.fact("owner", &d.owner);
    details.fact("ARN", &d.arn);
    details.fact("status", &d.status);
    details.fact(
        "KMS key",
        d.encryption_key
            .clone()
            .unwrap_or_else(|| "AWS-managed (aws/codeartifact)".to_owned()),
    );
    details.fact("repositories", d.repository_count.to_string());
    report
}

fn exists_row(ctx: &Context, found: Option<&DomainInfo>) -> Row {
    let name = &ctx.setup.domain;
    let title = format!("Domain {name} in {} ({})", ctx.account, ctx.setup.region);
    match found {
        Some(d) => {
            Row::new("domain", title, Verdict::Ok).evidence(format!("DescribeDomain: {}", d.arn))
        }
        None => Row::new("domain", title, Verdict::Fail)
            .evidence(format!("DescribeDomain {name}: ResourceNotFoundException"))
            .fix("create it (apply)", Some(ItemId::Domain)),
    }
}
