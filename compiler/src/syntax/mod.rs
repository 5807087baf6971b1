//! The syntax layer: source text in, [`Parse`] (syntax tree, comments, syntax errors) out.
//!
//! Architecture invariant: this module knows nothing of salsa, evaluation, types or the
//! language server. The parser never fails: every input yields a tree, with `ExprKind::Error`
//! nodes where the text did not parse and one [`SyntaxError`] per problem.

pub mod ast;
mod doc_comment;
pub mod dump;
pub(crate) mod lexer;
mod parser;
pub mod quote;
mod reparse;
pub mod walk;

pub use ast::*;
pub use doc_comment::doc_comment;

use crate::diagnostic::{Code, Diagnostic, FileName};

/// The result of parsing one file.
#[derive(Clone, Debug, PartialEq)]
pub struct Parse {
    /// Shared, so that later stages (the evaluator) hold the tree without copying it.
    pub root: std::sync::Arc<Expr>,
    /// Every comment of the file, in source order.
    pub comments: Vec<Comment>,
    /// Every syntax error, in source order.
    pub errors: Vec<SyntaxError>,
}

/// One syntax error: where, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    /// One line that stands on its own, e.g. "expected `;` after the binding".
    pub message: String,
    /// What the primary label says at `span` ("add `;` here"); empty for none.
    pub label: String,
    /// Related places, as secondary labels: what the parser was in the middle of ("this
    /// attribute set"), where it gave up ("the file ends here").
    pub context: Vec<(Span, String)>,
    /// A machine-applicable edit: replace this span with this text (an insertion when the
    /// span is empty).
    pub fix: Option<(Span, String)>,
    pub code: Code,
}

impl SyntaxError {
    /// The error as a diagnostic about `file`.
    pub fn to_diagnostic(&self, file: FileName) -> Diagnostic {
        let mut diagnostic =
            Diagnostic::error(self.code, self.message.clone(), file.clone(), self.span)
                .with_label(self.label.clone());
        for (span, label) in &self.context {
            diagnostic = diagnostic.with_secondary(file.clone(), *span, label.clone());
        }
        if let Some((span, replacement)) = &self.fix {
            diagnostic = diagnostic.with_fix(crate::diagnostic::Fix {
                file,
                span: *span,
                replacement: replacement.clone(),
            });
        }
        diagnostic
    }
}

pub use parser::parse_type;
pub use reparse::{reparse, reparse_into, try_reparse};

/// Parses a whole file.
pub fn parse(text: &str) -> Parse {
    let mut parse = parser::parse(text);
    parse.errors.sort_by_key(|error| error.span.start);
    parse
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for (open, close) in [
            ("(", ")"),
            ("[", "]"),
            ("{ a = ", "; }"),
            ("-", ""),
            ("!", ""),
        ] {
            let text = format!("{}1{}", open.repeat(100_000), close.repeat(100_000));
            let parse = parse(&text);
            assert!(
                parse
                    .errors
                    .iter()
                    .any(|e| e.code == crate::diagnostic::codes::E0104),
                "{open}: {:?}",
                parse.errors.first()
            );
        }
        let lambdas = "x: ".repeat(100_000) + "x";
        assert!(!parse(&lambdas).errors.is_empty());
        let lets = "let a = 1; in ".repeat(100_000) + "a";
        assert!(!parse(&lets).errors.is_empty());
    }

    #[test]
    fn long_flat_input_parses() {
        let text = format!("[ {} ]", "1 ".repeat(200_000));
        assert!(parse(&text).errors.is_empty());
        let sum = vec!["1"; 400].join(" + ");
        assert!(parse(&sum).errors.is_empty());
        let long_sum = vec!["1"; 100_000].join(" + ");
        assert!(parse(&long_sum)
            .errors
            .iter()
            .any(|e| e.code == crate::diagnostic::codes::E0104));
        let long_application = format!("f {}", "x ".repeat(100_000));
        assert!(!parse(&long_application).errors.is_empty());
    }

    #[test]
    fn never_panics_on_prefixes_of_valid_code() {
        let text = "let f = { a, b ? 2, ... }@args: a + b; s = rec { x.y = \"a${toString 1}\"; inherit (s) z; }; in if f { a = 1; } > 2 then ''\n  x ${y}\n'' else ./a/${b}.mlc";
        for end in 0..=text.len() {
            if text.is_char_boundary(end) {
                let _ = parse(&text[..end]);
            }
        }
        assert!(parse(text).errors.is_empty(), "{:?}", parse(text).errors);
    }

    #[test]
    fn never_panics_on_prefixes_of_typed_code() {
        let text = "let type P = Int(1..65535); type R = {\n  # doc\n  a :: \"x\" | \"y\" = \"x\",\n  b :: [String(/^[a-z]+$/)]?, m :: { [String]: P }, ... }; f = (x :: R -> Int): x; g = { a :: Int ? 1 }: a; n :: P = (1 :: Int); in n";
        for end in 0..=text.len() {
            if text.is_char_boundary(end) {
                let _ = parse(&text[..end]);
            }
        }
        assert!(parse(text).errors.is_empty(), "{:?}", parse(text).errors);
    }
}
