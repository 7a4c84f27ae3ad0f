//! `pip install` in a job, simulated: what pip reports at the end (`Successfully installed …`), and
//! for `-r FILE` (a file an earlier line wrote with a here-document) pip's hash-checking mode —
//! with `--require-hashes`, or as soon as one requirement has a `--hash` — refusing a requirement
//! that is not pinned with `==` or has no `--hash`, with pip's words and exit code 1. Hashes are
//! not compared with files (the sandbox downloads none).

use super::sh::{Exit, Sh, flag, option};

/// Versions `pip install` reports for the tools a publish workflow installs by name.
const KNOWN: &[(&str, &str)] = &[
    ("build", "1.3.0"),
    ("twine", "7.0.0"),
    ("pytest", "9.0.1"),
    ("wheel", "0.45.1"),
];

/// One requirement line: `name==version`, and whether it carries a `--hash`.
struct Requirement {
    spec: String,
    pinned: Option<(String, String)>,
    hashed: bool,
}

fn requirement(line: &str) -> Option<Requirement> {
    let line = line.split(" #").next().unwrap_or(line).trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with('-') {
        return None;
    }
    let spec = line.split_whitespace().next().unwrap_or(line).to_owned();
    let pinned = spec
        .split_once("==")
        .map(|(n, v)| (n.to_owned(), v.to_owned()));
    Some(Requirement {
        hashed: line.contains("--hash="),
        spec,
        pinned,
    })
}

fn failed(sh: &mut Sh<'_, '_>, lines: Vec<String>) -> Exit {
    sh.say_all(lines);
    Err(1)
}

/// `pip install -r FILE`: the file's requirements, checked in hash-checking mode.
fn from_file(sh: &mut Sh<'_, '_>, path: &str, require_hashes: bool) -> Exit {
    let Some(text) = sh.scratch.files.get(path).cloned() else {
        return failed(
            sh,
            vec![format!(
                "ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{path}'"
            )],
        );
    };
    let reqs: Vec<Requirement> = text.lines().filter_map(requirement).collect();
    let hashing = require_hashes || reqs.iter().any(|r| r.hashed);
    let unpinned: Vec<&Requirement> = reqs.iter().filter(|r| r.pinned.is_none()).collect();
    if hashing && !unpinned.is_empty() {
        let mut lines = vec![
            "ERROR: In --require-hashes mode, all requirements must have their versions pinned \
             with ==. These do not:"
                .to_owned(),
        ];
        lines.extend(
            unpinned
                .iter()
                .map(|r| format!("    {} from -r {path}", r.spec)),
        );
        return failed(sh, lines);
    }
    let unhashed: Vec<&Requirement> = reqs.iter().filter(|r| !r.hashed).collect();
    if hashing && !unhashed.is_empty() {
        let mut lines = vec![
            "ERROR: Hashes are required in --require-hashes mode, but they are missing from some \
             requirements. Here is a list of those requirements along with the hashes their \
             downloaded archives actually had. You can add lines like these to your requirements \
             files to prevent tampering. (If you did not enable --require-hashes manually, note \
             that it turns on automatically when any package has a hash.)"
                .to_owned(),
        ];
        lines.extend(unhashed.iter().map(|r| format!("    {}", r.spec)));
        return failed(sh, lines);
    }
    let installed: Vec<String> = reqs
        .iter()
        .map(|r| match &r.pinned {
            Some((name, version)) => format!("{name}-{version}"),
            None => r.spec.clone(),
        })
        .collect();
    if !installed.is_empty() {
        sh.say(format!("Successfully installed {}", installed.join(" ")));
    }
    Ok(String::new())
}

/// `pip install …`: what pip reports at the end.
pub fn pip(sh: &mut Sh<'_, '_>, args: &[String]) -> Exit {
    if args.first().map(String::as_str) != Some("install") {
        return Ok(String::new());
    }
    if let Some(path) = option(args, &["-r", "--requirement"]) {
        return from_file(sh, &path, flag(args, "--require-hashes"));
    }
    let installed: Vec<String> = args[1..]
        .iter()
        .filter(|a| !a.starts_with('-') && *a != ".")
        .map(|a| {
            let name = a.split(['=', '<', '>', '[']).next().unwrap_or(a);
            KNOWN
                .iter()
                .find(|(k, _)| *k == name)
                .map_or_else(|| name.to_owned(), |(k, v)| format!("{k}-{v}"))
        })
        .collect();
    if !installed.is_empty() {
        sh.say(format!("Successfully installed {}", installed.join(" ")));
    }
    Ok(String::new())
}
