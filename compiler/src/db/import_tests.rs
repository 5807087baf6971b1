//! Tests of import resolution, closures and cycles, on real files parsed by the real parser.

use super::*;
use crate::diagnostic::codes;
use crate::stdlib::Stdlib;

const STDLIB: &[(&str, &str)] = &[
    ("mlflow.mlc", "{ tls = import ./mlflow/tls.mlc; }"),
    ("mlflow/tls.mlc", "{ enable = false; }"),
];

/// A database over in-memory files under `/p` (set as buffers, so nothing touches the disk
/// except lookups of files that were never set, which do not exist).
fn db_with(files: &[(&str, &str)]) -> RootDatabase {
    let mut db = RootDatabase::new(
        Stdlib::from_files(STDLIB),
        Some("/p"),
        Some(EventLog::default()),
    );
    for (name, text) in files {
        db.set_file_text(&format!("/p/{name}"), text);
    }
    db
}

fn entry(db: &RootDatabase, name: &str) -> SourceFile {
    db.file(&format!("/p/{name}"))
}

fn names(db: &RootDatabase, files: &[SourceFile]) -> Vec<String> {
    files.iter().map(|file| file.name(db).to_string()).collect()
}

#[test]
fn imports_are_found_in_source_order_and_resolved() {
    let db = db_with(&[(
        "main.mlc",
        "let a = import ./lib/a.mlc; m = <mlflow/tls>; in [ a (builtins.import ../p/b.mlc) (import (./c.mlc)) ]",
    )]);
    let main = entry(&db, "main.mlc");
    let found: Vec<(ImportKind, String)> = imports(&db, main)
        .iter()
        .map(|import| {
            let target = match import.target {
                ImportTarget::File(file) => file.path(&db).to_string(),
                ImportTarget::UnknownModule => "?".to_string(),
            };
            (import.kind.clone(), target)
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                ImportKind::Path("./lib/a.mlc".into()),
                "/p/lib/a.mlc".into()
            ),
            (
                ImportKind::Module("mlflow/tls".into()),
                "<stdlib>/mlflow/tls.mlc".into()
            ),
            (ImportKind::Path("../p/b.mlc".into()), "/p/b.mlc".into()),
            (ImportKind::Path("./c.mlc".into()), "/p/c.mlc".into()),
        ]
    );
}

#[test]
fn interpolated_paths_are_left_to_the_evaluator() {
    let db = db_with(&[("main.mlc", "let n = \"x\"; in import ./${n}.mlc")]);
    assert!(imports(&db, entry(&db, "main.mlc")).is_empty());
}

#[test]
fn the_closure_follows_imports_into_the_stdlib() {
    let db = db_with(&[
        ("main.mlc", "[ (import ./a.mlc) (import <mlflow>) ]"),
        ("a.mlc", "import ./b.mlc"),
        ("b.mlc", "1"),
    ]);
    let closure = import_closure(&db, entry(&db, "main.mlc"));
    assert_eq!(
        names(&db, &closure.files),
        [
            "main.mlc",
            "a.mlc",
            "b.mlc",
            "<stdlib>/mlflow.mlc",
            "<stdlib>/mlflow/tls.mlc"
        ]
    );
    assert!(closure.cycles.is_empty());
    assert!(check(&db, entry(&db, "main.mlc")).is_empty());
}

#[test]
fn a_cycle_is_one_error_that_names_every_file() {
    let db = db_with(&[
        ("main.mlc", "import ./a.mlc"),
        ("a.mlc", "import ./b.mlc"),
        ("b.mlc", "{ x = import ./a.mlc; }"),
    ]);
    let diagnostics = check(&db, entry(&db, "main.mlc"));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let cycle = &diagnostics[0];
    assert_eq!(cycle.code, codes::E0212);
    assert_eq!(cycle.message, "import cycle: `a.mlc` → `b.mlc` → `a.mlc`");
    assert_eq!(&*cycle.primary.file, "b.mlc");
    assert_eq!(cycle.secondary.len(), 1);
    assert_eq!(&*cycle.secondary[0].file, "a.mlc");
}

#[test]
fn a_file_that_imports_itself() {
    let db = db_with(&[("self.mlc", "import ./self.mlc")]);
    let diagnostics = check(&db, entry(&db, "self.mlc"));
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].message, "`self.mlc` imports itself");
}

#[test]
fn missing_files_and_unknown_modules_are_reported_where_they_are_imported() {
    let db = db_with(&[("main.mlc", "[ (import ./gone.mlc) <mlfow> <nothing> ]")]);
    let diagnostics = check(&db, entry(&db, "main.mlc"));
    let summary: Vec<(&str, &str)> = diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("E0210", "cannot import `./gone.mlc`: no such file"),
            ("E0211", "unknown standard library module `<mlfow>`"),
            ("E0211", "unknown standard library module `<nothing>`"),
        ]
    );
    assert_eq!(
        diagnostics[1].help.as_deref(),
        Some("did you mean `<mlflow>`?")
    );
    assert_eq!(
        diagnostics[1]
            .fix
            .as_ref()
            .map(|fix| fix.replacement.as_str()),
        Some("<mlflow>")
    );
    assert_eq!(
        diagnostics[2].notes,
        ["the standard library has: `<mlflow>`, `<mlflow/tls>`"]
    );
}

#[test]
fn syntax_errors_of_imported_files_are_reported_once() {
    let db = db_with(&[
        ("main.mlc", "[ (import ./a.mlc) (import ./a.mlc) ]"),
        ("a.mlc", "{ x = 1 }"),
    ]);
    let diagnostics = check(&db, entry(&db, "main.mlc"));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code, codes::E0101);
    assert_eq!(&*diagnostics[0].primary.file, "a.mlc");
}

/// The proof issue 6 asks for: after an edit to one imported file, only that file is parsed
/// again, and the results of the others are reused.
#[test]
fn editing_one_imported_file_reparses_only_that_file() {
    let mut db = db_with(&[
        ("main.mlc", "[ (import ./a.mlc) (import ./b.mlc) ]"),
        ("a.mlc", "{ x = 1; }"),
        ("b.mlc", "{ y = 2; }"),
    ]);
    let (main, a, b) = (
        entry(&db, "main.mlc"),
        entry(&db, "a.mlc"),
        entry(&db, "b.mlc"),
    );
    assert!(check(&db, main).is_empty());
    let first = db.event_log().map(EventLog::take).unwrap_or_default();
    for file in [main, a, b] {
        assert_eq!(EventLog::executions(&first, "parse", file), 1, "{first:?}");
    }

    db.set_file_text("/p/b.mlc", "{ y = 3; }");
    assert!(check(&db, main).is_empty());
    let second = db.event_log().map(EventLog::take).unwrap_or_default();
    assert_eq!(EventLog::executions(&second, "parse", b), 1, "{second:?}");
    assert_eq!(EventLog::executions(&second, "parse", a), 0, "{second:?}");
    assert_eq!(
        EventLog::executions(&second, "parse", main),
        0,
        "{second:?}"
    );
    // b's imports did not change, so nothing downstream of the graph ran again.
    assert_eq!(
        EventLog::executions(&second, "import_closure", main),
        0,
        "{second:?}"
    );
}
