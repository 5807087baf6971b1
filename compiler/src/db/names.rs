//! Name resolution as queries: which binding each variable of a file refers to, and the
//! names nothing binds as diagnostics. Both re-run only when the file's parse changes.

use super::background::Deferred;
use super::syntax::parse;
use super::{Db, SourceFile};
use crate::builtins::global_names;
use crate::diagnostic::Diagnostic;
use crate::names::{self, NameResolution};

/// The scopes, definitions and references of `file` (see [`crate::names`]); shared, since
/// the evaluator's layout of the file (`evaluation::layout`) keeps it too. A module of the
/// standard library is decoded from its prepared form when the database takes it from
/// there (`db::prepared_syntax`). Freed off the main loop when the process defers drops
/// (`db::background`).
#[salsa::tracked(returns(ref))]
pub fn name_resolution(db: &dyn Db, file: SourceFile) -> Deferred<NameResolution> {
    if let Some(resolution) = super::prepared_syntax::prepared_resolution(db, file) {
        return Deferred::new(resolution);
    }
    Deferred::new(names::resolve(&parse(db, file).root, &global_names()))
}

/// An error for every variable of `file` that nothing binds, with "did you mean".
#[salsa::tracked(returns(ref))]
pub fn name_diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    names::diagnostics(name_resolution(db, file), file.name(db))
}
