//! Selection ranges: from the word at the cursor out through each enclosing expression (and
//! the binding it is part of) to the whole document, each range strictly larger than the one
//! before.

use mlc::syntax::{Expr, ExprKind, Span};

use super::tree::ancestors_at;

/// The ranges around `offset` of the tree `root` of `text`, innermost first.
pub fn selection_ranges(root: &Expr, text: &str, offset: u32) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let push = |span: Span, spans: &mut Vec<Span>| {
        let grows = spans
            .last()
            .is_none_or(|last| span.start <= last.start && last.end <= span.end && span != *last);
        if grows {
            spans.push(span);
        }
    };
    let word = word_at(text, offset);
    if let Some(word) = word {
        push(word, &mut spans);
    }
    let chain = ancestors_at(root, offset);
    for (depth, expr) in chain.iter().enumerate().rev() {
        push(expr.span, &mut spans);
        // The binding an expression is the value of, between it and its set.
        if let Some(parent) = depth.checked_sub(1).and_then(|d| chain.get(d)) {
            if let ExprKind::AttrSet { bindings, .. } | ExprKind::Let { bindings, .. } =
                &parent.kind
            {
                if let Some(binding) = bindings.iter().find(|b| b.span.contains(offset)) {
                    push(binding.span, &mut spans);
                }
            }
        }
    }
    push(Span::new(0, text.len()), &mut spans);
    spans
}

/// The identifier around `offset`, if the cursor touches one.
fn word_at(text: &str, offset: u32) -> Option<Span> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'\'' | b'-');
    let offset = (offset as usize).min(bytes.len());
    let mut start = offset;
    while start > 0 && is_word(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = offset;
    while end < bytes.len() && is_word(bytes[end]) {
        end += 1;
    }
    (start < end).then(|| Span::new(start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_from_the_name_to_the_document() {
        let text = "let a = { b = f port; }; in a";
        let parse = mlc::syntax::parse(text);
        let offset = text.find("port").unwrap_or(0) as u32 + 1;
        let got: Vec<&str> = selection_ranges(&parse.root, text, offset)
            .into_iter()
            .map(|span| &text[span.range()])
            .collect();
        assert_eq!(
            got,
            [
                "port",
                "f port",
                "b = f port;",
                "{ b = f port; }",
                "a = { b = f port; };",
                text
            ]
        );
    }
}
