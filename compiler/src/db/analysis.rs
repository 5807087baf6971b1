//! The database of a long-running process (the language server through `mlc-ide`, watch
//! mode): one [`AnalysisHost`] owns it and applies edits. Readers work on clones of
//! [`AnalysisHost::db`], which salsa cancels when an edit arrives: a write waits until every
//! clone is dropped, after their queries unwind with [`salsa::Cancelled`].

use super::RootDatabase;

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
pub struct AnalysisHost {
    db: RootDatabase,
}

impl Default for AnalysisHost {
    fn default() -> Self {
        AnalysisHost::new(RootDatabase::default())
    }
}

impl AnalysisHost {
    /// The host of `db`, which from now on keeps each file's last parse to reparse only
    /// what an edit touched ([`RootDatabase::with_reparse_hints`]).
    pub fn new(db: RootDatabase) -> Self {
        AnalysisHost {
            db: db.with_reparse_hints(),
        }
    }

    /// Applies `change`. Cancels the queries of every outstanding clone of the database and
    /// waits for them to be dropped.
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

    pub fn db(&self) -> &RootDatabase {
        &self.db
    }

    pub fn db_mut(&mut self) -> &mut RootDatabase {
        &mut self.db
    }
}
