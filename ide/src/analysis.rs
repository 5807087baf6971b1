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

use mlc::db::{file_diagnostics, name_resolution, parse, Cancellable, Change, Db, RootDatabase};
use mlc::diagnostic::Diagnostic;
use mlc::syntax::Span;

use crate::completion::Completion;
use crate::highlight::Token;
use crate::hints::InlayHint;
use crate::hover::Hover;
use crate::navigation::UseKind;
use crate::outline::{Fold, ItemKind, OutlineItem};
use crate::signature::Signature;

/// A named thing of a workspace file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: ItemKind,
    pub range: FileRange,
    /// The binding it is inside (`server` for `server.port`).
    pub container: Option<String>,
}

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
    workspace: Arc<[String]>,
}

impl AnalysisHost {
    /// A host that reads only files inside the project roots that
    /// [`AnalysisHost::add_project_root`] adds (an editor's workspace folders), as `mlc build`
    /// reads only inside its root: the standard library and the editor's buffers always.
    pub fn confined() -> AnalysisHost {
        AnalysisHost {
            host: mlc::db::AnalysisHost::new(RootDatabase::default().with_workspace_root()),
            workspace: Arc::default(),
        }
    }

    /// Lets a confined host read the files under the absolute directory `dir` too (files
    /// refused before are read again). Roots only grow.
    pub fn add_project_root(&mut self, dir: &str) {
        self.host.db_mut().add_project_root(dir);
    }

    /// Applies `change`. Cancels the queries of every outstanding [`Analysis`] and waits for
    /// them to be dropped.
    pub fn apply_change(&mut self, change: Change) {
        self.host.apply_change(change);
    }

    /// Sets the user files of the workspace (the `.mlc` files under its folders, as
    /// database paths): what references, rename and workspace symbols search besides the
    /// files the database has read.
    pub fn set_workspace_files(&mut self, files: Vec<String>) {
        self.workspace = files.into();
    }

    /// A snapshot for one request.
    pub fn analysis(&self) -> Analysis {
        Analysis {
            db: self.host.db().clone(),
            workspace: self.workspace.clone(),
        }
    }
}

/// A read-only snapshot of the database for one request. Every method returns `Err` when an
/// edit cancelled it.
#[derive(Clone)]
pub struct Analysis {
    db: RootDatabase,
    workspace: Arc<[String]>,
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
            // An editor's paths are absolute: no need to ask the system for the current
            // directory on every request, as a command-line argument needs.
            let file = if std::path::Path::new(&path).is_absolute()
                || mlc::stdlib::is_stdlib_path(&path)
            {
                db.file(&mlc::paths::normalize("/", &path))
            } else {
                db.file_for_argument(&path)
            };
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

    /// Every use of what is at `offset`, with how it is used: in the file, and for an
    /// attribute in every workspace file.
    pub fn references(&self, path: &str, offset: u32) -> Cancellable<Vec<(FileRange, UseKind)>> {
        let workspace = self.workspace.clone();
        self.with_file(path, move |db, file| {
            let others = crate::workspace::files(db, &workspace);
            crate::workspace::uses_everywhere(db, file, offset, &others)
                .into_iter()
                .map(|(in_file, u)| {
                    let range = FileRange {
                        path: in_file.path(db).to_string(),
                        span: u.span,
                    };
                    (range, u.kind)
                })
                .collect()
        })
    }

    /// The definition and uses, in this file, of the name at `offset` (document highlight).
    pub fn highlight_related(&self, path: &str, offset: u32) -> Cancellable<Vec<(Span, UseKind)>> {
        self.with_file(path, |db, file| {
            let Some(cursor) = crate::navigation::at_cursor(db, file, offset) else {
                return Vec::new();
            };
            let Some(symbol) = crate::navigation::symbol(db, file, &cursor.target) else {
                return Vec::new();
            };
            crate::navigation::uses(db, file, &symbol)
                .into_iter()
                .map(|u| (u.span, u.kind))
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

    /// The edits that rename what is at `offset` to `new_name` in every file that uses it,
    /// or why they cannot be made.
    pub fn rename(
        &self,
        path: &str,
        offset: u32,
        new_name: &str,
    ) -> Cancellable<Result<Vec<FileEdit>, String>> {
        let workspace = self.workspace.clone();
        self.with_file(path, move |db, file| {
            let others = crate::workspace::files(db, &workspace);
            let edits = crate::rename::rename_everywhere(db, file, offset, new_name, &others)?;
            Ok(edits
                .into_iter()
                .map(|(in_file, edits)| FileEdit {
                    path: in_file.path(db).to_string(),
                    edits,
                })
                .collect())
        })
    }

    /// The diagnostics of the file as the editor shows them (see [`crate::diagnostics`]):
    /// its own, errors of the files it imports at their `import`, the evaluation's.
    pub fn diagnostics(&self, path: &str) -> Cancellable<Vec<Diagnostic>> {
        self.with_file(path, |db, file| crate::diagnostics::diagnostics(db, file))
    }

    /// The `let` bindings and top-level attributes of every workspace file whose name
    /// matches `query` (its characters in order).
    pub fn workspace_symbols(&self, query: &str) -> Cancellable<Vec<WorkspaceSymbol>> {
        let workspace = self.workspace.clone();
        let query = query.to_string();
        self.with_db(move |db| {
            let files = crate::workspace::files(db, &workspace);
            crate::workspace::workspace_symbols(db, &files, &query)
                .into_iter()
                .map(|symbol| WorkspaceSymbol {
                    name: symbol.name,
                    kind: symbol.kind,
                    range: FileRange {
                        path: symbol.file.path(db).to_string(),
                        span: symbol.name_span,
                    },
                    container: symbol.container,
                })
                .collect()
        })
    }

    /// The inferred types of unannotated `let` bindings and parameters.
    pub fn inlay_hints(&self, path: &str) -> Cancellable<Vec<InlayHint>> {
        self.with_file(path, |db, file| crate::hints::inlay_hints(db, file))
    }

    /// The signature of the function applied around `offset`.
    pub fn signature_help(&self, path: &str, offset: u32) -> Cancellable<Option<Signature>> {
        self.with_file(path, |db, file| {
            crate::signature::signature_help(db, file, offset)
        })
    }

    /// Lenses: the objects a `mlflow.deployment` call builds, from the file's evaluation
    /// (`None` while it does not evaluate).
    pub fn code_lens(&self, path: &str) -> Cancellable<Vec<(Span, Option<String>)>> {
        self.with_file(path, |db, file| crate::lens::code_lens(db, file))
    }

    /// For each offset, the ranges around it from the innermost out.
    pub fn selection_ranges(&self, path: &str, offsets: &[u32]) -> Cancellable<Vec<Vec<Span>>> {
        let offsets = offsets.to_vec();
        self.with_file(path, move |db, file| {
            let root = &parse(db, file).root;
            let text = file.source_text(db);
            offsets
                .iter()
                .map(|&offset| crate::selection::selection_ranges(root, &text, offset))
                .collect()
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
