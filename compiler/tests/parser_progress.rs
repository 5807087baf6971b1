//! The parser ends on every input: it runs on every prefix of every test file (what an
//! editor sees while a file is typed) and on random token streams. A parsing loop that stops
//! consuming input is a debug assertion (`LoopGuard`), so a would-be hang fails here as a
//! panic instead of timing out; every error span must lie inside the text.

use mlc::testing::Rng;
use std::path::{Path, PathBuf};

fn parse_checked(text: &str, what: &dyn Fn() -> String) {
    let result = std::panic::catch_unwind(|| mlc::syntax::parse(text));
    let parse = match result {
        Ok(parse) => parse,
        Err(_) => panic!("the parser panicked on {}:\n{text}", what()),
    };
    for error in &parse.errors {
        assert!(
            error.span.start <= error.span.end && error.span.end as usize <= text.len(),
            "error span {:?} outside the text of {}",
            error.span,
            what()
        );
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "mlc" || ext == "nix")
        {
            out.push(path);
        }
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Every byte prefix (on a character boundary) of every test input.
#[test]
fn every_prefix_of_every_test_file_parses() {
    let root = repo();
    let mut files = Vec::new();
    files_under(&root.join("compiler/tests/data"), &mut files);
    files_under(&root.join("cli/tests/data"), &mut files);
    files_under(&root.join("tests/nix-corpus"), &mut files);
    assert!(files.len() > 50, "test files not found under {root:?}");
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            parse_checked(&text[..end], &|| {
                format!("the first {end} bytes of {}", file.display())
            });
        }
    }
}

/// The examples and the standard library are larger: every prefix that ends a line, and
/// every prefix that ends one character into a line (an editor's state after a keystroke).
#[test]
fn every_line_prefix_of_the_examples_and_stdlib_parses() {
    let root = repo();
    let mut files = Vec::new();
    files_under(&root.join("examples"), &mut files);
    files_under(&root.join("stdlib"), &mut files);
    assert!(!files.is_empty(), "examples not found under {root:?}");
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let mut ends = vec![text.len()];
        for (i, _) in text.match_indices('\n') {
            ends.push(i);
            ends.push(i + 1);
            if let Some((j, _)) = text[i + 1..].char_indices().nth(1) {
                ends.push(i + 1 + j);
            }
        }
        for end in ends {
            parse_checked(&text[..end], &|| {
                format!("the first {end} bytes of {}", file.display())
            });
        }
    }
}

/// Every kind of token, and the fragments that open or close strings, comments and
/// interpolations.
const TOKENS: &[&str] = &[
    "let",
    "in",
    "rec",
    "with",
    "inherit",
    "if",
    "then",
    "else",
    "assert",
    "or",
    "type",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ":",
    "::",
    ",",
    ".",
    "...",
    "=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "//",
    "++",
    "&&",
    "||",
    "->",
    "!",
    "?",
    "@",
    "|",
    "$",
    "${",
    "\"",
    "''",
    "'",
    "#",
    "\n",
    "/*",
    "*/",
    "x",
    "a.b",
    "Int",
    "String",
    "1",
    "2.5",
    "./p.mlc",
    "<lib>",
    "~/x",
    "\"s\"",
    "''i''",
    "\"${x}\"",
    "Int(1..2)",
    "String(/a/)",
    "\\",
    "\t",
    "é",
    "\u{0}",
];

#[test]
fn random_token_streams_parse() {
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    for round in 0..4000 {
        let len = 1 + rng.below(40);
        let mut text = String::new();
        for _ in 0..len {
            text.push_str(TOKENS[rng.below(TOKENS.len())]);
            if rng.below(3) > 0 {
                text.push(' ');
            }
        }
        parse_checked(&text, &|| format!("random stream {round}"));
    }
}

/// The inputs that made the parser loop forever (issue 16).
#[test]
fn record_type_recovery_at_in_ends() {
    for text in [
        "(1 :: { in",
        "let type T = { in",
        "{ // in",
        "(1 :: { a :: Int in",
        "let type T = { a :: Int, in x; in 1",
        "let x :: { in = 1; in x",
    ] {
        parse_checked(text, &|| format!("{text:?}"));
        assert!(!mlc::syntax::parse(text).errors.is_empty(), "{text:?}");
    }
}
