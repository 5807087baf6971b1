//! Fuzz target: the formatter never panics; what it prints parses, keeps every comment and
//! formats to itself (idempotence).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(formatted) = mlc::fmt::format(text) else {
        return;
    };
    let reparsed = mlc::syntax::parse(&formatted);
    assert!(
        reparsed.errors.is_empty(),
        "the formatted text does not parse: {:?}\n{formatted}",
        reparsed.errors
    );
    let comments = |parse: &mlc::syntax::Parse| -> Vec<String> {
        parse
            .comments
            .iter()
            // Compared line by line without indentation: a block comment may be re-indented.
            .map(|c| c.text.lines().map(str::trim).collect::<Vec<_>>().join("\n"))
            .collect()
    };
    assert_eq!(
        comments(&mlc::syntax::parse(text)),
        comments(&reparsed),
        "the formatter lost or moved a comment"
    );
    let again = mlc::fmt::format(&formatted).unwrap_or_default();
    assert_eq!(formatted, again, "formatting is not idempotent");
});
