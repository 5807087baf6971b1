//! The documents the editor has open: their current text and version, kept in sync with
//! incremental `didChange` edits.
//!
//! Each change's range is converted from UTF-16 positions to byte offsets against the text
//! as it is *after* the previous change of the same notification, which is what the LSP
//! specification requires ("the changes describe single state changes").

use std::collections::HashMap;

use lsp_types::{Position, TextDocumentContentChangeEvent, Url};

use crate::line_index::{LineCol, LineIndex};

/// One open document.
#[derive(Clone, Debug)]
pub struct Document {
    pub text: String,
    pub version: i32,
    pub index: LineIndex,
}

impl Document {
    pub fn new(text: String, version: i32) -> Document {
        let index = LineIndex::new(&text);
        Document {
            text,
            version,
            index,
        }
    }

    /// The byte offset of an LSP position (clamped to the text, on a character boundary).
    pub fn offset(&self, position: Position) -> usize {
        let line_col = LineCol {
            line: position.line,
            col_utf16: position.character,
        };
        self.index.offset(&self.text, line_col)
    }

    /// Applies the changes of one `didChange` notification in order.
    pub fn apply_changes(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = self.offset(range.start);
                    let end = self.offset(range.end);
                    // A client may send a reversed range; treat it as the same span.
                    let (start, end) = (start.min(end), start.max(end));
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            self.index = LineIndex::new(&self.text);
        }
        self.version = version;
    }
}

/// Every open document by URI.
#[derive(Default, Debug)]
pub struct Documents {
    open: HashMap<Url, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: Url, text: String, version: i32) {
        self.open.insert(uri, Document::new(text, version));
    }

    /// Applies a change; returns false when the document is not open (the change is ignored).
    pub fn change(
        &mut self,
        uri: &Url,
        changes: Vec<TextDocumentContentChangeEvent>,
        version: i32,
    ) -> bool {
        match self.open.get_mut(uri) {
            Some(doc) => {
                doc.apply_changes(changes, version);
                true
            }
            None => false,
        }
    }

    pub fn close(&mut self, uri: &Url) {
        self.open.remove(uri);
    }

    /// Every open document.
    pub fn iter(&self) -> impl Iterator<Item = (&Url, &Document)> {
        self.open.iter()
    }

    pub fn get(&self, uri: &Url) -> Option<&Document> {
        self.open.get(uri)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn edit(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn insert_replace_delete_in_sequence() {
        let mut doc = Document::new("let x = 1;\nin x".to_string(), 1);
        doc.apply_changes(
            vec![
                edit(0, 8, 0, 9, "42"),    // 1 → 42
                edit(1, 3, 1, 4, "x + x"), // x → x + x, on the already-changed text
                edit(0, 0, 0, 0, "# hi\n"),
            ],
            2,
        );
        assert_eq!(doc.text, "# hi\nlet x = 42;\nin x + x");
        assert_eq!(doc.version, 2);
        doc.apply_changes(vec![edit(0, 0, 1, 0, "")], 3);
        assert_eq!(doc.text, "let x = 42;\nin x + x");
    }

    #[test]
    fn edits_after_astral_chars_use_utf16_columns() {
        // "😀" takes two UTF-16 columns, "é" one.
        let mut doc = Document::new("s = \"😀é\"; t".to_string(), 1);
        doc.apply_changes(vec![edit(0, 11, 0, 12, "u")], 2);
        assert_eq!(doc.text, "s = \"😀é\"; u");
        // Replace the emoji itself (columns 5..7).
        doc.apply_changes(vec![edit(0, 5, 0, 7, "ü")], 3);
        assert_eq!(doc.text, "s = \"üé\"; u");
    }

    #[test]
    fn multi_line_edit_across_non_ascii_lines() {
        let mut doc = Document::new("# ñ\n# 𝕏 y\nz".to_string(), 1);
        doc.apply_changes(vec![edit(0, 2, 1, 5, "w")], 2);
        assert_eq!(doc.text, "# wy\nz");
    }

    #[test]
    fn full_replacement_and_out_of_range_edits_do_not_panic() {
        let mut doc = Document::new("abc".to_string(), 1);
        doc.apply_changes(
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "é😀".to_string(),
            }],
            2,
        );
        assert_eq!(doc.text, "é😀");
        doc.apply_changes(vec![edit(0, 2, 0, 2, "x")], 3); // inside the surrogate pair
        assert_eq!(doc.text, "éx😀");
        doc.apply_changes(vec![edit(5, 0, 9, 9, "!")], 4); // past the end
        assert_eq!(doc.text, "éx😀!");
        doc.apply_changes(vec![edit(0, 3, 0, 1, "")], 5); // reversed range
        assert_eq!(doc.text, "é😀!");
    }

    #[test]
    fn change_to_unopened_document_is_ignored() {
        let mut docs = Documents::default();
        let uri = Url::parse("file:///a.mlc").unwrap_or_else(|e| panic!("{e}"));
        assert!(!docs.change(&uri, vec![edit(0, 0, 0, 0, "x")], 1));
        docs.open(uri.clone(), String::new(), 1);
        assert!(docs.change(&uri, vec![edit(0, 0, 0, 0, "x")], 2));
        assert_eq!(docs.get(&uri).map(|d| d.text.as_str()), Some("x"));
        docs.close(&uri);
        assert!(docs.get(&uri).is_none());
    }
}
