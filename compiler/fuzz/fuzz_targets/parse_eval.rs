//! Fuzz target: any text that parses must evaluate to a value or to diagnostics, never a
//! panic or a stack overflow. Imports are refused (the fuzzer must not read files).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlc::eval::{evaluate, Layout, LoadedFile, Loader};
use std::sync::Arc;

struct NoImports;

impl Loader for NoImports {
    fn load(&self, _path: &str) -> Result<LoadedFile, String> {
        Err("imports are disabled while fuzzing".to_string())
    }

    fn search_path(&self, _name: &str) -> Option<String> {
        None
    }
}

fuzz_target!(|text: &str| {
    // Huge inputs only slow the fuzzer down; the parser's own limits are tested elsewhere.
    if text.len() > 4096 {
        return;
    }
    let parse = mlc::syntax::parse(text);
    if !parse.errors.is_empty() {
        return;
    }
    let file = LoadedFile {
        path: "/fuzz/input.mlc".to_string(),
        display: Arc::from("input.mlc"),
        layout: Layout::resolve(&parse.root),
        root: parse.root,
        text: Arc::from(text),
        annotations: Arc::default(),
    };
    let _ = evaluate(&NoImports, &file, "/fuzz");
});
