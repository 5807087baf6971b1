//! Hover: [`crate::analysis::hover`] as markdown.

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::Snapshot;
use crate::analysis::hover::hover as analyse;
use crate::analysis::typed::key_hover;
use crate::convert;

pub fn hover(snap: &Snapshot<'_>, params: HoverParams) -> Result<Option<Hover>, String> {
    let position = params.text_document_position_params;
    let doc = snap.doc(&position.text_document.uri)?;
    let offset = doc.offset(position.position);
    let found = snap.with_file(&doc, |db, file| {
        // A key checked against a declared field: the field's type, default and doc.
        if let Some((span, markdown)) = key_hover(db, file, offset) {
            return Some(crate::analysis::hover::Hover { span, markdown });
        }
        analyse(db, file, offset)
    })?;
    Ok(found.map(|found| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: found.markdown,
        }),
        range: Some(convert::range(doc.doc, found.span)),
    }))
}
