//! Evaluation as a query: the database is the evaluator's [`Loader`], so every file an
//! evaluation reads is a tracked dependency, and an edit re-evaluates only entries whose
//! closure it touched.

use super::background::Deferred;
use super::names::name_resolution;
use super::syntax::{syntax_diagnostics, syntax_tree};
use super::{Db, SourceFile, EXPR_PATH};
use crate::diagnostic::Diagnostic;
use crate::eval::{self, Evaluated, Layout, LoadedFile, Loader};

/// The value of `entry`, forced completely, or the evaluation error.
#[salsa::tracked(returns(ref))]
pub fn evaluate(db: &dyn Db, entry: SourceFile) -> Result<Evaluated, Vec<Diagnostic>> {
    with_entry(db, entry, eval::evaluate)
}

/// Where the evaluator finds each variable of `file`, from the file's name resolution
/// (the one the checker used): computed once per file, not by every evaluation. Not
/// compared (`no_eq`): it changes exactly when the resolution does. Freed off the main
/// loop when the process defers drops (`db::background`).
#[salsa::tracked(returns(ref), no_eq)]
pub fn layout(db: &dyn Db, file: SourceFile) -> Deferred<Layout> {
    Deferred::new(Layout::new(name_resolution(db, file).shared().clone()))
}

/// The value of `entry` as strict JSON text, written while it is forced, and the warnings;
/// not a query (`mlc eval --json` prints it once, and the text is no input to anything).
pub fn evaluate_json(
    db: &dyn Db,
    entry: SourceFile,
) -> Result<(String, eval::Raised), Vec<Diagnostic>> {
    with_entry(db, entry, eval::evaluate_json)
}

/// Loads `entry` through the database and runs `evaluate` on it.
fn with_entry<T>(
    db: &dyn Db,
    entry: SourceFile,
    evaluate: impl FnOnce(&dyn Loader, &LoadedFile, &str) -> Result<T, Vec<Diagnostic>>,
) -> Result<T, Vec<Diagnostic>> {
    let loader = DbLoader { db };
    let path = entry.path(db).to_string();
    let loaded = loader.load(&path).map_err(|reason| {
        vec![Diagnostic::error(
            crate::diagnostic::codes::E0213,
            format!("cannot evaluate `{}`: {reason}", entry.name(db)),
            entry.name(db).clone(),
            crate::syntax::Span::default(),
        )]
    })?;
    let base_dir = if path == EXPR_PATH {
        crate::paths::current_dir()
    } else {
        crate::paths::parent_dir(&path).to_string()
    };
    evaluate(&loader, &loaded, &base_dir)
}

struct DbLoader<'db> {
    db: &'db dyn Db,
}

impl Loader for DbLoader<'_> {
    fn load(&self, path: &str) -> Result<LoadedFile, String> {
        let file = self.db.file(path);
        let text = file.text(self.db).clone()?;
        if !syntax_diagnostics(self.db, file).is_empty() {
            return Err("it has syntax errors (`mlc check` lists them)".to_string());
        }
        Ok(LoadedFile {
            path: path.to_string(),
            display: file.name(self.db).clone(),
            root: syntax_tree(self.db, file).clone(),
            text,
            annotations: super::typing::file_types(self.db, file).annotations.clone(),
            layout: layout(self.db, file).shared().clone(),
        })
    }

    fn search_path(&self, name: &str) -> Option<String> {
        self.db.stdlib().module_path(name)
    }

    fn stdlib_modules(&self) -> Vec<String> {
        self.db
            .stdlib()
            .module_names()
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    fn tick(&self) {
        self.db.unwind_if_revision_cancelled();
    }
}
