//! Long source lines cut for the terminal. A snippet shows whole lines, so an error on a
//! 100 KB line (generated or minified input) would print all of it, for every error on it.
//! [`cut`] keeps a window of each long line around the places the labels point at, marks
//! the cut ends with `...`, and maps offsets of the original text into the cut one.

use std::sync::Arc;

/// Lines up to this many bytes are shown whole.
pub const MAX_LINE: usize = 160;
/// Bytes kept on each side of what a label points at.
const CONTEXT: usize = 60;
/// ASCII, so that byte and character columns agree (ariadne counts one way for the header
/// and the other for the underline).
const ELLIPSIS: &str = "...";

/// The cut text and where its pieces came from.
pub struct Cut {
    pub text: Arc<str>,
    /// Kept pieces of the original, in order: original start and end, start in `text`.
    pieces: Vec<(usize, usize, usize)>,
}

impl Cut {
    /// Where byte `offset` of the original is in the cut text (an offset in a cut-out part
    /// moves to the nearest kept end).
    pub fn map(&self, offset: usize) -> usize {
        let index = self
            .pieces
            .partition_point(|&(start, _, _)| start <= offset);
        let Some(&(start, end, new_start)) = index.checked_sub(1).and_then(|i| self.pieces.get(i))
        else {
            return self.pieces.first().map_or(0, |&(_, _, new)| new);
        };
        new_start + offset.min(end) - start
    }
}

/// Whether some line of `text` is longer than [`MAX_LINE`].
pub fn has_long_lines(text: &str) -> bool {
    text.split('\n').any(|line| line.len() > MAX_LINE)
}

/// `text` with every line longer than [`MAX_LINE`] cut to a window around the `points`
/// (byte offsets) on it, or `None` when no line is that long.
pub fn cut(text: &str, points: &[usize]) -> Option<Cut> {
    if !has_long_lines(text) {
        return None;
    }
    let mut out = String::new();
    let mut pieces = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let line_end = line_start + body.len();
        if body.len() <= MAX_LINE {
            pieces.push((line_start, line_start + line.len(), out.len()));
            out.push_str(line);
        } else {
            let on_line = points
                .iter()
                .copied()
                .filter(|&p| p >= line_start && p <= line_end);
            let (low, high) = on_line.fold((usize::MAX, 0), |(lo, hi), p| (lo.min(p), hi.max(p)));
            let (low, high) = if low == usize::MAX {
                (line_start, line_start)
            } else {
                (low, high)
            };
            let mut start = low.saturating_sub(CONTEXT).max(line_start);
            let mut end = (high + CONTEXT).min(line_end).min(start + MAX_LINE);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            while !text.is_char_boundary(end) {
                end += 1;
            }
            if start > line_start {
                out.push_str(ELLIPSIS);
            }
            pieces.push((start, end, out.len()));
            out.push_str(&text[start..end]);
            if end < line_end {
                out.push_str(ELLIPSIS);
            }
            if line.len() > body.len() {
                pieces.push((line_end, line_end + 1, out.len()));
                out.push('\n');
            }
        }
        line_start += line.len();
    }
    Some(Cut {
        text: Arc::from(out),
        pieces,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_left_alone() {
        assert!(cut("let a = 1;\nin a\n", &[4]).is_none());
    }

    #[test]
    fn a_long_line_keeps_a_window_around_the_label() {
        let line = format!("{}BAD{}", "x".repeat(5000), "y".repeat(5000));
        let text = format!("first\n{line}\nlast\n");
        let bad = text.find("BAD").unwrap_or_default();
        let cut = cut(&text, &[bad, bad + 3]).expect("cut");
        let lines: Vec<&str> = cut.text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], "first");
        assert_eq!(lines[2], "last");
        assert!(lines[1].len() < 2 * MAX_LINE, "{}", lines[1].len());
        assert!(lines[1].starts_with(ELLIPSIS) && lines[1].ends_with(ELLIPSIS));
        let mapped = cut.map(bad);
        assert_eq!(&cut.text[mapped..mapped + 3], "BAD");
        // Offsets after the cut line move by what was cut.
        let last = text.find("last").unwrap_or_default();
        assert_eq!(&cut.text[cut.map(last)..cut.map(last) + 4], "last");
    }

    #[test]
    fn offsets_in_a_cut_part_move_to_the_window() {
        let text = format!("{}\n", "é".repeat(3000));
        let cut = cut(&text, &[10]).expect("cut");
        let far = cut.map(5000);
        assert!(cut.text.is_char_boundary(far));
        assert!(far <= cut.text.len());
    }
}
