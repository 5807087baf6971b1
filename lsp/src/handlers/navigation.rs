//! Go to definition, find references, rename and prepare-rename: the analyses of
//! `crate::analysis::{navigation, rename}` converted to LSP locations and edits.

use std::collections::HashMap;

use lsp_types::{
    GotoDefinitionParams, GotoDefinitionResponse, Location, PrepareRenameResponse, ReferenceParams,
    RenameParams, TextDocumentPositionParams, TextEdit, WorkspaceEdit,
};

use super::Snapshot;
use crate::analysis::navigation::{at_cursor, definition as definitions, symbol, uses, UseKind};
use crate::analysis::rename;
use crate::analysis::typed::key_definition;
use crate::convert;

pub fn definition(
    snap: &Snapshot<'_>,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, String> {
    let position = params.text_document_position_params;
    let doc = snap.doc(&position.text_document.uri)?;
    let offset = doc.offset(position.position);
    let locations = snap.with_file(&doc, |db, file| {
        // A key checked against a declared field: the declaration (in the stdlib for the
        // options of `mlflow.deployment`).
        let targets = match key_definition(db, file, offset) {
            Some(target) => vec![target],
            None => match at_cursor(db, file, offset) {
                Some(cursor) => definitions(db, file, &cursor.target),
                None => Vec::new(),
            },
        };
        targets
            .into_iter()
            .filter_map(|target| {
                let path = target.file.path(db);
                convert::location(path, &target.file.source_text(db), target.span)
            })
            .collect::<Vec<Location>>()
    })?;
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
    let spans = snap.with_file(&doc, |db, file| {
        let Some(cursor) = at_cursor(db, file, offset) else {
            return Vec::new();
        };
        let Some(symbol) = symbol(db, file, &cursor.target) else {
            return Vec::new();
        };
        uses(db, file, &symbol)
            .into_iter()
            .filter(|u| include_declaration || u.kind != UseKind::Definition)
            .map(|u| u.span)
            .collect()
    })?;
    Ok(Some(
        spans
            .into_iter()
            .map(|span| Location::new(doc.uri.clone(), convert::range(doc.doc, span)))
            .collect(),
    ))
}

pub fn prepare_rename(
    snap: &Snapshot<'_>,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, String> {
    let doc = snap.doc(&params.text_document.uri)?;
    let offset = doc.offset(params.position);
    let (span, placeholder) =
        snap.with_file(&doc, |db, file| rename::prepare(db, file, offset))??;
    Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: convert::range(doc.doc, span),
        placeholder,
    }))
}

pub fn rename(snap: &Snapshot<'_>, params: RenameParams) -> Result<Option<WorkspaceEdit>, String> {
    let position = params.text_document_position;
    let doc = snap.doc(&position.text_document.uri)?;
    let offset = doc.offset(position.position);
    let new_name = params.new_name;
    let edits = snap.with_file(&doc, |db, file| rename::rename(db, file, offset, &new_name))??;
    let edits = edits
        .into_iter()
        .map(|(span, text)| TextEdit::new(convert::range(doc.doc, span), text))
        .collect();
    Ok(Some(WorkspaceEdit {
        changes: Some(HashMap::from([(doc.uri.clone(), edits)])),
        ..Default::default()
    }))
}
