//! Tests of the database through its public queries, on files in a temporary directory.

use super::*;
use crate::diagnostic::codes;
use std::path::PathBuf;

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("mlc-db-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    /// Writes `text` to `name` under the directory and returns its absolute path.
    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dir");
        }
        std::fs::write(&path, text).expect("write file");
        path.to_str().expect("utf-8 path").to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn logged_db() -> RootDatabase {
    RootDatabase::new(Stdlib::default(), None, Some(EventLog::default()))
}

fn log(db: &RootDatabase) -> Vec<String> {
    db.event_log().map(EventLog::take).unwrap_or_default()
}

#[test]
fn files_are_read_once_and_found_by_path_and_name() {
    let dir = TempDir::new("read-once");
    let path = dir.write("a.mlc", "1");
    let db = RootDatabase::new(Stdlib::default(), Some(dir.0.to_str().unwrap_or("/")), None);
    let file = db.file(&path);
    assert_eq!(db.file(&path), file);
    assert_eq!(&**file.name(&db), "a.mlc");
    assert_eq!(db.file_by_name("a.mlc"), Some(file));
    assert_eq!(db.source("a.mlc").as_deref(), Some("1"));
    // The disk is not read again: the input changes only when told to.
    dir.write("a.mlc", "2");
    assert_eq!(file.text(&db).as_deref().ok(), Some("1"));
}

#[test]
fn setting_the_same_text_starts_no_new_work() {
    let mut db = logged_db();
    let file = db.set_file_text("/virtual/a.mlc", "{ a = 1; }");
    let _ = parse(&db, file);
    assert_eq!(EventLog::executions(&log(&db), "parse", file), 1);

    db.set_file_text("/virtual/a.mlc", "{ a = 1; }");
    let _ = parse(&db, file);
    assert_eq!(EventLog::executions(&log(&db), "parse", file), 0);

    db.set_file_text("/virtual/a.mlc", "{ a = 2; }");
    let _ = parse(&db, file);
    assert_eq!(EventLog::executions(&log(&db), "parse", file), 1);
}

#[test]
fn editing_one_file_reparses_only_that_file() {
    let mut db = logged_db();
    let a = db.set_file_text("/virtual/a.mlc", "1");
    let b = db.set_file_text("/virtual/b.mlc", "2");
    let _ = (parse(&db, a), parse(&db, b));
    log(&db);

    db.set_file_text("/virtual/b.mlc", "3");
    let _ = (parse(&db, a), parse(&db, b));
    let entries = log(&db);
    assert_eq!(EventLog::executions(&entries, "parse", a), 0, "{entries:?}");
    assert_eq!(EventLog::executions(&entries, "parse", b), 1, "{entries:?}");
}

#[test]
fn a_missing_entry_file_is_one_error() {
    let dir = TempDir::new("missing");
    let db = RootDatabase::new(Stdlib::default(), Some(dir.0.to_str().unwrap_or("/")), None);
    let file = db.file(&format!("{}/nope.mlc", dir.0.display()));
    let diagnostics = check(&db, file);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, codes::E0213);
    assert_eq!(
        diagnostics[0].message,
        "cannot read `nope.mlc`: no such file"
    );
}

#[test]
fn reload_notices_a_created_file() {
    let dir = TempDir::new("reload");
    let mut db = RootDatabase::new(Stdlib::default(), None, None);
    let path = format!("{}/later.mlc", dir.0.display());
    let file = db.file(&path);
    assert!(file.text(&db).is_err());
    assert_eq!(db.reload_file(&path), None);
    dir.write("later.mlc", "1");
    assert_eq!(db.reload_file(&path), Some(file));
    assert_eq!(file.text(&db).as_deref().ok(), Some("1"));
}

#[test]
fn stdlib_files_are_embedded() {
    const FILES: &[(&str, &str)] = &[("m.mlc", "{ }")];
    let db = RootDatabase::new(Stdlib::from_files(FILES), None, None);
    let file = db.file("<stdlib>/m.mlc");
    assert_eq!(file.text(&db).as_deref().ok(), Some("{ }"));
    assert!(db.file("<stdlib>/other.mlc").text(&db).is_err());
}

#[test]
fn analysis_answers_from_a_snapshot() {
    let mut host = AnalysisHost::new(RootDatabase::new(Stdlib::default(), None, None));
    let mut change = Change::default();
    change.set_text("/virtual/a.mlc", "1");
    host.apply_change(change);
    let analysis = host.db().clone();
    let name = salsa::Cancelled::catch(|| {
        let file = analysis.file("/virtual/a.mlc");
        file.name(&analysis).to_string()
    });
    assert_eq!(name.ok().as_deref(), Some("/virtual/a.mlc"));
    drop(analysis);
    let mut change = Change::default();
    change.set_text("/virtual/a.mlc", "2");
    host.apply_change(change);
}

#[test]
fn an_editors_parse_after_each_edit_is_the_full_parse() {
    let mut host = AnalysisHost::new(RootDatabase::new(Stdlib::default(), None, None));
    let texts = [
        "let a = { b = 1; }; c = 2; in a",
        "let a = { b = 12; }; c = 2; in a",
        "let a = { b = 12 }; c = 2; in a",
        "let a = { b = 12; }; c = 2; in a",
        "let a = { b = 12; }; c = \"x${a.b}\"; in a",
    ];
    for text in texts {
        let mut change = Change::default();
        change.set_text("/virtual/edited.mlc", text);
        host.apply_change(change);
        let db = host.db();
        let file = db.file("/virtual/edited.mlc");
        assert!(*parse(db, file) == crate::syntax::parse(text), "{text}");
        let hint = db.parse_hint(file).map(|hint| hint.text.to_string());
        assert_eq!(hint.as_deref(), Some(text));
    }
    let db = host.db();
    let module = db.file("<stdlib>/lib.mlc");
    let _ = parse(db, module);
    assert!(db.parse_hint(module).is_none(), "the stdlib keeps no hints");
}

/// Set by [`spin_until_cancelled`] once it runs, so the test knows when to edit.
static SPINNING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A query that never finishes on its own, like a long evaluation: it ends only when a write
/// cancels it.
#[salsa::tracked(returns(copy))]
fn spin_until_cancelled(db: &dyn Db, file: SourceFile) -> usize {
    let _ = file.text(db);
    SPINNING.store(true, std::sync::atomic::Ordering::SeqCst);
    loop {
        db.unwind_if_revision_cancelled();
        std::thread::yield_now();
    }
}

#[test]
fn an_edit_cancels_a_running_request() {
    let mut host = AnalysisHost::new(RootDatabase::new(Stdlib::default(), None, None));
    let mut change = Change::default();
    change.set_text("/virtual/slow.mlc", "1");
    host.apply_change(change);

    let analysis = host.db().clone();
    let request = std::thread::spawn(move || {
        let db = std::panic::AssertUnwindSafe(&analysis);
        salsa::Cancelled::catch(|| spin_until_cancelled(*db, db.file("/virtual/slow.mlc")))
    });
    while !SPINNING.load(std::sync::atomic::Ordering::SeqCst) {
        std::thread::yield_now();
    }
    // Blocks until the request has unwound and dropped its snapshot.
    let mut change = Change::default();
    change.set_text("/virtual/slow.mlc", "2");
    host.apply_change(change);

    let result = request.join().expect("the request thread does not panic");
    assert!(
        matches!(result, Err(salsa::Cancelled::PendingWrite)),
        "{result:?}"
    );
    let file = host.db().file("/virtual/slow.mlc");
    assert_eq!(file.text(host.db()).as_deref().ok(), Some("2"));
}

#[test]
fn undefined_names_are_file_diagnostics_and_the_stdlib_has_none() {
    let mut db = RootDatabase::default();
    let file = db.set_file_text("/virtual/names.mlc", "let port = 1; in prot");
    let codes: Vec<_> = file_diagnostics(&db, file).iter().map(|d| d.code).collect();
    assert_eq!(codes, [codes::E0407]);
    for module in Stdlib::default().module_names() {
        let path = Stdlib::default().module_path(module).unwrap_or_default();
        let file = db.file(&path);
        assert_eq!(name_diagnostics(&db, file), &[], "{path}");
    }
    // An edit elsewhere in the file re-resolves; fixing the name clears the error.
    let file = db.set_file_text("/virtual/names.mlc", "let port = 1; in port");
    assert!(file_diagnostics(&db, file).is_empty());
}
