//! A job's steps as the runner shows them: their names ("Set up job", "Run actions/checkout@…",
//! "Post Check out", "Complete job"), how long each takes on the sandbox clock, the header the
//! runner logs before a step (`##[group]Run …`, the `with:`/`env:` echo), and the output of the
//! steps that do not touch AWS (checkout, setup-python, artifacts), simulated.

use super::context::Cx;
use super::state::{Dist, Scratch, StepKind, dir_name};
use super::workflow::{JobDef, StepDef, Workflow, token_permission_lines};

/// Actions whose post step the runner shows (`Post <name>`).
const WITH_POST: &[&str] = &[
    "actions/checkout",
    "actions/setup-python",
    "aws-actions/configure-aws-credentials",
];

/// The name the runner gives a workflow step: its `name:`, else `Run <uses>` or `Run <first line
/// of the script>`.
pub fn step_name(step: &StepDef, cx: &Cx<'_>) -> String {
    if let Some(name) = &step.name {
        return cx.interpolate(name);
    }
    if let Some(uses) = &step.uses {
        return format!("Run {uses}");
    }
    let first = step
        .run
        .as_deref()
        .and_then(|r| r.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or_default();
    format!("Run {}", cx.interpolate(first))
}

/// The steps of a job, in the order the runner runs them.
pub fn plan(def: &JobDef) -> Vec<StepKind> {
    let mut kinds = vec![StepKind::SetUp];
    kinds.extend((0..def.steps.len()).map(StepKind::Workflow));
    let posts = def
        .steps
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, s)| s.action().is_some_and(|a| WITH_POST.contains(&a.as_str())));
    kinds.extend(posts.map(|(i, _)| StepKind::Post(i)));
    kinds.push(StepKind::Complete);
    kinds
}

/// How long a step takes on the sandbox clock, in milliseconds.
pub fn duration_ms(kind: &StepKind, def: &JobDef) -> u64 {
    let step = match kind {
        StepKind::SetUp => return 1000,
        StepKind::Complete | StepKind::Post(_) => return 300,
        StepKind::Workflow(i) => def.steps.get(*i),
    };
    let Some(step) = step else { return 300 };
    match step.action().as_deref() {
        Some("actions/setup-python") => 1000,
        Some("actions/checkout") => 800,
        Some(_) => 600,
        None => {
            let script = step.run.as_deref().unwrap_or_default();
            let heavy = [
                "pip install",
                "-m build",
                "twine upload",
                "aws codeartifact",
            ];
            let extra: u64 = heavy.iter().filter(|h| script.contains(*h)).count() as u64;
            400 + 200 * extra.min(3)
        }
    }
}

/// The shell line the runner echoes for a `run:` step.
fn shell_line(step: &StepDef, workflow: &Workflow) -> String {
    match step.shell.as_deref().or(workflow.default_shell.as_deref()) {
        Some("bash") => "shell: /usr/bin/bash --noprofile --norc -e -o pipefail {0}".to_owned(),
        Some("sh") => "shell: /usr/bin/sh -e {0}".to_owned(),
        Some("python") => "shell: /usr/bin/python {0}".to_owned(),
        Some(other) => format!("shell: {other}"),
        None => "shell: /usr/bin/bash -e {0}".to_owned(),
    }
}

/// The runner's header for a step: `##[group]Run …`, the inputs and environment, `##[endgroup]`.
/// `cx.env` is the environment in force (workflow, job, exported, step).
pub fn header(step: &StepDef, name: &str, cx: &Cx<'_>) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(uses) = &step.uses {
        lines.push(format!("##[group]Run {uses}"));
        let mut with: Vec<(String, String)> = step
            .with
            .iter()
            .map(|(k, v)| (k.clone(), cx.interpolate(v)))
            .collect();
        if step.action().as_deref() == Some(super::workflow::CONFIGURE_AWS_CREDENTIALS)
            && step.input("audience").is_none()
        {
            with.push((
                "audience".to_owned(),
                crate::oidc::DEFAULT_AUDIENCE.to_owned(),
            ));
        }
        if !with.is_empty() {
            lines.push("with:".to_owned());
            lines.extend(with.iter().map(|(k, v)| format!("  {k}: {v}")));
        }
    } else {
        let script = cx.interpolate(step.run.as_deref().unwrap_or_default());
        let first = script
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or(name);
        lines.push(format!("##[group]Run {}", first.trim()));
        lines.extend(
            script
                .trim_end()
                .lines()
                .map(|l| format!("\x1b[36;1m{l}\x1b[0m")),
        );
        lines.push(shell_line(step, &cx.run.workflow));
    }
    if !cx.env.is_empty() {
        lines.push("env:".to_owned());
        lines.extend(cx.env.iter().map(|(k, v)| format!("  {k}: {v}")));
    }
    lines.push("##[endgroup]".to_owned());
    lines
}

/// "Set up job": the runner, its image, the token's permissions, the actions it downloads.
pub fn set_up(workflow: &Workflow, def: &JobDef, name: &str) -> Vec<String> {
    let mut lines: Vec<String> = [
        "Current runner version: '2.329.0'",
        "##[group]Operating System",
        "Ubuntu",
        "24.04.3",
        "LTS",
        "##[endgroup]",
        "##[group]Runner Image",
        "Image: ubuntu-24.04",
        "Version: 20251112.124.1",
        "##[endgroup]",
        "##[group]GITHUB_TOKEN Permissions",
    ]
    .map(str::to_owned)
    .to_vec();
    lines.extend(token_permission_lines(workflow, def));
    lines.push("##[endgroup]".to_owned());
    lines.push("Secret source: Actions".to_owned());
    lines.push("Prepare workflow directory".to_owned());
    lines.push("Prepare all required actions".to_owned());
    lines.push("Getting action download info".to_owned());
    for uses in def.steps.iter().filter_map(|s| s.uses.as_deref()) {
        let sha = uses.split('@').nth(1).unwrap_or_default();
        lines.push(format!("Download action repository '{uses}' (SHA:{sha})"));
    }
    lines.push(format!("Complete job name: {name}"));
    lines
}

pub fn complete() -> Vec<String> {
    vec!["Cleaning up orphan processes".to_owned()]
}

pub fn post(step: &StepDef, name: &str) -> Vec<String> {
    let mut lines = vec!["Post job cleanup.".to_owned()];
    if step.action().as_deref() == Some("actions/checkout") {
        lines.push("[command]/usr/bin/git version".to_owned());
        lines.push("git version 2.51.2".to_owned());
    }
    if step.action().as_deref() == Some("actions/setup-python") {
        lines.push(format!("{name}: no cache to save"));
    }
    lines
}

/// A step's outcome: its output lines and whether it succeeded.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub lines: Vec<String>,
    pub ok: bool,
}

impl Outcome {
    pub fn ok(lines: Vec<String>) -> Self {
        Self { lines, ok: true }
    }

    /// A failure: `lines`, then `##[error]message`.
    pub fn failed(mut lines: Vec<String>, message: &str) -> Self {
        lines.push(format!("##[error]{message}"));
        Self { lines, ok: false }
    }
}

/// The simulated output of an action that does not touch AWS; `None` for one the sandbox does not
/// know (it succeeds with no output).
pub fn simulated_action(
    action: &str,
    step: &StepDef,
    cx: &Cx<'_>,
    scratch: &mut Scratch,
    artifacts: &mut std::collections::BTreeMap<String, Vec<Dist>>,
) -> Outcome {
    let run = cx.run;
    let input = |name: &str| step.input(name).map(|v| cx.interpolate(v));
    match action {
        "actions/checkout" => Outcome::ok(vec![
            format!("Syncing repository: {}/{}", run.owner, run.repo),
            "##[group]Getting Git version info".to_owned(),
            format!(
                "Working directory is '/home/runner/work/{}/{}'",
                run.repo, run.repo
            ),
            "[command]/usr/bin/git version".to_owned(),
            "git version 2.51.2".to_owned(),
            "##[endgroup]".to_owned(),
            "##[group]Checking out the ref".to_owned(),
            format!(
                "[command]/usr/bin/git checkout --progress --force {}",
                run.event.sha
            ),
            "##[endgroup]".to_owned(),
            "[command]/usr/bin/git log -1 --format=%H".to_owned(),
            run.event.sha.clone(),
        ]),
        "actions/setup-python" => {
            let version = input("python-version").unwrap_or_else(|| "3.12".to_owned());
            let location = format!("/opt/hostedtoolcache/Python/{version}.12/x64");
            scratch.export("pythonLocation", location.clone());
            scratch.export("Python_ROOT_DIR", location.clone());
            scratch.export("Python3_ROOT_DIR", location.clone());
            scratch.export("LD_LIBRARY_PATH", format!("{location}/lib"));
            Outcome::ok(vec![
                "##[group]Installed versions".to_owned(),
                format!("Successfully set up CPython ({version}.12)"),
                "##[endgroup]".to_owned(),
            ])
        }
        "actions/upload-artifact" => {
            let name = input("name").unwrap_or_else(|| "artifact".to_owned());
            let path = input("path").unwrap_or_default();
            let files = scratch.dir(&path).to_vec();
            if files.is_empty() {
                let message = format!(
                    "No files were found with the provided path: {path}. No artifacts will be uploaded."
                );
                if input("if-no-files-found").as_deref() == Some("error") {
                    return Outcome::failed(Vec::new(), &message);
                }
                return Outcome::ok(vec![format!("##[warning]{message}")]);
            }
            let size: usize = files.iter().map(|d| d.bytes.len()).sum();
            let count = files.len();
            artifacts.insert(name.clone(), files);
            Outcome::ok(vec![
                format!("With the provided path, there will be {count} files uploaded"),
                "Artifact name is valid!".to_owned(),
                format!(
                    "Artifact {name} has been successfully uploaded! Final size is {size} bytes."
                ),
            ])
        }
        "actions/download-artifact" => {
            let name = input("name").unwrap_or_default();
            let path = input("path").unwrap_or_default();
            match artifacts.get(&name) {
                Some(files) => {
                    scratch.dirs.insert(dir_name(&path), files.clone());
                    Outcome::ok(vec![
                        "Downloading single artifact".to_owned(),
                        "Artifact download completed successfully.".to_owned(),
                        "Total of 1 artifact(s) downloaded".to_owned(),
                        "Download artifact has finished successfully".to_owned(),
                    ])
                }
                None => Outcome::failed(
                    vec!["Downloading single artifact".to_owned()],
                    &format!("Unable to download artifact(s): Artifact not found for name: {name}"),
                ),
            }
        }
        _ => Outcome::ok(Vec::new()),
    }
}
