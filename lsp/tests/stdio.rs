//! End-to-end test: starts the real `mlc-lsp` binary and speaks JSON-RPC to it over stdio.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{json, Value};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mlc-lsp"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start mlc-lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Client {
            child,
            stdin,
            stdout,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                return message;
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn receive(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).expect("read header");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = Some(n.parse::<usize>().expect("length"));
            }
        }
        let mut body = vec![0; length.expect("Content-Length header")];
        self.stdout.read_exact(&mut body).expect("read body");
        serde_json::from_slice(&body).expect("json body")
    }

    /// The next `publishDiagnostics` for `uri`, skipping other messages.
    fn diagnostics_for(&mut self, uri: &str) -> Value {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"].clone();
            }
        }
    }
}

#[test]
fn initialize_open_change_diagnostics_shutdown() {
    let dir = std::env::temp_dir().join(format!("mlc-lsp-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("deploy.mlc");
    let uri = format!("file://{}", path.display());

    let mut client = Client::start();
    let init = client.request(1, "initialize", json!({"capabilities": {}}));
    assert_eq!(
        init["result"]["capabilities"]["textDocumentSync"]["change"],
        json!(2),
        "incremental sync: {init}"
    );
    client.notify("initialized", json!({}));

    // A file that imports a missing file gets an import diagnostic at the path literal.
    let text = "# ü😀\nlet x = import ./missing.mlc; in x\n";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "mlc", "version": 1, "text": text}}),
    );
    let first = client.diagnostics_for(&uri);
    assert_eq!(first["version"], json!(1));
    let diags = first["diagnostics"].as_array().expect("array");
    assert!(!diags.is_empty(), "expected diagnostics: {first}");

    // Incremental edit: replace the whole second line with a valid expression.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{
                "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 35}},
                "text": "let x = 1; in x"
            }]
        }),
    );
    let second = client.diagnostics_for(&uri);
    assert_eq!(second["version"], json!(2));
    // The server must see exactly the text the edit produced: its diagnostics are those of
    // the compiler's own parse of that text (none once the real parser is merged).
    let edited = "# ü😀\nlet x = 1; in x\n";
    let expected: Vec<String> = mlc::syntax::parse(edited)
        .errors
        .iter()
        .map(|e| e.message.clone())
        .collect();
    let got: Vec<String> = second["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            d["message"]
                .as_str()
                .unwrap_or("")
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(got, expected, "{second}");
    assert!(
        !got.iter().any(|m| m.contains("missing.mlc")),
        "the import error must be gone after the edit: {second}"
    );

    // A burst of edits: published versions only increase, and the last one is published.
    for version in 3..23 {
        let text = if version % 2 == 0 { "x" } else { "" };
        let end = if version % 2 == 0 { 0 } else { 1 };
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": end}},
                    "text": text
                }]
            }),
        );
    }
    let mut last = 2;
    while last != 22 {
        let version = client.diagnostics_for(&uri)["version"]
            .as_i64()
            .expect("version");
        assert!(version > last, "version {version} published after {last}");
        last = version;
    }

    let unknown = client.request(2, "textDocument/unknownThing", json!({}));
    assert_eq!(unknown["error"]["code"], json!(-32601), "{unknown}");

    let shutdown = client.request(3, "shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("wait");
    assert!(status.success(), "exit status {status}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn completion_of_relative_imports_in_incomplete_code() {
    let dir = std::env::temp_dir().join(format!("mlc-lsp-e2e-compl-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).expect("temp dir");
    std::fs::write(dir.join("values.mlc"), "{ }").expect("write");
    std::fs::write(dir.join("notes.txt"), "").expect("write");
    let uri = format!("file://{}", dir.join("deploy.mlc").display());

    let mut client = Client::start();
    client.request(1, "initialize", json!({"capabilities": {}}));
    client.notify("initialized", json!({}));
    // Unfinished code: the import path is half typed and nothing closes the `let`.
    let text = "# é😀\nlet v = import ./va";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "mlc", "version": 1, "text": text}}),
    );
    let reply = client.request(
        2,
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 19}}),
    );
    let items = reply["result"].as_array().expect("items");
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels, ["sub/", "values.mlc"], "{reply}");
    assert_eq!(
        items[1]["textEdit"]["range"],
        json!({"start": {"line": 1, "character": 17}, "end": {"line": 1, "character": 19}})
    );

    // Outside an import there is nothing to offer yet.
    let reply = client.request(
        3,
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}),
    );
    assert_eq!(reply["result"], Value::Null, "{reply}");

    client.request(4, "shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().expect("wait").success());
    let _ = std::fs::remove_dir_all(&dir);
}
