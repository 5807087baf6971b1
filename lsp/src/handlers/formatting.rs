//! Document and range formatting with `mlc::fmt`. A file with syntax errors is refused with
//! an error naming the first one (formatting a tree with error nodes could lose text).
//!
//! The formatter works on whole files. Edits are the changed lines only (a line diff), so
//! the cursor and unchanged lines stay put; range formatting formats the whole file and
//! keeps the changed hunks that touch the range, each of which stands alone.

use lsp_types::{
    DocumentFormattingParams, DocumentRangeFormattingParams, Position, Range, TextEdit,
};
use similar::{DiffOp, TextDiff};

use super::Snapshot;
use crate::convert;
use crate::documents::Document;

pub fn format_document(
    snap: &Snapshot<'_>,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>, String> {
    let doc = snap.doc(&params.text_document.uri)?;
    Ok(Some(edits(doc.doc, None)?))
}

pub fn format_range(
    snap: &Snapshot<'_>,
    params: DocumentRangeFormattingParams,
) -> Result<Option<Vec<TextEdit>>, String> {
    let doc = snap.doc(&params.text_document.uri)?;
    Ok(Some(edits(doc.doc, Some(params.range))?))
}

/// The edits that format `doc`, only those touching `range` when given.
pub fn edits(doc: &Document, range: Option<Range>) -> Result<Vec<TextEdit>, String> {
    let formatted = mlc::fmt::format(&doc.text).map_err(|errors| {
        let first = errors.first().map(|error| {
            let at = convert::position(doc, error.span.start as usize);
            format!(" (line {}: {})", at.line + 1, error.message)
        });
        format!(
            "cannot format a file with syntax errors{}",
            first.unwrap_or_default()
        )
    })?;
    let old_lines: Vec<&str> = doc.text.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = formatted.split_inclusive('\n').collect();
    let diff = TextDiff::from_slices(&old_lines, &new_lines);
    let mut out = Vec::new();
    for op in diff.ops() {
        let (old, new) = match *op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (old_index..old_index + old_len, new_index..new_index),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index..old_index, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        let start = Position::new(old.start as u32, 0);
        let end = Position::new(old.end as u32, 0);
        // A hunk at the end of a text without a final newline ends at the text's end.
        let end = if old.end >= old_lines.len() {
            convert::position(doc, doc.text.len())
        } else {
            end
        };
        let hunk = Range::new(start, end);
        if let Some(range) = range {
            let touches = hunk.start <= range.end && range.start <= hunk.end;
            if !touches {
                continue;
            }
        }
        out.push(TextEdit::new(hunk, new_lines[new].concat()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let mut doc = Document::new(text.to_string(), 1);
        let changes = edits
            .iter()
            .rev()
            .map(|edit| lsp_types::TextDocumentContentChangeEvent {
                range: Some(edit.range),
                range_length: None,
                text: edit.new_text.clone(),
            })
            .collect();
        doc.apply_changes(changes, 2);
        doc.text
    }

    #[test]
    fn whole_document_edits_give_the_formatted_text() {
        for text in [
            "{a=1;\nb  =  2;}\n",
            "{ a = 1; }\n",
            "let x=1;in x",
            "{\n  a = 1;\n}",
        ] {
            let doc = Document::new(text.to_string(), 1);
            let edits = edits(&doc, None).unwrap_or_else(|e| panic!("{e}"));
            let expected = mlc::fmt::format(text).unwrap_or_default();
            assert_eq!(apply(text, &edits), expected, "{text:?}");
        }
    }

    #[test]
    fn range_formatting_keeps_other_hunks() {
        let text = "{\n  a   = 1;\n  b = 2;\n  c   = 3;\n}\n";
        let doc = Document::new(text.to_string(), 1);
        let range = Range::new(Position::new(3, 0), Position::new(3, 4));
        let edits = edits(&doc, Some(range)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            apply(text, &edits),
            "{\n  a   = 1;\n  b = 2;\n  c = 3;\n}\n"
        );
    }

    #[test]
    fn syntax_errors_are_refused_with_the_first_one() {
        let doc = Document::new("{ a = 1 }".to_string(), 1);
        let error = edits(&doc, None).err().unwrap_or_default();
        assert!(
            error.starts_with("cannot format a file with syntax errors (line 1:"),
            "{error}"
        );
    }
}
