//! The errors of `mlc import` as diagnostics of the one model (`crate::diagnostic`): the
//! values file is the source shown, each error at its line and column, so the terminal
//! (ariadne), `--message-format json` and SARIF show them as they show a build's.

use super::yaml::Pos;
use super::Error;
use crate::diagnostic::{Diagnostic, FileName, Fix, SourceProvider};
use crate::syntax::Span;
use std::sync::Arc;

/// The values file (its name and text): the one source an import's diagnostics show.
pub struct ValuesFile(pub FileName, pub Arc<str>);

impl SourceProvider for ValuesFile {
    fn source(&self, file: &str) -> Option<Arc<str>> {
        (*self.0 == *file).then(|| self.1.clone())
    }
}

/// `error` in `text`, the values file shown as `file`.
pub fn diagnostic(error: &Error, file: FileName, text: &str) -> Diagnostic {
    let span = span_at(text, error.pos, error.width);
    let mut diagnostic = Diagnostic::error(error.code, error.message.clone(), file.clone(), span)
        .with_label(error.label.clone());
    if let Some((pos, message)) = &error.related {
        diagnostic = diagnostic.with_secondary(file.clone(), span_at(text, *pos, 0), message);
    }
    if let Some(help) = &error.help {
        diagnostic = diagnostic.with_help(help.clone());
    }
    // Only a key written plainly is replaced: an escaped or multi-line one is left to the user.
    let plain = text.get(span.range()).is_some_and(|key| {
        !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    });
    if let Some(replacement) = error.replacement.as_ref().filter(|_| plain) {
        diagnostic = diagnostic.with_fix(Fix {
            file,
            span,
            replacement: replacement.clone(),
        });
    }
    diagnostic
}

/// The byte offset of `pos` (line and column in characters, both from 1) in `text`, at
/// most its end.
fn offset(text: &str, pos: Pos) -> usize {
    let line_start = if pos.line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(pos.line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let line = &text[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    line_start
        + line
            .char_indices()
            .nth(pos.column.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i)
}

/// The span of `width` characters at `pos`; with `width` 0, of the YAML token there (up to
/// white space or punctuation; a quoted key without its quotes).
fn span_at(text: &str, pos: Pos, width: usize) -> Span {
    let mut start = offset(text, pos);
    let rest = &text[start..];
    if width > 0 {
        // A quoted key: the span is its text, inside the quotes.
        let quoted = rest.starts_with(['"', '\'']);
        if quoted {
            start += 1;
        }
        let rest = &text[start..];
        let end = rest
            .char_indices()
            .nth(width)
            .map_or(rest.len(), |(i, _)| i);
        return Span::new(start, start + end);
    }
    let end = rest
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || matches!(c, ',' | ':' | ']' | '}' | '#'))
        .map_or(rest.len(), |(i, _)| i);
    // At least one character, where there is one.
    let end = if end == 0 {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        end
    };
    Span::new(start, start + end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_become_byte_spans() {
        let text = "a: 1\nbé: x\n  \"quoted\": 2\n";
        let at = |line, column, width| {
            let span = span_at(text, Pos { line, column }, width);
            &text[span.range()]
        };
        assert_eq!(at(1, 1, 0), "a");
        assert_eq!(at(2, 1, 2), "bé");
        assert_eq!(at(2, 5, 0), "x");
        assert_eq!(at(3, 3, 6), "quoted");
        // Past the end of a line or of the text: an empty span at the end, never a panic.
        assert_eq!(at(9, 9, 0), "");
        assert_eq!(at(1, 40, 0), "\n");
    }
}
