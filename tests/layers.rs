//! The arrows point one way: `cawiz` → `cawiz-sandbox` and never back, and no import cycle between
//! the source files of either crate.
//!
//! File A imports file B when A names, in a `use` or in any path, a module whose body lives in B
//! (`crate::x::y`, `super::…`, `self::child::…`, or a child module by its name). Declaring a child
//! (`mod child;`) is not an import, and neither is a module naming its own ancestors (`super::Shared`
//! from a child): Rust lets a child see its parents' items, and a parent that lists its children is
//! their table of contents, not their peer. A cycle — A imports B and B, directly or not, imports
//! A — means the two files are one unit pretending to be two; the fix is to move what both need
//! into a file of its own that imports neither.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// Where each module's body lives, and which modules each module declares.
#[derive(Default)]
struct Modules {
    file_of: BTreeMap<Vec<String>, PathBuf>,
    children: BTreeMap<Vec<String>, BTreeSet<String>>,
}

impl Modules {
    fn is_module(&self, path: &[String]) -> bool {
        self.file_of.contains_key(path)
    }
}

/// The directory that holds the files of `file`'s child modules.
fn child_dir(file: &Path) -> PathBuf {
    let parent = file.parent().unwrap_or(Path::new("")).to_path_buf();
    match file.file_name().and_then(|n| n.to_str()) {
        Some("lib.rs" | "main.rs" | "mod.rs") => parent,
        _ => parent.join(file.file_stem().unwrap_or_default()),
    }
}

fn child_file(dir: &Path, name: &str, attrs: &[syn::Attribute]) -> PathBuf {
    for attr in attrs {
        if attr.path().is_ident("path")
            && let syn::Meta::NameValue(nv) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            return dir.join(s.value());
        }
    }
    let flat = dir.join(format!("{name}.rs"));
    if flat.exists() {
        flat
    } else {
        dir.join(name).join("mod.rs")
    }
}

fn parse(file: &Path) -> syn::File {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("cannot parse {}: {e}", file.display()))
}

/// Records `items` as the body of `module` (in `file`), following `mod` declarations.
fn discover(mods: &mut Modules, module: Vec<String>, file: &Path, dir: &Path, items: &[syn::Item]) {
    mods.file_of.insert(module.clone(), file.to_path_buf());
    for item in items {
        let syn::Item::Mod(m) = item else { continue };
        let name = m.ident.to_string();
        let mut child = module.clone();
        child.push(name.clone());
        mods.children
            .entry(module.clone())
            .or_default()
            .insert(name.clone());
        match &m.content {
            Some((_, inner)) => discover(mods, child, file, &dir.join(&name), inner),
            None => {
                let path = child_file(dir, &name, &m.attrs);
                let parsed = parse(&path);
                discover(mods, child, &path, &child_dir(&path), &parsed.items);
            }
        }
    }
}

/// Collects the files one file imports.
struct Imports<'a> {
    mods: &'a Modules,
    file: PathBuf,
    module: Vec<String>,
    found: BTreeSet<PathBuf>,
}

impl Imports<'_> {
    /// The deepest module a path names, resolved from the current module.
    fn resolve(&self, segments: &[String]) -> Option<Vec<String>> {
        let first = segments.first()?;
        let (mut at, rest) = match first.as_str() {
            "crate" => (Vec::new(), &segments[1..]),
            "self" => (self.module.clone(), &segments[1..]),
            "super" => {
                let mut at = self.module.clone();
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    at.pop();
                    rest = &rest[1..];
                }
                (at, rest)
            }
            name => {
                let mut child = self.module.clone();
                child.push(name.to_owned());
                if !self.mods.is_module(&child) {
                    return None;
                }
                (child, &segments[1..])
            }
        };
        for segment in rest {
            at.push(segment.clone());
            if !self.mods.is_module(&at) {
                at.pop();
                break;
            }
        }
        Some(at)
    }

    fn record(&mut self, segments: &[String]) {
        if let Some(target) = self.resolve(segments)
            && !self.module.starts_with(&target)
            && let Some(file) = self.mods.file_of.get(&target)
            && *file != self.file
        {
            self.found.insert(file.clone());
        }
    }
}

fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut full = prefix.clone();
            if n.ident != "self" {
                full.push(n.ident.to_string());
            }
            out.push(full);
        }
        syn::UseTree::Rename(r) => {
            let mut full = prefix.clone();
            full.push(r.ident.to_string());
            out.push(full);
        }
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_paths(t, prefix, out)),
    }
}

impl<'ast> Visit<'ast> for Imports<'_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut paths = Vec::new();
        use_paths(&item.tree, &mut Vec::new(), &mut paths);
        for path in paths {
            self.record(&path);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1 {
            self.record(&segments);
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        // An inline module's paths resolve from that module; a file module is visited on its own.
        if let Some((_, items)) = &m.content {
            self.module.push(m.ident.to_string());
            for item in items {
                self.visit_item(item);
            }
            self.module.pop();
        }
    }
}

/// file → the files it imports, for the crate whose root is `root`.
fn import_graph(root: &Path) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let mut mods = Modules::default();
    let parsed = parse(root);
    discover(&mut mods, Vec::new(), root, &child_dir(root), &parsed.items);
    let mut files: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for (module, file) in &mods.file_of {
        let entry = files.entry(file.clone()).or_insert_with(|| module.clone());
        if module.len() < entry.len() {
            *entry = module.clone();
        }
    }
    files
        .into_iter()
        .map(|(file, module)| {
            let ast = parse(&file);
            let mut imports = Imports {
                mods: &mods,
                file: file.clone(),
                module,
                found: BTreeSet::new(),
            };
            imports.visit_file(&ast);
            (file, imports.found)
        })
        .collect()
}

/// The strongly connected components with more than one file (Tarjan).
fn cycles(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct Tarjan<'g> {
        graph: &'g BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'g PathBuf, usize>,
        low: BTreeMap<&'g PathBuf, usize>,
        stack: Vec<&'g PathBuf>,
        on_stack: BTreeSet<&'g PathBuf>,
        out: Vec<Vec<PathBuf>>,
    }
    impl<'g> Tarjan<'g> {
        fn visit(&mut self, v: &'g PathBuf) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.out.push(component);
                }
            }
        }
    }
    let mut t = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v) {
            t.visit(v);
        }
    }
    t.out
}

fn describe(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>, cycle: &[PathBuf]) -> String {
    let members: BTreeSet<&PathBuf> = cycle.iter().collect();
    let mut lines = Vec::new();
    for file in cycle {
        for target in graph.get(file).into_iter().flatten() {
            if members.contains(target) {
                lines.push(format!("    {} → {}", file.display(), target.display()));
            }
        }
    }
    lines.join("\n")
}

fn assert_acyclic(crate_dir: &str, root: &str) {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = base.join(crate_dir).join(root);
    let graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = import_graph(&root)
        .into_iter()
        .map(|(file, targets)| {
            let rel = |p: &Path| p.strip_prefix(base).unwrap_or(p).to_path_buf();
            (rel(&file), targets.iter().map(|t| rel(t)).collect())
        })
        .collect();
    assert!(graph.len() > 10, "found only {} files", graph.len());
    let found = cycles(&graph);
    let report: Vec<String> = found
        .iter()
        .map(|c| format!("  a cycle of {} files:\n{}", c.len(), describe(&graph, c)))
        .collect();
    assert!(
        found.is_empty(),
        "import cycles in {crate_dir}:\n{}",
        report.join("\n")
    );
}

#[test]
fn the_product_has_no_import_cycle() {
    assert_acyclic(".", "src/lib.rs");
}

#[test]
fn the_sandbox_has_no_import_cycle() {
    assert_acyclic("crates/sandbox", "src/lib.rs");
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn no_file_of_the_sandbox_names_cawiz() {
    let sandbox = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/sandbox");
    let files = rust_files(&sandbox);
    assert!(files.len() > 20, "found only {} files", files.len());
    let naming: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).expect("readable");
            text.contains("cawiz::") || text.contains("extern crate cawiz;")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(naming.is_empty(), "sandbox files naming cawiz: {naming:?}");
}

#[test]
fn cargo_metadata_shows_the_dependency_one_way() {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let deps = |name: &str| -> Vec<String> {
        let package = meta["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no package {name}"));
        package["dependencies"]
            .as_array()
            .expect("dependencies")
            .iter()
            .map(|d| d["name"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert!(deps("cawiz").contains(&"cawiz-sandbox".to_owned()));
    assert!(!deps("cawiz-sandbox").contains(&"cawiz".to_owned()));
}

#[test]
fn the_checker_sees_a_cycle() {
    let mut graph = BTreeMap::new();
    let (a, b, c) = (PathBuf::from("a"), PathBuf::from("b"), PathBuf::from("c"));
    graph.insert(a.clone(), BTreeSet::from([b.clone()]));
    graph.insert(b.clone(), BTreeSet::from([c.clone()]));
    graph.insert(c.clone(), BTreeSet::from([a.clone()]));
    assert_eq!(cycles(&graph), vec![vec![a.clone(), b.clone(), c.clone()]]);
    graph.insert(c, BTreeSet::new());
    assert!(cycles(&graph).is_empty());
}
