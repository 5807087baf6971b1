//! The database of one command, confined to its project root: the directory `--root DIR`
//! names, or else the directory of the entry files ([`mlc::db::ProjectRoot::dir_for`]).
//! Imports read only files inside it.

use mlc::db::{ProjectRoot, RootDatabase};

/// The database of a command whose entry files are `entries` (as the user wrote them).
/// The standard library's parse, names and types are the prepared ones (see
/// `with_prepared_stdlib`).
pub fn database(root: Option<&str>, entries: &[&str]) -> RootDatabase {
    RootDatabase::default()
        .with_project_root(Some(&ProjectRoot::dir_for(root, entries)))
        .with_prepared_stdlib()
}
