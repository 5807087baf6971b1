//! Fuzz target: the parser must accept any UTF-8 text without panicking, and every error
//! span must lie inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parse = mlc::syntax::parse(text);
    for error in &parse.errors {
        assert!(error.span.end as usize <= text.len(), "error span past the end");
    }
});
