//! Diagnostics for one open document: syntax, import and name errors from the salsa
//! database, plus, after a save, the evaluation's errors and warnings (`E04xx`, `W0401`),
//! converted at the boundary.
//!
//! An evaluation error whose primary place is in another file (an imported module) is shown
//! at the top of the document, its message naming that place, so that it is not lost.

use std::collections::HashSet;

use lsp_types::{PublishDiagnosticsParams, Url};
use mlc::diagnostic::Diagnostic;
use mlc_ide::{Analysis, Cancellable, Span};

use crate::convert;
use crate::documents::Document;
use crate::line_index::LineIndex;

/// The `publishDiagnostics` payload for `doc`, or `Cancelled` when an edit arrived meanwhile.
/// With `evaluate`, the file is evaluated too (the document was just saved).
pub fn publish_params(
    analysis: &Analysis,
    uri: &Url,
    path: &str,
    doc: &Document,
    evaluate_file: bool,
) -> Cancellable<PublishDiagnosticsParams> {
    let mut diagnostics = analysis.file_diagnostics(path)?;
    if evaluate_file {
        let name = analysis.file_name(path)?;
        let found = analysis.evaluation_diagnostics(path)?;
        let (own, elsewhere): (Vec<Diagnostic>, Vec<Diagnostic>) =
            found.into_iter().partition(|d| *d.primary.file == *name);
        // The evaluator repeats the unbound-name check: report each problem once.
        let seen: HashSet<Diagnostic> = diagnostics.iter().cloned().collect();
        diagnostics.extend(own.into_iter().filter(|d| !seen.contains(d)));
        for diagnostic in elsewhere {
            diagnostics.push(moved_here(analysis, diagnostic, name.as_str().into())?);
        }
    }
    Ok(PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics: diagnostics
            .iter()
            .map(|d| convert::diagnostic(doc, uri, d))
            .collect(),
        version: Some(doc.version),
    })
}

/// A diagnostic about another file, shown at the start of `here` with its place in the text.
fn moved_here(
    analysis: &Analysis,
    mut diagnostic: Diagnostic,
    here: mlc::diagnostic::FileName,
) -> Cancellable<Diagnostic> {
    let text = match analysis.path_of_name(&diagnostic.primary.file)? {
        Some(path) => analysis.file_text(&path)?,
        None => None,
    };
    let place = match text {
        Some(text) => {
            let at = LineIndex::new(&text).line_col(&text, diagnostic.primary.span.start as usize);
            format!(
                "{}:{}:{}",
                diagnostic.primary.file,
                at.line + 1,
                at.col_utf16 + 1
            )
        }
        None => diagnostic.primary.file.to_string(),
    };
    diagnostic.message = format!("{} (in `{place}`)", diagnostic.message);
    diagnostic.primary.file = here;
    diagnostic.primary.span = Span::default();
    diagnostic.fix = None;
    Ok(diagnostic)
}
