//! Diagnostics for one open document: syntax and import errors from the salsa database,
//! converted at the boundary.

use lsp_types::{PublishDiagnosticsParams, Url};
use mlc::db::{Analysis, Cancellable};

use crate::convert;
use crate::documents::Document;

/// The `publishDiagnostics` payload for `doc`, or `Cancelled` when an edit arrived meanwhile.
pub fn publish_params(
    analysis: &Analysis,
    uri: &Url,
    path: &str,
    doc: &Document,
) -> Cancellable<PublishDiagnosticsParams> {
    let diagnostics = analysis.file_diagnostics(path)?;
    Ok(PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics: diagnostics
            .iter()
            .map(|d| convert::diagnostic(doc, uri, d))
            .collect(),
        version: Some(doc.version),
    })
}
