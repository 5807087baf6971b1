//! Incremental reparsing, as rust-analyzer's `SourceFile::reparse` does: when an edit lies
//! inside one binding of a `let` or an attribute set, only that binding is parsed again
//! and spliced into a copy of the old tree, every later span (and comment) shifted by the
//! edit's length; otherwise the whole text is parsed.
//!
//! The result is always exactly [`crate::syntax::parse`] of the new text (a differential
//! test and the `reparse` fuzz target pin it); the old parse is only a hint. So the splice
//! is taken only where the parser of the whole text could not have decided otherwise:
//! - the old parse has no error (errors elsewhere may depend on the binding: an unclosed
//!   `{` names the misindented set inside it);
//! - the binding parses again, with no error, from the same first token to a `;` exactly
//!   where the old one ended, shifted (so the text after it is read as before);
//! - the parser of the whole file would have started a binding there (in a `let`, the
//!   same "is this the body?" question is asked), at a nesting depth no deeper than the
//!   one assumed (an upper bound, so a too-deep binding fails here and falls back);
//! - a first binding of `{ ... }` does not turn the `{` into a lambda's pattern.
//!
//! Edits in the text between bindings, at a set's braces, in a `let`'s body outside any
//! binding, or in an erroneous file take the full parse.

use super::ast::{
    AttrName, AttrNameKind, Binding, BindingKind, Comment, Expr, ExprKind, Param, Span, StrPart,
    TypeExpr, TypeExprKind,
};
use super::parser::{brace_starts_pattern, parse_binding_at, BindingContext};
use super::Parse;

/// How many enclosing bindings are tried, innermost first, before the full parse.
const TRIES: usize = 3;

/// An upper bound of the parser's nesting levels per tree node on the way to a binding
/// (`expr`, the binary operator loop, unary, application, atom each enter one).
const DEPTH_PER_NODE: u32 = 8;

/// The parse of `new_text`, given `old`, the parse of `old_text`: the same as
/// `parse(new_text)`, found by parsing only the edited binding when that is enough.
pub fn reparse(old_text: &str, old: &Parse, new_text: &str) -> Parse {
    reparse_into(old_text, old, &mut None, new_text)
}

/// [`reparse`], given a copy of `old`'s tree that is the caller's to change (`spare`, equal
/// to `*old.root`): the edited binding is then spliced into it in place, so that the tree
/// is not copied. The spare is taken when used, and left where it is when the edit takes
/// the full parse. A `spare` that differs from `old.root` gives a wrong tree: it must be a
/// copy.
pub fn reparse_into(
    old_text: &str,
    old: &Parse,
    spare: &mut Option<Expr>,
    new_text: &str,
) -> Parse {
    try_reparse_into(old_text, old, spare, new_text).unwrap_or_else(|| super::parse(new_text))
}

/// The incremental path alone: `None` where it does not apply (see the module comment).
pub fn try_reparse(old_text: &str, old: &Parse, new_text: &str) -> Option<Parse> {
    try_reparse_into(old_text, old, &mut None, new_text)
}

fn try_reparse_into(
    old_text: &str,
    old: &Parse,
    spare: &mut Option<Expr>,
    new_text: &str,
) -> Option<Parse> {
    if old_text == new_text {
        return Some(old.clone());
    }
    if !old.errors.is_empty() || new_text.len() >= u32::MAX as usize {
        return None;
    }
    let edit = Edit::between(old_text, new_text);
    let mut candidates = Vec::new();
    find_bindings(&old.root, &edit, 0, 0, &mut candidates);
    for candidate in candidates.iter().rev().take(TRIES) {
        if let Some(parse) = splice(old, spare, new_text, &edit, candidate) {
            return Some(parse);
        }
    }
    None
}

/// The changed bytes: `old[start..old_end]` became `new[start..start + inserted]`.
struct Edit {
    start: usize,
    old_end: usize,
    delta: i64,
}

impl Edit {
    /// The smallest edit that turns `old` into `new` (their common prefix and suffix kept).
    fn between(old: &str, new: &str) -> Edit {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let room = a.len().min(b.len()) - prefix;
        let suffix = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take(room)
            .take_while(|(x, y)| x == y)
            .count();
        Edit {
            start: prefix,
            old_end: a.len() - suffix,
            delta: b.len() as i64 - a.len() as i64,
        }
    }
}

/// Moves the offsets of the old text at or after `at`, the end of the binding parsed
/// again (which holds the whole edit), by the edit's length; those before stay.
#[derive(Clone, Copy)]
struct Shift {
    at: u32,
    delta: i64,
}

impl Shift {
    fn offset(self, offset: u32) -> u32 {
        if offset >= self.at {
            (offset as i64 + self.delta) as u32
        } else {
            offset
        }
    }

    fn span(self, span: Span) -> Span {
        Span {
            start: self.offset(span.start),
            end: self.offset(span.end),
        }
    }
}

/// A binding of the old tree that holds the whole edit, and what its parse depends on.
struct Candidate {
    span: Span,
    context: BindingContext,
    /// The `{` of the set it is the first binding of (not `rec`): its pattern question.
    first_after_brace: Option<usize>,
}

/// Collects, outermost first, the bindings of sets and `let`s that hold the edit, walking
/// the nodes whose parse the parser's state is known for; other nodes end the walk (their
/// bindings are not tried, the enclosing ones are).
fn find_bindings(expr: &Expr, edit: &Edit, depth: u32, open_sets: usize, out: &mut Vec<Candidate>) {
    let depth = depth + DEPTH_PER_NODE;
    let holds = |span: Span| span.start as usize <= edit.start && edit.old_end <= span.end as usize;
    let child = |e: &Expr, extra: u32, open_sets: usize, out: &mut Vec<Candidate>| {
        if holds(e.span) {
            find_bindings(e, edit, depth + extra, open_sets, out);
        }
    };
    match &expr.kind {
        ExprKind::AttrSet { bindings, .. } | ExprKind::Let { bindings, .. } => {
            let in_let = matches!(expr.kind, ExprKind::Let { .. });
            let rec = matches!(expr.kind, ExprKind::AttrSet { rec: true, .. });
            let open_sets = open_sets + usize::from(!in_let);
            for (index, binding) in bindings.iter().enumerate() {
                if !holds(binding.span) {
                    continue;
                }
                out.push(Candidate {
                    span: binding.span,
                    context: BindingContext {
                        in_let,
                        open_sets,
                        depth,
                    },
                    first_after_brace: (index == 0 && !in_let && !rec)
                        .then_some(expr.span.start as usize),
                });
                if let BindingKind::Attr { value, .. } = &binding.kind {
                    child(value, DEPTH_PER_NODE, open_sets, out);
                }
                return;
            }
            if let ExprKind::Let { body, .. } = &expr.kind {
                child(body, 0, open_sets, out);
            }
        }
        ExprKind::Lambda { body, .. } => child(body, 0, open_sets, out),
        ExprKind::With { scope, body } | ExprKind::Assert { cond: scope, body } => {
            child(scope, 0, open_sets, out);
            child(body, 0, open_sets, out);
        }
        ExprKind::If { cond, then_, else_ } => {
            child(cond, 0, open_sets, out);
            child(then_, 0, open_sets, out);
            child(else_, 0, open_sets, out);
        }
        ExprKind::List(items) => {
            for item in items {
                child(item, 0, open_sets, out);
            }
        }
        ExprKind::Paren(inner) | ExprKind::Unary { expr: inner, .. } => {
            child(inner, 0, open_sets, out)
        }
        ExprKind::Annotated { expr: inner, .. } => child(inner, 0, open_sets, out),
        // Each operator or argument to the left of this one nested the parser's loop one
        // level deeper.
        ExprKind::Binary { lhs, rhs, .. } => {
            child(lhs, 0, open_sets, out);
            child(rhs, spine(expr), open_sets, out);
        }
        ExprKind::Apply { func, arg } => {
            child(func, 0, open_sets, out);
            child(arg, spine(expr), open_sets, out);
        }
        _ => {}
    }
}

/// The operator or application nodes down the left of `expr`, itself included.
fn spine(expr: &Expr) -> u32 {
    let mut count = 0;
    let mut at = expr;
    loop {
        match &at.kind {
            ExprKind::Binary { lhs: next, .. }
            | ExprKind::HasAttr { expr: next, .. }
            | ExprKind::Apply { func: next, .. } => {
                count += 1;
                at = next;
            }
            _ => return count,
        }
    }
}

/// The new parse with `candidate` parsed again, if that is the whole parser's reading: in
/// `spare` (a copy of the old tree, taken once the binding parsed) when there is one, else
/// in a new copy of the old tree.
fn splice(
    old: &Parse,
    spare: &mut Option<Expr>,
    new_text: &str,
    edit: &Edit,
    candidate: &Candidate,
) -> Option<Parse> {
    if let Some(brace) = candidate.first_after_brace {
        if brace_starts_pattern(new_text, brace) {
            return None;
        }
    }
    let start = candidate.span.start as usize;
    let old_end = candidate.span.end as usize;
    let shift = Shift {
        at: candidate.span.end,
        delta: edit.delta,
    };
    let new_end = shift.offset(candidate.span.end) as usize;
    let before = old
        .comments
        .partition_point(|c| c.span.end as usize <= start);
    let (binding, mut comments) = parse_binding_at(
        new_text,
        start,
        new_end,
        &candidate.context,
        old.comments[..before].to_vec(),
    )?;
    let after = old
        .comments
        .partition_point(|c| (c.span.start as usize) < old_end);
    comments.extend(old.comments[after..].iter().map(|comment| Comment {
        span: shift.span(comment.span),
        ..comment.clone()
    }));
    let mut root = spare.take().unwrap_or_else(|| Expr::clone(&old.root));
    shift_expr(&mut root, shift);
    let target = Span::new(start, new_end);
    let slot = find_binding_mut(&mut root, target)?;
    *slot = binding;
    Some(Parse {
        root: std::sync::Arc::new(root),
        comments,
        errors: Vec::new(),
    })
}

/// The binding of (shifted) span `target` in `expr`.
fn find_binding_mut(expr: &mut Expr, target: Span) -> Option<&mut Binding> {
    let inside = |span: Span| span.start <= target.start && target.end <= span.end;
    match &mut expr.kind {
        ExprKind::AttrSet { bindings, .. } => find_in_bindings(bindings, target),
        ExprKind::Let { bindings, body } => {
            if bindings.iter().any(|b| inside(b.span)) {
                find_in_bindings(bindings, target)
            } else {
                find_binding_mut(body, target)
            }
        }
        ExprKind::Lambda { body, .. } => find_binding_mut(body, target),
        ExprKind::With { scope, body } | ExprKind::Assert { cond: scope, body } => {
            if inside(scope.span) {
                find_binding_mut(scope, target)
            } else {
                find_binding_mut(body, target)
            }
        }
        ExprKind::If { cond, then_, else_ } => [cond, then_, else_]
            .into_iter()
            .find(|e| inside(e.span))
            .and_then(|e| find_binding_mut(e, target)),
        ExprKind::List(items) => items
            .iter_mut()
            .find(|e| inside(e.span))
            .and_then(|e| find_binding_mut(e, target)),
        ExprKind::Paren(inner)
        | ExprKind::Unary { expr: inner, .. }
        | ExprKind::Annotated { expr: inner, .. } => find_binding_mut(inner, target),
        ExprKind::Binary { lhs, rhs, .. } => {
            if inside(lhs.span) {
                find_binding_mut(lhs, target)
            } else {
                find_binding_mut(rhs, target)
            }
        }
        ExprKind::Apply { func, arg } => {
            if inside(func.span) {
                find_binding_mut(func, target)
            } else {
                find_binding_mut(arg, target)
            }
        }
        _ => None,
    }
}

/// The binding of span `target` among `bindings` or inside one of their values.
fn find_in_bindings(bindings: &mut [Binding], target: Span) -> Option<&mut Binding> {
    let binding = bindings
        .iter_mut()
        .find(|b| b.span.start <= target.start && target.end <= b.span.end)?;
    if binding.span == target {
        return Some(binding);
    }
    match &mut binding.kind {
        BindingKind::Attr { value, .. } => find_binding_mut(value, target),
        _ => None,
    }
}

/// Moves every span of `expr` by `edit`. A node that ends before `edit.at` holds nothing that moves, so its subtree is not visited.
fn shift_expr(expr: &mut Expr, edit: Shift) {
    if expr.span.end < edit.at {
        return;
    }
    expr.span = edit.span(expr.span);
    match &mut expr.kind {
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::SearchPath(_)
        | ExprKind::Var(_)
        | ExprKind::Error => {}
        ExprKind::Str { parts, .. } | ExprKind::Path(parts) => shift_parts(parts, edit),
        ExprKind::List(items) => items.iter_mut().for_each(|e| shift_expr(e, edit)),
        ExprKind::AttrSet { bindings, .. } => shift_bindings(bindings, edit),
        ExprKind::Let { bindings, body } => {
            shift_bindings(bindings, edit);
            shift_expr(body, edit);
        }
        ExprKind::With { scope: a, body: b }
        | ExprKind::Assert { cond: a, body: b }
        | ExprKind::Apply { func: a, arg: b } => {
            shift_expr(a, edit);
            shift_expr(b, edit);
        }
        ExprKind::If { cond, then_, else_ } => {
            shift_expr(cond, edit);
            shift_expr(then_, edit);
            shift_expr(else_, edit);
        }
        ExprKind::Lambda { param, body } => {
            shift_param(param, edit);
            shift_expr(body, edit);
        }
        ExprKind::Select {
            expr: inner,
            path,
            default,
        } => {
            shift_expr(inner, edit);
            shift_path(path, edit);
            if let Some(default) = default {
                shift_expr(default, edit);
            }
        }
        ExprKind::HasAttr { expr: inner, path } => {
            shift_expr(inner, edit);
            shift_path(path, edit);
        }
        ExprKind::Binary {
            op_span, lhs, rhs, ..
        } => {
            *op_span = edit.span(*op_span);
            shift_expr(lhs, edit);
            shift_expr(rhs, edit);
        }
        ExprKind::Unary { expr: inner, .. } | ExprKind::Paren(inner) => shift_expr(inner, edit),
        ExprKind::Annotated { expr: inner, ty } => {
            shift_expr(inner, edit);
            shift_type(ty, edit);
        }
    }
}

fn shift_parts(parts: &mut [StrPart], edit: Shift) {
    for part in parts {
        match part {
            StrPart::Lit(_) => {}
            StrPart::Interp(expr) => shift_expr(expr, edit),
        }
    }
}

fn shift_bindings(bindings: &mut [Binding], edit: Shift) {
    // Bindings are in source order: those ending before the edit stay.
    let first = bindings.partition_point(|b| b.span.end < edit.at);
    for binding in &mut bindings[first..] {
        binding.span = edit.span(binding.span);
        if let Some(ty) = &mut binding.ty {
            shift_type(ty, edit);
        }
        match &mut binding.kind {
            BindingKind::Attr { path, value } => {
                shift_path(path, edit);
                shift_expr(value, edit);
            }
            BindingKind::Inherit { from, names } => {
                if let Some(from) = from {
                    shift_expr(from, edit);
                }
                shift_path(names, edit);
            }
            BindingKind::TypeDecl { name_span, ty, .. } => {
                *name_span = edit.span(*name_span);
                shift_type(ty, edit);
            }
        }
    }
}

fn shift_path(path: &mut [AttrName], edit: Shift) {
    for name in path {
        name.span = edit.span(name.span);
        match &mut name.kind {
            AttrNameKind::Static(_) => {}
            AttrNameKind::Dynamic(expr) => shift_expr(expr, edit),
        }
    }
}

fn shift_param(param: &mut Param, edit: Shift) {
    match param {
        Param::Ident { span, ty, .. } => {
            *span = edit.span(*span);
            if let Some(ty) = ty {
                shift_type(ty, edit);
            }
        }
        Param::Pattern {
            fields, bind, span, ..
        } => {
            *span = edit.span(*span);
            if let Some((_, bind_span)) = bind {
                *bind_span = edit.span(*bind_span);
            }
            for field in fields {
                field.span = edit.span(field.span);
                if let Some(ty) = &mut field.ty {
                    shift_type(ty, edit);
                }
                if let Some(default) = &mut field.default {
                    shift_expr(default, edit);
                }
            }
        }
    }
}

fn shift_type(ty: &mut TypeExpr, edit: Shift) {
    if ty.span.end < edit.at {
        return;
    }
    ty.span = edit.span(ty.span);
    match &mut ty.kind {
        TypeExprKind::Name(segments) => {
            for (_, span) in segments {
                *span = edit.span(*span);
            }
        }
        TypeExprKind::Literal(_) | TypeExprKind::Error => {}
        TypeExprKind::Union(members) => members.iter_mut().for_each(|m| shift_type(m, edit)),
        TypeExprKind::Optional(inner)
        | TypeExprKind::List(inner)
        | TypeExprKind::Map(inner)
        | TypeExprKind::Paren(inner)
        | TypeExprKind::Refined { base: inner, .. } => shift_type(inner, edit),
        TypeExprKind::Record { fields, .. } => {
            for field in fields {
                field.span = edit.span(field.span);
                field.name_span = edit.span(field.name_span);
                shift_type(&mut field.ty, edit);
                if let Some(default) = &mut field.default {
                    shift_expr(default, edit);
                }
            }
        }
        TypeExprKind::Function(from, to) => {
            shift_type(from, edit);
            shift_type(to, edit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;
    use crate::testing::{files_under, two_thousand_lines, Rng, EDIT_PIECES as PIECES};

    /// `text` with one random edit: a piece inserted, up to 8 characters deleted, or
    /// characters replaced by a piece.
    fn random_edit(rng: &mut Rng, text: &str) -> String {
        let boundary = |at: usize| {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let start = boundary(rng.below(text.len() + 1));
        let end = match rng.below(3) {
            0 => start,
            _ => boundary(start + 1 + rng.below(8)),
        };
        let insert = if rng.below(3) == 1 {
            ""
        } else {
            PIECES[rng.below(PIECES.len())]
        };
        format!("{}{insert}{}", &text[..start], &text[end..])
    }

    /// Checks `reparse` against the full parse; whether the incremental path was taken.
    fn check(name: &str, old_text: &str, old: &Parse, new_text: &str) -> (bool, Parse) {
        let full = parse(new_text);
        let incremental = try_reparse(old_text, old, new_text);
        // The same splice into a spare copy of the old tree, in place.
        let mut spare = Some(Expr::clone(&old.root));
        let in_place = try_reparse_into(old_text, old, &mut spare, new_text);
        assert_eq!(in_place.is_some(), incremental.is_some(), "{name}");
        // (An unchanged text keeps the old tree itself.)
        assert!(
            in_place.is_none() || spare.is_none() || old_text == new_text,
            "{name}: the spare was not used"
        );
        if let Some(in_place) = &in_place {
            assert!(*in_place == full, "{name}: the reparse in place differs");
        }
        if let Some(incremental) = &incremental {
            let edit = Edit::between(old_text, new_text);
            assert!(
                *incremental == full,
                "{name}: the reparse differs from the full parse after the edit at byte {} \
                 ({:?} -> {:?})",
                edit.start,
                &old_text[edit.start..edit.old_end],
                &new_text[edit.start..(edit.old_end as i64 + edit.delta) as usize],
            );
        }
        (incremental.is_some(), full)
    }

    /// Sessions of up to four successive random edits on `text`, each reparsed from the
    /// previous parse; how many edits there were and how many were reparsed.
    fn random_sessions(name: &str, text: &str, sessions: usize, seed: u64) -> (usize, usize) {
        let mut rng = Rng::new(seed);
        let original = parse(text);
        let (mut edits, mut incremental) = (0, 0);
        for _ in 0..sessions {
            let mut old_text = text.to_string();
            let mut old = original.clone();
            for _ in 0..1 + rng.below(4) {
                let new_text = random_edit(&mut rng, &old_text);
                let (taken, full) = check(name, &old_text, &old, &new_text);
                edits += 1;
                incremental += usize::from(taken);
                (old_text, old) = (new_text, full);
            }
        }
        (edits, incremental)
    }

    #[test]
    fn random_edits_reparse_as_the_full_parse_does() {
        let sessions: usize = std::env::var("MLC_REPARSE_SESSIONS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(60);
        let mut sources: Vec<(String, String)> = files_under(&["examples"], &["mlc"])
            .into_iter()
            .filter_map(|path| {
                let text = std::fs::read_to_string(&path).ok()?;
                Some((path.display().to_string(), text))
            })
            .collect();
        for (name, text) in crate::stdlib::FILES {
            sources.push((name.to_string(), text.to_string()));
        }
        sources.push(("the 2,000 lines".to_string(), two_thousand_lines(None)));
        sources.sort();
        let (mut edits, mut incremental) = (0, 0);
        for (index, (name, text)) in sources.iter().enumerate() {
            let (e, i) = random_sessions(name, text, sessions, index as u64 + 1);
            edits += e;
            incremental += i;
        }
        // Most random edits break the file, and an edit after a broken one parses in
        // full; still, a good share must have taken the incremental path.
        eprintln!("{incremental} of {edits} random edits reparsed incrementally");
        assert!(
            incremental * 5 > edits,
            "only {incremental} of {edits} edits were reparsed incrementally"
        );
    }

    /// Edits inside one binding of each kind and place, reparsed incrementally.
    #[test]
    fn an_edit_inside_a_binding_parses_only_that_binding() {
        let cases = [
            ("let a = 1; b = 2; in a + b", "let a = 1; b = 23; in a + b"),
            (
                "{ a = 1; b = { c = 2; }; }",
                "{ a = 1; b = { c = 2 + 3; }; }",
            ),
            ("{ a = 1; b = { c = 2; }; }", "{ a = 1; b = { cd = 2; }; }"),
            (
                "let\n  # the a\n  a = 1;\nin a",
                "let\n  # the a\n  a = 12;\nin a",
            ),
            ("let a = 1; inherit b; in a", "let a = 1; inherit b c; in a"),
            ("let type T = Int; in 1", "let type T = String; in 1"),
            ("f { a = 1; }", "f { a = \"x${y}\"; }"),
            (
                "{ a = 1; /* c */ b = 2; }",
                "{ a = 1; /* c */ b = 2 /* d */; }",
            ),
            ("{ a = 1; b = 2; }", "{ a = 1; b = 2; }"),
            // White space before the first token: the binding starts later.
            ("let a = 1; b = 2; in a + b", "let a = 1;  b = 2; in a + b"),
        ];
        for (old_text, new_text) in cases {
            let old = parse(old_text);
            let (taken, _) = check(old_text, old_text, &old, new_text);
            assert!(taken, "{old_text:?} -> {new_text:?} was parsed in full");
        }
        let text = two_thousand_lines(None);
        let edited = two_thousand_lines(Some(999));
        let (taken, _) = check("2,000 lines", &text, &parse(&text), &edited);
        assert!(taken);
    }

    /// Each reason to parse the whole text, and the full parse it then gives.
    #[test]
    fn edits_the_binding_cannot_absorb_parse_in_full() {
        let cases = [
            // The old parse has an error.
            ("let a = 1 in a", "let a = 12 in a"),
            // Between bindings, and outside every binding.
            ("let a = 1; b = 2; in a", "let a = 1; ; b = 2; in a"),
            ("let a = 1; in a", "let a = 1; in ab"),
            ("{ a = 1; }", "{ a = 1; } "),
            // The binding now ends elsewhere, or with an error.
            ("let a = 1; b = 2; in a", "let a = 1; c = 3; b = 2; in a"),
            ("let a = 1; b = 2; in a", "let a = 1 b = 2; in a"),
            ("let a = 1; in a", "let a = \"1; in a"),
            ("{ a = 1; }", "{ a = { 1; }"),
            // In a `let`, the binding reads as the body now.
            ("let a = 1; b = 2; in a", "let a = 1; b 2; in a"),
            // The first binding turns its `{` into a lambda's pattern.
            ("{ x = { a = 1; }; }", "{ x = { a :: Int = 1; }; }"),
            ("{ x = { a = 1; }; }", "{ x = { a, b = 1; }; }"),
            // An edit of a doc comment, which is outside the binding.
            (
                "let\n  # the a\n  a = 1;\nin a",
                "let\n  # the b\n  a = 1;\nin a",
            ),
        ];
        for (old_text, new_text) in cases {
            let old = parse(old_text);
            let (taken, full) = check(old_text, old_text, &old, new_text);
            assert!(!taken, "{old_text:?} -> {new_text:?} was reparsed");
            assert!(reparse(old_text, &old, new_text) == full);
        }
    }

    /// Near the nesting limit, the reparse of a binding deep in brackets, operators or
    /// arguments agrees with the full parse: reparsed where the depth it assumes leaves
    /// room, parsed in full (with the full parse's error) where not.
    #[test]
    fn reparses_agree_with_the_full_parse_at_the_nesting_limit() {
        let shapes: [fn(usize) -> (String, String); 4] = [
            |k| ("(".repeat(k), ")".repeat(k)),
            |k| ("1 + ".repeat(k), String::new()),
            |k| (format!("f{}", " a".repeat(k)), String::new()),
            |k| ("[ ".repeat(k), " ]".repeat(k)),
        ];
        for shape in shapes {
            for k in (0..600).step_by(7) {
                let (open, close) = shape(k);
                let old_text = format!("{open}{{ a = 1; b = 2; }}{close}");
                let new_text = format!("{open}{{ a = 1; b = 23; }}{close}");
                let old = parse(&old_text);
                check("nested", &old_text, &old, &new_text);
            }
        }
    }
}
