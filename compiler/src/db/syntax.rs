//! Queries over one file's syntax: its parse, its tree shared with the evaluator, and its
//! syntax errors as diagnostics; and the hints that let an editor's database parse only
//! the edited binding ([`ParseHint`]).

use super::background::{self, Deferred};
use super::{Db, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::syntax::{self, Expr, Parse};
use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// The parse of `file`: tree, comments and syntax errors. Re-runs only when the file's text
/// changes. Always `syntax::parse` of the text: a module of the standard library is decoded
/// from its prepared form when the database takes it from there (`db::prepared_syntax`),
/// and a database that keeps hints reparses from the file's previous parse
/// ([`syntax::reparse`]); both give the same result. Freed off the main loop when the
/// process defers drops ([`background`]).
#[salsa::tracked(returns(as_deref))]
pub fn parse(db: &dyn Db, file: SourceFile) -> Deferred<Parse> {
    if let Some(parse) = super::prepared_syntax::prepared_parse(db, file) {
        return Deferred::new(parse);
    }
    let text = file.source_text(db);
    let parse = match db.parse_hint(file) {
        Some(hint) => {
            let mut spare = hint.take_spare();
            let parse = syntax::reparse_into(&hint.text, &hint.parse, &mut spare, &text);
            if let Some(unused) = spare {
                background::run(move || drop(unused));
            }
            parse
        }
        None => syntax::parse(&text),
    };
    db.remember_parse(file, &text, &parse);
    Deferred::new(parse)
}

/// A file's last parse and the text it is of: where the next parse of an edited text
/// starts. Any text with its parse is a valid hint, so a stale or lost one only costs a
/// full parse.
pub struct ParseHint {
    pub text: Arc<str>,
    pub parse: Parse,
    /// A copy of `parse.root` that the next reparse may change in place, made on the
    /// background thread after the parse (when background work is on), so that no reparse
    /// copies the tree on the thread that waits for it.
    spare: Mutex<Option<Expr>>,
}

impl ParseHint {
    /// The copy of the tree for the next reparse, if it is ready (taken: there is one).
    fn take_spare(&self) -> Option<Expr> {
        self.spare
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }

    fn make_spare(&self) {
        let copy = Expr::clone(&self.parse.root);
        *self
            .spare
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(copy);
    }
}

/// The hints of an editor's database, by file, shared by its clones (see
/// [`super::RootDatabase::with_reparse_hints`]). Only user files have one: the standard
/// library's modules are never edited.
#[derive(Clone, Default)]
pub(super) struct ParseHints(Arc<Mutex<FxHashMap<SourceFile, Arc<ParseHint>>>>);

impl ParseHints {
    pub(super) fn get(&self, file: SourceFile) -> Option<Arc<ParseHint>> {
        self.lock().get(&file).cloned()
    }

    pub(super) fn put(&self, db: &dyn Db, file: SourceFile, text: &Arc<str>, parse: &Parse) {
        if crate::stdlib::is_stdlib_path(file.path(db)) {
            return;
        }
        let hint = Arc::new(ParseHint {
            text: text.clone(),
            parse: parse.clone(),
            spare: Mutex::new(None),
        });
        let old = self.lock().insert(file, hint.clone());
        if background::enabled() {
            background::run(move || {
                // Its last copy goes with it, off this thread.
                drop(old);
                hint.make_spare();
            });
        }
    }

    fn lock(&self) -> MutexGuard<'_, FxHashMap<SourceFile, Arc<ParseHint>>> {
        // Every insert is one step, so a poisoned lock is safe to keep using.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The tree of `file`, shared with the parse: the evaluator holds on to it for as long as it
/// runs, without copying it.
#[salsa::tracked(returns(as_deref))]
pub fn syntax_tree(db: &dyn Db, file: SourceFile) -> Deferred<Arc<Expr>> {
    Deferred::new(parse(db, file).root.clone())
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
