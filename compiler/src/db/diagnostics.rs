//! Everything `mlc check` reports: per file, and for an entry file with all it imports.

use super::closure::import_closure;
use super::names::name_diagnostics;
use super::static_imports::{import_diagnostics, read_error};
use super::syntax::syntax_diagnostics;
use super::typing::file_types;
use super::{Db, SourceFile};
use crate::diagnostic::{codes, Diagnostic};
use crate::syntax::Span;

/// The diagnostics of one file on its own: syntax errors, then imports that do not resolve,
/// then names that nothing binds, then type errors, in source order within each group. A
/// file with syntax errors is not type checked: its broken tree would mostly produce noise.
#[salsa::tracked(returns(ref))]
pub fn file_diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    // A prepared standard-library module has none: its preparation checked it.
    if super::prepared::is_prepared(db, file) {
        return Vec::new();
    }
    let mut diagnostics = syntax_diagnostics(db, file).clone();
    let syntax_ok = diagnostics.is_empty();
    diagnostics.extend(import_diagnostics(db, file).iter().cloned());
    diagnostics.extend(name_diagnostics(db, file).iter().cloned());
    if syntax_ok {
        diagnostics.extend(file_types(db, file).diagnostics.iter().cloned());
    }
    diagnostics
}

/// Every diagnostic of `entry` and the files it imports: the entry's own read error if it
/// cannot be read, else each file's diagnostics in import order, then import cycles.
#[salsa::tracked(returns(ref))]
pub fn check(db: &dyn Db, entry: SourceFile) -> Vec<Diagnostic> {
    if let Some(reason) = read_error(db, entry) {
        return vec![Diagnostic::error(
            codes::E0213,
            format!("cannot read `{}`: {reason}", entry.name(db)),
            entry.name(db).clone(),
            Span::default(),
        )];
    }
    let closure = import_closure(db, entry);
    let mut diagnostics = Vec::new();
    for &file in &closure.files {
        // Unreadable imports are reported by their importer.
        if read_error(db, file).is_none() {
            diagnostics.extend(file_diagnostics(db, file).iter().cloned());
        }
    }
    diagnostics.extend(closure.cycles.iter().cloned());
    diagnostics
}
