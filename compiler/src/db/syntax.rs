//! Queries over one file's syntax: its parse, its tree shared with the evaluator, and its
//! syntax errors as diagnostics.

use super::{Db, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::syntax::{self, Expr, Parse};
use std::sync::Arc;

/// The parse of `file`: tree, comments and syntax errors. Re-runs only when the file's text
/// changes. A module of the standard library is decoded from its prepared form when the
/// database takes it from there (`db::prepared_syntax`).
#[salsa::tracked(returns(ref))]
pub fn parse(db: &dyn Db, file: SourceFile) -> Parse {
    if let Some(parse) = super::prepared_syntax::prepared_parse(db, file) {
        return parse;
    }
    syntax::parse(&file.source_text(db))
}

/// The tree of `file`, shared with the parse: the evaluator holds on to it for as long as it
/// runs, without copying it.
#[salsa::tracked(returns(clone))]
pub fn syntax_tree(db: &dyn Db, file: SourceFile) -> Arc<Expr> {
    parse(db, file).root.clone()
}

/// The syntax errors of `file` as diagnostics, in source order.
#[salsa::tracked(returns(ref))]
pub fn syntax_diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let name = file.name(db);
    parse(db, file)
        .errors
        .iter()
        .map(|error| error.to_diagnostic(name.clone()))
        .collect()
}
