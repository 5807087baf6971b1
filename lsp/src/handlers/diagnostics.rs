//! Diagnostics of one open document ([`mlc_ide::Analysis::diagnostics`]: its own, errors of
//! what it imports at their `import`, the evaluation's), converted at the boundary, pushed
//! (`publishDiagnostics`) and pulled (`textDocument/diagnostic`) alike.

use lsp_server::{RequestId, Response};
use lsp_types::{
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, FullDocumentDiagnosticReport,
    Location, PublishDiagnosticsParams, RelatedFullDocumentDiagnosticReport, Url,
};
use mlc_ide::{Analysis, Cancellable, Span};

use crate::convert;
use crate::documents::Document;
use crate::line_index::LineIndex;

/// The `publishDiagnostics` payload for `doc`, or `Cancelled` when an edit arrived meanwhile.
/// Without `evaluate`, only the file's own diagnostics (the fallback after a bug in a
/// later stage).
pub fn publish_params(
    analysis: &Analysis,
    uri: &Url,
    path: &str,
    doc: &Document,
    evaluate: bool,
) -> Cancellable<PublishDiagnosticsParams> {
    let diagnostics = if evaluate {
        analysis.diagnostics(path)?
    } else {
        analysis.file_diagnostics(path)?
    };
    // Labels in other files become related information with their own line index.
    let locate = |name: &str, span: Span| -> Option<Location> {
        let path = analysis.path_of_name(name).ok()??;
        let text = analysis.file_text(&path).ok()??;
        let uri = convert::uri(&path)?;
        Some(Location::new(
            uri,
            convert::range_in(&text, &LineIndex::new(&text), span),
        ))
    };
    Ok(PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics: diagnostics
            .iter()
            .map(|d| convert::diagnostic(doc, uri, d, &locate))
            .collect(),
        version: Some(doc.version),
    })
}

/// The whole diagnostics, as published.
pub fn checked(
    analysis: &Analysis,
    uri: &Url,
    path: &str,
    doc: &Document,
) -> Cancellable<PublishDiagnosticsParams> {
    publish_params(analysis, uri, path, doc, true)
}

/// A `textDocument/diagnostic` answer with the diagnostics of `params`.
pub fn full_report(id: RequestId, params: &PublishDiagnosticsParams) -> Response {
    let report = DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: None,
                items: params.diagnostics.clone(),
            },
        },
    ));
    Response::new_ok(id, report)
}
