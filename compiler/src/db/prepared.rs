//! The standard library's types, prepared once instead of checked in every run: the type
//! of each module's value and of its annotations (what importing and evaluating it need),
//! encoded by [`crate::types::stored`] into `stdlib_types.bin` and embedded.
//!
//! A database made [`RootDatabase::with_prepared_stdlib`] (the command line's) takes a
//! module's types from there; the others (the language server, tests) check the library as
//! any file, which also gives what only an editor inside a module needs (the types of its
//! definitions, hover, completion). The user's files are checked fully either way, against
//! the same types. The prepared types are used only if they were made from the embedded
//! files ([`crate::stdlib::HASH`]); otherwise the library is checked as before. The test
//! below fails when they are stale, and rewrites them with `MLC_UPDATE_STDLIB_TYPES=1`.
//!
//! The bytes: the magic `MLCT`, the hash, the number of modules, then each module's path
//! and types, written by one [`Writer`] (so that a record type several modules share, the
//! options of `<mlflow>`, is written and decoded once).
//!
//! [`RootDatabase::with_prepared_stdlib`]: super::RootDatabase::with_prepared_stdlib

use super::syntax::parse;
use super::{Db, SourceFile};
use crate::syntax::Expr;
use crate::types::stored::{self, Reader};
use crate::types::FileTypes;
use rustc_hash::FxHashMap;
use std::sync::Arc;

#[cfg(test)]
use crate::types::stored::{StoredTypes, Writer};

/// The prepared types of every module of the embedded standard library.
const PREPARED: &[u8] = include_bytes!("stdlib_types.bin");

const MAGIC: &[u8; 4] = b"MLCT";

/// Whether `db` takes the types of `file` from the prepared ones: it was made to, and
/// `file` is a module of the embedded standard library the bytes were made from.
pub fn is_prepared(db: &dyn Db, file: SourceFile) -> bool {
    db.prepared_stdlib()
        && crate::stdlib::is_stdlib_path(file.path(db))
        && db.stdlib().is_embedded()
        && modules(PREPARED).is_some()
}

/// The types of the standard-library module `file` from the prepared ones, or `None` when
/// there are none for it (a stand-in library, stale bytes, or a module not prepared).
pub fn prepared_types(db: &dyn Db, file: SourceFile) -> Option<FileTypes> {
    if !db.stdlib().is_embedded() {
        return None;
    }
    let module = prepared_stdlib(db).as_ref()?.get(&**file.path(db))?;
    Some(FileTypes {
        root: module.root.clone(),
        annotations: module.annotations.clone(),
        ..FileTypes::default()
    })
}

/// Every module's prepared types, by path, decoded once per database; `None` if the bytes
/// were not made from the embedded files or do not decode.
#[salsa::tracked(returns(ref), no_eq)]
fn prepared_stdlib(db: &dyn Db) -> Option<FxHashMap<String, PreparedModule>> {
    let (count, bytes) = modules(PREPARED)?;
    let find_default = |name: &crate::diagnostic::FileName, span: crate::syntax::Span| {
        let file = db.file_named(name).unwrap_or_else(|| db.file(name));
        type_defaults(db, file)
            .get(&(span.start, span.end))
            .cloned()
    };
    let mut reader = Reader::new(bytes, &find_default);
    let mut modules = FxHashMap::default();
    for _ in 0..count {
        let path = reader.text().ok()?.to_string();
        let types = reader.types().ok()?;
        modules.insert(
            path,
            PreparedModule {
                root: types.root,
                annotations: Arc::new(types.annotations),
            },
        );
    }
    reader.is_empty().then_some(modules)
}

/// One module's prepared types, its annotations shared as [`FileTypes`] shares them.
struct PreparedModule {
    root: Option<crate::types::Type>,
    annotations: Arc<FxHashMap<u32, crate::types::Type>>,
}

/// The record fields' defaults written in `file`, by span (see [`stored::type_defaults`]).
#[salsa::tracked(returns(ref), no_eq)]
fn type_defaults(db: &dyn Db, file: SourceFile) -> FxHashMap<(u32, u32), Arc<Expr>> {
    stored::type_defaults(&parse(db, file).root)
}

/// The number of modules in `bytes` and their part, if the bytes were made from the
/// embedded files.
fn modules(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (hash, rest) = rest.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*hash) != crate::stdlib::HASH {
        return None;
    }
    let no_defaults = |_: &crate::diagnostic::FileName, _: crate::syntax::Span| None;
    let mut reader = Reader::new(rest, &no_defaults);
    let count = reader.number().ok()?;
    Some((count, reader.remaining()))
}

/// The prepared types of every module of the standard library `db` checks (fully: `db`
/// must not use prepared types), for `stdlib_types.bin`. `Err` names a module whose types
/// cannot be prepared: one with diagnostics (the library is trusted to have none), or a
/// type the stored form cannot hold.
#[cfg(test)]
fn prepare(db: &dyn Db) -> Result<Vec<u8>, String> {
    let mut writer = Writer::default();
    writer.bytes(MAGIC);
    writer.bytes(&crate::stdlib::HASH.to_le_bytes());
    let names = db.stdlib().module_names();
    writer.number(names.len() as u64);
    for name in names {
        let path = db
            .stdlib()
            .module_path(name)
            .ok_or_else(|| format!("no path for `<{name}>`"))?;
        let file = db.file(&path);
        let types = super::typing::file_types(db, file);
        let diagnostics = super::diagnostics::file_diagnostics(db, file);
        if !diagnostics.is_empty() {
            return Err(format!("`{path}` has diagnostics: {diagnostics:?}"));
        }
        let stored = StoredTypes {
            root: types.root.clone(),
            annotations: (*types.annotations).clone(),
        };
        writer.text(&path);
        writer
            .types(&stored)
            .map_err(|error| format!("`{path}`: {error}"))?;
    }
    Ok(writer.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::RootDatabase;

    /// The embedded bytes are what the checker gives for the embedded library now, and they
    /// decode to the checker's types of every module. Rewrites them when asked to.
    #[test]
    fn the_prepared_stdlib_types_are_the_checkers() {
        let checked = RootDatabase::default();
        let fresh = prepare(&checked).unwrap_or_else(|error| panic!("{error}"));
        if std::env::var_os("MLC_UPDATE_STDLIB_TYPES").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/db/stdlib_types.bin");
            if let Err(error) = std::fs::write(path, &fresh) {
                panic!("cannot write {path}: {error}");
            }
            return;
        }
        assert!(
            fresh == PREPARED,
            "compiler/src/db/stdlib_types.bin is stale (the standard library or the checker \
             changed): run `MLC_UPDATE_STDLIB_TYPES=1 cargo test -p mlc --lib db::prepared`"
        );
        let prepared = RootDatabase::default().with_prepared_stdlib();
        for name in checked.stdlib().module_names() {
            let path = checked.stdlib().module_path(name).unwrap_or_default();
            let full = crate::db::file_types(&checked, checked.file(&path));
            let file = prepared.file(&path);
            let Some(decoded) = prepared_types(&prepared, file) else {
                panic!("no prepared types for `{path}`");
            };
            assert_eq!(decoded.root, full.root, "{path}");
            assert_eq!(decoded.annotations, full.annotations, "{path}");
            assert_eq!(crate::db::file_types(&prepared, file), &decoded, "{path}");
        }
    }

    #[test]
    fn bytes_of_other_files_give_no_types() {
        assert_eq!(modules(b""), None);
        assert_eq!(modules(b"MLCT\0\0\0\0\0\0\0\0\0"), None);
        let mut stale = MAGIC.to_vec();
        stale.extend_from_slice(&(crate::stdlib::HASH ^ 1).to_le_bytes());
        stale.push(0);
        assert_eq!(modules(&stale), None);
        let mut fresh = MAGIC.to_vec();
        fresh.extend_from_slice(&crate::stdlib::HASH.to_le_bytes());
        fresh.extend_from_slice(b"\x02rest");
        assert_eq!(modules(&fresh), Some((2, &b"rest"[..])));
    }

    /// A stand-in library is checked, never given the embedded library's types.
    #[test]
    fn a_stand_in_stdlib_is_checked() {
        let db = RootDatabase::new(
            crate::stdlib::Stdlib::from_files(&[("lib.mlc", "{ x = 1; }")]),
            None,
            None,
        )
        .with_prepared_stdlib();
        let file = db.file("<stdlib>/lib.mlc");
        assert!(prepared_types(&db, file).is_none());
        let root = crate::db::file_types(&db, file)
            .root
            .as_ref()
            .map(|ty| ty.to_string());
        assert_eq!(root.as_deref(), Some("{ x :: Int }"));
    }
}
