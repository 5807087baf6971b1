//! The formatter keeps every comment: on every test input that formats, the comments of the
//! formatted text are those of the input, in order and with their text (trimmed: a block
//! comment may be re-indented). Also the places a comment was once lost (issue 16).

use std::path::{Path, PathBuf};

fn comments(text: &str) -> Vec<String> {
    mlc::syntax::parse(text)
        .comments
        .iter()
        .map(|comment| {
            comment
                .text
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

fn assert_keeps_comments(text: &str, what: &str) -> bool {
    let Ok(formatted) = mlc::fmt::format(text) else {
        return false;
    };
    assert_eq!(
        comments(text),
        comments(&formatted),
        "the formatter lost or changed a comment of {what}:\n{formatted}"
    );
    true
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "mlc" || e == "nix") {
            out.push(path);
        }
    }
}

#[test]
fn every_comment_of_the_test_corpus_survives_formatting() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in [
        "compiler/tests/data",
        "cli/tests/data",
        "tests/nix-corpus",
        "examples",
        "stdlib",
    ] {
        files_under(&root.join(dir), &mut files);
    }
    let mut formatted = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        if assert_keeps_comments(&text, &file.display().to_string()) {
            formatted += 1;
        }
    }
    assert!(formatted > 100, "only {formatted} files formatted");
}

#[test]
fn comments_inside_a_type_declaration_are_kept() {
    for text in [
        "let type /* c */ T = Int; in 1",
        "let type # c\n  T = Int; in 1",
        "let type T /* c */ = Int; in 1",
        "let type T = /* c */ Int; in 1",
        "{ type /* doc */ T = { a :: Int }; }",
    ] {
        assert!(assert_keeps_comments(text, text), "{text:?} should format");
    }
}
