//! The checklist engine over the wire (TESTING.md layer 3): `cawiz::checklist` (connect, check_all,
//! plan, apply, destroy, run_local_test) through the library API against the in-process sandbox.
//! Preconditions are arranged, and results verified, with the real SDK clients (and plain HTTP for
//! GitHub), independently of cawiz's own AWS code.

mod common;

#[path = "checklist_engine/apply.rs"]
mod apply;
#[path = "checklist_engine/destroy.rs"]
mod destroy;
#[path = "checklist_engine/faults.rs"]
mod faults;
#[path = "checklist_engine/local_test.rs"]
mod local_test;
#[path = "checklist_engine/plan.rs"]
mod plan;
#[path = "checklist_engine/policy_versions.rs"]
mod policy_versions;
#[path = "checklist_engine/simulation.rs"]
mod simulation;
#[path = "checklist_engine/trust.rs"]
mod trust;
#[path = "checklist_engine/variables.rs"]
mod variables;
#[path = "checklist_engine/workflow.rs"]
mod workflow;

use std::collections::BTreeMap;

use cawiz::checklist::{
    self, ApplyError, Context, ItemId, Outcome, Progress, Report, Status, Step,
};
use cawiz::github::GithubClient;
use cawiz::localtest::Options;
use cawiz::setup::Setup;
use cawiz::state::{CreatedResource, State};
use cawiz_sandbox::{SANDBOX_GITHUB_TOKEN, SandboxHandle};

/// The sandbox's default account.
pub const ACCOUNT: &str = cawiz_sandbox::DEFAULT_ACCOUNT_ID;
pub const REGION: &str = "us-east-1";

/// Every item but the local test (which needs pip).
pub const WITHOUT_LOCAL_TEST: [ItemId; 6] = [
    ItemId::Domain,
    ItemId::Repository,
    ItemId::Upstream,
    ItemId::OidcProvider,
    ItemId::Role,
    ItemId::Variables,
];

/// The `complete` scenario's repository (and the default test setup on `empty`).
pub fn widgets() -> Setup {
    Setup::for_github("octo-org", "widgets")
}

/// A context on the sandbox with the sandbox's GitHub token, writes allowed.
pub async fn context(sb: &SandboxHandle, setup: Setup) -> Context {
    context_with(sb, setup, true, false, Options::default()).await
}

pub async fn context_with(
    sb: &SandboxHandle,
    setup: Setup,
    github_token: bool,
    read_only: bool,
    local_test: Options,
) -> Context {
    let github = GithubClient::new(
        &sb.github_url(),
        github_token.then(|| SANDBOX_GITHUB_TOKEN.to_owned()),
    )
    .expect("GitHub client");
    checklist::connect(
        cawiz::sandbox::aws_clients(sb.url(), REGION),
        setup,
        github,
        None,
        local_test,
        read_only,
    )
    .await
    .expect("connect (GetCallerIdentity)")
}

/// The report of `item`.
pub fn report(reports: &[Report], item: ItemId) -> &Report {
    reports
        .iter()
        .find(|r| r.item == item)
        .unwrap_or_else(|| panic!("no report for {item:?} in {reports:#?}"))
}

pub fn status(reports: &[Report], item: ItemId) -> &Status {
    &report(reports, item).status
}

/// A [`Progress`] event, owned (progress borrows from the engine).
#[derive(Debug, Clone)]
pub enum Event {
    ItemStart(ItemId),
    AlreadyDone(ItemId),
    StepStart(Step),
    StepDone(Step, Outcome),
    NeedsYou(ItemId, Vec<Step>),
    ItemDone(ItemId, Status),
    Output(String),
    Destroyed(CreatedResource, String),
}

impl Event {
    pub fn from_progress(p: Progress<'_>) -> Self {
        match p {
            Progress::ItemStart(i) => Event::ItemStart(i),
            Progress::AlreadyDone(r) => Event::AlreadyDone(r.item),
            Progress::StepStart(s) => Event::StepStart(s.clone()),
            Progress::StepDone(s, o) => Event::StepDone(s.clone(), o.clone()),
            Progress::NeedsYou(i, steps) => Event::NeedsYou(i, steps),
            Progress::ItemDone(r) => Event::ItemDone(r.item, r.status.clone()),
            Progress::Output(line) => Event::Output(line.text().to_owned()),
            Progress::Destroyed(r, what) => Event::Destroyed(r.clone(), what.to_owned()),
            Progress::Run(view) => Event::Output(format!("run {}", view.run.status)),
        }
    }
}

/// `checklist::apply`, recording every progress event.
pub async fn apply(
    ctx: &mut Context,
    only: &[ItemId],
) -> (Result<Vec<Report>, ApplyError>, Vec<Event>) {
    let mut events = Vec::new();
    let result = {
        let mut progress = |p: Progress<'_>| events.push(Event::from_progress(p));
        checklist::apply(ctx, only, &mut progress).await
    };
    (result, events)
}

/// `apply` that must succeed.
pub async fn apply_ok(ctx: &mut Context, only: &[ItemId]) -> Vec<Event> {
    let (result, events) = apply(ctx, only).await;
    if let Err(e) = result {
        panic!("apply failed: {e} ({}); events: {events:#?}", e.fix());
    }
    events
}

/// The resources apply created, recorded for `destroy` as `cawiz apply` records them
/// ([`Outcome::record`]).
pub fn created(events: &[Event]) -> Vec<CreatedResource> {
    let mut state = State::new(widgets());
    for event in events {
        if let Event::StepDone(step, outcome) = event {
            outcome.record(step, &mut state);
        }
    }
    state.created
}

/// The steps apply started, in order.
pub fn started(events: &[Event]) -> Vec<Step> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::StepStart(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// The variables cawiz should set for `widgets()` on the sandbox's account.
pub fn widgets_variables() -> BTreeMap<String, String> {
    [
        ("AWS_REGION", REGION.to_owned()),
        ("AWS_ACCOUNT_ID", ACCOUNT.to_owned()),
        (
            "AWS_ROLE_ARN",
            format!("arn:aws:iam::{ACCOUNT}:role/GitHubActions-CodeArtifact"),
        ),
        ("CODEARTIFACT_DOMAIN", "octo-org".to_owned()),
        ("CODEARTIFACT_REPOSITORY", "widgets".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// A role's trust policy, read with the SDK and decoded.
pub async fn trust_policy_of(sb: &SandboxHandle, role: &str) -> serde_json::Value {
    let got = common::iam(sb.url())
        .get_role()
        .role_name(role)
        .send()
        .await
        .expect("GetRole");
    let doc = got
        .role
        .expect("a role")
        .assume_role_policy_document
        .expect("a trust policy");
    common::decode_policy(&doc)
}

/// Creates the domain with the SDK.
pub async fn sdk_create_domain(sb: &SandboxHandle, domain: &str) {
    common::codeartifact(sb.url())
        .create_domain()
        .domain(domain)
        .send()
        .await
        .expect("CreateDomain (SDK)");
}

/// Creates GitHub's OIDC provider with the SDK, with `client_id`.
pub async fn sdk_create_oidc_provider(
    sb: &SandboxHandle,
    client_id: &str,
    thumbprint: &str,
) -> String {
    common::iam(sb.url())
        .create_open_id_connect_provider()
        .url("https://token.actions.githubusercontent.com")
        .client_id_list(client_id)
        .thumbprint_list(thumbprint)
        .send()
        .await
        .expect("CreateOpenIDConnectProvider (SDK)")
        .open_id_connect_provider_arn
        .expect("an ARN")
}

/// Creates a role with the SDK.
pub async fn sdk_create_role(sb: &SandboxHandle, name: &str, trust: &serde_json::Value) {
    common::iam(sb.url())
        .create_role()
        .role_name(name)
        .assume_role_policy_document(trust.to_string())
        .send()
        .await
        .expect("CreateRole (SDK)");
}

/// Runs an async SDK call from inside a synchronous progress callback (multi-thread runtime only).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(f))
}
