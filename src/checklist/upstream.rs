//! Item 3, the upstreams: per format of the setup, a repository with the format's external
//! connection (`pypi-store` on public:pypi, `npm-store` on public:npmjs) that the main repository
//! lists as an upstream, in the order of the setup's formats. Apply order: create each upstream →
//! connect it → reference it, so nothing ever names a repository that does not exist yet (the
//! guide's first mistake).

use crate::aws::RepositoryInfo;
use crate::format::FormatSetup;

use super::rows::{Row, Verdict};
use super::{Action, Context, ItemId, Report, Status};

/// One format's upstream: its repository name and external connection.
#[derive(Debug, Clone, Copy)]
struct Link<'a> {
    upstream: &'a str,
    connection: &'a str,
}

impl<'a> Link<'a> {
    fn of(f: &'a FormatSetup) -> Option<Self> {
        Some(Link {
            upstream: f.upstream.as_deref()?,
            connection: f.external_connection.as_deref()?,
        })
    }
}

/// The upstreams of the setup's formats, in order (generic has none).
fn links(ctx: &Context) -> Vec<Link<'_>> {
    ctx.setup.formats.iter().filter_map(Link::of).collect()
}

pub fn description(ctx: &Context, connection: &str) -> String {
    format!(
        "Proxy of {connection} for domain {} (cawiz)",
        ctx.setup.domain
    )
}

pub async fn check(ctx: &Context) -> Report {
    let s = &ctx.setup;
    let links = links(ctx);
    let reads = links.iter().map(|l| {
        ctx.clients
            .describe_repository(&s.domain, &ctx.account, l.upstream)
    });
    let (upstreams, main) = tokio::join!(
        futures::future::join_all(reads),
        ctx.clients
            .describe_repository(&s.domain, &ctx.account, &s.repository)
    );
    let main = match main {
        Ok(main) => main,
        Err(e) => return Report::new(ItemId::Upstream, Status::Error(e.into())),
    };
    let mut found = Vec::new();
    for read in upstreams {
        match read {
            Ok(u) => found.push(u),
            Err(e) => return Report::new(ItemId::Upstream, Status::Error(e.into())),
        }
    }
    assess(ctx, found, main)
}

/// What one upstream needs and what is wrong with it.
#[derive(Default)]
struct Judged {
    actions: Vec<Action>,
    diff: Vec<String>,
    findings: Vec<crate::policy::Finding>,
    /// The connection's name and state, when the upstream has it.
    connection: Option<(String, String)>,
}

/// One upstream's repository and connection (not yet its link from the main repository).
fn judge(ctx: &Context, link: Link<'_>, upstream: Option<&RepositoryInfo>) -> Judged {
    let s = &ctx.setup;
    let mut j = Judged {
        connection: upstream.and_then(|u| {
            u.external_connections
                .iter()
                .find(|(name, _)| name == link.connection)
                .cloned()
        }),
        ..Judged::default()
    };
    match upstream {
        None => j.actions.push(Action::CreateRepository {
            domain: s.domain.clone(),
            owner: ctx.account.clone(),
            repository: link.upstream.to_owned(),
            description: description(ctx, link.connection),
        }),
        Some(u) => {
            if let Some((other, _)) = u
                .external_connections
                .iter()
                .find(|(name, _)| name != link.connection)
            {
                j.findings.push(crate::policy::Finding {
                    severity: crate::policy::Severity::Error,
                    message: format!(
                        "{} is connected to {other}; a repository has at most one external connection",
                        link.upstream
                    ),
                    fix: format!(
                        "pick another upstream repository name (cawiz init --upstream NAME), or \
                         disassociate {other} from {}",
                        link.upstream
                    ),
                });
            }
        }
    }
    if j.connection.is_none() && j.findings.is_empty() {
        if upstream.is_some() {
            j.diff.push(format!(
                "+ {}: external connection {}",
                link.upstream, link.connection
            ));
        }
        j.actions.push(Action::AssociateExternalConnection {
            domain: s.domain.clone(),
            owner: ctx.account.clone(),
            repository: link.upstream.to_owned(),
            connection: link.connection.to_owned(),
        });
    }
    j
}

pub fn assess(
    ctx: &Context,
    upstreams: Vec<Option<RepositoryInfo>>,
    main: Option<RepositoryInfo>,
) -> Report {
    let s = &ctx.setup;
    let links = links(ctx);
    let mut judged: Vec<Judged> = links
        .iter()
        .zip(&upstreams)
        .map(|(l, u)| judge(ctx, *l, u.as_ref()))
        .collect();
    // The main repository's list: ours appended one by one, in the formats' order, each step
    // after its upstream exists and is connected.
    let mut listed: Vec<String> = main
        .as_ref()
        .map(|m| m.upstreams.clone())
        .unwrap_or_default();
    for ((l, u), j) in links.iter().zip(&upstreams).zip(judged.iter_mut()) {
        if listed.iter().any(|x| x == l.upstream) {
            continue;
        }
        if main.is_some() && u.is_some() {
            j.diff
                .push(format!("+ {}: upstream {}", s.repository, l.upstream));
        }
        listed.push(l.upstream.to_owned());
        j.actions.push(Action::SetUpstreams {
            domain: s.domain.clone(),
            owner: ctx.account.clone(),
            repository: s.repository.clone(),
            upstreams: listed.clone(),
        });
    }
    let status = status(ctx, &links, &upstreams, &judged);
    let mut report = Report::new(ItemId::Upstream, status);
    for j in &mut judged {
        report.actions.append(&mut j.actions);
        report.details.findings.append(&mut j.findings.clone());
    }
    report.details.rows = links
        .iter()
        .zip(&upstreams)
        .zip(&judged)
        .flat_map(|((l, u), j)| rows(ctx, *l, u.as_ref(), main.as_ref(), j.connection.as_ref()))
        .collect();
    report
}

/// Missing when an upstream does not exist, drift when one is not wired (or holds another
/// connection, or its connection is not Available yet), else done.
fn status(
    ctx: &Context,
    links: &[Link<'_>],
    upstreams: &[Option<RepositoryInfo>],
    judged: &[Judged],
) -> Status {
    let s = &ctx.setup;
    let missing: Vec<&str> = links
        .iter()
        .zip(upstreams)
        .filter(|(_, u)| u.is_none())
        .map(|(l, _)| l.upstream)
        .collect();
    if !missing.is_empty() {
        return Status::Missing {
            summary: format!(
                "no upstream repository {} in {}",
                missing.join(", "),
                s.domain
            ),
        };
    }
    let findings: Vec<String> = judged
        .iter()
        .flat_map(|j| j.findings.iter().map(|f| f.message.clone()))
        .collect();
    let unwired: Vec<(&Link<'_>, &Judged)> = links
        .iter()
        .zip(judged)
        .filter(|(_, j)| !j.actions.is_empty())
        .collect();
    let diff: Vec<String> = judged.iter().flat_map(|j| j.diff.clone()).collect();
    if !findings.is_empty() || !unwired.is_empty() {
        let summary = if findings.is_empty() {
            unwired
                .iter()
                .map(|(l, j)| {
                    format!(
                        "{} exists but is not wired: {}",
                        l.upstream,
                        j.diff
                            .iter()
                            .map(|d| d.trim_start_matches("+ "))
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        } else {
            findings.join("; ")
        };
        return Status::Drift {
            summary,
            diff,
            findings: judged.iter().flat_map(|j| j.findings.clone()).collect(),
        };
    }
    let pending = links
        .iter()
        .zip(judged)
        .find_map(|(l, j)| match &j.connection {
            Some((name, state)) if !state.is_empty() && state != "Available" => {
                Some((l.upstream, name.clone(), state.clone()))
            }
            _ => None,
        });
    if let Some((upstream, name, state)) = pending {
        return Status::Drift {
            summary: format!("{name} on {upstream} is {state}, not Available yet"),
            diff: vec![format!("- {name}: {state}"), format!("+ {name}: Available")],
            findings: Vec::new(),
        };
    }
    Status::Done {
        summary: links
            .iter()
            .map(|l| format!("{} → {} → {}", s.repository, l.upstream, l.connection))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// One upstream's chain as rows: it exists, has the external connection (Available), and the
/// repository lists it.
fn rows(
    ctx: &Context,
    link: Link<'_>,
    upstream: Option<&RepositoryInfo>,
    main: Option<&RepositoryInfo>,
    connection: Option<&(String, String)>,
) -> Vec<Row> {
    let s = &ctx.setup;
    let fix = |what: &str| format!("{what} (apply)");
    let exists = Row::new(
        "upstream-exists",
        format!("Repository {} exists", link.upstream),
        Verdict::from_ok(upstream.is_some()),
    )
    .evidence(match upstream {
        Some(u) => format!("DescribeRepository: {}", u.arn),
        None => format!("DescribeRepository {}: not found", link.upstream),
    })
    .fix(fix("create it"), Some(ItemId::Upstream));
    let connected = match (upstream, connection) {
        (None, _) => Verdict::Skip(format!("no repository {}", link.upstream)),
        (Some(_), Some((_, state))) if state.is_empty() || state == "Available" => Verdict::Ok,
        (Some(_), Some(_)) => Verdict::Warn,
        (Some(_), None) => Verdict::Fail,
    };
    let connected = Row::new(
        "external-connection",
        format!("{} connected to {}", link.upstream, link.connection),
        connected,
    )
    .evidence(match connection {
        Some((name, state)) => format!("externalConnections: {name} ({state})"),
        None => "externalConnections: (none)".to_owned(),
    })
    .fix(fix("associate it"), Some(ItemId::Upstream));
    let title = format!("{} lists {} as upstream", s.repository, link.upstream);
    let linked = match main {
        None => Row::new(
            "upstream-linked",
            title,
            Verdict::Skip(format!("no repository {}", s.repository)),
        ),
        Some(m) => Row::new(
            "upstream-linked",
            title,
            Verdict::from_ok(m.upstreams.iter().any(|u| u == link.upstream)),
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
