//! Inlay hints (inferred types after unannotated names) and code lenses (the objects a
//! `mlflow.deployment` call builds).

use lsp_types::{
    CodeLens, CodeLensParams, Command, InlayHint, InlayHintKind, InlayHintLabel, InlayHintParams,
};

use super::{done, Snapshot};
use crate::convert;

pub fn inlay_hints(
    snap: &Snapshot<'_>,
    params: InlayHintParams,
) -> Result<Option<Vec<InlayHint>>, String> {
    let doc = snap.doc(&params.text_document.uri)?;
    let found = done(snap.analysis.inlay_hints(&doc.path))?;
    let hints = found
        .into_iter()
        .map(|hint| (convert::position(doc.doc, hint.offset as usize), hint.label))
        .filter(|(at, _)| params.range.start <= *at && *at <= params.range.end)
        .map(|(position, label)| InlayHint {
            position,
            label: InlayHintLabel::String(label),
            kind: Some(InlayHintKind::TYPE),
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .collect();
    Ok(Some(hints))
}

pub fn code_lens(
    snap: &Snapshot<'_>,
    params: CodeLensParams,
) -> Result<Option<Vec<CodeLens>>, String> {
    let doc = snap.doc(&params.text_document.uri)?;
    let found = done(snap.analysis.code_lens(&doc.path))?;
    let lenses = found
        .into_iter()
        .map(|(span, title)| CodeLens {
            range: convert::range(doc.doc, span),
            // A title only: the client shows it and runs nothing.
            command: Some(Command {
                title,
                command: String::new(),
                arguments: None,
            }),
            data: None,
        })
        .collect();
    Ok(Some(lenses))
}
