//! Document symbols (the outline), workspace symbols, folding ranges and selection ranges.

use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, FoldingRange, FoldingRangeKind,
    FoldingRangeParams, SymbolKind,
};
use mlc_ide::{FoldKind, ItemKind, OutlineItem};

use super::{done, Snapshot};
use crate::convert;
use crate::documents::Document;

pub fn document_symbols(
    snap: &Snapshot<'_>,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>, String> {
    let doc = snap.doc(&params.text_document.uri)?;
    let items = done(snap.analysis.symbols(&doc.path))?;
    Ok(Some(DocumentSymbolResponse::Nested(
        items.iter().map(|item| symbol(doc.doc, item)).collect(),
    )))
}

fn symbol_kind(kind: ItemKind) -> SymbolKind {
    match kind {
        ItemKind::Variable => SymbolKind::VARIABLE,
        ItemKind::Function => SymbolKind::FUNCTION,
        ItemKind::Set => SymbolKind::OBJECT,
        ItemKind::Type => SymbolKind::STRUCT,
        ItemKind::Attribute => SymbolKind::FIELD,
    }
}

#[allow(deprecated)] // `deprecated` is a required field of `DocumentSymbol`.
fn symbol(doc: &Document, item: &OutlineItem) -> DocumentSymbol {
    let kind = symbol_kind(item.kind);
    DocumentSymbol {
        name: if item.name.is_empty() {
            "?".to_string()
        } else {
            item.name.clone()
        },
        detail: None,
        kind,
        tags: None,
        deprecated: None,
        range: convert::range(doc, item.span.cover(item.name_span)),
        selection_range: convert::range(doc, item.name_span),
        children: (!item.children.is_empty()).then(|| {
            item.children
                .iter()
                .map(|child| symbol(doc, child))
                .collect()
        }),
    }
}

pub fn folding_ranges(
    snap: &Snapshot<'_>,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>, String> {
    let doc = snap.doc(&params.text_document.uri)?;
    let regions = done(snap.analysis.folding(&doc.path))?;
    let ranges = regions
        .into_iter()
        .filter_map(|fold| {
            let start = doc
                .doc
                .index
                .line_col(&doc.doc.text, fold.span.start as usize);
            let end = doc
                .doc
                .index
                .line_col(&doc.doc.text, fold.span.end as usize);
            // A closing `}`/`]`/`''`/`in` that starts its line stays visible when folded.
            let mut end_line = end.line;
            if fold.kind == FoldKind::Region && end.line > start.line {
                let line_start = doc.doc.index.offset(
                    &doc.doc.text,
                    crate::line_index::LineCol {
                        line: end.line,
                        col_utf16: 0,
                    },
                );
                let before_end = doc
                    .doc
                    .text
                    .get(line_start..fold.span.end as usize)
                    .unwrap_or_default();
                let closer_first = before_end.trim_start().len() <= 3;
                if closer_first {
                    end_line -= 1;
                }
            }
            (end_line > start.line).then_some(FoldingRange {
                start_line: start.line,
                start_character: None,
                end_line,
                end_character: None,
                kind: Some(match fold.kind {
                    FoldKind::Region => FoldingRangeKind::Region,
                    FoldKind::Comment => FoldingRangeKind::Comment,
                }),
                collapsed_text: None,
            })
        })
        .collect();
    Ok(Some(ranges))
}

#[allow(deprecated)] // `deprecated` is a required field of `SymbolInformation`.
pub fn workspace_symbols(
    snap: &Snapshot<'_>,
    params: lsp_types::WorkspaceSymbolParams,
) -> Result<Option<lsp_types::WorkspaceSymbolResponse>, String> {
    let found = done(snap.analysis.workspace_symbols(&params.query))?;
    let mut symbols = Vec::new();
    for symbol in found {
        let Some(location) = super::navigation::location(snap, &symbol.range)? else {
            continue;
        };
        symbols.push(lsp_types::SymbolInformation {
            name: symbol.name,
            kind: symbol_kind(symbol.kind),
            tags: None,
            deprecated: None,
            location,
            container_name: symbol.container,
        });
    }
    Ok(Some(lsp_types::WorkspaceSymbolResponse::Flat(symbols)))
}

pub fn selection_ranges(
    snap: &Snapshot<'_>,
    params: lsp_types::SelectionRangeParams,
) -> Result<Option<Vec<lsp_types::SelectionRange>>, String> {
    let doc = snap.doc(&params.text_document.uri)?;
    let offsets: Vec<u32> = params.positions.iter().map(|p| doc.offset(*p)).collect();
    let found = done(snap.analysis.selection_ranges(&doc.path, &offsets))?;
    let ranges = found
        .into_iter()
        .map(|spans| {
            // Outermost first, each the parent of the next.
            let mut range: Option<lsp_types::SelectionRange> = None;
            for span in spans.into_iter().rev() {
                range = Some(lsp_types::SelectionRange {
                    range: convert::range(doc.doc, span),
                    parent: range.map(Box::new),
                });
            }
            range.unwrap_or(lsp_types::SelectionRange {
                range: lsp_types::Range::default(),
                parent: None,
            })
        })
        .collect();
    Ok(Some(ranges))
}
