//! The main loop: one thread owns the documents and the [`AnalysisHost`]; messages are
//! handled in order. Diagnostics (file checks and the evaluation's errors and warnings) are
//! computed after every change, with no wait: each change starts a new generation of checks
//! of every open document on a worker thread holding a snapshot, once the messages already
//! waiting (a completion sent right after the edit) are handled. The next edit's write
//! cancels that snapshot (salsa unwinds the worker), and a result that arrives after a newer
//! generation started, or for an older version of its document, is dropped; so a slow
//! evaluation never holds typing up and never publishes stale diagnostics. Published
//! diagnostics stay until a newer result replaces them. What an edit replaces (the last
//! tree, names, types) is freed, and each new tree copied for the next reparse, on the
//! library's background thread (`mlc_ide::enable_background_work`), not before the next
//! request. Those threads and the workers run at a lower priority than the main loop
//! (`mlc_ide::lower_thread_priority`), so that on a machine with few cores the request
//! after an edit does not wait for a core behind them.
//!
//! Imports are confined as in `mlc build`: the project roots are the workspace folders, and
//! the directory of each open file outside them; a file elsewhere (`/proc/self/environ`,
//! `../../etc/hostname`, a symbolic link leading out, a FIFO) is refused unread.
//!
//! Exit codes follow the specification: 0 after `shutdown` then `exit`, 1 for an `exit`
//! without `shutdown` or an input that ends first.

use std::collections::HashMap;

use crossbeam_channel::{select, unbounded, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, CodeLensRequest, Completion, DocumentDiagnosticRequest,
    DocumentHighlightRequest, DocumentSymbolRequest, FoldingRangeRequest, Formatting,
    GotoDefinition, HoverRequest, InlayHintRequest, PrepareRenameRequest, RangeFormatting,
    References, Rename, Request as _, SelectionRangeRequest, SemanticTokensFullRequest, Shutdown,
    SignatureHelpRequest, WorkspaceSymbolRequest,
};
use lsp_types::{PublishDiagnosticsParams, Url};
use mlc_ide::{AnalysisHost, Change};

use crate::capabilities::server_capabilities;
use crate::convert;
use crate::dispatch::{self, notification_params};
use crate::documents::Documents;
use crate::handlers::{self, Snapshot};
use crate::workspace;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// How the session ended: `true` when `exit` followed `shutdown` (exit code 0).
pub type Clean = bool;

/// Runs the server on stdin/stdout until the client sends `exit` or the input ends.
pub fn run_stdio() -> Result<Clean, Error> {
    let (connection, io_threads) = crate::transport::stdio();
    let clean = run(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(clean)
}

/// Runs the initialize handshake and the main loop on any connection.
pub fn run(connection: &Connection) -> Result<Clean, Error> {
    let (id, params) = connection.initialize_start()?;
    let params: lsp_types::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let result = serde_json::json!({
        "capabilities": server_capabilities(),
        "serverInfo": {"name": "mlc-lsp", "version": env!("CARGO_PKG_VERSION")},
    });
    connection.initialize_finish(id, result)?;
    let mut server = Server::new();
    let folders = workspace::folders(&params);
    for folder in &folders {
        server.host.add_project_root(&folder.to_string_lossy());
    }
    server.set_workspace(workspace::files(&folders));
    if workspace::can_watch(&params) {
        // Files changed on disk (a checkout, another editor) come back as
        // `didChangeWatchedFiles`; the client's answer needs no handling.
        let register = lsp_server::Request::new(
            RequestId::from("watch-mlc-files".to_string()),
            "client/registerCapability".to_string(),
            workspace::watch_registration(),
        );
        connection.sender.send(Message::Request(register))?;
    }
    server.main_loop(connection)
}

/// The main loop after the handshake, with no workspace folder (benchmarks, tests).
pub fn run_initialized(connection: &Connection) -> Result<Clean, Error> {
    Server::new().main_loop(connection)
}

/// Tries each `Request => handler` route in turn; returns the first route's response.
macro_rules! routes {
    ($req:ident, $($request:ty => $handler:expr),* $(,)?) => {
        $(
            let $req = match dispatch::on_request::<$request, _>($req, $handler) {
                Ok(response) => return response,
                Err(req) => req,
            };
        )*
    };
}

/// Runs `job` on a worker thread of its own, at a lower priority than the main loop
/// (`mlc_ide::lower_thread_priority`): the checks, and the requests answered off the loop.
fn spawn_worker(job: impl FnOnce() + Send + 'static) {
    std::thread::spawn(move || {
        mlc_ide::lower_thread_priority();
        job();
    });
}

/// The diagnostics of one document, computed by a worker for one generation.
struct Checked {
    generation: u64,
    params: PublishDiagnosticsParams,
}

struct Server {
    host: AnalysisHost,
    documents: Documents,
    /// Bumped by every change; results of older generations are dropped.
    generation: u64,
    /// Whether the current generation's checks are still to be started.
    checks_due: bool,
    results: (Sender<Checked>, Receiver<Checked>),
    /// What was published last for each document, for pull diagnostics of an unchanged text.
    published: HashMap<Url, PublishDiagnosticsParams>,
    /// The `.mlc` files of the workspace folders, as database paths.
    workspace_files: Vec<String>,
    lenses: handlers::hints::LastLenses,
}

impl Server {
    fn new() -> Server {
        // What an edit replaces (the last tree, names, types) is freed, and the tree
        // copied for the next reparse, on a thread of their own, not before the next
        // request is read.
        mlc_ide::enable_background_work();
        Server {
            host: AnalysisHost::confined(),
            documents: Documents::default(),
            generation: 0,
            checks_due: false,
            results: unbounded(),
            published: HashMap::new(),
            workspace_files: Vec::new(),
            lenses: Default::default(),
        }
    }

    fn set_workspace(&mut self, files: Vec<String>) {
        self.workspace_files = files.clone();
        self.host.set_workspace_files(files);
    }

    fn main_loop(&mut self, connection: &Connection) -> Result<Clean, Error> {
        loop {
            select! {
                recv(connection.receiver) -> message => {
                    // The input ended without `shutdown` and `exit`.
                    let Ok(message) = message else { return Ok(false) };
                    match message {
                        Message::Request(req) => {
                            if connection.handle_shutdown(&req)? {
                                return Ok(true);
                            }
                            if let Some(response) = self.handle_request(req, connection) {
                                connection.sender.send(Message::Response(response))?;
                            }
                        }
                        Message::Notification(not) => {
                            if not.method == lsp_types::notification::Exit::METHOD {
                                // `exit` before `shutdown`.
                                return Ok(false);
                            }
                            self.handle_notification(not);
                        }
                        Message::Response(_) => {}
                    }
                }
                recv(self.results.1) -> checked => {
                    if let Ok(checked) = checked {
                        self.publish(connection, checked)?;
                    }
                }
            }
            self.start_due_checks(connection);
        }
    }

    /// Publishes a worker's result unless a newer generation or version replaced it.
    fn publish(&mut self, connection: &Connection, checked: Checked) -> Result<(), Error> {
        let uri = &checked.params.uri;
        let current = self.documents.get(uri).map(|doc| doc.version);
        if checked.generation != self.generation || current != checked.params.version {
            return Ok(());
        }
        if self.published.get(uri) == Some(&checked.params) {
            return Ok(());
        }
        self.published.insert(uri.clone(), checked.params.clone());
        let not = Notification::new(PublishDiagnostics::METHOD.to_string(), checked.params);
        connection.sender.send(Message::Notification(not))?;
        Ok(())
    }

    /// The response, or `None` when a worker answers later (pull diagnostics).
    fn handle_request(
        &mut self,
        req: lsp_server::Request,
        connection: &Connection,
    ) -> Option<Response> {
        if req.method == DocumentDiagnosticRequest::METHOD {
            return self.pull_diagnostics(req, connection);
        }
        if req.method == CodeLensRequest::METHOD {
            return self.code_lens(req, connection);
        }
        Some(self.answer(req))
    }

    /// Code lenses evaluate the file: they are answered on a worker, so that the main loop
    /// never waits for an evaluation.
    fn code_lens(&mut self, req: lsp_server::Request, connection: &Connection) -> Option<Response> {
        let uri = req
            .params
            .pointer("/textDocument/uri")
            .and_then(|uri| uri.as_str())
            .and_then(|uri| Url::parse(uri).ok());
        let mut documents = Documents::default();
        if let Some((uri, doc)) = uri.and_then(|uri| Some((uri.clone(), self.documents.get(&uri)?)))
        {
            documents.open(uri, doc.text.clone(), doc.version);
        }
        let analysis = self.host.analysis();
        let sender = connection.sender.clone();
        let lenses = self.lenses.clone();
        spawn_worker(move || {
            let snap = Snapshot {
                analysis,
                documents: &documents,
            };
            let response = match dispatch::on_request::<CodeLensRequest, _>(req, |p| {
                handlers::hints::code_lens(&snap, p, &lenses)
            }) {
                Ok(response) => response,
                Err(req) => dispatch::error(req.id, ErrorCode::MethodNotFound, req.method),
            };
            drop(snap);
            let _ = sender.send(Message::Response(response));
        });
        None
    }

    fn answer(&mut self, req: lsp_server::Request) -> Response {
        // `shutdown` is answered by `handle_shutdown`; this route only exists so the table
        // below has its final shape as handlers are added.
        let req = match dispatch::on_request::<Shutdown, _>(req, |()| Ok(())) {
            Ok(response) => return response,
            Err(req) => req,
        };
        let req = match dispatch::on_request::<CodeActionRequest, _>(req, |params| {
            Ok(Some(handlers::code_action::code_actions(params)))
        }) {
            Ok(response) => return response,
            Err(req) => req,
        };
        let snap = Snapshot {
            analysis: self.host.analysis(),
            documents: &self.documents,
        };
        let req = match dispatch::on_request_json::<Completion, _>(req, |p| {
            handlers::completion::completion(&snap, p)
        }) {
            Ok(response) => return response,
            Err(req) => req,
        };
        routes!(req,
            GotoDefinition => |p| handlers::navigation::definition(&snap, p),
            References => |p| handlers::navigation::references(&snap, p),
            PrepareRenameRequest => |p| handlers::navigation::prepare_rename(&snap, p),
            Rename => |p| handlers::navigation::rename(&snap, p),
            DocumentHighlightRequest => |p| handlers::navigation::document_highlight(&snap, p),
            WorkspaceSymbolRequest => |p| handlers::outline::workspace_symbols(&snap, p),
            HoverRequest => |p| handlers::hover::hover(&snap, p),
            SignatureHelpRequest => |p| handlers::hover::signature_help(&snap, p),
            InlayHintRequest => |p| handlers::hints::inlay_hints(&snap, p),
            SelectionRangeRequest => |p| handlers::outline::selection_ranges(&snap, p),
            DocumentSymbolRequest => |p| handlers::outline::document_symbols(&snap, p),
            FoldingRangeRequest => |p| handlers::outline::folding_ranges(&snap, p),
            SemanticTokensFullRequest => |p| handlers::semantic_tokens::full(&snap, p),
            Formatting => |p| handlers::formatting::format_document(&snap, p),
            RangeFormatting => |p| handlers::formatting::format_range(&snap, p),
        );
        dispatch::error(
            req.id,
            ErrorCode::MethodNotFound,
            format!("mlc-lsp does not handle {}", req.method),
        )
    }

    /// `textDocument/diagnostic`: the same diagnostics as published, computed on a worker
    /// so that an evaluation in progress never blocks the main loop.
    fn pull_diagnostics(
        &mut self,
        req: lsp_server::Request,
        connection: &Connection,
    ) -> Option<Response> {
        let id = req.id.clone();
        let params: lsp_types::DocumentDiagnosticParams = match serde_json::from_value(req.params) {
            Ok(params) => params,
            Err(err) => {
                return Some(dispatch::error(
                    id,
                    ErrorCode::InvalidParams,
                    err.to_string(),
                ))
            }
        };
        let uri = params.text_document.uri;
        let Some(doc) = self.documents.get(&uri).cloned() else {
            return Some(dispatch::error(
                id,
                ErrorCode::RequestFailed,
                format!("`{uri}` is not open"),
            ));
        };
        if let Some(published) = self
            .published
            .get(&uri)
            .filter(|p| p.version == Some(doc.version))
        {
            return Some(handlers::diagnostics::full_report(id, published));
        }
        let path = convert::path(&uri)?;
        let analysis = self.host.analysis();
        let sender = connection.sender.clone();
        spawn_worker(move || {
            let response = match handlers::diagnostics::checked(&analysis, &uri, &path, &doc) {
                Ok(params) => handlers::diagnostics::full_report(id, &params),
                Err(_cancelled) => server_cancelled(id),
            };
            drop(analysis);
            let _ = sender.send(Message::Response(response));
        });
        None
    }

    fn handle_notification(&mut self, not: Notification) {
        if let Some(p) = notification_params::<DidOpenTextDocument>(&not) {
            let uri = p.text_document.uri;
            self.add_root_of(&uri);
            self.sync_to_db(&uri, &p.text_document.text);
            self.documents
                .open(uri, p.text_document.text, p.text_document.version);
            self.documents_changed();
        } else if let Some(p) = notification_params::<DidChangeTextDocument>(&not) {
            let uri = p.text_document.uri;
            if self
                .documents
                .change(&uri, p.content_changes, p.text_document.version)
            {
                if let Some(text) = self.documents.get(&uri).map(|d| d.text.clone()) {
                    self.sync_to_db(&uri, &text);
                }
                self.documents_changed();
            }
        } else if notification_params::<DidSaveTextDocument>(&not).is_some() {
            // The buffer's text is in the database already; nothing changes on save.
        } else if let Some(p) = notification_params::<DidCloseTextDocument>(&not) {
            let uri = p.text_document.uri;
            self.documents.close(&uri);
            self.published.remove(&uri);
            self.lenses
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .remove(&uri);
            if let Some(path) = convert::path(&uri) {
                // The file on disk is the truth again once the editor closes it.
                let mut change = Change::default();
                change.reload(path);
                self.host.apply_change(change);
            }
            self.documents_changed();
        } else if let Some(p) = notification_params::<DidChangeWatchedFiles>(&not) {
            let mut change = Change::default();
            let mut files = self.workspace_files.clone();
            for event in p.changes {
                let Some(path) = convert::path(&event.uri) else {
                    continue;
                };
                if event.typ == lsp_types::FileChangeType::DELETED {
                    files.retain(|file| *file != path);
                } else if !files.contains(&path) {
                    files.push(path.clone());
                }
                // An open document's buffer is the truth until it is closed.
                if self.documents.get(&event.uri).is_none() {
                    change.reload(path);
                }
            }
            files.sort();
            self.set_workspace(files);
            self.host.apply_change(change);
            self.documents_changed();
        }
    }

    /// A file opened outside every workspace folder has its own directory as its project
    /// root, as `mlc build FILE` has (nothing changes for a file inside a folder).
    fn add_root_of(&mut self, uri: &Url) {
        let Some(path) = convert::path(uri) else {
            return;
        };
        if mlc::stdlib::is_stdlib_path(&path) {
            return;
        }
        if let Some(dir) = std::path::Path::new(&path).parent() {
            self.host.add_project_root(&dir.to_string_lossy());
        }
    }

    fn sync_to_db(&mut self, uri: &Url, text: &str) {
        if let Some(path) = convert::path(uri) {
            if mlc::stdlib::is_stdlib_path(&path) {
                // The read-only copy of the standard library: the binary's text is the truth.
                return;
            }
            let mut change = Change::default();
            change.set_text(path, text);
            self.host.apply_change(change);
        }
    }

    /// A new generation of diagnostics is due: results of older ones are dropped from now
    /// on, and its checks start once the messages already waiting are handled
    /// ([`Self::start_due_checks`]).
    fn documents_changed(&mut self) {
        self.generation += 1;
        self.checks_due = true;
    }

    /// Starts the due generation's checks, unless more messages are waiting: a request sent
    /// right after an edit (a completion as the user types) is answered first, with the
    /// cores to itself, and the checks start after it. This is an order, not a wait: with
    /// nothing waiting they start at once.
    fn start_due_checks(&mut self, connection: &Connection) {
        if self.checks_due && connection.receiver.is_empty() {
            self.checks_due = false;
            self.check_open_documents();
        }
    }

    /// Starts the current generation's checks of every open document (any of them may
    /// import what changed) on a worker thread. A bug in a stage (the evaluator, say) costs
    /// one check: the document then gets the diagnostics that need no evaluation.
    fn check_open_documents(&mut self) {
        let generation = self.generation;
        let jobs: Vec<_> = self
            .documents
            .iter()
            .filter_map(|(uri, doc)| Some((uri.clone(), convert::path(uri)?, doc.clone())))
            .collect();
        let analysis = self.host.analysis();
        let results = self.results.0.clone();
        spawn_worker(move || {
            for (uri, path, doc) in jobs {
                let check = |evaluate| {
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        handlers::diagnostics::publish_params(
                            &analysis, &uri, &path, &doc, evaluate,
                        )
                    }))
                };
                let result = check(true).or_else(|_| {
                    eprintln!("mlc-lsp: internal error while checking {uri}");
                    check(false)
                });
                match result {
                    Ok(Ok(params)) => {
                        let _ = results.send(Checked { generation, params });
                    }
                    // Cancelled by a newer edit, whose generation checks again.
                    Ok(Err(_cancelled)) => return,
                    Err(_panic) => continue,
                }
            }
        });
    }
}

/// The answer to a request whose work a newer edit cancelled: the client asks again.
fn server_cancelled(id: RequestId) -> Response {
    Response {
        id,
        result: None,
        error: Some(lsp_server::ResponseError {
            code: -32802,
            message: "the document changed while the request ran".to_string(),
            data: Some(serde_json::json!({"retriggerRequest": true})),
        }),
    }
}
