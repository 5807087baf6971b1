//! A random-edit driver for the real `mlc-lsp` binary over stdio: it opens the examples,
//! applies random incremental edits (insertions of tokens and of non-ASCII text, deletions,
//! replacements, each sent as `didChange` with UTF-16 ranges), asks for hover, completion,
//! symbols, folding and semantic tokens at random places after each, then undoes the edits
//! one by one and checks that the server's text is ours again: formatting the document
//! through the server must give what `mlc fmt` gives for our copy. The server must never
//! crash, stop answering, or answer with positions outside the document.
//!
//! `cargo test` runs a short, fixed-seed session. For a long run:
//! `MLC_LSP_FUZZ_SECONDS=600 MLC_LSP_FUZZ_SEED=7 cargo test -p mlc-lsp --test random_edits -- --nocapture`.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mlc::testing::Rng;
use serde_json::{json, Value};
use support::Client;

/// What random insertions insert.
const INSERTS: &[&str] = mlc::testing::EDIT_PIECES;

/// The UTF-16 position of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

/// The byte offset of a UTF-16 position in `text`, if it lies inside it.
fn offset(text: &str, position: &Value) -> Option<usize> {
    let line = position["line"].as_u64()? as usize;
    let character = position["character"].as_u64()? as usize;
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n')? + 1;
    }
    let line_text = text[start..].split('\n').next().unwrap_or_default();
    let mut units = 0;
    for (i, c) in line_text.char_indices() {
        if units == character {
            return Some(start + i);
        }
        units += c.len_utf16();
    }
    (units == character).then_some(start + line_text.len())
}

/// A random character boundary of `text`.
fn boundary(rng: &mut Rng, text: &str) -> usize {
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One edit: replace `range` (bytes) by `new`; the undo replaces what was inserted by `old`.
struct Edit {
    start: usize,
    old: String,
    new: String,
}

fn random_edit(rng: &mut Rng, text: &str) -> Edit {
    let start = boundary(rng, text);
    let end = match rng.below(3) {
        0 => start,
        _ => {
            let mut end = (start + rng.below(12)).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            end
        }
    };
    let new = match rng.below(4) {
        0 => String::new(),
        _ => (0..1 + rng.below(3))
            .map(|_| INSERTS[rng.below(INSERTS.len())])
            .collect(),
    };
    Edit {
        start,
        old: text[start..end].to_string(),
        new,
    }
}

/// Our copy of an open document.
struct Document {
    uri: String,
    version: i64,
    text: String,
}

impl Document {
    /// Sends `didChange` replacing `old` at `start` by `new`, and applies it to our copy.
    fn change(&mut self, server: &mut Client, start: usize, old: &str, new: &str) {
        let end = start + old.len();
        let range = json!({"start": position(&self.text, start), "end": position(&self.text, end)});
        self.version += 1;
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": self.uri, "version": self.version},
                "contentChanges": [{"range": range, "text": new}],
            }),
        );
        self.text.replace_range(start..end, new);
    }
}

/// Every position in a response (any `range`, `position` or `selectionRange`) lies inside
/// `text`.
fn positions_inside(value: &Value, text: &str, what: &str) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let is_position = matches!(key.as_str(), "start" | "end" | "position");
                if is_position && inner.get("line").is_some() {
                    assert!(
                        offset(text, inner).is_some(),
                        "{what}: position {inner} outside the document:\n{text}"
                    );
                }
                positions_inside(inner, text, what);
            }
        }
        Value::Array(items) => {
            for item in items {
                positions_inside(item, text, what);
            }
        }
        _ => {}
    }
}

/// Asks the questions an editor asks after an edit, at a random place.
fn probe(server: &mut Client, rng: &mut Rng, uri: &str, text: &str) {
    let at = boundary(rng, text);
    let document = json!({"uri": uri});
    let at_position = json!({"textDocument": document, "position": position(text, at)});
    for method in ["textDocument/hover", "textDocument/completion"] {
        let response = server.call(method, at_position.clone());
        assert!(response.get("error").is_none(), "{method}: {response}");
    }
    let response = server.call(
        "textDocument/documentSymbol",
        json!({"textDocument": document}),
    );
    positions_inside(&response["result"], text, "documentSymbol");
    // Folding ranges are whole lines: the last line must exist.
    let response = server.call(
        "textDocument/foldingRange",
        json!({"textDocument": document}),
    );
    let lines = text.matches('\n').count() as u64;
    for range in response["result"].as_array().into_iter().flatten() {
        let end = range["endLine"].as_u64().unwrap_or_default();
        assert!(end <= lines, "folding range past the end: {range}");
    }
    let response = server.call(
        "textDocument/semanticTokens/full",
        json!({"textDocument": document}),
    );
    semantic_tokens_inside(&response["result"]["data"], text);
}

/// Semantic tokens (relative line, start, length, type, modifiers) lie on existing lines.
fn semantic_tokens_inside(data: &Value, text: &str) {
    let Some(data) = data.as_array() else {
        return;
    };
    let lines: Vec<usize> = text
        .split('\n')
        .map(|line| line.chars().map(char::len_utf16).sum())
        .collect();
    let (mut line, mut start) = (0usize, 0usize);
    for token in data.chunks(5) {
        let delta_line = token[0].as_u64().unwrap_or_default() as usize;
        let delta_start = token[1].as_u64().unwrap_or_default() as usize;
        line += delta_line;
        start = if delta_line == 0 {
            start + delta_start
        } else {
            delta_start
        };
        let length = token[2].as_u64().unwrap_or_default() as usize;
        let line_length = lines.get(line).copied();
        assert!(
            line_length.is_some_and(|l| start + length <= l),
            "semantic token at line {line}, {start}+{length} outside the document:\n{text}"
        );
    }
}

/// The server's formatting of the document, applied to our copy.
fn formatted_by_server(server: &mut Client, uri: &str, text: &str) -> Option<String> {
    let response = server.call(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let edits = response["result"].as_array()?;
    let mut located: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|edit| {
            let start = offset(text, &edit["range"]["start"]).expect("edit start inside");
            let end = offset(text, &edit["range"]["end"]).expect("edit end inside");
            (
                start,
                end,
                edit["newText"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    located.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = text.to_string();
    for (start, end, new) in located {
        out.replace_range(start..end, &new);
    }
    Some(out)
}

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "mlc"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// One session: each round opens an example, makes a burst of random edits (probing after
/// each), undoes them, and checks the server has our text again.
/// With `sabotage`, the driver keeps one edit to itself, so the server's text differs from
/// ours: the check must notice (the test that proves the check can fail).
fn session(seed: u64, budget: Budget, sabotage: bool) -> usize {
    let mut rng = Rng::new(seed | 1);
    let files = examples();
    assert!(!files.is_empty(), "no examples");
    let mut server =
        Client::start_with_cache(&std::env::temp_dir().join("mlc-lsp-random-edits-cache"));
    server.call("initialize", json!({"capabilities": {}}));
    server.notify("initialized", json!({}));
    let mut edits = 0;
    let mut round = 0;
    while !budget.spent(edits) {
        let file = &files[round % files.len()];
        round += 1;
        let original = std::fs::read_to_string(file).expect("read example");
        let uri = format!("file://{}", file.canonicalize().expect("path").display());
        let mut document = Document {
            uri: uri.clone(),
            version: 0,
            text: original.clone(),
        };
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "mlc", "version": 0, "text": original}}),
        );
        let mut undo = Vec::new();
        for _ in 0..1 + rng.below(12) {
            let edit = random_edit(&mut rng, &document.text);
            document.change(&mut server, edit.start, &edit.old, &edit.new);
            undo.push(edit);
            edits += 1;
            probe(&mut server, &mut rng, &uri, &document.text);
            server.forget_pending();
        }
        for edit in undo.into_iter().rev() {
            document.change(&mut server, edit.start, &edit.new, &edit.old);
        }
        let mut text = document.text;
        assert_eq!(text, original, "the driver's own undo is wrong");
        if sabotage {
            // A change the server never hears of, one the formatter undoes (the examples
            // are formatted, so the server's copy needs no edit and ours does): blank lines
            // at the end of our copy.
            text.push_str("\n\n\n");
        }
        if let Ok(expected) = mlc::fmt::format(&text) {
            let got = formatted_by_server(&mut server, &uri, &text);
            assert_eq!(
                got.as_deref(),
                Some(expected.as_str()),
                "the server's text differs from ours after undoing the edits of round {round} (seed {seed})"
            );
        }
        server.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }
    server.stop();
    edits
}

#[derive(Clone, Copy)]
enum Budget {
    Edits(usize),
    Until(Instant),
}

impl Budget {
    fn spent(self, edits: usize) -> bool {
        match self {
            Budget::Edits(n) => edits >= n,
            Budget::Until(deadline) => Instant::now() >= deadline,
        }
    }
}

#[test]
fn random_edits_never_crash_or_desynchronise_the_server() {
    let seed = std::env::var("MLC_LSP_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x2545_f491_4f6c_dd1d);
    let budget = match std::env::var("MLC_LSP_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        Some(seconds) => Budget::Until(Instant::now() + Duration::from_secs(seconds)),
        None => Budget::Edits(150),
    };
    let edits = session(seed, budget, false);
    println!("{edits} random edits, no crash, no desynchronisation (seed {seed})");
}

#[test]
#[should_panic(expected = "the server's text differs from ours")]
fn the_desynchronisation_check_notices_a_lost_edit() {
    session(7, Budget::Edits(1), true);
}
