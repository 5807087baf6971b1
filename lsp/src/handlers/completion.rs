//! Completion: [`mlc_ide::Analysis::completions`] as LSP completion items.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, Documentation,
    MarkupContent, MarkupKind, Range, TextEdit,
};
use mlc_ide::CandidateKind;

use super::{done, Snapshot};
use crate::convert;

pub fn completion(
    snap: &Snapshot<'_>,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>, String> {
    let position = params.text_document_position;
    let doc = snap.doc(&position.text_document.uri)?;
    let offset = doc.offset(position.position);
    let found = done(snap.analysis.completions(&doc.path, offset))?;
    let range = Range::new(
        convert::position(doc.doc, found.start as usize),
        position.position,
    );
    // Editors replace the word before the cursor by default; their idea of a word stops at
    // `-` and `'`, which mlc names may contain, and at `/` in import paths. Only then is an
    // explicit edit needed, and leaving it out elsewhere halves the response for files with
    // thousands of names.
    let typed = doc
        .doc
        .text
        .get(found.start as usize..offset as usize)
        .unwrap_or_default();
    let special = |s: &str| s.contains(['-', '\'']);
    let items: Vec<CompletionItem> = found
        .items
        .into_iter()
        .map(|candidate| {
            let path_part = matches!(
                candidate.kind,
                CandidateKind::Module | CandidateKind::File | CandidateKind::Folder
            );
            CompletionItem {
                text_edit: (path_part || special(typed) || special(&candidate.label)).then(|| {
                    lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                        range,
                        candidate.label.clone(),
                    ))
                }),
                kind: Some(kind(candidate.kind)),
                detail: candidate.detail,
                documentation: candidate.documentation.map(|value| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value,
                    })
                }),
                label: candidate.label,
                ..Default::default()
            }
        })
        .collect();
    Ok((!items.is_empty()).then_some(CompletionResponse::Array(items)))
}

fn kind(kind: CandidateKind) -> CompletionItemKind {
    match kind {
        CandidateKind::Variable => CompletionItemKind::VARIABLE,
        CandidateKind::Parameter => CompletionItemKind::VARIABLE,
        CandidateKind::Function => CompletionItemKind::FUNCTION,
        CandidateKind::Attribute => CompletionItemKind::FIELD,
        CandidateKind::Namespace => CompletionItemKind::MODULE,
        CandidateKind::Keyword => CompletionItemKind::KEYWORD,
        CandidateKind::Module => CompletionItemKind::MODULE,
        CandidateKind::File => CompletionItemKind::FILE,
        CandidateKind::Folder => CompletionItemKind::FOLDER,
    }
}
