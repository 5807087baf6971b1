//! The import closure of an entry file: every file it reaches through static imports, and
//! the import cycles among them.
//!
//! One non-recursive query walks the graph with an explicit stack, asking [`imports`] of each
//! file. A recursive query per file would make an import cycle a salsa cycle (a panic, or a
//! fixed-point iteration) instead of a diagnostic.

use super::static_imports::{imports, read_error, ImportTarget};
use super::{Db, SourceFile};
use crate::diagnostic::{codes, Diagnostic};
use crate::syntax::Span;
use std::collections::{HashMap, HashSet};

/// The files reachable from an entry, and the diagnostics for import cycles among them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportClosure {
    /// The entry first, then every file it reaches, each once, in depth-first order. Files
    /// that cannot be read are included (a watcher must notice when they appear) but not
    /// followed.
    pub files: Vec<SourceFile>,
    /// One error per import cycle.
    pub cycles: Vec<Diagnostic>,
}

/// One step of a path through the import graph: `from` imports `to` at `span` (in `from`).
#[derive(Clone, Copy)]
struct Edge {
    from: SourceFile,
    to: SourceFile,
    span: Span,
}

/// The import closure of `entry`.
#[salsa::tracked(returns(ref))]
pub fn import_closure(db: &dyn Db, entry: SourceFile) -> ImportClosure {
    let mut files = vec![entry];
    let mut seen: HashSet<SourceFile> = HashSet::from([entry]);
    let mut cycles = Vec::new();
    let mut reported: HashSet<Vec<SourceFile>> = HashSet::new();
    // Files on the current depth-first path, with the position of their edge on `path`.
    let mut on_path: HashMap<SourceFile, usize> = HashMap::from([(entry, 0)]);
    // The edges that led to the file at each depth: `path[i]` entered the file at depth i+1.
    let mut path: Vec<Edge> = Vec::new();
    // Each frame: a file and how many of its imports were visited.
    let mut stack: Vec<(SourceFile, usize)> = vec![(entry, 0)];

    while let Some((file, next)) = stack.last_mut() {
        let file = *file;
        let edges = file_edges(db, file);
        let Some(edge) = edges.get(*next).copied() else {
            stack.pop();
            on_path.remove(&file);
            path.pop();
            continue;
        };
        *next += 1;
        if let Some(&depth) = on_path.get(&edge.to) {
            let mut cycle: Vec<Edge> = path[depth..].to_vec();
            cycle.push(edge);
            if reported.insert(canonical(&cycle)) {
                cycles.push(cycle_diagnostic(db, &cycle));
            }
            continue;
        }
        if seen.insert(edge.to) {
            files.push(edge.to);
        } else {
            // Already explored from another path; any cycle through it was found then.
            continue;
        }
        if read_error(db, edge.to).is_some() {
            continue;
        }
        on_path.insert(edge.to, path.len() + 1);
        path.push(edge);
        stack.push((edge.to, 0));
    }
    ImportClosure { files, cycles }
}

/// The resolved file imports of `file`, in source order.
fn file_edges(db: &dyn Db, file: SourceFile) -> Vec<Edge> {
    imports(db, file)
        .iter()
        .filter_map(|import| match import.target {
            ImportTarget::File(to) => Some(Edge {
                from: file,
                to,
                span: import.span,
            }),
            ImportTarget::UnknownModule => None,
        })
        .collect()
}

/// The files of a cycle starting from its smallest id, so that one cycle found from two
/// places is reported once.
fn canonical(cycle: &[Edge]) -> Vec<SourceFile> {
    let files: Vec<SourceFile> = cycle.iter().map(|edge| edge.from).collect();
    let start = files
        .iter()
        .enumerate()
        .min_by_key(|(_, file)| salsa::plumbing::AsId::as_id(*file))
        .map(|(index, _)| index)
        .unwrap_or(0);
    files[start..]
        .iter()
        .chain(&files[..start])
        .copied()
        .collect()
}

/// The error for `cycle`, a closed path of imports: the primary label on the import that
/// closes it, a secondary label on every other import of the cycle.
fn cycle_diagnostic(db: &dyn Db, cycle: &[Edge]) -> Diagnostic {
    let names: Vec<String> = cycle
        .iter()
        .map(|edge| format!("`{}`", edge.from.name(db)))
        .collect();
    let closing = cycle[cycle.len() - 1];
    let message = if cycle.len() == 1 {
        format!("{} imports itself", names[0])
    } else {
        format!("import cycle: {} → {}", names.join(" → "), names[0])
    };
    let mut diagnostic = Diagnostic::error(
        codes::E0212,
        message,
        closing.from.name(db).clone(),
        closing.span,
    )
    .with_label(format!("this imports `{}`", closing.to.name(db)));
    for edge in &cycle[..cycle.len() - 1] {
        diagnostic = diagnostic.with_secondary(
            edge.from.name(db).clone(),
            edge.span,
            format!(
                "`{}` imports `{}` here",
                edge.from.name(db),
                edge.to.name(db)
            ),
        );
    }
    diagnostic.with_help(
        "move what the files share into a file that none of them imports, and import that",
    )
}
