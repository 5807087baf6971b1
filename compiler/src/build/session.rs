//! A build session: one entry file and one salsa database kept for a whole `mlc build
//! --watch` run. The watcher tells it which files changed; it reads them again through
//! [`RootDatabase::reload_file`] (which starts a new revision only when the text changed)
//! and rebuilds, so salsa reuses every result the change did not touch.

use super::{build, Build, Options};
use crate::db::{import_closure, AnalysisHost, RootDatabase, SourceFile};
use crate::stdlib;

/// One entry file built again and again through the same database.
pub struct Session {
    host: AnalysisHost,
    entry: SourceFile,
    options: Options,
}

impl Session {
    /// A session building the file at `entry`, a path as the user wrote it (relative to
    /// the current directory).
    pub fn new(db: RootDatabase, entry: &str, options: Options) -> Session {
        let entry = db.file_for_argument(entry);
        Session {
            host: AnalysisHost::new(db),
            entry,
            options,
        }
    }

    pub fn db(&self) -> &RootDatabase {
        self.host.db()
    }

    pub fn entry(&self) -> SourceFile {
        self.entry
    }

    /// Builds the entry with what the database knows now (memoized: building twice without
    /// a change in between computes nothing).
    pub fn build(&self) -> Build {
        build(self.db(), self.entry, &self.options)
    }

    /// The files a change to which can change the build: the entry and every file of its
    /// import closure, including imported files that do not exist (yet), and not the
    /// embedded standard library. Absolute paths, entry first.
    pub fn watched_files(&self) -> Vec<String> {
        let db = self.db();
        import_closure(db, self.entry)
            .files
            .iter()
            .map(|file| file.path(db).to_string())
            .filter(|path| !stdlib::is_stdlib_path(path))
            .collect()
    }

    /// Reads the files at `paths` from disk again and says whether any text changed (a
    /// file that disappeared changes to its read error). Paths the database never read
    /// are ignored.
    pub fn reload<'p>(&mut self, paths: impl IntoIterator<Item = &'p str>) -> bool {
        let db = self.host.db_mut();
        let mut changed = false;
        for path in paths {
            changed |= db.reload_file(path).is_some();
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::EventLog;
    use crate::stdlib::Stdlib;
    use std::path::{Path, PathBuf};

    /// A scratch directory, removed when dropped.
    struct Dir(PathBuf);

    impl Dir {
        fn new(name: &str) -> Dir {
            let dir =
                std::env::temp_dir().join(format!("mlc-session-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("create scratch dir");
            Dir(dir)
        }

        fn write(&self, name: &str, text: &str) -> String {
            let path = self.0.join(name);
            std::fs::write(&path, text).expect("write file");
            path_string(&path)
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn path_string(path: &Path) -> String {
        path.to_string_lossy().into_owned()
    }

    fn config_map(name: &str) -> String {
        format!(r#"{{ apiVersion = "v1"; kind = "ConfigMap"; metadata.name = "{name}"; }}"#)
    }

    fn session(dir: &Dir, entry: &str) -> Session {
        let db = RootDatabase::new(
            Stdlib::default(),
            Some(&path_string(&dir.0)),
            Some(EventLog::default()),
        );
        Session::new(db, &path_string(&dir.0.join(entry)), Options::default())
    }

    fn object_names(build: &Build) -> Vec<String> {
        build
            .manifests
            .iter()
            .flatten()
            .map(|manifest| manifest.name.clone())
            .collect()
    }

    #[test]
    fn watches_the_entry_and_its_imports_but_not_the_stdlib() {
        let dir = Dir::new("watched");
        let main = dir.write(
            "main.mlc",
            "let lib = import <lib>; in [ (import ./a.mlc) (import ./missing.mlc) ]",
        );
        let a = dir.write("a.mlc", &config_map("a"));
        let session = session(&dir, "main.mlc");
        let missing = path_string(&dir.0.join("missing.mlc"));
        assert_eq!(session.watched_files(), [main, a, missing]);
    }

    #[test]
    fn an_edit_on_disk_is_rebuilt_and_an_unchanged_save_is_not_a_change() {
        let dir = Dir::new("edit");
        let main = dir.write("main.mlc", "[ (import ./a.mlc) ]");
        let a = dir.write("a.mlc", &config_map("first"));
        let mut session = session(&dir, "main.mlc");
        assert_eq!(object_names(&session.build()), ["first"]);

        assert!(!session.reload([main.as_str(), a.as_str()]));
        dir.write("a.mlc", &config_map("second"));
        assert!(session.reload([a.as_str()]));
        assert_eq!(object_names(&session.build()), ["second"]);
    }

    #[test]
    fn a_deleted_import_is_a_diagnostic_and_the_build_recovers_when_it_returns() {
        let dir = Dir::new("delete");
        dir.write("main.mlc", "[ (import ./a.mlc) ]");
        let a = dir.write("a.mlc", &config_map("a"));
        let mut session = session(&dir, "main.mlc");
        assert_eq!(object_names(&session.build()), ["a"]);

        std::fs::remove_file(&a).expect("remove a.mlc");
        assert!(session.reload([a.as_str()]));
        let broken = session.build();
        assert_eq!(broken.manifests, None);
        assert_eq!(broken.diagnostics.len(), 1, "{:?}", broken.diagnostics);
        assert_eq!(
            broken.diagnostics[0].message,
            "cannot import `./a.mlc`: no such file"
        );
        // The missing file stays watched, so that its return is noticed.
        assert!(session.watched_files().contains(&a));

        dir.write("a.mlc", &config_map("a"));
        assert!(session.reload([a.as_str()]));
        assert_eq!(object_names(&session.build()), ["a"]);
    }

    #[test]
    fn new_imports_join_the_watched_files() {
        let dir = Dir::new("new-import");
        let main = dir.write("main.mlc", &config_map("a"));
        let mut session = session(&dir, "main.mlc");
        assert_eq!(session.watched_files(), std::slice::from_ref(&main));

        let b = dir.write("b.mlc", &config_map("b"));
        dir.write("main.mlc", "[ (import ./b.mlc) ]");
        assert!(session.reload([main.as_str()]));
        assert_eq!(object_names(&session.build()), ["b"]);
        assert_eq!(session.watched_files(), [main, b]);
    }

    /// The proof of incrementality for watch mode: after an edit to one of several imported
    /// files, only that file is parsed and checked again, and everything else is reused.
    #[test]
    fn a_rebuild_after_editing_one_import_recomputes_only_that_file() {
        let dir = Dir::new("incremental");
        let main = dir.write(
            "main.mlc",
            "[ (import ./a.mlc) (import ./b.mlc) (import ./c.mlc) ]",
        );
        let a = dir.write("a.mlc", &config_map("a"));
        let b = dir.write("b.mlc", &config_map("b"));
        let c = dir.write("c.mlc", &config_map("c"));
        let mut session = session(&dir, "main.mlc");
        let log = session.db().event_log().cloned().unwrap_or_default();
        assert_eq!(object_names(&session.build()), ["a", "b", "c"]);
        let first = log.take();
        let file = |path: &str| session.db().existing_file(path);
        let (Some(main), Some(a), Some(b), Some(c)) = (file(&main), file(&a), file(&b), file(&c))
        else {
            panic!("the build did not read every file");
        };
        for file in [main, a, b, c] {
            assert_eq!(EventLog::executions(&first, "parse", file), 1, "{first:?}");
        }

        dir.write("b.mlc", &config_map("b2"));
        assert!(session.reload(session.watched_files().iter().map(String::as_str)));
        assert_eq!(object_names(&session.build()), ["a", "b2", "c"]);
        let second = log.take();
        let runs = |query: &str, file: SourceFile| EventLog::executions(&second, query, file);
        // b alone is read, parsed and checked again (its imports and import diagnostics
        // come out the same, so salsa backdates them and what reads them is not re-run)...
        for query in ["parse", "syntax_tree", "syntax_diagnostics", "imports"] {
            assert_eq!(runs(query, b), 1, "{query}(b): {second:?}");
        }
        // ...the import graph and the check of the whole closure are reused...
        for query in ["import_closure", "check"] {
            assert_eq!(runs(query, main), 0, "{query}: {second:?}");
        }
        // ...and, of the other files' queries, only the evaluation, which read b, runs
        // again, with main's type check, because b's type changed (its value is a literal
        // `"b2"` now): a and c are not checked again.
        let about_b = |entry: &&String| {
            [
                "read_error",
                "parse",
                "syntax_tree",
                "syntax_diagnostics",
                "imports",
                "name_resolution",
                "file_types",
                "file_diagnostics",
            ]
            .iter()
            .any(|query| EventLog::executions(std::slice::from_ref(*entry), query, b) == 1)
        };
        let mut others: Vec<&String> = second.iter().filter(|entry| !about_b(entry)).collect();
        others.sort();
        let main_id = salsa::plumbing::AsId::as_id(&main);
        assert_eq!(
            others,
            [
                &format!("evaluate({main_id:?})"),
                &format!("file_diagnostics({main_id:?})"),
                &format!("file_types({main_id:?})"),
            ]
        );

        // A comment added at the end leaves b's tree and diagnostics as they were, so the
        // check is reused; the evaluation runs again, as it reads the text of every file
        // it loads (for its error messages), not only the tree.
        dir.write("b.mlc", &format!("{}\n# a note\n", config_map("b2")));
        assert!(session.reload(session.watched_files().iter().map(String::as_str)));
        assert_eq!(object_names(&session.build()), ["a", "b2", "c"]);
        let third = log.take();
        assert_eq!(EventLog::executions(&third, "parse", b), 1, "{third:?}");
        assert_eq!(EventLog::executions(&third, "check", main), 0, "{third:?}");
        assert_eq!(
            EventLog::executions(&third, "evaluate", main),
            1,
            "{third:?}"
        );

        // A save without a change starts no revision: the next build computes nothing.
        assert!(!session.reload(session.watched_files().iter().map(String::as_str)));
        assert_eq!(object_names(&session.build()), ["a", "b2", "c"]);
        assert_eq!(log.take(), Vec::<String>::new());
    }
}
