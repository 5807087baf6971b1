//! Snapshots of every evaluation error code (`E04xx`): one file per code under
//! `data/eval/`, named after it (`E0403-division-by-zero.mlc`). Each is evaluated without
//! the static checks (which catch some of these earlier) and must fail with its code; the
//! snapshot pins the wording, the place and the trace as the terminal shows them.

use mlc::db::{self, RootDatabase};
use mlc::diagnostic::codes;
use mlc::diagnostic::render::{render_all, RenderOptions};

#[test]
fn every_evaluation_error_code_has_a_pinned_report() {
    let mut seen = Vec::new();
    insta::glob!("data/eval/*.mlc", |path| {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let code = name.split('-').next().unwrap_or_default().to_string();
        let mut db = RootDatabase::default();
        let file = db.set_file_text(&format!("/eval/{name}"), &text);
        let diagnostics = match db::evaluate(&db, file) {
            Ok(evaluated) => panic!("{name} evaluates to {}", evaluated.data.pretty()),
            Err(diagnostics) => diagnostics.clone(),
        };
        assert_eq!(
            diagnostics.first().map(|d| d.code.as_str()),
            Some(code.as_str()),
            "{name}"
        );
        seen.push(code);
        insta::assert_snapshot!(render_all(
            &diagnostics,
            &db,
            RenderOptions { color: false }
        ));
    });
    let missing: Vec<&str> = codes::ALL
        .iter()
        .map(|(code, _)| code.as_str())
        .filter(|code| code.starts_with("E04") && !seen.iter().any(|s| s == code))
        .collect();
    assert!(
        missing.is_empty(),
        "no file under data/eval/ for {missing:?}"
    );
}
