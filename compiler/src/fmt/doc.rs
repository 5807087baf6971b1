//! A small Wadler/Prettier-style document language and its layout engine.
//!
//! The printer describes the output as a [`Doc`]: text, places where a line may break,
//! groups that are laid out flat when they fit in the width and broken otherwise, and
//! indentation. [`layout`] then picks, group by group from the outside in, the flat form
//! whenever the rest of the line fits in [`WIDTH`] columns.
//!
//! Each group records, when it is made, how much of a line it takes flat and broken (a
//! [`Measure`], up to its first line break), so deciding whether a group fits costs the
//! same for a group of any size, and the layout reads the children of a group only to
//! print them.

/// The target line width.
pub const WIDTH: usize = 80;

/// How many spaces one indentation level adds.
const INDENT: usize = 2;

use std::borrow::Cow;

/// A document: a description of the output with its possible line breaks.
#[derive(Clone, Debug)]
pub enum Doc<'a> {
    /// Text without a newline.
    Text(Cow<'a, str>),
    /// Source text printed exactly as written (strings, paths): it may contain newlines,
    /// which are kept without re-indenting the lines after them.
    Verbatim(&'a str),
    /// A space when flat, a newline when broken.
    Line,
    /// Nothing when flat, a newline when broken.
    SoftLine,
    /// Always a newline; the groups around it are broken.
    HardLine,
    /// Forces the groups around it to break, printing nothing (after a line comment).
    BreakParent,
    /// Text printed just before the next newline (a comment at the end of a line), so that
    /// the `;` or `,` printed after it still comes before it.
    LineSuffix(Cow<'a, str>),
    /// `flat` when the enclosing group is flat, `broken` when it is broken.
    IfBreak {
        broken: Box<Doc<'a>>,
        flat: Box<Doc<'a>>,
    },
    /// Its documents, one indentation level deeper.
    Indent(Vec<Doc<'a>>),
    /// Its documents, laid out flat if they fit, broken otherwise; `hard` records that they
    /// hold a hard break, so they can never be flat. Made by [`Doc::group`], which measures
    /// them.
    Group {
        docs: Vec<Doc<'a>>,
        hard: bool,
        /// How much of a line they take when flat.
        flat: Measure,
        /// How much of a line they take when broken (up to their first line break).
        broken: Measure,
    },
    Concat(Vec<Doc<'a>>),
}

impl<'a> Doc<'a> {
    pub fn text(text: impl Into<Cow<'a, str>>) -> Doc<'a> {
        Doc::Text(text.into())
    }

    pub fn nil() -> Doc<'a> {
        Doc::Concat(Vec::new())
    }

    pub fn indent(doc: Doc<'a>) -> Doc<'a> {
        Doc::Indent(doc.into_docs())
    }

    pub fn group(doc: Doc<'a>) -> Doc<'a> {
        let docs = doc.into_docs();
        let hard = docs.iter().any(Doc::has_hard_break);
        Doc::Group {
            flat: if hard {
                // Never laid out flat.
                Measure::EMPTY
            } else {
                measure(&docs, Mode::Flat)
            },
            broken: measure(&docs, Mode::Break),
            docs,
            hard,
        }
    }

    /// The documents of `docs` one after the other ([`concat_docs!`]). Empty ones are left
    /// out, a single one is returned as it is, and the elements of a concatenation among
    /// them join the new list: the document holds fewer, larger lists, quicker to build, lay
    /// out and free. (`leading comments + expression` with no comment allocates nothing.)
    pub fn concat<const N: usize>(docs: [Doc<'a>; N]) -> Doc<'a> {
        let non_empty = docs.iter().filter(|doc| !doc.is_empty()).count();
        if non_empty <= 1 {
            return docs
                .into_iter()
                .find(|doc| !doc.is_empty())
                .unwrap_or_else(Doc::nil);
        }
        let len = docs
            .iter()
            .map(|doc| match doc {
                Doc::Concat(docs) => docs.len(),
                _ => 1,
            })
            .sum();
        let mut all = Vec::with_capacity(len);
        for doc in docs {
            match doc {
                Doc::Concat(docs) => all.extend(docs),
                doc => all.push(doc),
            }
        }
        Doc::Concat(all)
    }

    /// Adds this document at the end of the list `docs`: the elements of a concatenation
    /// one by one (none for an empty one, as comments that are not there), anything else
    /// as one element.
    pub fn append_to(self, docs: &mut Vec<Doc<'a>>) {
        match self {
            Doc::Concat(inner) => docs.extend(inner),
            doc => docs.push(doc),
        }
    }

    /// Whether this prints nothing and measures nothing: an empty concatenation.
    fn is_empty(&self) -> bool {
        matches!(self, Doc::Concat(docs) if docs.is_empty())
    }

    /// The children of a group or an indentation: a concatenation gives its list (no new
    /// allocation), anything else is a list of one.
    fn into_docs(self) -> Vec<Doc<'a>> {
        match self {
            Doc::Concat(docs) => docs,
            doc => vec![doc],
        }
    }

    pub fn if_break(broken: Doc<'a>, flat: Doc<'a>) -> Doc<'a> {
        Doc::IfBreak {
            broken: Box::new(broken),
            flat: Box::new(flat),
        }
    }

    /// Whether laying this out necessarily breaks a line, which breaks every group around it.
    /// Groups cache the answer, so building a document bottom-up stays linear.
    fn has_hard_break(&self) -> bool {
        match self {
            Doc::HardLine | Doc::BreakParent => true,
            Doc::Text(_) | Doc::Verbatim(_) | Doc::Line | Doc::SoftLine | Doc::LineSuffix(_) => {
                false
            }
            Doc::IfBreak { broken, flat } => broken.has_hard_break() || flat.has_hard_break(),
            Doc::Group { hard, .. } => *hard,
            Doc::Indent(docs) | Doc::Concat(docs) => docs.iter().any(Doc::has_hard_break),
        }
    }
}

/// Builds a [`Doc::Concat`] from a list of documents.
#[macro_export]
#[doc(hidden)]
macro_rules! concat_docs {
    ($($doc:expr),* $(,)?) => {
        $crate::fmt::doc::Doc::concat([$($doc),*])
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

/// How much of a line a document takes from where it starts to its first line break, laid
/// out in one mode: its width in columns, and whether a line break ends it there (what
/// comes after the document then does not matter). Widths are capped just past [`WIDTH`]:
/// anything wider never fits. One byte: the width, and the top bit for "ends".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measure(u8);

const ENDS: u8 = 0x80;
const TOO_WIDE: usize = WIDTH + 1;
const _: () = assert!(
    TOO_WIDE < ENDS as usize,
    "a width fits in the low seven bits"
);

impl Measure {
    const EMPTY: Measure = Measure(0);

    fn width_of(width: usize) -> Measure {
        // The cap keeps the value below `ENDS`.
        Measure(width.min(TOO_WIDE) as u8)
    }

    fn ending_at(width: usize) -> Measure {
        Measure(Measure::width_of(width).0 | ENDS)
    }

    fn width(self) -> usize {
        usize::from(self.0 & !ENDS)
    }

    fn ends(self) -> bool {
        self.0 & ENDS != 0
    }

    /// This, then `next` on the same line.
    fn then(self, next: Measure) -> Measure {
        if self.ends() {
            return self;
        }
        let width = Measure::width_of(self.width() + next.width());
        Measure(width.0 | (next.0 & ENDS))
    }

    /// Whether it needs more than `width` columns: too wide itself, or, when no line break
    /// ends it, with what follows it (the next `rest` entries, up to their first line
    /// break). `rest` is the layout stack, all in break mode: flat entries are only ever
    /// above break ones, and all are popped before a group in break mode is measured.
    fn exceeds(self, width: usize, rest: &[(usize, Mode, Doc<'_>)]) -> bool {
        let mut total = self;
        for (_, mode, doc) in rest.iter().rev() {
            if total.ends() || total.width() > width {
                break;
            }
            debug_assert_eq!(*mode, Mode::Break);
            total = total.then(doc.measure(Mode::Break));
        }
        total.width() > width
    }
}

/// The measure of `docs` one after the other in `mode`.
fn measure(docs: &[Doc<'_>], mode: Mode) -> Measure {
    let mut total = Measure::EMPTY;
    for doc in docs {
        total = total.then(doc.measure(mode));
        if total.ends() || total.width() > WIDTH {
            break;
        }
    }
    total
}

impl Doc<'_> {
    /// How much of a line this takes laid out in `mode` (the mode of the group around it).
    fn measure(&self, mode: Mode) -> Measure {
        match self {
            Doc::Text(text) => Measure::width_of(text.len()),
            // Only the first line counts: the rest starts afresh at column 0.
            Doc::Verbatim(text) => match text.find('\n') {
                Some(newline) => Measure::ending_at(newline),
                None => Measure::width_of(text.len()),
            },
            Doc::Line if mode == Mode::Flat => Measure::width_of(1),
            Doc::SoftLine if mode == Mode::Flat => Measure::EMPTY,
            Doc::Line | Doc::SoftLine | Doc::HardLine => Measure::ending_at(0),
            Doc::BreakParent | Doc::LineSuffix(_) => Measure::EMPTY,
            Doc::IfBreak { broken, flat } => match mode {
                Mode::Break => broken.measure(mode),
                Mode::Flat => flat.measure(mode),
            },
            Doc::Indent(docs) | Doc::Concat(docs) => measure(docs, mode),
            // A group with a hard break is broken wherever it is.
            Doc::Group {
                hard, flat, broken, ..
            } => {
                if *hard || mode == Mode::Break {
                    *broken
                } else {
                    *flat
                }
            }
        }
    }
}

/// Lays `doc` out in [`WIDTH`] columns. Lines never end in spaces.
///
/// The document is consumed as it is printed: each list is freed right after its
/// documents were read, while they are still in the cache, rather than in a separate pass
/// over the whole document afterwards.
pub fn layout(doc: Doc<'_>) -> String {
    let mut out = String::new();
    let mut column = 0usize;
    let mut suffixes: Vec<Cow<'_, str>> = Vec::new();
    let mut stack: Vec<(usize, Mode, Doc<'_>)> = vec![(0, Mode::Break, doc)];
    while let Some((indent, mode, doc)) = stack.pop() {
        match doc {
            Doc::Text(text) => {
                out.push_str(&text);
                column += text.len();
            }
            Doc::Verbatim(text) => {
                out.push_str(text);
                column = match text.rfind('\n') {
                    Some(newline) => text.len() - newline - 1,
                    None => column + text.len(),
                };
            }
            Doc::Line if mode == Mode::Flat => {
                out.push(' ');
                column += 1;
            }
            Doc::SoftLine if mode == Mode::Flat => {}
            Doc::Line | Doc::SoftLine | Doc::HardLine => {
                for suffix in suffixes.drain(..) {
                    out.push_str(&suffix);
                }
                newline(&mut out, indent);
                column = indent;
            }
            Doc::BreakParent => {}
            Doc::LineSuffix(text) => suffixes.push(text),
            Doc::IfBreak { broken, flat } => {
                let chosen = if mode == Mode::Break { broken } else { flat };
                stack.push((indent, mode, *chosen));
            }
            Doc::Indent(docs) => {
                let indent = indent + INDENT;
                stack.extend(docs.into_iter().rev().map(|inner| (indent, mode, inner)));
            }
            Doc::Group {
                docs,
                hard,
                flat: measure,
                ..
            } => {
                let flat = mode == Mode::Flat
                    || (!hard && !measure.exceeds(WIDTH.saturating_sub(column), &stack));
                let mode = if flat { Mode::Flat } else { Mode::Break };
                stack.extend(docs.into_iter().rev().map(|inner| (indent, mode, inner)));
            }
            Doc::Concat(docs) => {
                stack.extend(docs.into_iter().rev().map(|inner| (indent, mode, inner)));
            }
        }
    }
    for suffix in suffixes {
        out.push_str(&suffix);
    }
    let trimmed = out.trim_end_matches([' ', '\t']).len();
    out.truncate(trimmed);
    out
}

/// Ends the line (dropping spaces before the newline) and indents the next one.
fn newline(out: &mut String, indent: usize) {
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', indent));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list<'a>(items: &[&'a str]) -> Doc<'a> {
        let mut inner = Vec::new();
        for item in items {
            inner.push(Doc::Line);
            inner.push(Doc::text(*item));
        }
        Doc::group(concat_docs![
            Doc::text("["),
            Doc::indent(Doc::Concat(inner)),
            Doc::Line,
            Doc::text("]"),
        ])
    }

    #[test]
    fn a_document_node_stays_small() {
        // Formatting a large file lays out hundreds of thousands of nodes: the measures
        // must not make each one bigger.
        assert!(std::mem::size_of::<Doc<'_>>() <= 32);
    }

    #[test]
    fn groups_know_their_width_flat_and_up_to_their_first_break() {
        let Doc::Group { flat, broken, .. } = list(&["aa", "b"]) else {
            panic!("a list is a group");
        };
        // `[ aa b ]` flat; `[` and then a line break.
        assert_eq!((flat.width(), flat.ends()), (8, false));
        assert_eq!((broken.width(), broken.ends()), (1, true));

        let verbatim = Doc::group(concat_docs![Doc::text("x = "), Doc::Verbatim("''\n''")]);
        let Doc::Group { flat, .. } = verbatim else {
            panic!("a group");
        };
        assert_eq!((flat.width(), flat.ends()), (6, true));

        let long = "x".repeat(500);
        let Doc::Group { flat, .. } = list(&[&long]) else {
            panic!("a list is a group");
        };
        assert!(flat.width() > WIDTH);
    }

    #[test]
    fn a_group_after_a_group_counts_until_its_first_possible_break() {
        // The first list fits alone, but not with the second one's `[ bbb…` on its line...
        let first = "a".repeat(40);
        let second = "b".repeat(40);
        let doc = concat_docs![list(&[&first]), Doc::text(" "), list(&[&second])];
        assert_eq!(layout(doc), format!("[ {first} ] [\n  {second}\n]"));
        // ...while a short second one fits on the line.
        let doc = concat_docs![list(&[&first]), Doc::text(" "), list(&["b"])];
        assert_eq!(layout(doc), format!("[ {first} ] [ b ]"));
    }

    #[test]
    fn a_group_that_fits_stays_flat() {
        assert_eq!(layout(list(&["a", "b"])), "[ a b ]");
    }

    #[test]
    fn a_group_that_does_not_fit_breaks_every_line() {
        let long = "x".repeat(50);
        assert_eq!(
            layout(list(&[&long, &long])),
            format!("[\n  {long}\n  {long}\n]")
        );
    }

    #[test]
    fn the_text_after_a_group_counts_towards_its_width() {
        let item = "x".repeat(72);
        let doc = concat_docs![list(&[&item]), Doc::text(";")];
        // `[ x… ]` is 76 columns, and the `;` after it still fits; four more do not.
        assert_eq!(layout(doc), format!("[ {item} ];"));
        let doc = concat_docs![list(&[&item]), Doc::text(";;;;;")];
        assert!(layout(doc).starts_with("[\n"));
    }

    #[test]
    fn a_hard_line_breaks_the_groups_around_it() {
        let doc = Doc::group(concat_docs![
            Doc::text("{"),
            Doc::indent(concat_docs![Doc::Line, Doc::text("# c")]),
            Doc::HardLine,
            Doc::text("}"),
        ]);
        assert_eq!(layout(doc), "{\n  # c\n}");
    }

    #[test]
    fn line_suffixes_come_before_the_next_newline() {
        let doc = Doc::group(concat_docs![
            Doc::text("a"),
            Doc::LineSuffix(" # c".into()),
            Doc::BreakParent,
            Doc::text(","),
            Doc::Line,
            Doc::text("b"),
        ]);
        assert_eq!(layout(doc), "a, # c\nb");
    }

    #[test]
    fn empty_lines_have_no_indentation_and_lines_no_trailing_spaces() {
        let doc = Doc::indent(concat_docs![
            Doc::text("a "),
            Doc::HardLine,
            Doc::HardLine,
            Doc::text("b"),
        ]);
        assert_eq!(layout(doc), "a\n\n  b");
    }

    #[test]
    fn verbatim_text_keeps_its_lines() {
        let doc = Doc::indent(concat_docs![
            Doc::HardLine,
            Doc::Verbatim("''\nx\n  ''"),
            Doc::text(";"),
        ]);
        assert_eq!(layout(doc), "\n  ''\nx\n  '';");
    }
}
