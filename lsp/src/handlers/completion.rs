//! Completion: [`mlc_ide::Analysis::completions`] as LSP completion items.

use lsp_types::{CompletionItemKind, CompletionParams, Range};
use mlc_ide::{Candidate, CandidateKind};
use serde_json::{Map, Value};

use super::{done, Snapshot};
use crate::convert;

/// The completion items at the request's position, as the JSON of a `CompletionItem[]`
/// (`null` when there are none). Built straight into JSON values, each label and detail
/// moved in rather than copied by a serialiser: a file with thousands of names in scope
/// answers with thousands of items, and this conversion was most of what a completion
/// cost the server (`lsp/benches/server.rs`).
pub fn completion(
    snap: &Snapshot<'_>,
    params: CompletionParams,
) -> Result<serde_json::Value, String> {
    let position = params.text_document_position;
    let doc = snap.doc(&position.text_document.uri)?;
    let offset = doc.offset(position.position);
    let found = done(snap.analysis.completions(&doc.path, offset))?;
    if found.items.is_empty() {
        return Ok(Value::Null);
    }
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
    let range = serde_json::to_value(range).map_err(|err| err.to_string())?;
    let items = found
        .items
        .into_iter()
        .map(|candidate| {
            let path_part = matches!(
                candidate.kind,
                CandidateKind::Module | CandidateKind::File | CandidateKind::Folder
            );
            let edit = path_part || special(typed) || special(&candidate.label);
            item(candidate, edit.then_some(&range))
        })
        .collect();
    Ok(Value::Array(items))
}

/// One `CompletionItem` as JSON, with a `textEdit` over `edit_range` when given.
fn item(candidate: Candidate, edit_range: Option<&Value>) -> Value {
    let mut item = Map::new();
    if let Some(range) = edit_range {
        let mut edit = Map::new();
        edit.insert("range".to_string(), range.clone());
        edit.insert("newText".to_string(), candidate.label.clone().into());
        item.insert("textEdit".to_string(), edit.into());
    }
    item.insert("kind".to_string(), kind_number(candidate.kind));
    if let Some(detail) = candidate.detail {
        item.insert("detail".to_string(), detail.into());
    }
    if let Some(value) = candidate.documentation {
        let mut markup = Map::new();
        markup.insert("kind".to_string(), "markdown".into());
        markup.insert("value".to_string(), value.into());
        item.insert("documentation".to_string(), markup.into());
    }
    item.insert("label".to_string(), candidate.label.into());
    Value::Object(item)
}

/// The number LSP gives a kind (`CompletionItemKind`, serialised as an integer).
fn kind_number(candidate: CandidateKind) -> serde_json::Value {
    serde_json::to_value(kind(candidate)).unwrap_or(Value::Null)
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

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{
        CompletionItem, CompletionTextEdit, Documentation, MarkupContent, MarkupKind, Position,
        TextEdit,
    };

    /// The JSON written by hand is what serde writes for the typed item.
    #[test]
    fn items_are_the_json_of_lsp_completion_items() {
        let range = Range::new(Position::new(3, 1), Position::new(3, 4));
        let candidates = [
            (CandidateKind::Variable, Some("let binding"), None, false),
            (
                CandidateKind::Function,
                Some("Int -> Int"),
                Some("Adds."),
                false,
            ),
            (CandidateKind::File, None, None, true),
            (CandidateKind::Keyword, None, None, false),
        ];
        for (kind, detail, documentation, edit) in candidates {
            let candidate = Candidate {
                label: "a-b".to_string(),
                kind,
                detail: detail.map(str::to_string),
                documentation: documentation.map(str::to_string),
            };
            let typed = CompletionItem {
                label: candidate.label.clone(),
                kind: Some(super::kind(kind)),
                detail: candidate.detail.clone(),
                documentation: candidate.documentation.clone().map(|value| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value,
                    })
                }),
                text_edit: edit.then(|| {
                    CompletionTextEdit::Edit(TextEdit::new(range, candidate.label.clone()))
                }),
                ..Default::default()
            };
            let range = serde_json::to_value(range).ok();
            assert_eq!(
                item(candidate, range.as_ref().filter(|_| edit)),
                serde_json::to_value(typed).unwrap_or_default()
            );
        }
    }
}
