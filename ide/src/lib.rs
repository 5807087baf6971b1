//! The editor features of mlc as plain data, on top of the salsa database: rust-analyzer's
//! `ide` crate is the model. [`AnalysisHost`] owns the database and applies edits; an
//! [`Analysis`] is a snapshot for one request whose methods take paths and byte offsets and
//! return plain data (spans, strings, edits, kinds). Syntax trees, name resolution and
//! semantic types stay behind this API, so a front end (`mlc-lsp`) knows only protocol,
//! documents and conversion.
//!
//! One module per feature; `sets`, `tree`, `navigation` and `typed` are shared machinery.

mod analysis;
mod completion;
mod diagnostics;
mod highlight;
mod hints;
mod hover;
mod import_context;
mod lens;
mod navigation;
mod outline;
mod rename;
mod selection;
mod sets;
mod signature;
mod tree;
mod typed;
mod workspace;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod tests;

pub use analysis::{Analysis, AnalysisHost, FileEdit, FileRange, WorkspaceSymbol};
pub use completion::{Candidate, CandidateKind, Completion};
pub use highlight::{Token, TokenKind, DECLARATION, DEFAULT_LIBRARY};
pub use hints::InlayHint;
pub use hover::Hover;
/// From now on, this process frees the results an edit replaced, and copies each new tree
/// for the next reparse, on a background thread (`mlc::db::background`): what a language
/// server wants, so that the next request is not read after them.
pub use mlc::db::background::enable as enable_background_work;
/// Lowers the calling thread's priority below the main loop's (Linux): for the threads a
/// server starts for work that can wait (`mlc::db::background::lower_priority`).
pub use mlc::db::background::lower_priority as lower_thread_priority;
pub use mlc::db::{Cancellable, Change};
pub use mlc::syntax::Span;
pub use navigation::UseKind;
pub use outline::{Fold, FoldKind, ItemKind, OutlineItem};
pub use signature::Signature;
