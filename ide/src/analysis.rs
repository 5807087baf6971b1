//! The API of the layer: [`AnalysisHost`] owns the database of a long-running process and
//! applies edits; each request works on an [`Analysis`], a clone that salsa cancels when an
//! edit arrives. Every method takes a database path (an absolute path or `<stdlib>/...`)
//! and byte offsets, and returns plain data.
//!
//! A write (`apply_change`) waits until every `Analysis` is dropped, after their queries
//! unwind with `salsa::Cancelled`; so requests run on worker threads, or the main loop drops
//! its `Analysis` before it applies a change.

use std::panic::{AssertUnwindSafe, UnwindSafe};
use std::sync::Arc;

use mlc::db::{check, file_diagnostics, name_resolution, parse, Cancellable, Change, RootDatabase};
use mlc::diagnostic::Diagnostic;
use mlc::syntax::Span;

use crate::completion::Completion;
use crate::highlight::Token;
use crate::hover::Hover;
use crate::navigation::UseKind;
use crate::outline::{Fold, OutlineItem};

/// A span in a file of the database.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FileRange {
    pub path: String,
    pub span: Span,
}

/// Replacements in one file, in source order, none overlapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEdit {
    pub path: String,
    pub edits: Vec<(Span, String)>,
}

/// Owns the database (see the module comment).
#[derive(Default)]
pub struct AnalysisHost {
    host: mlc::db::AnalysisHost,
}

impl AnalysisHost {
    /// Applies `change`. Cancels the queries of every outstanding [`Analysis`] and waits for
    /// them to be dropped.
    pub fn apply_change(&mut self, change: Change) {
        self.host.apply_change(change);
    }

    /// A snapshot for one request.
    pub fn analysis(&self) -> Analysis {
        Analysis {
            db: self.host.db().clone(),
        }
    }
}

/// A read-only snapshot of the database for one request. Every method returns `Err` when an
/// edit cancelled it.
#[derive(Clone)]
pub struct Analysis {
    db: RootDatabase,
}

impl Analysis {
    /// Runs `f` on the snapshot, turning salsa's cancellation into `Err`.
    fn with_db<T>(&self, f: impl FnOnce(&RootDatabase) -> T + UnwindSafe) -> Cancellable<T> {
        let db = AssertUnwindSafe(&self.db);
        salsa::Cancelled::catch(move || f(*db))
    }

    /// Runs `f` on the input of the file at `path`.
    fn with_file<T>(
        &self,
        path: &str,
        f: impl FnOnce(&RootDatabase, mlc::db::SourceFile) -> T,
    ) -> Cancellable<T> {
        let f = AssertUnwindSafe(f);
        let path = path.to_string();
        self.with_db(move |db| {
            let f = f;
            let file = db.file_for_argument(&path);
            (f.0)(db, file)
        })
    }

    /// The text of the file at `path` as the database has it (`None` if it cannot be read).
    pub fn file_text(&self, path: &str) -> Cancellable<Option<Arc<str>>> {
        self.with_file(path, |db, file| file.text(db).as_ref().ok().cloned())
    }

    /// The diagnostics of the file at `path` on its own (syntax, imports, names, types).
    pub fn file_diagnostics(&self, path: &str) -> Cancellable<Vec<Diagnostic>> {
        self.with_file(path, |db, file| file_diagnostics(db, file).clone())
    }

    /// The diagnostics of the file at `path` and everything it imports.
    pub fn check(&self, path: &str) -> Cancellable<Vec<Diagnostic>> {
        self.with_file(path, |db, file| check(db, file).clone())
    }

    /// The evaluation's errors and warnings for the file at `path` (run as an entry file),
    /// each diagnostic where the evaluator placed it, in any file.
    pub fn evaluation_diagnostics(&self, path: &str) -> Cancellable<Vec<Diagnostic>> {
        self.with_file(path, |db, file| match mlc::db::evaluate(db, file) {
            Ok(evaluated) => evaluated.warnings.clone(),
            Err(diagnostics) => diagnostics.clone(),
        })
    }

    /// The diagnostics name (as in `Diagnostic` labels) of the file at `path`.
    pub fn file_name(&self, path: &str) -> Cancellable<String> {
        self.with_file(path, |db, file| file.name(db).to_string())
    }

    /// The database path of the file whose diagnostics name is `name`, if the database has it.
    pub fn path_of_name(&self, name: &str) -> Cancellable<Option<String>> {
        let name = name.to_string();
        self.with_db(move |db| db.file_by_name(&name).map(|file| file.path(db).to_string()))
    }

    /// Completions at `offset`: import paths, the allowed values of a literal union inside a
    /// string, the fields of a record type, names in scope, attributes of sets.
    pub fn completions(&self, path: &str, offset: u32) -> Cancellable<Completion> {
        let owned = path.to_string();
        self.with_file(path, move |db, file| {
            crate::completion::completions(db, file, &owned, offset)
        })
    }

    /// Hover at `offset`: a key's field (type, default, doc), else the name's definition.
    pub fn hover(&self, path: &str, offset: u32) -> Cancellable<Option<Hover>> {
        self.with_file(path, |db, file| {
            if let Some((span, markdown)) = crate::typed::key_hover(db, file, offset) {
                return Some(Hover { span, markdown });
            }
            crate::hover::hover(db, file, offset)
        })
    }

    /// Where what is at `offset` is defined: a key's field declaration (in the standard
    /// library for the options of `mlflow.deployment`), else the name's definitions.
    pub fn goto_definition(&self, path: &str, offset: u32) -> Cancellable<Vec<FileRange>> {
        self.with_file(path, |db, file| {
            let targets = match crate::typed::key_definition(db, file, offset) {
                Some(target) => vec![target],
                None => match crate::navigation::at_cursor(db, file, offset) {
                    Some(cursor) => crate::navigation::definition(db, file, &cursor.target),
                    None => Vec::new(),
                },
            };
            targets
                .into_iter()
                .map(|target| FileRange {
                    path: target.file.path(db).to_string(),
                    span: target.span,
                })
                .collect()
        })
    }

    /// Every use of what is at `offset`, with how it is used.
    pub fn references(&self, path: &str, offset: u32) -> Cancellable<Vec<(FileRange, UseKind)>> {
        let owned = path.to_string();
        self.with_file(path, move |db, file| {
            let Some(cursor) = crate::navigation::at_cursor(db, file, offset) else {
                return Vec::new();
            };
            let Some(symbol) = crate::navigation::symbol(db, file, &cursor.target) else {
                return Vec::new();
            };
            crate::navigation::uses(db, file, &symbol)
                .into_iter()
                .map(|u| {
                    let range = FileRange {
                        path: owned.clone(),
                        span: u.span,
                    };
                    (range, u.kind)
                })
                .collect()
        })
    }

    /// The span of the name to rename at `offset` and its text, or why it cannot be renamed.
    pub fn prepare_rename(
        &self,
        path: &str,
        offset: u32,
    ) -> Cancellable<Result<(Span, String), String>> {
        self.with_file(path, |db, file| crate::rename::prepare(db, file, offset))
    }

    /// The edits that rename what is at `offset` to `new_name`, or why they cannot be made.
    pub fn rename(
        &self,
        path: &str,
        offset: u32,
        new_name: &str,
    ) -> Cancellable<Result<Vec<FileEdit>, String>> {
        let owned = path.to_string();
        self.with_file(path, move |db, file| {
            let edits = crate::rename::rename(db, file, offset, new_name)?;
            Ok(vec![FileEdit { path: owned, edits }])
        })
    }

    /// The outline of the file.
    pub fn symbols(&self, path: &str) -> Cancellable<Vec<OutlineItem>> {
        self.with_file(path, |db, file| {
            crate::outline::outline(&parse(db, file).root)
        })
    }

    /// The regions an editor can fold.
    pub fn folding(&self, path: &str) -> Cancellable<Vec<Fold>> {
        self.with_file(path, |db, file| {
            let parse = parse(db, file);
            let text = file.source_text(db);
            crate::outline::folds(&parse.root, &parse.comments, &text)
        })
    }

    /// Every token of the file, classified (semantic highlighting).
    pub fn highlight(&self, path: &str) -> Cancellable<Vec<Token>> {
        self.with_file(path, |db, file| {
            let text = file.source_text(db);
            crate::highlight::tokens(parse(db, file), name_resolution(db, file), &text)
        })
    }
}
