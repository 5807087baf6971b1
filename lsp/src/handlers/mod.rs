//! One module per LSP feature. Request handlers take a [`Snapshot`]: the open documents and
//! an [`Analysis`] snapshot, read-only.

pub mod code_action;
pub mod completion;
pub mod diagnostics;
pub mod formatting;
pub mod hints;
pub mod hover;
pub mod navigation;
pub mod outline;
pub mod semantic_tokens;

use lsp_types::{Position, Url};
use mlc_ide::{Analysis, Cancellable};

use crate::convert;
use crate::documents::{Document, Documents};

/// What a request may read.
pub struct Snapshot<'a> {
    pub analysis: Analysis,
    pub documents: &'a Documents,
}

/// An open document as the request sees it: its text, its database path and input.
pub struct Doc<'a> {
    pub uri: &'a Url,
    pub doc: &'a Document,
    pub path: String,
}

impl<'a> Snapshot<'a> {
    /// The open document at `uri`, or the error to answer with.
    pub fn doc(&self, uri: &'a Url) -> Result<Doc<'a>, String> {
        let doc = self
            .documents
            .get(uri)
            .ok_or_else(|| format!("`{uri}` is not open"))?;
        let path = convert::path(uri).ok_or_else(|| format!("`{uri}` is not a local file"))?;
        Ok(Doc { uri, doc, path })
    }
}

/// A cancelled request becomes an error response (the client asks again).
pub fn done<T>(result: Cancellable<T>) -> Result<T, String> {
    result.map_err(|_| "the document changed while the request ran; try again".to_string())
}

impl Doc<'_> {
    /// The byte offset of an LSP position in the document.
    pub fn offset(&self, position: Position) -> u32 {
        self.doc.offset(position) as u32
    }
}
