//! Diagnostics for one open document: syntax, import and name errors from the salsa
//! database, plus, after a save, the evaluation's errors and warnings (`E04xx`, `W0401`),
//! converted at the boundary.
//!
//! An evaluation error whose primary place is in another file (an imported module) is shown
//! at the top of the document, its message naming that place, so that it is not lost.

use std::collections::HashSet;

use lsp_types::{PublishDiagnosticsParams, Url};
use mlc::db::{evaluate, Analysis, Cancellable};
use mlc::diagnostic::{Diagnostic, SourceProvider};
use mlc::syntax::Span;

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
    let mut others = Vec::new();
    if evaluate_file {
        let path = path.to_string();
        let (own, elsewhere) = analysis.with_db(move |db| {
            let file = db.file_for_argument(&path);
            let name = file.name(db).clone();
            let found = match evaluate(db, file) {
                // The checks' findings too, at the levels the file's waivers give them.
                Ok(evaluated) => {
                    mlc::checks::evaluation_diagnostics(evaluated, &Default::default())
                        .into_iter()
                        .filter(|d| d.waived.is_none())
                        .collect()
                }
                Err(diagnostics) => diagnostics.clone(),
            };
            let (own, elsewhere): (Vec<Diagnostic>, Vec<Diagnostic>) =
                found.into_iter().partition(|d| d.primary.file == name);
            let elsewhere: Vec<Diagnostic> = elsewhere
                .into_iter()
                .map(|d| moved_here(db, d, name.clone()))
                .collect();
            (own, elsewhere)
        })?;
        // The evaluator repeats the unbound-name check: report each problem once.
        let seen: HashSet<Diagnostic> = diagnostics.iter().cloned().collect();
        diagnostics.extend(own.into_iter().filter(|d| !seen.contains(d)));
        others = elsewhere;
    }
    diagnostics.extend(others);
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
    sources: &dyn SourceProvider,
    mut diagnostic: Diagnostic,
    here: mlc::diagnostic::FileName,
) -> Diagnostic {
    let place = match sources.source(&diagnostic.primary.file) {
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
    diagnostic
}
