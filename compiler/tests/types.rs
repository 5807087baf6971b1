//! The type checker on whole files: every `data/types/ok/*.mlc` checks without a
//! diagnostic and evaluates; every `data/types/err/*.mlc` has type errors, all reported in
//! one run and snapshot as the user sees them (rendered without colour).

use mlc::db::{self, RootDatabase};
use mlc::diagnostic::render::{render_all, RenderOptions};

fn load(path: &std::path::Path) -> (RootDatabase, db::SourceFile) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut db = RootDatabase::default();
    let name = format!(
        "{}.mlc",
        path.file_stem().and_then(|s| s.to_str()).unwrap_or("test")
    );
    let file = db.set_file_text(&format!("/types/{name}"), &text);
    (db, file)
}

#[test]
fn well_typed_files_check_and_evaluate() {
    insta::glob!("data/types/ok/*.mlc", |path| {
        let (db, file) = load(path);
        let diagnostics = db::check(&db, file);
        assert!(
            diagnostics.is_empty(),
            "{}: {}",
            path.display(),
            render_all(diagnostics, &db, RenderOptions { color: false })
        );
        match db::evaluate(&db, file) {
            Ok(evaluated) => insta::assert_snapshot!(evaluated.data.pretty()),
            Err(diagnostics) => panic!(
                "{}: {}",
                path.display(),
                render_all(diagnostics, &db, RenderOptions { color: false })
            ),
        }
    });
}

#[test]
fn ill_typed_files_report_every_error() {
    insta::glob!("data/types/err/*.mlc", |path| {
        let (db, file) = load(path);
        let diagnostics = db::check(&db, file);
        assert!(
            diagnostics
                .iter()
                .any(|d| d.code.as_str().starts_with("E03")),
            "{} should have type errors",
            path.display()
        );
        insta::assert_snapshot!(render_all(diagnostics, &db, RenderOptions { color: false }));
    });
}
