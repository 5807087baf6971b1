//! No request waits for an evaluation in progress (issue 14 point 6): while the server
//! evaluates a file whose evaluation would take years, every request the main loop answers
//! (hover, completion, outline, semantic tokens, inlay hints, signature help, formatting,
//! folding) is answered, and an edit cancels the evaluation and gets its own diagnostics.
//! Against the real `mlc-lsp` binary; no timing is measured, only that answers come.

mod support;

use serde_json::json;
use support::{at, Client, Workspace};

/// `f n` calls itself twice for each `n`: 2^60 calls, at a depth of 60.
const SLOW: &str = "let\n  f = n: if n == 0 then 1 else f (n - 1) + f (n - 1);\nin\nf 60\n";

#[test]
fn requests_are_answered_while_an_evaluation_runs() {
    let ws = Workspace::new("responsive", &[("slow.mlc", SLOW)]);
    let mut client = Client::start_in(&ws.0);
    let uri = ws.uri("slow.mlc");
    client.open(&uri, SLOW);
    let document = json!({"textDocument": {"uri": uri}});
    let requests = [
        ("textDocument/hover", at(&uri, 1, 2)),
        ("textDocument/completion", at(&uri, 3, 1)),
        ("textDocument/signatureHelp", at(&uri, 3, 2)),
        ("textDocument/documentSymbol", document.clone()),
        ("textDocument/semanticTokens/full", document.clone()),
        ("textDocument/foldingRange", document.clone()),
        (
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 4, "character": 0}}}),
        ),
        (
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
        ),
    ];
    // Ten rounds: long enough for the file's checks to end and its evaluation to start,
    // which its diagnostics wait for.
    for round in 0..10 {
        for (id, (method, params)) in (10..).zip(requests.clone()) {
            let reply = client.request(round * 100 + id, method, params);
            assert!(reply.get("error").is_none(), "{method}: {reply}");
        }
    }
    let hover = client.request(2, "textDocument/hover", at(&uri, 1, 2));
    assert!(hover["result"]["contents"].is_object(), "{hover}");
    // The evaluation was still running when they were answered: the file's diagnostics,
    // which wait for it, have not come.
    let mut published = Vec::new();
    while let Some(message) = client.take_pending() {
        if message["method"] == "textDocument/publishDiagnostics" {
            published.push(message);
        }
    }
    assert!(
        published.is_empty(),
        "the evaluation ended before the requests; the test needs a slower file: {published:?}"
    );
    // An edit cancels the evaluation; the new text is checked and published.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "f: f 1\n"}]}),
    );
    let published = client.diagnostics_at(&uri, 2);
    assert_eq!(published["diagnostics"], json!([]), "{published}");
    client.stop();
}
