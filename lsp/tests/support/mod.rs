//! What the end-to-end tests of `mlc-lsp` share: a client that starts the real binary and
//! speaks JSON-RPC to it over stdio, and a temporary workspace on disk. Each test file
//! includes it with `mod support;` (Cargo's way to share code between integration tests), so
//! not every file uses every helper.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{json, Value};

/// The real server, started as an editor starts it.
pub struct Client {
    pub child: Child,
    pub stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// Messages read while waiting for something else, in the order they came.
    pending: VecDeque<Value>,
    /// The id of the next request sent with [`Client::call`].
    next_id: i64,
}

impl Client {
    /// A server whose standard library copy goes under the temporary directory.
    pub fn start() -> Client {
        Client::start_with_cache(&std::env::temp_dir().join("mlc-lsp-e2e-cache"))
    }

    /// A server whose standard library copy goes under `cache` (`XDG_CACHE_HOME`).
    pub fn start_with_cache(cache: &Path) -> Client {
        Client::start_with(cache, &[])
    }

    /// A server with its cache under `cache` and the environment variables `env` set.
    pub fn start_with(cache: &Path, env: &[(&str, &str)]) -> Client {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mlc-lsp"));
        command
            .env("XDG_CACHE_HOME", cache)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = command.spawn().expect("start mlc-lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Client {
            child,
            stdin,
            stdout,
            pending: VecDeque::new(),
            next_id: 1_000_000,
        }
    }

    /// A server initialized with `dir` as its only workspace folder.
    pub fn start_in(dir: &Path) -> Client {
        let mut client = Client::start_with_cache(&dir.join(".cache"));
        client.initialize_in(dir);
        client
    }

    /// The `initialize` handshake with `dir` as the workspace folder.
    pub fn initialize_in(&mut self, dir: &Path) -> Value {
        let root = format!("file://{}", dir.display());
        let init = self.call(
            "initialize",
            json!({"capabilities": {}, "workspaceFolders": [{"uri": root, "name": "ws"}]}),
        );
        self.notify("initialized", json!({}));
        init
    }

    pub fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())
            .expect("the server closed its input: it crashed");
        self.stdin.flush().expect("flush");
    }

    /// Sends a request with the id `id` and returns its response; other messages read
    /// meanwhile stay for [`Client::receive`].
    pub fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.read();
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
            self.pending.push_back(message);
        }
    }

    /// [`Client::request`] with the next id of the client's own count.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        self.request(self.next_id, method, params)
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message, the ones read earlier first.
    pub fn receive(&mut self) -> Value {
        match self.pending.pop_front() {
            Some(message) => message,
            None => self.read(),
        }
    }

    /// The oldest message read meanwhile and not yet taken, without waiting for more.
    pub fn take_pending(&mut self) -> Option<Value> {
        self.pending.pop_front()
    }

    /// Drops the messages read meanwhile and not yet taken (a long session that never
    /// looks at its notifications).
    pub fn forget_pending(&mut self) {
        self.pending.clear();
    }

    fn read(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut line = String::new();
            let read = self.stdout.read_line(&mut line).expect("read header");
            assert!(read > 0, "the server closed its output: it crashed");
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

    /// The `publishDiagnostics` for `uri` at `version`, skipping older ones and other
    /// messages.
    pub fn diagnostics_at(&mut self, uri: &str, version: i64) -> Value {
        loop {
            let published = self.diagnostics_for(uri);
            if published["version"] == json!(version) {
                return published;
            }
        }
    }

    /// The next `publishDiagnostics` for `uri`, skipping other messages.
    pub fn diagnostics_for(&mut self, uri: &str) -> Value {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"].clone();
            }
        }
    }

    /// Opens `uri` with `text` at version 1.
    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "mlc", "version": 1, "text": text}}),
        );
    }

    /// `shutdown`, then `exit`: the server must end with exit code 0.
    pub fn stop(mut self) {
        self.call("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("wait");
        assert!(status.success(), "exit status {status}");
    }
}

/// Request params naming a position of `uri`.
pub fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

/// The labels of a completion reply.
pub fn labels(reply: &Value) -> Vec<String> {
    reply["result"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str().map(str::to_string))
        .collect()
}

/// A temporary directory with files, removed when dropped.
pub struct Workspace(pub PathBuf);

impl Workspace {
    pub fn new(name: &str, files: &[(&str, &str)]) -> Workspace {
        let dir = std::env::temp_dir().join(format!("mlc-lsp-e2e-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let ws = Workspace(dir);
        for (path, text) in files {
            ws.write(path, text);
        }
        ws
    }

    /// Writes the file at `path` (relative, its directories created).
    pub fn write(&self, path: &str, text: &str) {
        let file = self.0.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).expect("directory");
        }
        std::fs::write(file, text).expect("write");
    }

    pub fn uri(&self, name: &str) -> String {
        format!("file://{}", self.0.join(name).display())
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
