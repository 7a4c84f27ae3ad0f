//! A run's progress on the sandbox clock: queued for a second, then each job once the jobs it
//! `needs` are done (a second to pick up a runner), its `if:` deciding whether it is skipped, then
//! its steps one after the other, each taking its time (`steps::duration_ms`). A step's effects
//! — assuming the role, the CodeArtifact calls, the upload — happen when it completes: `advance`
//! is called before every request and by the test handle, and catches a run up to `now`, so the
//! same clock gives the same run. Jobs run in `jobs:` order when several are ready at once.

use std::collections::BTreeMap;
use std::time::SystemTime;

use super::context::Cx;
use super::credentials;
use super::logs;
use super::runner::Runner;
use super::script;
use super::sh::{Sh, runner_defaults};
use super::state::{Conclusion, Dist, Job, Run, Status, Step, StepKind, after};
use super::steps::{self, Outcome};
use super::workflow::CONFIGURE_AWS_CREDENTIALS;

/// Between a job's needs completing and the job starting.
const PICKUP_MS: u64 = 1000;

/// Catches `run` up to `now`.
pub fn advance(run: &mut Run, runner: &mut Runner<'_>, now: SystemTime) {
    if now < run.started {
        return;
    }
    if run.status == Status::Queued {
        run.status = Status::InProgress;
        run.updated = run.started;
    }
    loop {
        let mut moved = false;
        for j in 0..run.jobs.len() {
            moved |= match run.jobs[j].status {
                Status::Queued => start_job(run, j, runner, now),
                Status::InProgress => advance_steps(run, j, runner, now),
                Status::Completed => false,
            };
        }
        if !moved {
            break;
        }
    }
    if run.jobs.iter().all(|j| j.status == Status::Completed) {
        let failed = run
            .jobs
            .iter()
            .any(|j| j.conclusion == Some(Conclusion::Failure));
        run.status = Status::Completed;
        run.conclusion = Some(if failed {
            Conclusion::Failure
        } else {
            Conclusion::Success
        });
        run.updated = run
            .jobs
            .iter()
            .filter_map(|j| j.completed)
            .max()
            .unwrap_or(run.started);
    }
}

/// Starts (or skips) a queued job whose needs are done; whether it changed.
fn start_job(run: &mut Run, j: usize, runner: &mut Runner<'_>, now: SystemTime) -> bool {
    let job = &run.jobs[j];
    let needs: Vec<&Job> = job
        .def
        .needs
        .iter()
        .filter_map(|n| run.jobs.iter().find(|other| &other.key == n))
        .collect();
    if needs.iter().any(|n| n.status != Status::Completed) {
        return false;
    }
    let ready = needs
        .iter()
        .filter_map(|n| n.completed)
        .max()
        .map_or(run.started, |t| after(t, PICKUP_MS));
    if ready > now {
        return false;
    }
    let mut cx = Cx::new(run, &runner.world.github);
    cx.job = Some(job.key.clone());
    cx.succeeded = needs
        .iter()
        .all(|n| n.conclusion == Some(Conclusion::Success));
    cx.needs = needs
        .iter()
        .map(|n| {
            let result = n.conclusion.map_or("", |c| c.as_str());
            (n.key.clone(), result.to_owned())
        })
        .collect();
    let runs = cx.holds(job.def.condition.as_deref());
    let name = job
        .def
        .name
        .as_deref()
        .map_or_else(|| job.key.clone(), |n| cx.interpolate(n));
    let plan = steps::plan(&job.def);
    let names: Vec<String> = plan.iter().map(|k| step_name(k, job, &cx)).collect();
    let reusable = job.def.uses.clone();
    drop(cx);

    let job = &mut run.jobs[j];
    job.name = name;
    job.started = Some(ready);
    if !runs {
        job.status = Status::Completed;
        job.conclusion = Some(Conclusion::Skipped);
        job.completed = Some(ready);
        return true;
    }
    if let Some(uses) = reusable {
        let message =
            format!("##[error]The cawiz sandbox does not run reusable workflows ({uses})");
        logs::append(&mut job.log, ready, &[message], &[]);
        job.status = Status::Completed;
        job.conclusion = Some(Conclusion::Failure);
        job.completed = Some(ready);
        return true;
    }
    job.status = Status::InProgress;
    job.steps = plan
        .into_iter()
        .zip(names)
        .enumerate()
        .map(|(i, (kind, name))| Step {
            name,
            number: i as u32 + 1,
            kind,
            status: Status::Queued,
            conclusion: None,
            started: None,
            completed: None,
        })
        .collect();
    true
}

fn step_name(kind: &StepKind, job: &Job, cx: &Cx<'_>) -> String {
    match kind {
        StepKind::SetUp => "Set up job".to_owned(),
        StepKind::Complete => "Complete job".to_owned(),
        StepKind::Workflow(i) => job
            .def
            .steps
            .get(*i)
            .map(|s| steps::step_name(s, cx))
            .unwrap_or_default(),
        StepKind::Post(i) => job
            .def
            .steps
            .get(*i)
            .map_or_else(String::new, |s| format!("Post {}", steps::step_name(s, cx))),
    }
}

/// Runs the steps of a job that are due; whether anything changed.
fn advance_steps(run: &mut Run, j: usize, runner: &mut Runner<'_>, now: SystemTime) -> bool {
    let mut moved = false;
    loop {
        let job = &run.jobs[j];
        let Some(i) = job.steps.iter().position(|s| s.status != Status::Completed) else {
            let job = &mut run.jobs[j];
            job.status = Status::Completed;
            job.completed = job.steps.last().and_then(|s| s.completed).or(job.started);
            job.conclusion = Some(if job.scratch.failed {
                Conclusion::Failure
            } else {
                Conclusion::Success
            });
            return true;
        };
        let start = match i {
            0 => job.started,
            _ => job.steps[i - 1].completed,
        }
        .unwrap_or(now);
        if job.steps[i].started.is_none() {
            let runs = step_runs(run, j, i, runner);
            let step = &mut run.jobs[j].steps[i];
            step.started = Some(start);
            moved = true;
            if !runs {
                step.status = Status::Completed;
                step.conclusion = Some(Conclusion::Skipped);
                step.completed = Some(start);
                continue;
            }
            step.status = Status::InProgress;
        }
        let job = &run.jobs[j];
        let done = after(start, steps::duration_ms(&job.steps[i].kind, &job.def));
        if done > now {
            return moved;
        }
        execute(run, j, i, runner, start, done);
        moved = true;
    }
}

/// Whether step `i` of job `j` runs: its `if:` for a workflow step, its main step having run for
/// a post step.
fn step_runs(run: &Run, j: usize, i: usize, runner: &Runner<'_>) -> bool {
    let job = &run.jobs[j];
    match &job.steps[i].kind {
        StepKind::SetUp | StepKind::Complete => true,
        StepKind::Post(k) => job
            .steps
            .iter()
            .any(|s| s.kind == StepKind::Workflow(*k) && s.conclusion != Some(Conclusion::Skipped)),
        StepKind::Workflow(k) => {
            let mut cx = step_cx(run, job, runner);
            cx.extend_env(&job.def.steps[*k].env);
            cx.holds(job.def.steps[*k].condition.as_deref())
        }
    }
}

/// The contexts of a step of `job`: the run's, the job's `env`, what earlier steps exported.
fn step_cx<'r>(run: &'r Run, job: &Job, runner: &Runner<'_>) -> Cx<'r> {
    let mut cx = Cx::new(run, &runner.world.github);
    cx.job = Some(job.key.clone());
    cx.succeeded = !job.scratch.failed;
    cx.extend_env(&job.def.env);
    for (k, v) in &job.scratch.env {
        cx.env.retain(|(name, _)| name != k);
        cx.env.push((k.clone(), v.clone()));
    }
    cx
}

/// Runs step `i` of job `j`, which started at `start` and completes at `done`.
fn execute(
    run: &mut Run,
    j: usize,
    i: usize,
    runner: &mut Runner<'_>,
    start: SystemTime,
    done: SystemTime,
) {
    let mut job = run.jobs.remove(j);
    let mut artifacts = std::mem::take(&mut run.artifacts);
    let kind = job.steps[i].kind.clone();
    let outcome = match &kind {
        StepKind::SetUp => Outcome::ok(steps::set_up(&run.workflow, &job.def, &job.name)),
        StepKind::Complete => Outcome::ok(steps::complete()),
        StepKind::Post(k) => {
            let name = job.steps[i].name.trim_start_matches("Post ").to_owned();
            Outcome::ok(steps::post(&job.def.steps[*k], &name))
        }
        StepKind::Workflow(k) => workflow_step(run, &mut job, i, *k, runner, &mut artifacts),
    };
    run.artifacts = artifacts;
    let masks = job.scratch.masks.clone();
    logs::append(&mut job.log, start, &outcome.lines, &masks);
    if !outcome.ok {
        job.scratch.failed = true;
    }
    let step = &mut job.steps[i];
    step.status = Status::Completed;
    step.completed = Some(done);
    step.conclusion = Some(if outcome.ok {
        Conclusion::Success
    } else {
        Conclusion::Failure
    });
    run.jobs.insert(j, job);
    run.updated = done;
}

/// A step of the workflow: the runner's header, then what the step does.
fn workflow_step(
    run: &Run,
    job: &mut Job,
    i: usize,
    k: usize,
    runner: &mut Runner<'_>,
    artifacts: &mut BTreeMap<String, Vec<Dist>>,
) -> Outcome {
    let step = job.def.steps[k].clone();
    let mut cx = step_cx(run, job, runner);
    cx.extend_env(&step.env);
    let mut lines = steps::header(&step, &job.steps[i].name, &cx);
    let outcome = match step.action().as_deref() {
        Some(CONFIGURE_AWS_CREDENTIALS) => credentials::configure(runner, run, job, &step, &cx),
        Some(action) => steps::simulated_action(action, &step, &cx, &mut job.scratch, artifacts),
        None => {
            let text = cx.interpolate(step.run.as_deref().unwrap_or_default());
            let mut vars = runner_defaults(run);
            vars.extend(cx.env.iter().cloned());
            let mut sh = Sh {
                runner,
                scratch: &mut job.scratch,
                run,
                vars,
                lines: Vec::new(),
            };
            match script::run(&mut sh, &text) {
                Ok(()) => Outcome::ok(sh.lines),
                Err(code) => Outcome::failed(
                    sh.lines,
                    &format!("Process completed with exit code {code}."),
                ),
            }
        }
    };
    lines.extend(outcome.lines);
    Outcome {
        lines,
        ok: outcome.ok,
    }
}

/// When `run` next changes on its own (a step completing, a job starting, the queue ending);
/// `None` when it has completed.
pub fn next_due(run: &Run, now: SystemTime) -> Option<SystemTime> {
    if run.status == Status::Completed {
        return None;
    }
    if now < run.started {
        return Some(run.started);
    }
    let mut due: Option<SystemTime> = None;
    let mut earliest = |t: SystemTime| due = Some(due.map_or(t, |d| d.min(t)));
    for job in &run.jobs {
        match job.status {
            Status::InProgress => {
                let i = job.steps.iter().position(|s| s.status != Status::Completed);
                let step_start = |i: usize| match i {
                    0 => job.started,
                    _ => job.steps[i - 1].completed,
                };
                match i.and_then(|i| step_start(i).map(|s| (i, s))) {
                    Some((i, start)) => {
                        earliest(after(
                            start,
                            steps::duration_ms(&job.steps[i].kind, &job.def),
                        ));
                    }
                    None => earliest(now),
                }
            }
            Status::Queued => {
                let needs: Vec<&Job> = job
                    .def
                    .needs
                    .iter()
                    .filter_map(|n| run.jobs.iter().find(|other| &other.key == n))
                    .collect();
                if needs.iter().all(|n| n.status == Status::Completed) {
                    let ready = needs.iter().filter_map(|n| n.completed).max();
                    earliest(ready.map_or(run.started, |t| after(t, PICKUP_MS)));
                }
            }
            Status::Completed => {}
        }
    }
    due
}
