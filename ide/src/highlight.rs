//! Semantic highlighting: every token of a file classified from the syntax tree and name
//! resolution (a parameter is a parameter wherever it is used, a builtin is a builtin), and
//! keywords and operators found between the tree's tokens.

use mlc::names::{NameResolution, Resolution};
use mlc::syntax::{AttrName, BindingKind, ExprKind, Parse, Span, StrPart};

use super::tree::for_each_expr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// `builtins`.
    Namespace,
    /// A builtin function.
    Function,
    Variable,
    Parameter,
    /// An attribute name.
    Property,
    Keyword,
    String,
    Number,
    Comment,
    Operator,
}

/// Modifier bits.
pub const DECLARATION: u32 = 1;
pub const DEFAULT_LIBRARY: u32 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    pub modifiers: u32,
}

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or",
];

/// Every token of the file, sorted, none overlapping.
pub fn tokens(parse: &Parse, names: &NameResolution, text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut push = |span: Span, kind: TokenKind, modifiers: u32| {
        if !span.is_empty() {
            out.push(Token {
                span,
                kind,
                modifiers,
            });
        }
    };
    for comment in &parse.comments {
        push(comment.span, TokenKind::Comment, 0);
    }
    for reference in &names.references {
        let (kind, modifiers) = match reference.resolution {
            Resolution::Local(def) if names.definition(def).kind.is_parameter() => {
                (TokenKind::Parameter, 0)
            }
            Resolution::Global => match &*reference.name {
                "builtins" => (TokenKind::Namespace, DEFAULT_LIBRARY),
                "true" | "false" | "null" => (TokenKind::Keyword, DEFAULT_LIBRARY),
                _ => (TokenKind::Function, DEFAULT_LIBRARY),
            },
            _ => (TokenKind::Variable, 0),
        };
        push(reference.span, kind, modifiers);
    }
    for def in &names.definitions {
        let kind = if def.kind.is_parameter() {
            TokenKind::Parameter
        } else {
            TokenKind::Variable
        };
        for &span in &def.spans {
            push(span, kind, DECLARATION);
        }
    }
    for_each_expr(&parse.root, &mut |expr| match &expr.kind {
        ExprKind::Int(_) | ExprKind::Float(_) => push(expr.span, TokenKind::Number, 0),
        ExprKind::Str { parts, .. } | ExprKind::Path(parts) => {
            for piece in literal_pieces(text, expr.span, parts) {
                push(piece, TokenKind::String, 0);
            }
        }
        ExprKind::SearchPath(_) => push(expr.span, TokenKind::String, 0),
        ExprKind::Binary { op_span, .. } => push(*op_span, TokenKind::Operator, 0),
        ExprKind::Unary { .. } => push(
            Span::new(expr.span.start as usize, expr.span.start as usize + 1),
            TokenKind::Operator,
            0,
        ),
        ExprKind::Select { path, .. } | ExprKind::HasAttr { path, .. } => {
            for name in path {
                attr_name(name, &mut push, 0);
            }
        }
        ExprKind::AttrSet { bindings, .. } | ExprKind::Let { bindings, .. } => {
            for binding in bindings {
                let names: &[AttrName] = match &binding.kind {
                    BindingKind::Attr { path, .. } => path,
                    BindingKind::Inherit { names, .. } => names,
                    BindingKind::TypeDecl { .. } => &[],
                };
                for name in names {
                    attr_name(name, &mut push, DECLARATION);
                }
            }
        }
        _ => {}
    });
    // Name resolution's tokens come first: a `let` name is a variable, not a property.
    out.sort_by_key(|t| (t.span.start, t.span.end));
    let mut tokens: Vec<Token> = Vec::with_capacity(out.len());
    for token in out {
        if tokens
            .last()
            .is_none_or(|last| token.span.start >= last.span.end)
        {
            tokens.push(token);
        }
    }
    let gaps = keywords_and_operators(text, &tokens);
    tokens.extend(gaps);
    tokens.sort_by_key(|t| t.span.start);
    tokens
}

fn attr_name(name: &AttrName, push: &mut impl FnMut(Span, TokenKind, u32), modifiers: u32) {
    if let mlc::syntax::AttrNameKind::Static(_) = name.kind {
        push(name.span, TokenKind::Property, modifiers);
    }
}

/// The literal parts of a string or path at `span`: its text without the `${ ... }`.
fn literal_pieces(text: &str, span: Span, parts: &[StrPart]) -> Vec<Span> {
    let mut pieces = Vec::new();
    let mut start = span.start as usize;
    for part in parts {
        if let StrPart::Interp(expr) = part {
            let before = text
                .get(start..expr.span.start as usize)
                .unwrap_or_default();
            let end = before
                .rfind("${")
                .map_or(expr.span.start as usize, |i| start + i);
            pieces.push(Span::new(start, end));
            let after = text
                .get(expr.span.end as usize..span.end as usize)
                .unwrap_or_default();
            start = after
                .find('}')
                .map_or(expr.span.end as usize, |i| expr.span.end as usize + i + 1);
        }
    }
    pieces.push(Span::new(start, span.end as usize));
    pieces.retain(|p| p.start < p.end);
    pieces
}

/// Keywords and operators in the text between the tree's tokens.
fn keywords_and_operators(text: &str, tokens: &[Token]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut at = 0usize;
    let bounds = tokens
        .iter()
        .map(|t| (t.span.start as usize, t.span.end as usize))
        .chain([(text.len(), text.len())]);
    for (start, end) in bounds {
        if let Some(gap) = text.get(at..start) {
            scan_gap(gap, at, &mut out);
        }
        at = at.max(end);
    }
    out
}

fn scan_gap(gap: &str, base: usize, out: &mut Vec<Token>) {
    let bytes = gap.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'\'' | b'-'))
            {
                i += 1;
            }
            if KEYWORDS.contains(&&gap[start..i]) {
                out.push(Token {
                    span: Span::new(base + start, base + i),
                    kind: TokenKind::Keyword,
                    modifiers: 0,
                });
            }
        } else if c == b'?' || (c == b'-' && bytes.get(i + 1) == Some(&b'>')) {
            let len = if c == b'?' { 1 } else { 2 };
            out.push(Token {
                span: Span::new(base + i, base + i + len),
                kind: TokenKind::Operator,
                modifiers: 0,
            });
            i += len;
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mlc::syntax::parse;

    fn render(source: &str) -> Vec<String> {
        let parse = parse(source);
        let names = mlc::names::resolve(&parse.root, &mlc::builtins::global_names());
        tokens(&parse, &names, source)
            .iter()
            .map(|t| {
                let mut s = format!("{:?} {}", t.kind, &source[t.span.range()]);
                if t.modifiers & DECLARATION != 0 {
                    s.push_str(" decl");
                }
                if t.modifiers & DEFAULT_LIBRARY != 0 {
                    s.push_str(" lib");
                }
                s
            })
            .collect()
    }

    #[test]
    fn classifies_every_kind_of_token() {
        let tokens = render("# c\nlet f = { a ? 1, ... }: a; s = rec { x = \"v${toString f}w\"; }; in if s ? x then builtins.map f [ 2.5 ] else null");
        assert_eq!(
            tokens,
            [
                "Comment # c",
                "Keyword let",
                "Variable f decl",
                "Parameter a decl",
                "Operator ?",
                "Number 1",
                "Parameter a",
                "Variable s decl",
                "Keyword rec",
                "Variable x decl",
                "String \"v",
                "Function toString lib",
                "Variable f",
                "String w\"",
                "Keyword in",
                "Keyword if",
                "Variable s",
                "Operator ?",
                "Property x",
                "Keyword then",
                "Namespace builtins lib",
                "Property map",
                "Variable f",
                "Number 2.5",
                "Keyword else",
                "Keyword null lib",
            ]
        );
    }
}
