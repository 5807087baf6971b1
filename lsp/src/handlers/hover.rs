//! Hover ([`mlc_ide::Analysis::hover`] as markdown) and signature help.

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

pub fn signature_help(
    snap: &Snapshot<'_>,
    params: lsp_types::SignatureHelpParams,
) -> Result<Option<lsp_types::SignatureHelp>, String> {
    let position = params.text_document_position_params;
    let doc = snap.doc(&position.text_document.uri)?;
    let offset = doc.offset(position.position);
    let Some(found) = done(snap.analysis.signature_help(&doc.path, offset))? else {
        return Ok(None);
    };
    let parameters = found
        .parameters
        .iter()
        .map(|&(start, end)| lsp_types::ParameterInformation {
            label: lsp_types::ParameterLabel::LabelOffsets([
                utf16_len(&found.label[..start as usize]),
                utf16_len(&found.label[..end as usize]),
            ]),
            documentation: None,
        })
        .collect();
    Ok(Some(lsp_types::SignatureHelp {
        signatures: vec![lsp_types::SignatureInformation {
            label: found.label,
            documentation: found.documentation.map(|value| {
                lsp_types::Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                })
            }),
            parameters: Some(parameters),
            active_parameter: Some(found.active),
        }],
        active_signature: Some(0),
        active_parameter: Some(found.active),
    }))
}

/// Label offsets count UTF-16 code units.
fn utf16_len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}
