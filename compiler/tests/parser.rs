//! Data-driven parser tests: every `data/parser/ok/*.mlc` must parse without errors and
//! every `data/parser/err/*.mlc` must report errors; both snapshot the tree and errors.

use mlc::syntax::{dump::dump, parse};

fn render(source: &str) -> String {
    let parse = parse(source);
    let mut out = format!("----- SOURCE\n{source}\n----- TREE\n{}", dump(&parse.root));
    if !parse.comments.is_empty() {
        out.push_str("----- COMMENTS\n");
        for comment in &parse.comments {
            out.push_str(&format!(
                "{:?} {:?} @{:?}\n",
                comment.kind, comment.text, comment.span
            ));
        }
    }
    if !parse.errors.is_empty() {
        out.push_str("----- ERRORS\n");
        for error in &parse.errors {
            out.push_str(&format!(
                "{} @{:?}: {}",
                error.code, error.span, error.message
            ));
            if !error.label.is_empty() {
                out.push_str(&format!(" [label: {}]", error.label));
            }
            for (span, label) in &error.context {
                out.push_str(&format!(" (context @{span:?}: {label})"));
            }
            if let Some((span, text)) = &error.fix {
                out.push_str(&format!(" (fix @{span:?}: {text:?})"));
            }
            out.push('\n');
        }
    }
    out
}

#[test]
fn valid_files_parse_without_errors() {
    insta::glob!("data/parser/ok/*.mlc", |path| {
        let source = std::fs::read_to_string(path).unwrap_or_default();
        let parse = parse(&source);
        assert!(
            parse.errors.is_empty(),
            "{} should parse: {:?}",
            path.display(),
            parse.errors
        );
        insta::assert_snapshot!(render(&source));
    });
}

#[test]
fn invalid_files_report_errors_and_keep_a_tree() {
    insta::glob!("data/parser/err/*.mlc", |path| {
        let source = std::fs::read_to_string(path).unwrap_or_default();
        let parse = parse(&source);
        assert!(
            !parse.errors.is_empty(),
            "{} should not parse",
            path.display()
        );
        insta::assert_snapshot!(render(&source));
    });
}
