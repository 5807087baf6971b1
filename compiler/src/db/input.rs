//! The salsa input: one [`SourceFile`] per path, created on demand the first time a file is
//! asked for (the "on-demand input" pattern), and the side table that finds it again.

use crate::diagnostic::FileName;
use std::collections::HashMap;
use std::sync::Arc;

/// One source file: a user file on disk, an open editor buffer, an embedded standard-library
/// module, or the `-E` expression.
#[salsa::input(debug)]
pub struct SourceFile {
    /// The key: a normalised absolute path, `<stdlib>/...` or `<expr>`.
    #[returns(ref)]
    pub path: Arc<str>,
    /// How diagnostics name the file (`examples/a.mlc`).
    #[returns(ref)]
    pub name: FileName,
    /// The text, or why it could not be read ("no such file or directory").
    #[returns(ref)]
    pub text: Result<Arc<str>, String>,
}

impl SourceFile {
    /// The text, or the empty string when the file could not be read (its read error is
    /// reported separately, so the syntax layer sees an empty file rather than nothing).
    pub fn source_text(self, db: &dyn salsa::Database) -> Arc<str> {
        match self.text(db) {
            Ok(text) => text.clone(),
            Err(_) => Arc::from(""),
        }
    }
}

/// Every input created so far, by path and by display name. Shared by all clones of the
/// database so that a file created while answering one request is found by the next.
#[derive(Default)]
pub(crate) struct FileTable {
    by_path: HashMap<Arc<str>, SourceFile>,
    by_name: HashMap<FileName, SourceFile>,
}

impl FileTable {
    pub(crate) fn get(&self, path: &str) -> Option<SourceFile> {
        self.by_path.get(path).copied()
    }

    pub(crate) fn get_by_name(&self, name: &str) -> Option<SourceFile> {
        self.by_name.get(name).copied()
    }

    pub(crate) fn insert(&mut self, path: Arc<str>, name: FileName, file: SourceFile) {
        self.by_path.insert(path, file);
        self.by_name.insert(name, file);
    }

    pub(crate) fn files(&self) -> Vec<SourceFile> {
        self.by_path.values().copied().collect()
    }
}
