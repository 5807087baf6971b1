//! Completion: import paths (stdlib module names after `import <`, `.mlc` files and
//! directories after `import ./`, read from the text alone), else names and attributes from
//! [`crate::analysis::completion`].
//!
//! Where types plug in: [`sources`] lists the completion sources in the order they are
//! asked; a type-driven source goes before [`Syntactic`].

use std::path::Path;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, Documentation,
    MarkupContent, MarkupKind, Range, TextEdit,
};
use mlc::stdlib::Stdlib;

use super::Snapshot;
use crate::analysis::completion::{
    complete, CandidateKind, Completion, CompletionSource, Syntactic,
};
use crate::analysis::import_context::{import_context, ImportContext};
use crate::analysis::typed::{union_values, Typed};
use crate::convert;
use crate::documents::Documents;

/// The completion sources, asked in order for attributes and keys.
pub fn sources() -> Vec<&'static dyn CompletionSource> {
    vec![&Typed, &Syntactic]
}

pub fn completion(
    snap: &Snapshot<'_>,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>, String> {
    if let Some(paths) = import_completion(snap.documents, &params) {
        return Ok(Some(paths));
    }
    let position = params.text_document_position;
    let doc = snap.doc(&position.text_document.uri)?;
    let offset = doc.offset(position.position);
    let text = doc.doc.text.clone();
    let found = snap.with_file(&doc, |db, file| {
        // Inside a string whose field is a literal union: its allowed values.
        if let Some((start, items)) = union_values(db, file, offset) {
            return Completion { start, items };
        }
        complete(db, file, &text, offset, &sources())
    })?;
    let range = Range::new(
        convert::position(doc.doc, found.start as usize),
        position.position,
    );
    // Editors replace the word before the cursor by default; their idea of a word stops at
    // `-` and `'`, which mlc names may contain. Only then is an explicit edit needed, and
    // leaving it out elsewhere halves the response for files with thousands of names.
    let typed = doc
        .doc
        .text
        .get(found.start as usize..offset as usize)
        .unwrap_or_default();
    let special = |s: &str| s.contains(['-', '\'']);
    let items: Vec<CompletionItem> = found
        .items
        .into_iter()
        .map(|candidate| CompletionItem {
            text_edit: (special(typed) || special(&candidate.label)).then(|| {
                lsp_types::CompletionTextEdit::Edit(TextEdit::new(range, candidate.label.clone()))
            }),
            kind: Some(match candidate.kind {
                CandidateKind::Variable => CompletionItemKind::VARIABLE,
                CandidateKind::Parameter => CompletionItemKind::VARIABLE,
                CandidateKind::Function => CompletionItemKind::FUNCTION,
                CandidateKind::Attribute => CompletionItemKind::FIELD,
                CandidateKind::Namespace => CompletionItemKind::MODULE,
                CandidateKind::Keyword => CompletionItemKind::KEYWORD,
            }),
            detail: candidate.detail,
            documentation: candidate.documentation.map(|value| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                })
            }),
            label: candidate.label,
            ..Default::default()
        })
        .collect();
    Ok((!items.is_empty()).then_some(CompletionResponse::Array(items)))
}

/// Import paths, when the cursor is in one being typed.
fn import_completion(
    documents: &Documents,
    params: &CompletionParams,
) -> Option<CompletionResponse> {
    let uri = &params.text_document_position.text_document.uri;
    let doc = documents.get(uri)?;
    let pos = params.text_document_position.position;
    let offset = doc.index.offset(&doc.text, convert::line_col(pos));
    let context = import_context(&doc.text, offset)?;
    let (start, candidates) = match context {
        ImportContext::SearchPath { start, .. } => {
            let names = Stdlib::default()
                .module_names()
                .into_iter()
                .map(|name| (name.to_string(), CompletionItemKind::MODULE))
                .collect();
            (start, names)
        }
        ImportContext::Relative { dir, start, .. } => {
            let base = convert::path(uri)?;
            let base_dir = Path::new(&base).parent()?.join(dir);
            (start, relative_candidates(&base_dir))
        }
    };
    // The replaced range is the segment typed so far; clients filter by its text.
    let range = Range::new(convert::position(doc, start), pos);
    let items = candidates
        .into_iter()
        .map(|(label, kind)| CompletionItem {
            text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                range,
                label.clone(),
            ))),
            label,
            kind: Some(kind),
            ..Default::default()
        })
        .collect();
    Some(CompletionResponse::Array(items))
}

/// `.mlc` files (kind FILE) and directories (kind FOLDER, with a trailing `/`) in `dir`,
/// sorted; hidden entries are left out.
fn relative_candidates(dir: &Path) -> Vec<(String, CompletionItemKind)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<_> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_string();
            if name.starts_with('.') {
                return None;
            }
            let is_dir = entry.file_type().ok()?.is_dir();
            if is_dir {
                Some((format!("{name}/"), CompletionItemKind::FOLDER))
            } else if name.ends_with(".mlc") {
                Some((name, CompletionItemKind::FILE))
            } else {
                None
            }
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
