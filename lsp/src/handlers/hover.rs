//! Hover: [`mlc_ide::Analysis::hover`] as markdown.

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::{done, Snapshot};
use crate::convert;

pub fn hover(snap: &Snapshot<'_>, params: HoverParams) -> Result<Option<Hover>, String> {
    let position = params.text_document_position_params;
    let doc = snap.doc(&position.text_document.uri)?;
    let offset = doc.offset(position.position);
    let found = done(snap.analysis.hover(&doc.path, offset))?;
    Ok(found.map(|found| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: found.markdown,
        }),
        range: Some(convert::range(doc.doc, found.span)),
    }))
}
