//! Conversion between byte offsets (what the compiler's spans use) and LSP positions
//! (zero-based line plus a column counted in UTF-16 code units, the LSP default encoding).
//!
//! The index is built once per document version. Positions an editor sends can be out of
//! range (a stale request, a buggy client) or fall inside a surrogate pair; both are clamped
//! to the nearest valid character boundary instead of panicking, because the server must
//! survive any input.

/// A zero-based line and UTF-16 column, independent of `lsp_types` so it can be tested alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col_utf16: u32,
}

/// Start offsets of every line of one text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset where each line starts; the first entry is always 0.
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        // Only `\n` ends a line: a `\r\n` line's `\r` is part of the line's last column,
        // which is what VS Code and Neovim also assume for positions at the line end.
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    /// The LSP position of byte `offset` in `text` (the text this index was built from).
    /// Offsets past the end, or inside a UTF-8 sequence, move back to a character boundary.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(self.len);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let col_utf16 = text[start..offset].encode_utf16().count();
        LineCol {
            line: line as u32,
            col_utf16: col_utf16 as u32,
        }
    }

    /// The byte offset of an LSP position in `text`. A line past the end gives the end of the
    /// text; a column past the end of its line gives the end of that line (before `\n`); a
    /// column between the two halves of a surrogate pair gives the start of that character.
    pub fn offset(&self, text: &str, pos: LineCol) -> usize {
        let Some(&start) = self.line_starts.get(pos.line as usize) else {
            return self.len;
        };
        let end = self
            .line_starts
            .get(pos.line as usize + 1)
            .map_or(self.len, |&next| next - 1);
        let mut units = 0u32;
        for (i, ch) in text[start..end].char_indices() {
            let next = units + ch.len_utf16() as u32;
            if next > pos.col_utf16 {
                return start + i;
            }
            units = next;
        }
        end
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: u32, col_utf16: u32) -> LineCol {
        LineCol { line, col_utf16 }
    }

    /// Every char boundary must round-trip offset → position → offset.
    fn assert_round_trip(text: &str) {
        let index = LineIndex::new(text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let pos = index.line_col(text, offset);
            assert_eq!(index.offset(text, pos), offset, "{text:?} at {offset}");
        }
    }

    #[test]
    fn ascii_lines() {
        let text = "let\n  x = 1;\nin x";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_col(text, 0), lc(0, 0));
        assert_eq!(index.line_col(text, 4), lc(1, 0));
        assert_eq!(index.line_col(text, 6), lc(1, 2));
        assert_eq!(index.offset(text, lc(2, 3)), 16);
        assert_round_trip(text);
    }

    #[test]
    fn two_and_three_byte_chars_count_one_unit() {
        // "é" is 2 bytes, "€" 3 bytes: each one UTF-16 unit.
        let text = "# é€ x\nx";
        let index = LineIndex::new(text);
        let x = text.find(" x").map(|o| o + 1).unwrap_or_default();
        assert_eq!(index.line_col(text, x), lc(0, 5));
        assert_eq!(index.offset(text, lc(0, 5)), x);
        assert_round_trip(text);
    }

    #[test]
    fn astral_chars_count_two_units() {
        // "😀" is 4 bytes and a surrogate pair (2 units) in UTF-16.
        let text = "\"😀\" + y";
        let index = LineIndex::new(text);
        let y = text.len() - 1;
        assert_eq!(index.line_col(text, y), lc(0, 7));
        assert_eq!(index.offset(text, lc(0, 7)), y);
        // A column between the two surrogates lands at the start of the emoji.
        assert_eq!(index.offset(text, lc(0, 2)), 1);
        assert_round_trip(text);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\ncd\n";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, lc(0, 99)), 2, "end of line, before \\n");
        assert_eq!(index.offset(text, lc(2, 0)), 6, "the empty last line");
        assert_eq!(index.offset(text, lc(9, 9)), 6, "past the last line");
        assert_eq!(index.line_col(text, 99), lc(2, 0));
    }

    #[test]
    fn offset_inside_a_utf8_sequence_moves_back() {
        let text = "é";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 1), lc(0, 0));
    }

    #[test]
    fn crlf_and_empty_text() {
        assert_round_trip("a\r\nb\r\n");
        assert_round_trip("");
        let index = LineIndex::new("");
        assert_eq!(index.offset("", lc(0, 0)), 0);
        assert_round_trip("x = \"日本語😀\";\n# ünïcödé 𝕏\n");
    }
}
