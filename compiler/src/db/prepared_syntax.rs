//! The standard library's parse and name resolution, prepared once instead of computed in
//! every run: each module's tree, comments and resolution are encoded by
//! [`super::syntax_codec`] into `stdlib_syntax.bin` and embedded, and a database made
//! [`RootDatabase::with_prepared_stdlib`] (the command line's) decodes a module's when it
//! first needs them, in its `parse` and `name_resolution` queries, instead of parsing and
//! resolving the text. Only the modules a run reads are decoded.
//!
//! The decoded values equal what the parser and `names` give for the embedded text (the
//! test below checks every module, and fails when the bytes are stale; it rewrites them
//! with `MLC_UPDATE_STDLIB_TYPES=1`, the command that refreshes the prepared types too).
//! They are used only if they were made from the embedded files ([`crate::stdlib::HASH`])
//! and the input still holds the embedded text; otherwise the module is parsed as before.
//!
//! The bytes: the magic `MLCS`, the hash, then an archive of the modules by relative path.
//!
//! [`RootDatabase::with_prepared_stdlib`]: super::RootDatabase::with_prepared_stdlib

use super::syntax_codec::{self, Module};
use super::{Db, SourceFile};
use crate::names::NameResolution;
use crate::syntax::{Name, Parse};

/// The prepared parse and resolution of every module of the embedded standard library.
const PREPARED: &[u8] = include_bytes!("stdlib_syntax.bin");

const MAGIC: &[u8; 4] = b"MLCS";

/// The parse of `file` from the prepared ones, if `db` takes it from there.
pub fn prepared_parse(db: &dyn Db, file: SourceFile) -> Option<Parse> {
    let module = module_of(db, file)?;
    syntax_codec::decode_parse(&module, prepared_names(db, file).as_deref()?)
}

/// The name resolution of `file` from the prepared ones, if `db` takes it from there.
pub fn prepared_resolution(db: &dyn Db, file: SourceFile) -> Option<NameResolution> {
    let module = module_of(db, file)?;
    syntax_codec::decode_resolution(&module, prepared_names(db, file).as_deref()?)
}

/// The names of `file`'s prepared form, decoded once, so that its tree and its resolution
/// share them.
#[salsa::tracked(returns(ref), no_eq)]
fn prepared_names(db: &dyn Db, file: SourceFile) -> Option<Vec<Name>> {
    syntax_codec::decode_names(&module_of(db, file)?)
}

/// The prepared form of `file`, if `db` takes the standard library's syntax from the
/// prepared ones, `file` is one of its modules with the embedded text, and the bytes were
/// made from the embedded files.
fn module_of(db: &dyn Db, file: SourceFile) -> Option<Module<'static>> {
    if !db.prepared_stdlib() || !db.stdlib().is_embedded() {
        return None;
    }
    let path = file.path(db);
    let relative = path.strip_prefix(crate::stdlib::ROOT)?.strip_prefix('/')?;
    let embedded = db.stdlib().file(path)?;
    if file.text(db).as_deref() != Ok(embedded) {
        return None;
    }
    syntax_codec::find_module(archive(PREPARED)?, relative)
}

/// The archive of modules in `bytes`, if they were made from the embedded files.
fn archive(bytes: &[u8]) -> Option<&[u8]> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (hash, rest) = rest.split_first_chunk::<8>()?;
    (u64::from_le_bytes(*hash) == crate::stdlib::HASH).then_some(rest)
}

/// The prepared form of every module of the embedded standard library, for
/// `stdlib_syntax.bin`; `Err` names a module that cannot be prepared (one with syntax
/// errors).
#[cfg(test)]
fn prepare() -> Result<Vec<u8>, String> {
    let mut modules = Vec::new();
    for (relative, text) in crate::stdlib::FILES {
        let parse = crate::syntax::parse(text);
        let names = crate::names::resolve(&parse.root, &crate::builtins::global_names());
        let module = syntax_codec::encode_module(&parse, &names)
            .map_err(|error| format!("`{relative}`: {error}"))?;
        modules.push((relative.to_string(), module));
    }
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&crate::stdlib::HASH.to_le_bytes());
    bytes.extend_from_slice(&syntax_codec::encode_archive(&modules));
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{name_resolution, parse, RootDatabase};

    /// The embedded bytes are what the parser and `names` give for the embedded library
    /// now, and decode to exactly that for every module. Rewrites them when asked to.
    #[test]
    fn the_prepared_stdlib_syntax_is_the_parsers() {
        let fresh = prepare().unwrap_or_else(|error| panic!("{error}"));
        if std::env::var_os("MLC_UPDATE_STDLIB_TYPES").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/db/stdlib_syntax.bin");
            if let Err(error) = std::fs::write(path, &fresh) {
                panic!("cannot write {path}: {error}");
            }
            return;
        }
        assert!(
            fresh == PREPARED,
            "compiler/src/db/stdlib_syntax.bin is stale (the standard library, the parser or \
             name resolution changed): run \
             `MLC_UPDATE_STDLIB_TYPES=1 cargo test -p mlc --lib db::prepared`"
        );
        let checked = RootDatabase::default();
        let prepared = RootDatabase::default().with_prepared_stdlib();
        for name in checked.stdlib().module_names() {
            let path = checked.stdlib().module_path(name).unwrap_or_default();
            let file = prepared.file(&path);
            let Some(decoded) = prepared_parse(&prepared, file) else {
                panic!("no prepared parse for `{path}`");
            };
            let full = parse(&checked, checked.file(&path));
            assert_eq!(&decoded, full, "{path}");
            assert_eq!(parse(&prepared, file), full, "{path}");
            let Some(resolution) = prepared_resolution(&prepared, file) else {
                panic!("no prepared names for `{path}`");
            };
            let full = name_resolution(&checked, checked.file(&path));
            assert_eq!(&resolution, &**full, "{path}");
            assert_eq!(name_resolution(&prepared, file), full, "{path}");
        }
    }

    #[test]
    fn bytes_of_other_files_give_no_archive() {
        assert_eq!(archive(b""), None);
        assert_eq!(archive(b"MLCT\0\0\0\0\0\0\0\0\0"), None);
        let mut stale = MAGIC.to_vec();
        stale.extend_from_slice(&(crate::stdlib::HASH ^ 1).to_le_bytes());
        assert_eq!(archive(&stale), None);
    }

    /// A stand-in library, a database that does not prepare, and an input whose text is
    /// not the embedded one are parsed, never given the prepared forms.
    #[test]
    fn only_embedded_text_in_a_preparing_database_is_decoded() {
        let stand_in = RootDatabase::new(
            crate::stdlib::Stdlib::from_files(&[("lib.mlc", "{ x = 1; }")]),
            None,
            None,
        )
        .with_prepared_stdlib();
        assert!(prepared_parse(&stand_in, stand_in.file("<stdlib>/lib.mlc")).is_none());
        let unprepared = RootDatabase::default();
        assert!(prepared_parse(&unprepared, unprepared.file("<stdlib>/lib.mlc")).is_none());
        let mut edited = RootDatabase::default().with_prepared_stdlib();
        let file = edited.file("<stdlib>/lib.mlc");
        assert!(prepared_parse(&edited, file).is_some());
        edited.set_file_text("<stdlib>/lib.mlc", "{ y = 2; }");
        assert!(prepared_parse(&edited, file).is_none());
        let root = &parse(&edited, file).root;
        assert!(matches!(root.kind, crate::syntax::ExprKind::AttrSet { .. }));
    }
}
