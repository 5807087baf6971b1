//! Go to definition, find references, rename and prepare-rename: the analyses of
//! [`mlc_ide::Analysis`] converted to LSP locations and edits.

use std::collections::HashMap;

use lsp_types::{
    GotoDefinitionParams, GotoDefinitionResponse, Location, PrepareRenameResponse, ReferenceParams,
    RenameParams, TextDocumentPositionParams, TextEdit, WorkspaceEdit,
};
use mlc_ide::{FileRange, UseKind};

use super::{done, Snapshot};
use crate::convert;

/// The LSP location of a file range, converted with the text of its file (the open
/// document's when it is open, else the database's).
pub fn location(snap: &Snapshot<'_>, range: &FileRange) -> Result<Option<Location>, String> {
    let Some(uri) = convert::uri(&range.path) else {
        return Ok(None);
    };
    if let Some(doc) = snap.documents.get(&uri) {
        return Ok(Some(Location::new(uri, convert::range(doc, range.span))));
    }
    let text = done(snap.analysis.file_text(&range.path))?.unwrap_or_default();
    Ok(convert::location(&range.path, &text, range.span))
}

pub fn definition(
    snap: &Snapshot<'_>,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, String> {
    let position = params.text_document_position_params;
    let doc = snap.doc(&position.text_document.uri)?;
    let offset = doc.offset(position.position);
    let targets = done(snap.analysis.goto_definition(&doc.path, offset))?;
    let mut locations = Vec::new();
    for target in &targets {
        locations.extend(location(snap, target)?);
    }
    Ok((!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations)))
}

pub fn references(
    snap: &Snapshot<'_>,
    params: ReferenceParams,
) -> Result<Option<Vec<Location>>, String> {
    let position = params.text_document_position;
    let doc = snap.doc(&position.text_document.uri)?;
    let offset = doc.offset(position.position);
    let include_declaration = params.context.include_declaration;
    let found = done(snap.analysis.references(&doc.path, offset))?;
    let mut locations = Vec::new();
    for (range, kind) in &found {
        if include_declaration || *kind != UseKind::Definition {
            locations.extend(location(snap, range)?);
        }
    }
    Ok(Some(locations))
}

pub fn prepare_rename(
    snap: &Snapshot<'_>,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, String> {
    let doc = snap.doc(&params.text_document.uri)?;
    let offset = doc.offset(params.position);
    let (span, placeholder) = done(snap.analysis.prepare_rename(&doc.path, offset))??;
    Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: convert::range(doc.doc, span),
        placeholder,
    }))
}

pub fn rename(snap: &Snapshot<'_>, params: RenameParams) -> Result<Option<WorkspaceEdit>, String> {
    let position = params.text_document_position;
    let doc = snap.doc(&position.text_document.uri)?;
    let offset = doc.offset(position.position);
    let file_edits = done(snap.analysis.rename(&doc.path, offset, &params.new_name))??;
    let mut changes = HashMap::new();
    for file_edit in file_edits {
        let mut edits = Vec::new();
        for (span, text) in file_edit.edits {
            let range = FileRange {
                path: file_edit.path.clone(),
                span,
            };
            if let Some(location) = location(snap, &range)? {
                edits.push(TextEdit::new(location.range, text));
            }
        }
        if let Some(uri) = convert::uri(&file_edit.path) {
            changes.insert(uri, edits);
        }
    }
    Ok(Some(WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }))
}

pub fn document_highlight(
    snap: &Snapshot<'_>,
    params: lsp_types::DocumentHighlightParams,
) -> Result<Option<Vec<lsp_types::DocumentHighlight>>, String> {
    let position = params.text_document_position_params;
    let doc = snap.doc(&position.text_document.uri)?;
    let offset = doc.offset(position.position);
    let found = done(snap.analysis.highlight_related(&doc.path, offset))?;
    let highlights: Vec<_> = found
        .into_iter()
        .map(|(span, kind)| lsp_types::DocumentHighlight {
            range: convert::range(doc.doc, span),
            kind: Some(match kind {
                UseKind::Definition => lsp_types::DocumentHighlightKind::WRITE,
                UseKind::Read | UseKind::Inherit | UseKind::Attribute => {
                    lsp_types::DocumentHighlightKind::READ
                }
            }),
        })
        .collect();
    Ok((!highlights.is_empty()).then_some(highlights))
}
