//! The layering of the workspace (ARCHITECTURE.md, "Invariants"), checked on the source and
//! the manifests, so that a change that breaks a layer fails here rather than in review:
//! - crates: the `mlc` library links no command-line crate (clap, notify, ctrlc, ...),
//!   `mlc-ide` no LSP crate, and nothing depends on the `mlc` binary's crate;
//! - the library's modules: each names (`crate::...`) only the modules below it, the
//!   bottom of the pipeline knows no salsa, only the database reads files, and no stage
//!   prints;
//! - the editor stack: `mlc-ide` knows no LSP types, and `mlc-lsp` reaches the compiler only
//!   through `mlc-ide`'s plain data and the compiler's edge modules (the diagnostic model,
//!   the formatter, the embedded stdlib), never its syntax trees, name resolution, types,
//!   database or evaluator; inside the server, the modules depend on each other without
//!   a cycle.
//!
//! Code under `#[cfg(test)]` (each file's tests, at its end) is not checked: a test may
//! build what it needs from any layer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot read {}", dir.display());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The Rust files of `path` (a directory or one file), relative to the repository, with
/// their code: comments removed, and with `tests` the `#[cfg(test)]` part too (each file's
/// tests, at its end, and `tests.rs` files), line numbers kept.
fn code_of(path: &str, tests: bool) -> Vec<(PathBuf, String)> {
    let root = repository().join(path);
    let mut files = Vec::new();
    if root.is_dir() {
        rust_files(&root, &mut files);
    } else {
        files.push(root);
    }
    files.sort();
    files
        .into_iter()
        .filter(|file| tests || file.file_name().is_some_and(|name| name != "tests.rs"))
        .map(|file| {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let code: Vec<&str> = text
                .lines()
                .take_while(|line| tests || line.trim() != "#[cfg(test)]")
                .map(|line| line.split("//").next().unwrap_or_default())
                .collect();
            (file, code.join("\n"))
        })
        .collect()
}

/// Every line of the Rust files under `dir` (their tests too) that mentions one of
/// `forbidden`.
fn offending(dir: &str, forbidden: &[&str]) -> Vec<String> {
    matching(code_of(dir, true), dir, forbidden)
}

/// `file` as the repository names it.
fn shown(file: &Path) -> String {
    let root = repository().canonicalize().unwrap_or_else(|_| repository());
    let file = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
    file.strip_prefix(&root)
        .unwrap_or(&file)
        .display()
        .to_string()
}

/// Every line of `files` that mentions one of `forbidden`.
fn matching(files: Vec<(PathBuf, String)>, dir: &str, forbidden: &[&str]) -> Vec<String> {
    assert!(!files.is_empty(), "no Rust files under {dir}");
    let mut out = Vec::new();
    for (file, code) in files {
        for (number, line) in code.lines().enumerate() {
            if forbidden.iter().any(|word| line.contains(word)) {
                out.push(format!("{}:{}: {}", shown(&file), number + 1, line.trim()));
            }
        }
    }
    out
}

/// Every path that `code` names through `root::` (`crate::types::Type`, and each path of a
/// group such as `crate::{db, eval::Data}`), without `root::`: `types::Type`, `db`,
/// `eval::Data`; with the line it is on.
fn paths_under(code: &str, root: &str) -> Vec<(usize, String)> {
    let prefix = format!("{root}::");
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find(&prefix) {
        let start = from + at;
        from = start + prefix.len();
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let line = code[..start].matches('\n').count() + 1;
        let mut paths = Vec::new();
        tree(&code[from..], "", &mut paths);
        found.extend(paths.into_iter().map(|path| (line, path)));
    }
    found
}

/// The paths of a `use` tree at the start of `text` (`a::b`, `a::{b, c::d}`, `{a, b}`),
/// each after `prefix`.
fn tree(text: &str, prefix: &str, out: &mut Vec<String>) {
    let text = text.trim_start();
    if let Some(inner) = text.strip_prefix('{') {
        let mut depth = 0;
        let mut item = String::new();
        for c in inner.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    tree(&item, prefix, out);
                    item.clear();
                    continue;
                }
                _ => {}
            }
            item.push(c);
        }
        if !item.trim().is_empty() {
            tree(&item, prefix, out);
        }
        return;
    }
    let mut path = String::new();
    let mut rest = text;
    loop {
        let ident: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if ident.is_empty() {
            break;
        }
        if !path.is_empty() {
            path.push_str("::");
        }
        path.push_str(&ident);
        rest = &rest[ident.len()..];
        match rest.strip_prefix("::") {
            Some(after) if after.starts_with('{') => {
                tree(after, &format!("{prefix}{path}::"), out);
                return;
            }
            Some(after) => rest = after,
            None => break,
        }
    }
    if path == "self" {
        // `a::{self, b}` names `a` itself.
        out.push(prefix.trim_end_matches("::").to_string());
    } else if !path.is_empty() {
        out.push(format!("{prefix}{path}"));
    }
}

/// The `crate::` paths of the library module `module` (`compiler/src/<module>`) that are
/// neither inside it nor under one of `allowed` (module names, or longer paths such as
/// `checks::table` for one table of a module).
fn disallowed_uses(module: &str, allowed: &[&str]) -> Vec<String> {
    let dir = format!("compiler/src/{module}");
    let path = if repository().join(&dir).is_dir() {
        dir
    } else {
        format!("{dir}.rs")
    };
    let files = code_of(&path, false);
    assert!(!files.is_empty(), "no Rust files for `{module}`");
    let mut out = Vec::new();
    for (file, code) in files {
        for (line, used) in paths_under(&code, "crate") {
            let under = |base: &str| used == base || used.starts_with(&format!("{base}::"));
            if !under(module) && !allowed.iter().any(|base| under(base)) {
                out.push(format!("{}:{line}: crate::{used}", shown(&file)));
            }
        }
    }
    out
}

#[test]
fn the_use_tree_reader_finds_every_path() {
    let code = "use crate::{db::{self, Db}, eval};\nlet x = crate::types::Type::Dyn; mycrate::no;";
    let found: Vec<(usize, String)> = paths_under(code, "crate");
    let expected = [
        (1, "db"),
        (1, "db::Db"),
        (1, "eval"),
        (2, "types::Type::Dyn"),
    ];
    assert_eq!(
        found,
        expected.map(|(line, path)| (line, path.to_string())),
        "{code}"
    );
}

/// Each module of the pipeline's lower half and what it may name besides itself, from the
/// bottom up. The rest of the library (db, checks, k8s, build and the tools) sits above.
const MODULE_LAYERS: &[(&str, &[&str])] = &[
    ("span", &[]),
    // The table of builtins is a leaf: every stage reads it, it reads nothing.
    ("builtins", &[]),
    // The language's regular expressions: a leaf, read by the checker and the evaluator.
    ("regexes", &[]),
    // The diagnostic model knows no stage; it reads the checks' one table for their
    // explanations and SARIF rules.
    ("diagnostic", &["span", "checks::table"]),
    // The parser reports its errors in the diagnostic model, as rustc's does.
    ("syntax", &["span", "diagnostic"]),
    ("names", &["span", "diagnostic", "syntax"]),
    // The checker reads the builtins' signatures from their table (issue 10.3), nothing
    // of the evaluator.
    (
        "types",
        &[
            "span",
            "diagnostic",
            "syntax",
            "names",
            "builtins",
            "regexes",
        ],
    ),
    (
        "eval",
        &[
            "span",
            "builtins",
            "regexes",
            "diagnostic",
            "syntax",
            "names",
            "types",
            "paths",
            "stdlib",
        ],
    ),
];

#[test]
fn each_library_module_uses_only_the_modules_below_it() {
    let found: Vec<String> = MODULE_LAYERS
        .iter()
        .flat_map(|(module, allowed)| disallowed_uses(module, allowed))
        .collect();
    assert!(
        found.is_empty(),
        "these uses cross a layer (ARCHITECTURE.md, \"Invariants\"):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_lower_half_of_the_pipeline_knows_no_salsa() {
    let mut found = Vec::new();
    for module in ["span.rs", "diagnostic", "syntax", "names", "types", "eval"] {
        let dir = format!("compiler/src/{module}");
        found.extend(matching(code_of(&dir, false), &dir, &["salsa::"]));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn only_the_database_reads_files() {
    // `build::OutDir` writes `--out-dir` (and reads back its own index there).
    let found: Vec<String> = matching(
        code_of("compiler/src", false),
        "compiler/src",
        &["std::fs", "File::", "read_dir("],
    )
    .into_iter()
    .filter(|line| !line.starts_with("compiler/src/db/"))
    .filter(|line| !line.starts_with("compiler/src/build/out_dir.rs:"))
    // `testing` is support for tests (fixture folders), never called by a stage.
    .filter(|line| !line.starts_with("compiler/src/testing.rs:"))
    .collect();
    assert!(
        found.is_empty(),
        "source files are read through the database (`Db::file`):\n{}",
        found.join("\n")
    );
}

#[test]
fn no_stage_of_the_library_prints() {
    let found: Vec<String> = matching(
        code_of("compiler/src", false),
        "compiler/src",
        &["println!", "print!(", "eprintln!", "eprint!(", "dbg!("],
    )
    .into_iter()
    // `builtins.trace` prints to stderr, as in Nix: it is the language's own output.
    .filter(|line| !line.contains("eval/builtins/control.rs") || !line.contains("trace: "))
    .collect();
    assert!(
        found.is_empty(),
        "diagnostics are data, rendered by the front ends:\n{}",
        found.join("\n")
    );
}

/// The workspace's packages, by `cargo metadata`.
fn packages() -> Vec<serde_json::Value> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(repository())
        .output()
        .expect("run cargo metadata");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    metadata["packages"].as_array().cloned().unwrap_or_default()
}

fn package_name(package: &serde_json::Value) -> String {
    package["name"].as_str().unwrap_or_default().to_string()
}

/// The dependencies (normal and build, not dev) of each workspace package.
fn dependencies() -> Vec<(String, BTreeSet<String>)> {
    packages()
        .iter()
        .map(|package| {
            let names = package["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|dependency| dependency["kind"].as_str() != Some("dev"))
                .filter_map(|dependency| dependency["name"].as_str().map(str::to_string))
                .collect();
            (package_name(package), names)
        })
        .collect()
}

#[test]
fn crates_depend_only_on_the_layers_below_them() {
    let packages = dependencies();
    let names: BTreeSet<&str> = packages.iter().map(|(name, _)| name.as_str()).collect();
    for package in ["mlc", "mlc-cli", "mlc-ide", "mlc-lsp"] {
        assert!(names.contains(package), "no package {package}: {names:?}");
    }
    // What only the command line needs stays out of the library, and so out of every
    // front end built on it.
    let command_line_only = [
        "clap",
        "notify",
        "ctrlc",
        "mlc-alloc",
        "libmimalloc-sys",
        "similar",
    ];
    let forbidden: &[(&str, &[&str])] = &[
        ("mlc", &command_line_only),
        (
            "mlc",
            &["mlc-cli", "mlc-ide", "mlc-lsp", "lsp-types", "lsp-server"],
        ),
        (
            "mlc-ide",
            &["mlc-cli", "mlc-lsp", "lsp-types", "lsp-server", "clap"],
        ),
        ("mlc-lsp", &["mlc-cli", "clap"]),
    ];
    let mut found = Vec::new();
    for (package, dependencies) in &packages {
        for (name, not) in forbidden {
            found.extend(
                not.iter()
                    .filter(|dep| package == name && dependencies.contains(**dep))
                    .map(|dep| format!("{package} depends on {dep}")),
            );
        }
        if dependencies.contains("mlc-cli") {
            found.push(format!("{package} depends on mlc-cli, the binary's crate"));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

fn read(path: &Path) -> String {
    match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => panic!("cannot read {}: {error}", path.display()),
    }
}

/// Unsafe code lives in `mlc-alloc` alone: every other member of the workspace takes the
/// workspace's lints, which forbid it (so no `allow` inside can bring it back).
#[test]
fn only_the_allocator_crate_may_write_unsafe_code() {
    let root = repository();
    let workspace = read(&root.join("Cargo.toml"));
    assert!(
        workspace.contains("unsafe_code = \"forbid\""),
        "the workspace's lints must forbid unsafe code"
    );
    let packages = packages();
    let name = package_name;
    assert!(
        packages.iter().any(|package| name(package) == "mlc-alloc"),
        "no package mlc-alloc"
    );
    let found: Vec<String> = packages
        .iter()
        .filter(|package| name(package) != "mlc-alloc")
        .filter(|package| {
            let manifest = read(Path::new(
                package["manifest_path"].as_str().unwrap_or_default(),
            ));
            !manifest.contains("[lints]\nworkspace = true")
        })
        .map(|package| format!("{} does not take the workspace's lints", name(package)))
        .collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_ide_layer_knows_no_lsp_types() {
    let found = offending("ide/src", &["lsp_types", "lsp_server", "mlc_lsp"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_server_reaches_the_compiler_only_through_the_ide_layer() {
    let found = offending(
        "lsp/src",
        &[
            "mlc::syntax",
            "mlc::types",
            "mlc::names",
            "mlc::db",
            "mlc::eval",
        ],
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The modules of `lsp/src` (a file, or a folder with its files) and the others each one
/// names through `crate::`.
fn server_module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = repository().join("lsp/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Ok(relative) = file.strip_prefix(&src) else {
            continue;
        };
        let Some(first) = relative.iter().next() else {
            continue;
        };
        let module = first.to_string_lossy().trim_end_matches(".rs").to_string();
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let targets = graph.entry(module.clone()).or_default();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            for (at, _) in code.match_indices("crate::") {
                let name: String = code[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    targets.insert(name);
                }
            }
        }
    }
    graph
}

/// A path from `from` back to itself through `graph`, if there is one.
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![from.to_string()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last()?;
        for next in graph.get(last).into_iter().flatten() {
            if next == from {
                let mut cycle = path.clone();
                cycle.push(next.clone());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn the_server_modules_import_each_other_without_a_cycle() {
    let graph = server_module_graph();
    assert!(graph.contains_key("convert") && graph.contains_key("documents"));
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|module| cycle_through(&graph, module))
        .map(|cycle| cycle.join(" -> "))
        .collect();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}
