//! The layering of the editor stack, checked on the source: `mlc-ide` knows no LSP types,
//! and `mlc-lsp` reaches the compiler only through `mlc-ide`'s plain data and the
//! compiler's edge modules (the diagnostic model, the formatter, the embedded stdlib),
//! never its syntax trees, name resolution, types, database or evaluator. Inside the
//! server, the modules depend on each other without a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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

/// Every line of the Rust files under `dir` that mentions one of `forbidden`.
fn offending(dir: &str, forbidden: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(!files.is_empty(), "no Rust files under {dir}");
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if forbidden.iter().any(|word| code.contains(word)) {
                out.push(format!(
                    "{}:{}: {}",
                    file.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    out
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

#[test]
fn the_ide_crate_does_not_depend_on_lsp_crates() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ide/Cargo.toml");
    let text = std::fs::read_to_string(manifest).unwrap_or_default();
    assert!(text.contains("[dependencies]"), "ide/Cargo.toml not found");
    for crate_name in ["lsp-types", "lsp-server", "mlc-lsp"] {
        assert!(
            !text.contains(crate_name),
            "ide/Cargo.toml depends on {crate_name}"
        );
    }
}

/// The modules of `lsp/src` (a file, or a folder with its files) and the others each one
/// names through `crate::`.
fn server_module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
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
