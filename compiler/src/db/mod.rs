//! The salsa database: source files as inputs, and every pipeline stage as a tracked query.
//!
//! The query graph (see ARCHITECTURE.md):
//!
//! ```text
//! SourceFile (input: path, name, text)
//!   ├─ parse ─┬─ syntax_tree ────────────────┐
//!   │         ├─ name_resolution ─ name_diagnostics ─┐
//!   │         ├─ syntax_diagnostics ─┐        │
//!   │         └─ imports ────────────┼─ import_diagnostics
//!   │                                ├─ file_diagnostics
//!   │            import_closure ─────┴─ check (entry)
//!   │         name_resolution ─ layout ─┐ (where the evaluator finds each variable)
//!   └─ evaluate (entry; loads files through the database as the evaluator's `Loader`)
//! ```
//!
//! Queries return their diagnostics as part of their value (no accumulators), so a front end
//! asks [`check`] or [`file_diagnostics`] and gets everything in a deterministic order.
//!
//! Architecture invariant: the database is the only place that reads files. Queries never
//! touch the disk themselves; they ask [`Db::file`], which reads a file once, when it is
//! first needed, and afterwards only changes through [`RootDatabase::set_file_text`] or
//! [`RootDatabase::reload_file`].

mod analysis;
pub mod background;
mod closure;
mod diagnostics;
mod evaluation;
mod event_log;
#[cfg(test)]
mod import_tests;
mod input;
mod names;
mod prepared;
mod prepared_syntax;
mod project_root;
mod static_imports;
mod syntax;
mod syntax_codec;
#[cfg(test)]
mod tests;
mod typing;

pub use analysis::{AnalysisHost, Cancellable, Change};
pub use closure::{import_closure, ImportClosure};
pub use diagnostics::{check, file_diagnostics};
pub use evaluation::{evaluate, evaluate_json};
pub use event_log::EventLog;
pub use input::SourceFile;
pub use names::{name_diagnostics, name_resolution};
pub use project_root::ProjectRoot;
pub use static_imports::{import_diagnostics, imports, Import, ImportKind, ImportTarget};
pub use syntax::{parse, syntax_diagnostics, syntax_tree, ParseHint};
pub use typing::file_types;

use crate::diagnostic::{FileName, SourceProvider};
use crate::paths;
use crate::stdlib::{self, Stdlib};
use input::FileTable;
use salsa::{Durability, Setter};
use std::sync::{Arc, Mutex, MutexGuard};

/// The path of the input that holds an expression given on the command line (`mlc eval -E`).
pub const EXPR_PATH: &str = "<expr>";

/// What queries may ask of the database besides salsa itself.
#[salsa::db]
pub trait Db: salsa::Database {
    /// The input for `path` (a normalised absolute path, `<stdlib>/...` or `<expr>`),
    /// creating it on first use from the disk or the embedded standard library.
    fn file(&self, path: &str) -> SourceFile;

    /// The embedded standard library this database resolves `<name>` against.
    fn stdlib(&self) -> &Stdlib;

    /// The input whose diagnostics name is `name` (as in `Diagnostic` labels and type
    /// sites), if one was created.
    fn file_named(&self, name: &str) -> Option<SourceFile>;

    /// Whether the standard library's parse, names and types are taken from the prepared
    /// ones instead of computed (see [`RootDatabase::with_prepared_stdlib`]).
    fn prepared_stdlib(&self) -> bool;

    /// The last parse of `file` with its text, when the database keeps them (see
    /// [`RootDatabase::with_reparse_hints`]): the [`parse`] query's starting point.
    fn parse_hint(&self, file: SourceFile) -> Option<Arc<ParseHint>>;

    /// Keeps `parse`, of `text`, as the hint of `file`'s next parse (when hints are kept).
    fn remember_parse(&self, file: SourceFile, text: &Arc<str>, parse: &crate::syntax::Parse);
}

/// The one database type: the CLI makes one per run, the language server keeps one for its
/// lifetime (see [`AnalysisHost`]). Clones share the inputs and memoized results; a clone
/// is how a request gets a read-only view that salsa can cancel.
#[salsa::db]
#[derive(Clone)]
pub struct RootDatabase {
    storage: salsa::Storage<Self>,
    files: Arc<Mutex<FileTable>>,
    stdlib: Stdlib,
    /// Files under this directory are named relative to it in diagnostics.
    display_root: Option<Arc<str>>,
    /// Files outside these directories are refused (see [`ProjectRoot`]); `None` reads any
    /// regular file (tests, and the `ide` crate's default host).
    project_root: Option<Arc<ProjectRoot>>,
    event_log: Option<EventLog>,
    prepared_stdlib: bool,
    parse_hints: Option<syntax::ParseHints>,
}

impl Default for RootDatabase {
    /// A database with the embedded standard library that names files relative to the
    /// current directory.
    fn default() -> Self {
        RootDatabase::new(Stdlib::default(), Some(&paths::current_dir()), None)
    }
}

#[salsa::db]
impl salsa::Database for RootDatabase {}

#[salsa::db]
impl Db for RootDatabase {
    fn file(&self, path: &str) -> SourceFile {
        let mut files = self.lock_files();
        if let Some(file) = files.get(path) {
            return file;
        }
        let (text, durability) = if stdlib::is_stdlib_path(path) {
            let text = self
                .stdlib
                .file(path)
                .map(Arc::from)
                .ok_or_else(|| "no such module in the standard library".to_string());
            // Embedded files change only with the binary.
            (text, Durability::HIGH)
        } else if path == EXPR_PATH {
            (Ok(Arc::from("")), Durability::LOW)
        } else {
            (self.read_source(path), Durability::LOW)
        };
        self.create_file(&mut files, path, text, durability)
    }

    fn file_named(&self, name: &str) -> Option<SourceFile> {
        self.file_by_name(name)
    }

    fn stdlib(&self) -> &Stdlib {
        &self.stdlib
    }

    fn prepared_stdlib(&self) -> bool {
        self.prepared_stdlib
    }

    fn parse_hint(&self, file: SourceFile) -> Option<Arc<ParseHint>> {
        self.parse_hints.as_ref()?.get(file)
    }

    fn remember_parse(&self, file: SourceFile, text: &Arc<str>, parse: &crate::syntax::Parse) {
        if let Some(hints) = &self.parse_hints {
            hints.put(self, file, text, parse);
        }
    }
}

impl RootDatabase {
    /// A database over `stdlib` that names files relative to `display_root` (absolute
    /// paths when `None`), recording salsa's events into `event_log` when given.
    pub fn new(stdlib: Stdlib, display_root: Option<&str>, event_log: Option<EventLog>) -> Self {
        let callback: Option<Box<dyn Fn(salsa::Event) + Send + Sync>> = event_log
            .clone()
            .map(|log| Box::new(move |event| log.record(&event)) as Box<_>);
        RootDatabase {
            storage: salsa::Storage::new(callback),
            files: Arc::default(),
            stdlib,
            display_root: display_root.map(Arc::from),
            project_root: None,
            event_log,
            prepared_stdlib: false,
            parse_hints: None,
        }
    }

    /// The database of a command line run: the standard library's parse and names
    /// (`db::prepared_syntax`) and types (`db::prepared`) come from the prepared ones
    /// embedded in the binary instead of a parse and a check of the library in every run,
    /// and its modules, trusted, report no diagnostics. The user's files are checked as
    /// before, against the same types. Only the types of the modules' values and
    /// annotations are prepared: a host that shows the types inside a module (the
    /// language server) keeps checking it.
    pub fn with_prepared_stdlib(mut self) -> Self {
        self.prepared_stdlib = true;
        self
    }

    /// The database of an editor or watch mode, where a file is parsed again after each
    /// edit: it keeps each user file's last parse, so that an edit inside one binding
    /// parses only that binding ([`crate::syntax::reparse`]).
    pub fn with_reparse_hints(mut self) -> Self {
        self.parse_hints = Some(syntax::ParseHints::default());
        self
    }

    /// The database reading only files inside `root` (a normalised absolute directory).
    /// Set it before the first file is read: inputs already created keep their text.
    pub fn with_project_root(mut self, root: Option<&str>) -> Self {
        self.project_root = root.map(|root| Arc::new(ProjectRoot::new(root)));
        self
    }

    /// The database of an editor: reads confined to the directories that
    /// [`RootDatabase::add_project_root`] adds (the workspace folders), none at first.
    pub fn with_workspace_root(mut self) -> Self {
        self.project_root = Some(Arc::new(ProjectRoot::workspace()));
        self
    }

    /// Adds the normalised absolute directory `dir` to a confined database's roots (an
    /// unconfined one stays so), then reads again every file refused so far, which may be
    /// inside it now. Roots only grow: a file read once is never refused later.
    pub fn add_project_root(&mut self, dir: &str) {
        let Some(current) = self.project_root.as_deref() else {
            return;
        };
        let mut root = current.clone();
        if !root.add(dir) {
            return;
        }
        self.project_root = Some(Arc::new(root));
        for file in self.all_files() {
            if file.text(self).is_err() {
                let path = file.path(self).to_string();
                self.reload_file(&path);
            }
        }
    }

    /// The project root, if imports are confined to one.
    pub fn project_root(&self) -> Option<&ProjectRoot> {
        self.project_root.as_deref()
    }

    /// The text of the file at `path` on disk, or why it cannot (or may not) be read.
    fn read_source(&self, path: &str) -> Result<Arc<str>, String> {
        project_root::read_source(path, self.project_root.as_deref())
    }

    /// A default database that records which queries execute (see [`EventLog`]): the proof,
    /// in tests, that an edit re-runs only what depends on it.
    pub fn with_event_log() -> Self {
        RootDatabase::new(
            Stdlib::default(),
            Some(&paths::current_dir()),
            Some(EventLog::default()),
        )
    }

    /// The event log, when the database was made with one.
    pub fn event_log(&self) -> Option<&EventLog> {
        self.event_log.as_ref()
    }

    /// The input for a path as the user wrote it on the command line (relative to the
    /// current directory).
    pub fn file_for_argument(&self, argument: &str) -> SourceFile {
        self.file(&paths::normalize(&paths::current_dir(), argument))
    }

    /// The input whose diagnostics name is `name`, if one was created.
    pub fn file_by_name(&self, name: &str) -> Option<SourceFile> {
        self.lock_files().get_by_name(name)
    }

    /// The input for `path` if it was created already (without reading anything).
    pub fn existing_file(&self, path: &str) -> Option<SourceFile> {
        self.lock_files().get(path)
    }

    /// Every input created so far, in no particular order.
    pub fn all_files(&self) -> Vec<SourceFile> {
        self.lock_files().files()
    }

    /// Sets the text of the file at `path` (an open editor buffer; relative paths are taken
    /// from the current directory), creating its input if needed. The revision moves only
    /// when the text changed.
    pub fn set_file_text(&mut self, path: &str, text: &str) -> SourceFile {
        let file = self.file(&paths::normalize(&paths::current_dir(), path));
        self.update_text(file, Ok(Arc::from(text)));
        file
    }

    /// Sets the text of the `-E` expression input.
    pub fn set_expr_text(&mut self, text: &str) -> SourceFile {
        let file = self.file(EXPR_PATH);
        self.update_text(file, Ok(Arc::from(text)));
        file
    }

    /// Reads the file at `path` from disk again (after a watcher saw it change, or an editor
    /// closed its buffer). Returns the input if the database knows the file and its text
    /// changed; files never asked for are not read.
    pub fn reload_file(&mut self, path: &str) -> Option<SourceFile> {
        let file = self.existing_file(path)?;
        if stdlib::is_stdlib_path(path) || path == EXPR_PATH {
            return None;
        }
        let changed = self.update_text(file, self.read_source(path));
        changed.then_some(file)
    }

    /// Sets the text of `file` if it differs, and says whether it did. Salsa's setters
    /// always start a new revision, so comparing first keeps unchanged saves free.
    fn update_text(&mut self, file: SourceFile, text: Result<Arc<str>, String>) -> bool {
        if *file.text(self) == text {
            return false;
        }
        let _previous = file
            .set_text(self)
            .with_durability(Durability::LOW)
            .to(text);
        true
    }

    fn create_file(
        &self,
        files: &mut MutexGuard<'_, FileTable>,
        path: &str,
        text: Result<Arc<str>, String>,
        durability: Durability,
    ) -> SourceFile {
        let name: FileName = paths::display_name(self.display_root.as_deref(), path).into();
        let path: Arc<str> = Arc::from(path);
        let file = SourceFile::builder(path.clone(), name.clone(), text)
            .durability(durability)
            .new(self);
        files.insert(path, name, file);
        file
    }

    fn lock_files(&self) -> MutexGuard<'_, FileTable> {
        // A panic while holding the lock leaves the table consistent (every insert is one
        // step), so a poisoned lock is safe to keep using.
        self.files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl SourceProvider for RootDatabase {
    fn source(&self, name: &str) -> Option<Arc<str>> {
        let file = self.file_by_name(name)?;
        file.text(self).as_ref().ok().cloned()
    }
}
