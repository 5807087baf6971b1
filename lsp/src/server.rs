//! The main loop: one thread owns the documents and the salsa [`AnalysisHost`]; messages are
//! handled in order. Diagnostics are debounced: a change only marks its document dirty, and
//! dirty documents are checked once no message arrived for [`DEBOUNCE`], so a burst of
//! keystrokes costs one check. The check runs on a worker thread (see `spawn_check`) and is
//! cancelled by the next edit through salsa.

use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use crossbeam_channel::{after, never, select, unbounded, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, FoldingRangeRequest, Formatting,
    GotoDefinition, HoverRequest, PrepareRenameRequest, RangeFormatting, References, Rename,
    SemanticTokensFullRequest, Shutdown,
};
use lsp_types::Url;
use mlc_ide::{AnalysisHost, Change};

use crate::capabilities::server_capabilities;
use crate::convert;
use crate::dispatch::{self, notification_params};
use crate::documents::Documents;
use crate::handlers::{self, Snapshot};

/// How long the server waits after the last message before publishing diagnostics.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Runs the server on stdin/stdout until the client sends `exit`.
pub fn run_stdio() -> Result<(), Error> {
    let (connection, io_threads) = Connection::stdio();
    run(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}

/// Runs the initialize handshake and the main loop on any connection.
pub fn run(connection: &Connection) -> Result<(), Error> {
    let capabilities = serde_json::to_value(server_capabilities())?;
    connection.initialize(capabilities)?;
    run_initialized(connection, DEBOUNCE)
}

/// The main loop after the handshake, with a chosen debounce delay (benchmarks use zero to
/// measure only the server's own work).
pub fn run_initialized(connection: &Connection, debounce: Duration) -> Result<(), Error> {
    let mut server = Server {
        host: AnalysisHost::default(),
        documents: Documents::default(),
        dirty: BTreeSet::new(),
        saved: HashSet::new(),
        debounce,
        retry: unbounded(),
    };
    server.main_loop(connection)
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

struct Server {
    host: AnalysisHost,
    documents: Documents,
    dirty: BTreeSet<Url>,
    /// Documents saved and not edited since: their diagnostics include the evaluation's.
    saved: HashSet<Url>,
    debounce: Duration,
    /// Documents whose check was cancelled by a newer edit, sent back by the worker.
    retry: (Sender<Url>, Receiver<Url>),
}

impl Server {
    fn main_loop(&mut self, connection: &Connection) -> Result<(), Error> {
        loop {
            // A timer only runs while some document waits for its diagnostics.
            let timer = if self.dirty.is_empty() {
                never()
            } else {
                after(self.debounce)
            };
            select! {
                recv(connection.receiver) -> message => {
                    let Ok(message) = message else { return Ok(()) };
                    match message {
                        Message::Request(req) => {
                            if connection.handle_shutdown(&req)? {
                                return Ok(());
                            }
                            let response = self.handle_request(req);
                            connection.sender.send(Message::Response(response))?;
                        }
                        Message::Notification(not) => self.handle_notification(not),
                        Message::Response(_) => {}
                    }
                }
                recv(self.retry.1) -> uri => {
                    if let Ok(uri) = uri {
                        self.dirty.insert(uri);
                    }
                }
                recv(timer) -> _ => self.spawn_check(connection),
            }
        }
    }

    fn handle_request(&mut self, req: lsp_server::Request) -> lsp_server::Response {
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
        routes!(req,
            Completion => |p| handlers::completion::completion(&snap, p),
            GotoDefinition => |p| handlers::navigation::definition(&snap, p),
            References => |p| handlers::navigation::references(&snap, p),
            PrepareRenameRequest => |p| handlers::navigation::prepare_rename(&snap, p),
            Rename => |p| handlers::navigation::rename(&snap, p),
            HoverRequest => |p| handlers::hover::hover(&snap, p),
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

    fn handle_notification(&mut self, not: Notification) {
        if let Some(p) = notification_params::<DidOpenTextDocument>(&not) {
            let uri = p.text_document.uri;
            self.sync_to_db(&uri, &p.text_document.text);
            self.documents
                .open(uri.clone(), p.text_document.text, p.text_document.version);
            self.dirty.insert(uri);
        } else if let Some(p) = notification_params::<DidChangeTextDocument>(&not) {
            let uri = p.text_document.uri;
            // Evaluation diagnostics describe the saved text: an edit clears them.
            self.saved.remove(&uri);
            if self
                .documents
                .change(&uri, p.content_changes, p.text_document.version)
            {
                if let Some(text) = self.documents.get(&uri).map(|d| d.text.clone()) {
                    self.sync_to_db(&uri, &text);
                }
                self.dirty.insert(uri);
            }
        } else if let Some(p) = notification_params::<DidSaveTextDocument>(&not) {
            self.saved.insert(p.text_document.uri.clone());
            self.dirty.insert(p.text_document.uri);
        } else if let Some(p) = notification_params::<DidCloseTextDocument>(&not) {
            let uri = p.text_document.uri;
            self.documents.close(&uri);
            self.dirty.remove(&uri);
            self.saved.remove(&uri);
            if let Some(path) = convert::path(&uri) {
                // The file on disk is the truth again once the editor closes it.
                let mut change = Change::default();
                change.reload(path);
                self.host.apply_change(change);
            }
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

    /// Computes the diagnostics of every dirty document on a worker thread holding a clone
    /// of the database, so typing never waits for a check. The next edit's write cancels the
    /// clone (salsa unwinds the worker with `Cancelled`); the worker then hands the document
    /// back through `retry` and sends nothing, so a stale result is never published. Because
    /// a write waits until every clone is dropped and the worker sends before dropping its
    /// clone, results reach the client in edit order.
    fn spawn_check(&mut self, connection: &Connection) {
        let jobs: Vec<_> = std::mem::take(&mut self.dirty)
            .into_iter()
            .filter_map(|uri| {
                let doc = self.documents.get(&uri)?.clone();
                let path = convert::path(&uri)?;
                let evaluate = self.saved.contains(&uri);
                Some((uri, path, doc, evaluate))
            })
            .collect();
        if jobs.is_empty() {
            return;
        }
        let analysis = self.host.analysis();
        let sender = connection.sender.clone();
        let retry = self.retry.0.clone();
        std::thread::spawn(move || {
            for (uri, path, doc, evaluate) in jobs {
                // A bug in a stage (the evaluator, say) must cost one check, not the worker:
                // the document then gets the diagnostics that do not need that stage.
                let check = |evaluate| {
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        handlers::diagnostics::publish_params(
                            &analysis, &uri, &path, &doc, evaluate,
                        )
                    }))
                };
                let result = check(evaluate).or_else(|_| {
                    eprintln!("mlc-lsp: internal error while checking {uri}");
                    check(false)
                });
                let Ok(result) = result else { continue };
                match result {
                    Ok(params) => {
                        let not = Notification::new(PublishDiagnostics::METHOD.to_string(), params);
                        // A send fails only when the server is exiting; nothing to do then.
                        let _ = sender.send(Message::Notification(not));
                    }
                    Err(_cancelled) => {
                        let _ = retry.send(uri);
                    }
                }
            }
            drop(analysis);
        });
    }
}
