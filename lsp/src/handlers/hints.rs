//! Inlay hints (inferred types after unannotated names) and code lenses (the objects a
//! `mlflow.deployment` call builds, or the last successful build's while the file does not
//! evaluate).

use lsp_types::{
    CodeLens, CodeLensParams, Command, InlayHint, InlayHintKind, InlayHintLabel, InlayHintParams,
    Url,
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

/// The last title each document's lens had, shown while the file does not evaluate.
pub type LastLenses = std::sync::Arc<std::sync::Mutex<std::collections::HashMap<Url, String>>>;

pub fn code_lens(
    snap: &Snapshot<'_>,
    params: CodeLensParams,
    last: &LastLenses,
) -> Result<Option<Vec<CodeLens>>, String> {
    let uri = params.text_document.uri;
    let doc = snap.doc(&uri)?;
    let found = done(snap.analysis.code_lens(&doc.path))?;
    let mut last = last.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let lenses = found
        .into_iter()
        .filter_map(|(span, title)| {
            let title = match title {
                Some(title) => {
                    last.insert(uri.clone(), title.clone());
                    title
                }
                None => format!("{} (last successful build)", last.get(&uri)?),
            };
            Some(CodeLens {
                range: convert::range(doc.doc, span),
                // A title only: the client shows it and runs nothing.
                command: Some(Command {
                    title,
                    command: String::new(),
                    arguments: None,
                }),
                data: None,
            })
        })
        .collect();
    Ok(Some(lenses))
}
