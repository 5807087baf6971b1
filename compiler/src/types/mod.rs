//! Static types: annotations (`x :: T`), `type` declarations, inference for the rest, and
//! the errors found before anything runs.
//!
//! The checker is gradual: where Nix's dynamic features make a type unknowable (`with`,
//! dynamic keys, imports it cannot see) it uses `Dyn` and reports nothing, so valid untyped
//! code never gets an error. What it cannot decide statically (a string against a literal
//! union, an `Int` against a range) the evaluator checks as a contract when the value
//! reaches the annotation, using the lowered types this module records per annotation.
//!
//! Inside: `ty` (the types), `prelude` (built-in names and builtin signatures), `lower`
//! (type expressions to types), `check/` (the walk over the tree, on the file's name
//! resolution, one file per construct), `flow` (expected types carried to sets bound by
//! `let` and to the sides of `//`), `merge` (how definitions of one attribute merge, and
//! duplicates), `compat` (can this type be used as that one), `report` (the wording of
//! every error).
//!
//! Architecture invariant: this module reads syntax trees and their name resolution
//! (`crate::names`: it resolves no variable itself) and knows nothing of salsa or files;
//! the host (the database) answers what an import's type is.

mod check;
mod compat;
pub mod docs;
mod flow;
mod lower;
pub(crate) mod matchers;
mod merge;
pub mod prelude;
mod report;
pub mod stored;
mod ty;

pub use compat::{compat, Mismatch};
pub use ty::{Check, Default, Field, Pattern, Record, Refined, Site, Type};

use crate::diagnostic::{Diagnostic, FileName};
use crate::names::NameResolution;
use crate::syntax::{Parse, Span};
use rustc_hash::FxHashMap as HashMap;

/// What the checker asks of its host.
pub trait TypeHost {
    /// The type of the file that the import literal at `span` (a path or `<module>`) names;
    /// `None` when it is not known (then it is `Dyn`).
    fn import_type(&self, span: Span) -> Option<Type>;
}

/// A host that knows no imports (tests, single expressions).
pub struct NoImports;

impl TypeHost for NoImports {
    fn import_type(&self, _span: Span) -> Option<Type> {
        None
    }
}

/// The result of checking one file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct FileTypes {
    /// The type of the file's value: what importing it gives.
    pub root: Option<Type>,
    /// Type errors, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The meaning of every annotation, by the start of its type expression: the contracts
    /// the evaluator applies.
    pub annotations: std::sync::Arc<HashMap<u32, Type>>,
    /// The type of every defined name (let bindings, parameters, type declarations), by
    /// the start of the name: for hover and completion.
    pub definitions: HashMap<u32, Type>,
    /// Attribute sets checked against a record type (by the set's span): what completion
    /// offers inside them. Sorted by start.
    pub records: Vec<(Span, std::sync::Arc<Record>)>,
    /// Attribute names checked against a declared field (by the name's span): hover and
    /// go-to-definition on option keys. Sorted by start.
    pub keys: Vec<(Span, Field)>,
}

impl FileTypes {
    /// The record type expected of the innermost attribute set around byte `offset`.
    pub fn record_at(&self, offset: u32) -> Option<(Span, &std::sync::Arc<Record>)> {
        self.records
            .iter()
            .filter(|(span, _)| span.start < offset && offset <= span.end.max(span.start + 1))
            .min_by_key(|(span, _)| span.len())
            .map(|(span, record)| (*span, record))
    }

    /// The declared field whose name is written at `offset`.
    pub fn key_at(&self, offset: u32) -> Option<(Span, &Field)> {
        self.keys
            .iter()
            .find(|(span, _)| span.contains(offset))
            .map(|(span, field)| (*span, field))
    }
}

/// Checks a parsed file, whose names `names` resolved (`crate::names::resolve` of the same
/// tree, as the `name_resolution` query gives it).
pub fn check_file(
    parse: &Parse,
    names: &NameResolution,
    file: FileName,
    host: &dyn TypeHost,
) -> FileTypes {
    let mut checker = check::Checker::new(file, host, names);
    let root = checker.synth(&parse.root, &None);
    let mut diagnostics = std::mem::take(&mut checker.diagnostics);
    diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
    diagnostics.dedup_by(|a, b| a.primary.span == b.primary.span && a.message == b.message);
    let mut records = std::mem::take(&mut checker.records);
    records.sort_by_key(|(span, _)| (span.start, span.end));
    records.dedup_by(|a, b| a.0 == b.0);
    let mut keys = std::mem::take(&mut checker.keys);
    keys.sort_by_key(|(span, _)| (span.start, span.end));
    keys.dedup_by(|a, b| a.0 == b.0);
    FileTypes {
        root: Some(root),
        records,
        keys,
        diagnostics,
        annotations: std::sync::Arc::new(std::mem::take(&mut checker.annotations)),
        definitions: std::mem::take(&mut checker.definitions),
    }
}

#[cfg(test)]
mod tests;
