//! Drives the server over in-memory channels: on a 2,000-line file, the time from a
//! one-character `didChange` to the `publishDiagnostics` it causes (median of many edits).
//! The debounce delay is set to zero so the figure is the server's own work.
//!
//! Run: `cargo bench -p mlc-lsp --bench server`.

use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification};
use serde_json::json;

fn main() {
    let (server, client) = Connection::memory();
    let thread =
        std::thread::spawn(move || mlc_lsp::server::run_initialized(&server, Duration::ZERO));

    let uri = "file:///bench/deploy.mlc";
    let text: String = (0..2000)
        .map(|i| format!("  option{i} = {{ value = {i}; name = \"n{i}\"; }};\n"))
        .collect();
    let text = format!("{{\n{text}}}\n");
    notify(
        &client,
        "textDocument/didOpen",
        json!({
            "textDocument": {"uri": uri, "languageId": "mlc", "version": 1, "text": text}
        }),
    );
    wait_for_diagnostics(&client);

    let mut samples = Vec::new();
    for version in 2..52 {
        // Alternately insert and delete one character on line 1000.
        let change = if version % 2 == 0 {
            json!({"range": {"start": {"line": 1000, "character": 2}, "end": {"line": 1000, "character": 2}}, "text": "x"})
        } else {
            json!({"range": {"start": {"line": 1000, "character": 2}, "end": {"line": 1000, "character": 3}}, "text": ""})
        };
        let start = Instant::now();
        notify(
            &client,
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [change]
            }),
        );
        wait_for_diagnostics(&client);
        samples.push(start.elapsed());
    }
    samples.sort();
    println!(
        "diagnostics after a one-character edit, 2,000 lines: median {:?} (min {:?}, max {:?}, n={})",
        samples[samples.len() / 2],
        samples[0],
        samples[samples.len() - 1],
        samples.len()
    );
    drop(client);
    let _ = thread.join();
}

fn notify(client: &Connection, method: &str, params: serde_json::Value) {
    let message = Message::Notification(Notification::new(method.to_string(), params));
    if client.sender.send(message).is_err() {
        panic!("the server stopped");
    }
}

fn wait_for_diagnostics(client: &Connection) {
    loop {
        match client.receiver.recv() {
            Ok(Message::Notification(n)) if n.method == "textDocument/publishDiagnostics" => return,
            Ok(_) => {}
            Err(_) => panic!("the server stopped"),
        }
    }
}
