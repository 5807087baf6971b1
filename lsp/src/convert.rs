//! The boundary between compiler types and LSP types: the only place that converts spans,
//! diagnostics and paths to and from `lsp_types`, so the compiler crate never sees them.

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range,
    TextEdit, Url,
};
use mlc::diagnostic::{Diagnostic, Severity};
use mlc_ide::Span;

use crate::documents::Document;
use crate::line_index::LineIndex;

pub fn position(doc: &Document, offset: usize) -> Position {
    let lc = doc.index.line_col(&doc.text, offset);
    Position::new(lc.line, lc.col_utf16)
}

pub fn range(doc: &Document, span: Span) -> Range {
    range_in(&doc.text, &doc.index, span)
}

/// The range of `span` in any text with its line index (files the editor has not opened).
pub fn range_in(text: &str, index: &LineIndex, span: Span) -> Range {
    let start = index.line_col(text, span.start as usize);
    let end = index.line_col(text, span.end as usize);
    Range::new(
        Position::new(start.line, start.col_utf16),
        Position::new(end.line, end.col_utf16),
    )
}

/// The database path of a `file://` URI: the file's path, or the virtual `<stdlib>/...`
/// path of a file in the standard library's read-only copy. Other schemes have none.
pub fn path(uri: &Url) -> Option<String> {
    if uri.scheme() != "file" {
        return None;
    }
    let path = uri.to_file_path().ok()?;
    if let Some(virtual_path) = crate::stdlib_files::virtual_path(&path) {
        return Some(virtual_path);
    }
    Some(path.to_string_lossy().into_owned())
}

/// The URI the editor opens for a database path (the read-only copy for `<stdlib>/...`).
pub fn uri(path: &str) -> Option<Url> {
    if mlc::stdlib::is_stdlib_path(path) {
        return Url::from_file_path(crate::stdlib_files::real_path(path)?).ok();
    }
    Url::from_file_path(path).ok()
}

/// A location in a file of the database, converted with that file's own text.
pub fn location(path: &str, text: &str, span: Span) -> Option<Location> {
    let index = LineIndex::new(text);
    Some(Location::new(uri(path)?, range_in(text, &index, span)))
}

/// Converts a compiler diagnostic whose primary label is in `doc`. Secondary labels become
/// related information: in the same file with the document's index, in other files (an
/// imported module, the standard library's read-only copy) through `locate`.
pub fn diagnostic(
    doc: &Document,
    uri: &Url,
    diag: &Diagnostic,
    locate: &dyn Fn(&str, Span) -> Option<Location>,
) -> lsp_types::Diagnostic {
    let severity = match diag.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
    };
    let mut message = diag.message.clone();
    if !diag.primary.message.is_empty() {
        message = format!("{message}\n{}", diag.primary.message);
    }
    for note in &diag.notes {
        message = format!("{message}\nnote: {note}");
    }
    if let Some(help) = &diag.help {
        message = format!("{message}\nhelp: {help}");
    }
    let related: Vec<_> = diag
        .secondary
        .iter()
        .filter_map(|label| {
            let location = if label.file == diag.primary.file {
                Location::new(uri.clone(), range(doc, label.span))
            } else {
                locate(&label.file, label.span)?
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: label.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: range(doc, diag.primary.span),
        severity: Some(severity),
        code: Some(NumberOrString::String(diag.code.as_str().to_string())),
        source: Some("mlc".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        // The client echoes `data` back in codeAction requests, so the fix travels with the
        // diagnostic and the server keeps no state for it.
        data: diag
            .fix
            .as_ref()
            .filter(|fix| fix.file == diag.primary.file)
            .and_then(|fix| {
                serde_json::to_value(TextEdit::new(range(doc, fix.span), fix.replacement.clone()))
                    .ok()
            }),
        ..Default::default()
    }
}
