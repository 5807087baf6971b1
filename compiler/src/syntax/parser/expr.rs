//! Expressions: keyword forms, operators with Nix's precedence, application, selection
//! and atoms.

use super::Parser;
use crate::diagnostic::codes;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Span, UnaryOp};
use crate::syntax::lexer::{Keyword, Op, Tok};
use std::sync::Arc;

/// Binding power of `!` (looser than `+`, tighter than `//`).
const NOT_POWER: u8 = 7;
/// Binding power of `?`.
const HAS_ATTR_POWER: u8 = 11;
/// Binding power of unary minus (tighter than `?` and `++`).
const NEG_POWER: u8 = 12;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Assoc {
    Left,
    Right,
    None,
}

/// Nix's binary operators: binding power (higher binds tighter) and associativity.
fn binary_op(tok: Tok) -> Option<(BinaryOp, u8, Assoc)> {
    let Tok::Op(op) = tok else { return None };
    Some(match op {
        Op::Implies => (BinaryOp::Implies, 1, Assoc::Right),
        Op::OrOr => (BinaryOp::Or, 2, Assoc::Left),
        Op::AndAnd => (BinaryOp::And, 3, Assoc::Left),
        Op::EqEq => (BinaryOp::Eq, 4, Assoc::None),
        Op::NotEq => (BinaryOp::NotEq, 4, Assoc::None),
        Op::Less => (BinaryOp::Less, 5, Assoc::None),
        Op::LessEq => (BinaryOp::LessEq, 5, Assoc::None),
        Op::Greater => (BinaryOp::Greater, 5, Assoc::None),
        Op::GreaterEq => (BinaryOp::GreaterEq, 5, Assoc::None),
        Op::Update => (BinaryOp::Update, 6, Assoc::Right),
        Op::Plus => (BinaryOp::Add, 8, Assoc::Left),
        Op::Minus => (BinaryOp::Sub, 8, Assoc::Left),
        Op::Star => (BinaryOp::Mul, 9, Assoc::Left),
        Op::Slash => (BinaryOp::Div, 9, Assoc::Left),
        Op::Concat => (BinaryOp::Concat, 10, Assoc::Right),
        _ => return None,
    })
}

/// Tokens that can start an argument of a function application.
fn starts_atom(tok: Tok) -> bool {
    matches!(
        tok,
        Tok::Int
            | Tok::Float
            | Tok::Ident
            | Tok::Path
            | Tok::SearchPath
            | Tok::StrOpen
            | Tok::IndStrOpen
            | Tok::Kw(Keyword::Rec)
            | Tok::Op(Op::LParen | Op::LBracket | Op::LBrace)
    )
}

impl Parser<'_> {
    /// Any expression, including the keyword forms and lambdas.
    pub(super) fn expr(&mut self) -> Expr {
        if !self.enter() {
            let at = self.pos;
            self.pos = self.src.len();
            self.leave();
            return self.error_node(at);
        }
        // Deeply nested input recurses deeply; grow the stack on demand (as rustc does)
        // so the parser is safe on any thread, whatever its stack size.
        let expr = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_inner());
        self.leave();
        expr
    }

    fn expr_inner(&mut self) -> Expr {
        let (tok, start, _) = self.peek_full();
        match tok {
            Tok::Kw(Keyword::Let) if self.peek_second() != Tok::Op(Op::LBrace) => self.let_expr(),
            Tok::Kw(Keyword::With) => {
                self.bump();
                let scope = self.expr();
                self.expect(Op::Semi, "after the `with` scope");
                let body = self.expr();
                let span = Span::new(start, body.span.end as usize);
                Expr::new(
                    ExprKind::With {
                        scope: Box::new(scope),
                        body: Box::new(body),
                    },
                    span,
                )
            }
            Tok::Kw(Keyword::Assert) => {
                self.bump();
                let cond = self.expr();
                self.expect(Op::Semi, "after the assertion");
                let body = self.expr();
                let span = Span::new(start, body.span.end as usize);
                Expr::new(
                    ExprKind::Assert {
                        cond: Box::new(cond),
                        body: Box::new(body),
                    },
                    span,
                )
            }
            Tok::Kw(Keyword::If) => self.if_expr(),
            Tok::Ident if matches!(self.peek_second(), Tok::Op(Op::Colon | Op::At)) => {
                self.lambda()
            }
            Tok::Op(Op::LBrace) if self.looks_like_pattern() => self.lambda(),
            Tok::Op(Op::LParen)
                if self.peek_second() == Tok::Ident && self.looks_like_typed_param() =>
            {
                self.lambda()
            }
            _ => self.binary(0),
        }
    }

    fn if_expr(&mut self) -> Expr {
        let if_span = self.bump();
        let cond = self.expr();
        if self.eat_kw(Keyword::Then).is_none() {
            if let Some(error) = self.missing("then", "expected `then` after the condition") {
                error
                    .context
                    .push((if_span, "this `if` expression".to_string()));
            }
        }
        let then_ = self.expr();
        if self.eat_kw(Keyword::Else).is_none() {
            if let Some(error) =
                self.missing("else", "expected `else`: every `if` needs both branches")
            {
                error.label = "add `else` and its value here".to_string();
                error.fix = None;
                error
                    .context
                    .push((if_span, "this `if` expression".to_string()));
            }
        }
        let else_ = self.expr();
        let span = if_span.cover(else_.span).cover(then_.span);
        Expr::new(
            ExprKind::If {
                cond: Box::new(cond),
                then_: Box::new(then_),
                else_: Box::new(else_),
            },
            span,
        )
    }

    /// Operators by precedence climbing; `min` is the lowest binding power accepted.
    fn binary(&mut self, min: u8) -> Expr {
        let mut lhs = self.unary(min);
        // Each operator applied in the loop nests the tree one level deeper (`1 + 2 + 3` is
        // `(1 + 2) + 3`); that depth counts against the limit like brackets do, so that no
        // later stage recurses deeper than the parser allowed.
        let depth_before = self.depth;
        let lhs_out = loop {
            let (tok, op_start, op_end) = self.peek_full();
            if tok == Tok::Op(Op::Question) {
                if HAS_ATTR_POWER < min {
                    break lhs;
                }
                self.bump();
                // `a ? b ? c` nests like `1 + 2 + 3`: one level per `?`.
                if !self.enter() {
                    self.pos = self.src.len();
                    break lhs;
                }
                let path = self.attr_path("after `?`");
                let end = path.last().map_or(op_end, |name| name.span.end as usize);
                let span = Span::new(lhs.span.start as usize, end);
                lhs = Expr::new(
                    ExprKind::HasAttr {
                        expr: Box::new(lhs),
                        path,
                    },
                    span,
                );
                continue;
            }
            let Some((op, power, assoc)) = binary_op(tok) else {
                break lhs;
            };
            if power < min {
                break lhs;
            }
            let op_span = self.bump();
            if !self.enter() {
                self.pos = self.src.len();
                break lhs;
            }
            let next_min = if assoc == Assoc::Right {
                power
            } else {
                power + 1
            };
            let rhs = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.binary(next_min));
            if assoc == Assoc::None {
                if let Some((_, next_power, _)) = binary_op(self.peek()) {
                    if next_power == power {
                        let (_, s, e) = self.peek_full();
                        self.error_at(
                            Span::new(s, e),
                            format!(
                                "comparison operators cannot be chained: put parentheses around `{}`",
                                self.text(Span::new(lhs.span.start as usize, rhs.span.end as usize))
                            ),
                            codes::E0101,
                        );
                    }
                }
            }
            let span = lhs.span.cover(rhs.span);
            let _ = (op_start, op_end);
            lhs = Expr::new(
                ExprKind::Binary {
                    op,
                    op_span,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span,
            );
        };
        self.depth = depth_before;
        lhs_out
    }

    /// Prefix operators `!` and unary `-`, then application.
    fn unary(&mut self, min: u8) -> Expr {
        let (tok, start, _) = self.peek_full();
        let (op, power) = match tok {
            Tok::Op(Op::Not) => (UnaryOp::Not, NOT_POWER),
            Tok::Op(Op::Minus) => (UnaryOp::Neg, NEG_POWER),
            _ => return self.application(),
        };
        self.bump();
        if !self.enter() {
            self.pos = self.src.len();
            self.leave();
            return self.error_node(start);
        }
        let operand = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.binary(power.max(min)));
        self.leave();
        let span = Span::new(start, operand.span.end as usize);
        Expr::new(
            ExprKind::Unary {
                op,
                expr: Box::new(operand),
            },
            span,
        )
    }

    fn application(&mut self) -> Expr {
        let depth_before = self.depth;
        let mut func = self.select();
        loop {
            let tok = self.peek();
            // `or` after an application is an argument named `or`, as in Nix.
            if !(starts_atom(tok) || tok == Tok::Kw(Keyword::Or)) {
                break;
            }
            // `name = "mlflow"` and then `storage.enabled = true;`: the value lacks its
            // `;`, and the next binding is not an argument.
            if tok == Tok::Ident && self.at_binding_start() {
                break;
            }
            if !self.enter() {
                self.pos = self.src.len();
                break;
            }
            let arg = if tok == Tok::Kw(Keyword::Or) {
                let span = self.bump();
                Expr::new(ExprKind::Var(Arc::from("or")), span)
            } else {
                self.select()
            };
            let span = func.span.cover(arg.span);
            func = Expr::new(
                ExprKind::Apply {
                    func: Box::new(func),
                    arg: Box::new(arg),
                },
                span,
            );
        }
        self.depth = depth_before;
        func
    }

    /// An atom followed by `.attr.path` and an optional `or default`.
    fn select(&mut self) -> Expr {
        let atom = self.atom();
        if !self.at(Op::Dot) {
            return atom;
        }
        let mut path = Vec::new();
        while self.eat(Op::Dot).is_some() {
            match self.attr_name() {
                Some(name) => path.push(name),
                None => {
                    self.unexpected("an attribute name after `.`");
                    // An empty name keeps the incomplete selection in the tree, where the
                    // language server completes it.
                    let at = self.last_end;
                    path.push(crate::syntax::ast::AttrName {
                        kind: crate::syntax::ast::AttrNameKind::Static(Arc::from("")),
                        span: Span::new(at, at),
                    });
                    break;
                }
            }
        }
        let mut span = atom.span;
        if let Some(last) = path.last() {
            span = span.cover(last.span);
        }
        let default = if self.eat_kw(Keyword::Or).is_some() {
            let default = self.select();
            span = span.cover(default.span);
            Some(Box::new(default))
        } else {
            None
        };
        Expr::new(
            ExprKind::Select {
                expr: Box::new(atom),
                path,
                default,
            },
            span,
        )
    }

    /// Literals, variables, parenthesised expressions, lists and attribute sets.
    pub(super) fn atom(&mut self) -> Expr {
        if !self.enter() {
            let at = self.pos;
            self.pos = self.src.len();
            self.leave();
            return self.error_node(at);
        }
        let atom = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.atom_inner());
        self.leave();
        atom
    }

    fn atom_inner(&mut self) -> Expr {
        let (tok, start, end) = self.peek_full();
        let span = Span::new(start, end);
        match tok {
            Tok::Int => {
                self.bump();
                match self.text(span).parse::<i64>() {
                    Ok(value) => Expr::new(ExprKind::Int(value), span),
                    Err(_) => {
                        self.error_at(
                            span,
                            "integer literal is too large for a 64-bit integer",
                            codes::E0103,
                        );
                        Expr::new(ExprKind::Error, span)
                    }
                }
            }
            Tok::Float => {
                self.bump();
                let value = self.text(span).parse::<f64>().unwrap_or(f64::NAN);
                Expr::new(ExprKind::Float(value), span)
            }
            Tok::Ident => {
                self.bump();
                Expr::new(ExprKind::Var(Arc::from(self.text(span))), span)
            }
            Tok::SearchPath => {
                self.bump();
                let text = self.text(span);
                let inner = text[1..text.len() - 1].to_string();
                Expr::new(ExprKind::SearchPath(inner), span)
            }
            Tok::Path => self.path(),
            Tok::StrOpen => self.string(),
            Tok::IndStrOpen => self.indented_string(),
            Tok::Op(Op::LParen) => {
                self.bump();
                let inner = self.expr();
                let ty = self.eat(Op::ColonColon).map(|_| self.type_expr());
                if self.eat(Op::RParen).is_none() {
                    if self.peek() == Tok::Eof {
                        self.never_closed(span, "(", codes::E0101);
                    } else if let Some(error) =
                        self.missing(")", "expected `)` to close the parenthesis")
                    {
                        error.context.push((span, "opened here".to_string()));
                    }
                }
                let span = Span::new(start, self.last_end);
                match ty {
                    Some(ty) => Expr::new(
                        ExprKind::Annotated {
                            expr: Box::new(inner),
                            ty: Box::new(ty),
                        },
                        span,
                    ),
                    None => Expr::new(ExprKind::Paren(Box::new(inner)), span),
                }
            }
            Tok::Op(Op::LBracket) => self.list(),
            Tok::Op(Op::LBrace) => self.attr_set(false, start),
            Tok::Kw(Keyword::Rec) => {
                self.bump();
                if self.at(Op::LBrace) {
                    self.attr_set(true, start)
                } else {
                    self.unexpected("`{` after `rec`");
                    self.error_node(start)
                }
            }
            Tok::Kw(Keyword::Let) => {
                // `let { ... }` is an obsolete Nix form mlc does not support.
                self.bump();
                self.error_at(
                    span,
                    "`let { ... }` is not supported: write `let ... in ...`",
                    codes::E0101,
                );
                self.recover_binding();
                self.error_node(start)
            }
            Tok::Unknown => {
                self.bump();
                self.error_at(
                    span,
                    format!("unexpected character `{}`", self.text(span)),
                    codes::E0101,
                );
                Expr::new(ExprKind::Error, span)
            }
            _ => {
                // Leave the token for the caller: it is likely a `;`, `}` or `in` that closes
                // the construct we are in.
                self.unexpected("an expression");
                self.error_node(self.last_end.max(start.min(self.last_end)))
            }
        }
    }

    fn list(&mut self) -> Expr {
        let open = self.bump();
        // Items of nested lists go on the same stack above these (see `bindings`).
        let base = self.item_stack.len();
        let mut guard = self.loop_guard();
        while guard.pass(self) {
            let tok = self.peek();
            if tok == Tok::Op(Op::RBracket) {
                self.bump();
                break;
            }
            if tok == Tok::Eof {
                self.never_closed(open, "[", codes::E0101);
                break;
            }
            let next_binding = tok == Tok::Ident && self.at_binding_start();
            if !starts_atom(tok) || next_binding {
                if let Some(error) = self.missing("]", "expected `]` to close the list") {
                    error.context.push((open, "this list".to_string()));
                }
                if !next_binding
                    && !matches!(
                        tok,
                        Tok::Eof | Tok::Op(Op::RBrace | Op::RParen | Op::Semi) | Tok::Kw(_)
                    )
                {
                    self.bump();
                    continue;
                }
                break;
            }
            let item = self.select();
            self.item_stack.push(item);
        }
        let items = self.item_stack.drain(base..).collect();
        Expr::new(
            ExprKind::List(items),
            Span::new(open.start as usize, self.last_end),
        )
    }
}
