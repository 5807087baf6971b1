//! The language server's view of the database: one [`AnalysisHost`] owns it and applies
//! edits; each request works on an [`Analysis`], a clone that salsa cancels when an edit
//! arrives.
//!
//! A write (`apply_change`) waits until every `Analysis` is dropped, after their queries
//! unwind with [`salsa::Cancelled`]; so requests run on worker threads and the main loop
//! never holds an `Analysis` while it applies a change.

use super::{check, file_diagnostics, RootDatabase};
use crate::diagnostic::Diagnostic;
use std::panic::{AssertUnwindSafe, UnwindSafe};

/// The result of a request: `Err` when an edit cancelled it (answer `ContentModified`).
pub type Cancellable<T> = Result<T, salsa::Cancelled>;

/// Edits to apply at once, in one new revision per changed file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// `(path, Some(text))`: the buffer's text; `(path, None)`: read the file from disk
    /// again (a buffer was closed, or a watcher saw the file change).
    pub files: Vec<(String, Option<String>)>,
}

impl Change {
    pub fn set_text(&mut self, path: impl Into<String>, text: impl Into<String>) {
        self.files.push((path.into(), Some(text.into())));
    }

    pub fn reload(&mut self, path: impl Into<String>) {
        self.files.push((path.into(), None));
    }
}

/// Owns the database of a long-running process (language server, watch mode).
#[derive(Default)]
pub struct AnalysisHost {
    db: RootDatabase,
}

impl AnalysisHost {
    pub fn new(db: RootDatabase) -> Self {
        AnalysisHost { db }
    }

    /// Applies `change`. Cancels the queries of every outstanding [`Analysis`] and waits for
    /// them to be dropped.
    pub fn apply_change(&mut self, change: Change) {
        for (path, text) in change.files {
            match text {
                Some(text) => {
                    self.db.set_file_text(&path, &text);
                }
                None => {
                    self.db.reload_file(&path);
                }
            }
        }
    }

    /// A snapshot for one request.
    pub fn analysis(&self) -> Analysis {
        Analysis {
            db: self.db.clone(),
        }
    }

    pub fn db(&self) -> &RootDatabase {
        &self.db
    }

    pub fn db_mut(&mut self) -> &mut RootDatabase {
        &mut self.db
    }
}

/// A read-only snapshot of the database for one request. Every method returns `Err` when an
/// edit cancelled it.
#[derive(Clone)]
pub struct Analysis {
    db: RootDatabase,
}

impl Analysis {
    /// Runs `f` on the snapshot, turning salsa's cancellation into `Err`. Every feature of
    /// the language server goes through here.
    pub fn with_db<T>(&self, f: impl FnOnce(&RootDatabase) -> T + UnwindSafe) -> Cancellable<T> {
        let db = AssertUnwindSafe(&self.db);
        salsa::Cancelled::catch(move || f(*db))
    }

    /// The diagnostics of the file at `path` on its own (syntax, imports, names).
    pub fn file_diagnostics(&self, path: &str) -> Cancellable<Vec<Diagnostic>> {
        let path = path.to_string();
        self.with_db(move |db| {
            let file = db.file_for_argument(&path);
            file_diagnostics(db, file).clone()
        })
    }

    /// The diagnostics of the file at `path` and everything it imports.
    pub fn check(&self, path: &str) -> Cancellable<Vec<Diagnostic>> {
        let path = path.to_string();
        self.with_db(move |db| {
            let file = db.file_for_argument(&path);
            check(db, file).clone()
        })
    }
}
