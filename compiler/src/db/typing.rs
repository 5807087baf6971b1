//! Type checking as a query per file. A file's check reads the *types* of the files it
//! imports (their `file_types` results), never their trees, so editing only the importing
//! file re-checks that file alone, and editing an imported file re-checks its importers
//! only when the imported file's type changed (salsa backdates an equal result).

use super::background::Deferred;
use super::names::name_resolution;
use super::static_imports::{imports, read_error, ImportTarget};
use super::syntax::parse;
use super::{Db, SourceFile};
use crate::syntax::Span;
use crate::types::{self, FileTypes, Type, TypeHost};

/// The types of `file`: its value's type, its type errors and its annotations' meaning.
/// An import cycle makes the types of its files `Dyn` where they meet (the cycle itself is
/// reported by `import_closure`). Freed off the main loop when the process defers drops
/// (`db::background`).
#[salsa::tracked(returns(as_deref), cycle_result = file_types_in_cycle)]
pub fn file_types(db: &dyn Db, file: SourceFile) -> Deferred<FileTypes> {
    if super::prepared::is_prepared(db, file) {
        if let Some(types) = super::prepared::prepared_types(db, file) {
            return Deferred::new(types);
        }
    }
    let host = DbTypeHost { db, file };
    Deferred::new(types::check_file(
        parse(db, file),
        name_resolution(db, file),
        file.name(db).clone(),
        &host,
    ))
}

fn file_types_in_cycle(_db: &dyn Db, _id: salsa::Id, _file: SourceFile) -> Deferred<FileTypes> {
    Deferred::new(FileTypes::default())
}

struct DbTypeHost<'db> {
    db: &'db dyn Db,
    file: SourceFile,
}

impl TypeHost for DbTypeHost<'_> {
    fn import_type(&self, span: Span) -> Option<Type> {
        let import = imports(self.db, self.file)
            .iter()
            .find(|import| import.span == span)?;
        let ImportTarget::File(target) = import.target else {
            return None;
        };
        if read_error(self.db, target).is_some() {
            return None;
        }
        file_types(self.db, target).root.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{check, EventLog, RootDatabase};
    use crate::stdlib::Stdlib;

    fn db_with(files: &[(&str, &str)]) -> RootDatabase {
        let mut db = RootDatabase::new(
            Stdlib::from_files(&[]),
            Some("/p"),
            Some(EventLog::default()),
        );
        for (name, text) in files {
            db.set_file_text(&format!("/p/{name}"), text);
        }
        db
    }

    #[test]
    fn imported_types_reach_the_importer() {
        let db = db_with(&[
            (
                "main.mlc",
                "let lib = import ./lib.mlc; p :: lib.Pair = { left = \"x\"; }; in p",
            ),
            (
                "lib.mlc",
                "{ type Pair = { left :: Int, right :: Int = 0 }; }",
            ),
        ]);
        let main = db.file("/p/main.mlc");
        let messages: Vec<String> = check(&db, main).iter().map(|d| d.message.clone()).collect();
        assert_eq!(messages, ["wrong type: expected `Int`, found `\"x\"`"]);
    }

    #[test]
    fn editing_the_importer_does_not_recheck_its_imports() {
        let mut db = db_with(&[
            ("main.mlc", "let a = import ./a.mlc; in a.f 1"),
            ("a.mlc", "{ f = (x :: Int): x + 1; }"),
            ("b.mlc", "import ./a.mlc"),
        ]);
        let (main, a) = (db.file("/p/main.mlc"), db.file("/p/a.mlc"));
        assert!(check(&db, main).is_empty());
        let first = db.event_log().map(EventLog::take).unwrap_or_default();
        assert_eq!(
            EventLog::executions(&first, "file_types", a),
            1,
            "{first:?}"
        );

        // Only the importer changed: its types are recomputed, the import's are reused.
        db.set_file_text("/p/main.mlc", "let a = import ./a.mlc; in a.f 2");
        assert!(check(&db, main).is_empty());
        let second = db.event_log().map(EventLog::take).unwrap_or_default();
        assert_eq!(
            EventLog::executions(&second, "file_types", main),
            1,
            "{second:?}"
        );
        assert_eq!(
            EventLog::executions(&second, "file_types", a),
            0,
            "{second:?}"
        );
        assert_eq!(EventLog::executions(&second, "parse", a), 0, "{second:?}");
    }

    #[test]
    fn an_import_cycle_types_as_dyn_instead_of_looping() {
        let db = db_with(&[("a.mlc", "import ./b.mlc"), ("b.mlc", "import ./a.mlc")]);
        let a = db.file("/p/a.mlc");
        // The cycle is reported by the import closure; typing it does not hang or panic.
        let _ = file_types(&db, a);
        assert!(check(&db, a)
            .iter()
            .any(|d| d.code == crate::diagnostic::codes::E0212));
    }
}
