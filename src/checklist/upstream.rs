//! Item 3, the PyPI upstream: a repository with the external connection (public:pypi) that the main
//! repository lists as its upstream. Apply order: create the upstream → connect it → reference it,
//! so nothing ever names a repository that does not exist yet (the guide's first mistake).

use crate::aws::RepositoryInfo;

use super::rows::{Row, Verdict};
use super::{Action, Context, ItemId, Report, Status};

pub fn description(ctx: &Context) -> String {
    format!(
        "Proxy of {} for domain {} (cawiz)",
        ctx.setup.external_connection, ctx.setup.domain
    )
}

pub async fn check(ctx: &Context) -> Report {
    let s = &ctx.setup;
    let (upstream, main) = tokio::join!(
        ctx.clients
            .describe_repository(&s.domain, &ctx.account, &s.upstream),
        ctx.clients
            .describe_repository(&s.domain, &ctx.account, &s.repository)
    );
    match (upstream, main) {
        (Ok(upstream), Ok(main)) => assess(ctx, upstream, main),
        (Err(e), _) | (_, Err(e)) => Report::new(ItemId::Upstream, Status::Error(e.into())),
    }
}

pub fn assess(
    ctx: &Context,
    upstream: Option<RepositoryInfo>,
    main: Option<RepositoryInfo>,
) -> Report {
    let s = &ctx.setup;
    let mut actions = Vec::new();
    let mut diff = Vec::new();
    let mut findings = Vec::new();
    let connection = upstream.as_ref().and_then(|u| {
        u.external_connections
            .iter()
            .find(|(name, _)| *name == s.external_connection)
            .cloned()
    });
    match &upstream {
        None => actions.push(Action::CreateRepository {
            domain: s.domain.clone(),
            owner: ctx.account.clone(),
            repository: s.upstream.clone(),
            description: description(ctx),
        }),
        Some(u) => {
            if let Some((other, _)) = u
                .external_connections
                .iter()
                .find(|(name, _)| *name != s.external_connection)
            {
                findings.push(crate::policy::Finding {
                    severity: crate::policy::Severity::Error,
                    message: format!(
                        "{} is connected to {other}; a repository has at most one external connection",
                        s.upstream
                    ),
                    fix: format!(
                        "pick another upstream repository name (cawiz init --upstream NAME), or \
                         disassociate {other} from {}",
                        s.upstream
                    ),
                });
            }
        }
    }
    if connection.is_none() && findings.is_empty() {
        if upstream.is_some() {
            diff.push(format!(
                "+ {}: external connection {}",
                s.upstream, s.external_connection
            ));
        }
        actions.push(Action::AssociateExternalConnection {
            domain: s.domain.clone(),
            owner: ctx.account.clone(),
            repository: s.upstream.clone(),
            connection: s.external_connection.clone(),
        });
    }
    let current: Vec<String> = main
        .as_ref()
        .map(|m| m.upstreams.clone())
        .unwrap_or_default();
    if !current.contains(&s.upstream) {
        if main.is_some() && upstream.is_some() {
            diff.push(format!("+ {}: upstream {}", s.repository, s.upstream));
        }
        let mut upstreams = current.clone();
        upstreams.push(s.upstream.clone());
        actions.push(Action::SetUpstreams {
            domain: s.domain.clone(),
            owner: ctx.account.clone(),
            repository: s.repository.clone(),
            upstreams,
        });
    }
    let status = if upstream.is_none() {
        Status::Missing {
            summary: format!("no upstream repository {} in {}", s.upstream, s.domain),
        }
    } else if !findings.is_empty() || !actions.is_empty() {
        Status::Drift {
            summary: if findings.is_empty() {
                format!(
                    "{} exists but is not wired: {}",
                    s.upstream,
                    diff.iter()
                        .map(|d| d.trim_start_matches("+ "))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            } else {
                findings
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            },
            diff,
            findings: findings.clone(),
        }
    } else {
        match &connection {
            Some((name, state)) if !state.is_empty() && state != "Available" => Status::Drift {
                summary: format!("{name} on {} is {state}, not Available yet", s.upstream),
                diff: vec![format!("- {name}: {state}"), format!("+ {name}: Available")],
                findings: Vec::new(),
            },
            _ => Status::Done {
                summary: format!(
                    "{} → {} → {}",
                    s.repository, s.upstream, s.external_connection
                ),
            },
        }
    };
    let mut report = Report::new(ItemId::Upstream, status);
    report.actions = actions;
    report.details.findings = findings;
    report.details.rows = rows(ctx, upstream.as_ref(), main.as_ref(), connection.as_ref());
    report
}

/// The chain as rows: the upstream exists, has the external connection (Available), and the
/// repository lists it.
fn rows(
    ctx: &Context,
    upstream: Option<&RepositoryInfo>,
    main: Option<&RepositoryInfo>,
    connection: Option<&(String, String)>,
) -> Vec<Row> {
    let s = &ctx.setup;
    let fix = |what: &str| format!("{what} (apply)");
    let exists = Row::new(
        "upstream-exists",
        format!("Repository {} exists", s.upstream),
        Verdict::from_ok(upstream.is_some()),
    )
    .evidence(match upstream {
        Some(u) => format!("DescribeRepository: {}", u.arn),
        None => format!("DescribeRepository {}: not found", s.upstream),
    })
    .fix(fix("create it"), Some(ItemId::Upstream));
    let connected = match (upstream, connection) {
        (None, _) => Verdict::Skip(format!("no repository {}", s.upstream)),
        (Some(_), Some((_, state))) if state.is_empty() || state == "Available" => Verdict::Ok,
        (Some(_), Some(_)) => Verdict::Warn,
        (Some(_), None) => Verdict::Fail,
    };
    let connected = Row::new(
        "external-connection",
        format!("{} connected to {}", s.upstream, s.external_connection),
        connected,
    )
    .evidence(match connection {
        Some((name, state)) => format!("externalConnections: {name} ({state})"),
        None => "externalConnections: (none)".to_owned(),
    })
    .fix(fix("associate it"), Some(ItemId::Upstream));
    let linked = match main {
        None => Row::new(
            "upstream-linked",
            format!("{} lists {} as upstream", s.repository, s.upstream),
            Verdict::Skip(format!("no repository {}", s.repository)),
        ),
        Some(m) => Row::new(
            "upstream-linked",
            format!("{} lists {} as upstream", s.repository, s.upstream),
            Verdict::from_ok(m.upstreams.contains(&s.upstream)),
        )
        .evidence(format!(
            "DescribeRepository {} upstreams: [{}]",
            s.repository,
            m.upstreams.join(", ")
        )),
    };
    vec![
        exists,
        connected,
        linked.fix(fix("add it, keeping the others"), Some(ItemId::Upstream)),
    ]
}
