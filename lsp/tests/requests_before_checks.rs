//! A request that is already waiting when an edit is handled (a completion sent right
//! after the keystroke) is answered before the edit's checks start, so that it has the
//! cores to itself; the checks then run and publish the newest text's diagnostics. In
//! process, over `lsp_server`'s in-memory connection: the messages are queued before the
//! server starts, so the order does not depend on timing.

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;

const URI: &str = "file:///order/deploy.mlc";

fn notify(client: &Connection, method: &str, params: serde_json::Value) {
    let message = Message::Notification(Notification::new(method.to_string(), params));
    client.sender.send(message).expect("the server's channel");
}

#[test]
fn a_waiting_request_is_answered_before_the_checks_of_the_edit_start() {
    let (server, client) = Connection::memory();
    let text = "let\n  port = 5000;\nin\n[ ]\n";
    notify(
        &client,
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "mlc", "version": 1, "text": text}}),
    );
    notify(
        &client,
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 3, "character": 2}, "end": {"line": 3, "character": 2}}, "text": "p"}
        ]}),
    );
    let request = Request::new(
        RequestId::from(1),
        "textDocument/completion".to_string(),
        json!({"textDocument": {"uri": URI}, "position": {"line": 3, "character": 3}}),
    );
    client
        .sender
        .send(Message::Request(request))
        .expect("the server's channel");
    let thread = std::thread::spawn(move || {
        let _ = mlc_lsp::server::run_initialized(&server);
    });

    let first = client.receiver.recv().expect("a message");
    let Message::Response(response) = first else {
        panic!("the completion is answered first, before any diagnostics: {first:?}");
    };
    assert_eq!(response.id, RequestId::from(1));
    let labels: Vec<_> = response
        .result
        .as_ref()
        .and_then(|result| result.as_array())
        .into_iter()
        .flatten()
        .filter_map(|item| item["label"].as_str())
        .collect();
    assert!(labels.contains(&"port"), "{labels:?}");

    // Then the checks start, for the newest text only.
    let published = loop {
        match client.receiver.recv().expect("diagnostics") {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                break n.params;
            }
            _ => {}
        }
    };
    assert_eq!(published["version"], 2, "{published}");
    drop(client);
    let _ = thread.join();
}
