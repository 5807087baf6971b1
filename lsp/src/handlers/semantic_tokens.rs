//! Semantic tokens (full document): the classified tokens of
//! [`mlc_ide::Analysis::highlight`], split per line and delta-encoded in UTF-16 columns.

use lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
    SemanticTokensParams, SemanticTokensResult,
};
use mlc_ide::{Token, TokenKind, DECLARATION, DEFAULT_LIBRARY};

use super::{done, Snapshot};
use crate::line_index::{LineCol, LineIndex};

/// The token types, in the order of [`type_index`].
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: vec![
            SemanticTokenType::NAMESPACE,
            SemanticTokenType::FUNCTION,
            SemanticTokenType::VARIABLE,
            SemanticTokenType::PARAMETER,
            SemanticTokenType::PROPERTY,
            SemanticTokenType::KEYWORD,
            SemanticTokenType::STRING,
            SemanticTokenType::NUMBER,
            SemanticTokenType::COMMENT,
            SemanticTokenType::OPERATOR,
        ],
        // Bit 0 and bit 1, as `DECLARATION` and `DEFAULT_LIBRARY`.
        token_modifiers: vec![
            SemanticTokenModifier::DECLARATION,
            SemanticTokenModifier::DEFAULT_LIBRARY,
        ],
    }
}

fn type_index(kind: TokenKind) -> u32 {
    match kind {
        TokenKind::Namespace => 0,
        TokenKind::Function => 1,
        TokenKind::Variable => 2,
        TokenKind::Parameter => 3,
        TokenKind::Property => 4,
        TokenKind::Keyword => 5,
        TokenKind::String => 6,
        TokenKind::Number => 7,
        TokenKind::Comment => 8,
        TokenKind::Operator => 9,
    }
}

pub fn full(
    snap: &Snapshot<'_>,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>, String> {
    let doc = snap.doc(&params.text_document.uri)?;
    let found = done(snap.analysis.highlight(&doc.path))?;
    let data = encode(&doc.doc.text, &doc.doc.index, &found);
    Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    })))
}

/// Delta-encodes `tokens` of `text`, one token per line of a multi-line token, columns in
/// UTF-16 code units.
fn encode(text: &str, index: &LineIndex, tokens: &[Token]) -> Vec<SemanticToken> {
    let mut data = Vec::with_capacity(tokens.len());
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    for token in tokens {
        let start = index.line_col(text, token.span.start as usize);
        let end = index.line_col(text, token.span.end as usize);
        let modifiers = (token.modifiers & DECLARATION) | (token.modifiers & DEFAULT_LIBRARY);
        // Tokens may not span lines: a multi-line string or comment is one token per line.
        for line in start.line..=end.line {
            let from = if line == start.line {
                start.col_utf16
            } else {
                0
            };
            let to = if line == end.line {
                end.col_utf16
            } else {
                let line_end = index.offset(
                    text,
                    LineCol {
                        line,
                        col_utf16: u32::MAX,
                    },
                );
                index.line_col(text, line_end).col_utf16
            };
            if to <= from {
                continue;
            }
            let delta_line = line - prev_line;
            let delta_start = if delta_line == 0 {
                from - prev_col
            } else {
                from
            };
            data.push(SemanticToken {
                delta_line,
                delta_start,
                length: to - from,
                token_type: type_index(token.kind),
                token_modifiers_bitset: modifiers,
            });
            prev_line = line;
            prev_col = from;
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use mlc_ide::Span;

    #[test]
    fn multi_line_tokens_split_and_columns_count_utf16() {
        let text = "/* 😀\nab */ x";
        let tokens = [
            Token {
                span: Span::new(0, 13),
                kind: TokenKind::Comment,
                modifiers: 0,
            },
            Token {
                span: Span::new(14, 15),
                kind: TokenKind::Variable,
                modifiers: DECLARATION,
            },
        ];
        let data = encode(text, &LineIndex::new(text), &tokens);
        let flat: Vec<[u32; 5]> = data
            .iter()
            .map(|t| {
                [
                    t.delta_line,
                    t.delta_start,
                    t.length,
                    t.token_type,
                    t.token_modifiers_bitset,
                ]
            })
            .collect();
        // "/* 😀" is 5 UTF-16 units; "ab */" 5; `x` one unit after a space.
        assert_eq!(flat, [[0, 0, 5, 8, 0], [1, 0, 5, 8, 0], [0, 6, 1, 2, 1]]);
    }
}
