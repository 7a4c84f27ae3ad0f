//! Item 2, the repository: DescribeRepository (+ its PyPI endpoint); apply = CreateRepository.

use crate::aws::RepositoryInfo;

use super::rows::{Row, Verdict};
use super::{Action, Context, ItemId, Report, Status};

pub fn description(ctx: &Context) -> String {
    format!(
        "Python packages for {}/{}",
        ctx.setup.github_owner, ctx.setup.github_repo
    )
}

pub async fn check(ctx: &Context) -> Report {
    let s = &ctx.setup;
    let (found, endpoint) = tokio::join!(
        ctx.clients
            .describe_repository(&s.domain, &ctx.account, &s.repository),
        ctx.clients
            .pypi_endpoint(&s.domain, &ctx.account, &s.repository)
    );
    match found {
        Ok(found) => assess(ctx, found, endpoint.ok()),
        Err(e) => Report::new(ItemId::Repository, Status::Error(e.into())),
    }
}

pub fn assess(ctx: &Context, found: Option<RepositoryInfo>, endpoint: Option<String>) -> Report {
    let s = &ctx.setup;
    let Some(r) = found else {
        let mut report = Report::new(
            ItemId::Repository,
            Status::Missing {
                summary: format!("no repository {} in domain {}", s.repository, s.domain),
            },
        );
        report.actions.push(Action::CreateRepository {
            domain: s.domain.clone(),
            owner: ctx.account.clone(),
            repository: s.repository.clone(),
            description: description(ctx),
        });
        let id = format!("{}/{}", s.domain, s.repository);
        report
            .details
            .notes
            .extend(ctx.created_elsewhere("repository", &id));
        report.details.rows = vec![
            Row::new(
                "repository",
                format!("Repository {} in {}", s.repository, s.domain),
                Verdict::Fail,
            )
            .evidence(format!(
                "DescribeRepository {}: ResourceNotFoundException",
                s.repository
            ))
            .fix("create it (apply)", Some(ItemId::Repository)),
        ];
        return report;
    };
    let mut report = Report::new(
        ItemId::Repository,
        Status::Done {
            summary: format!("{} in {}", r.name, s.domain),
        },
    );
    let details = &mut report.details;
    details.rows = vec![
        Row::new(
            "repository",
            format!("Repository {} in {}", s.repository, s.domain),
            Verdict::Ok,
        )
        .evidence(format!("DescribeRepository: {}", r.arn)),
        Row::new(
            "pypi-endpoint",
            "PyPI endpoint",
            if endpoint.is_some() {
                Verdict::Ok
            } else {
                Verdict::Unknown("GetRepositoryEndpoint did not answer".to_owned())
            },
        )
        .evidence(endpoint.clone().unwrap_or_default()),
    ];
    details.fact("repository", &r.name);
    details.fact("ARN", &r.arn);
    details.fact(
        "description",
        r.description.clone().unwrap_or_else(|| "(none)".to_owned()),
    );
    details.fact(
        "upstreams",
        if r.upstreams.is_empty() {
            "(none)".to_owned()
        } else {
            r.upstreams.join(", ")
        },
    );
    details.fact(
        "external connections",
        if r.external_connections.is_empty() {
            "(none)".to_owned()
        } else {
            r.external_connections
                .iter()
                .map(|(name, status)| format!("{name} ({status})"))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    details.fact(
        "pypi endpoint",
        endpoint.unwrap_or_else(|| "(unavailable)".to_owned()),
    );
    if r.description.as_deref() != Some(description(ctx).as_str()) {
        details.notes.push(format!(
            "The description differs from cawiz's ({:?}); cawiz adopts the repository as it is.",
            description(ctx)
        ));
    }
    report
}
