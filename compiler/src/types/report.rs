//! The type errors, worded once: each function builds one diagnostic (code, message that
//! stands alone, labels on the user's code and on the declaration, help).

use super::check::{Checker, Def};
use super::compat::Mismatch;
use super::merge::def_key;
use super::ty::{Check, Field, Record, Type};
use crate::diagnostic::{codes, did_you_mean, Diagnostic, Fix};
use crate::syntax::{BinaryOp, Expr, ExprKind, Span, StrPart, UnaryOp};
use std::sync::Arc;

fn error(
    checker: &Checker<'_>,
    code: crate::diagnostic::Code,
    message: String,
    span: Span,
) -> Diagnostic {
    Diagnostic::error(code, message, checker.file.clone(), span)
}

/// Adds "did you mean {shown}?" and the fix that writes `replacement` over `span`.
fn suggest(
    checker: &Checker<'_>,
    diagnostic: Diagnostic,
    span: Span,
    shown: String,
    replacement: String,
) -> Diagnostic {
    diagnostic
        .with_help(format!("did you mean {shown}?"))
        .with_fix(Fix {
            file: checker.file.clone(),
            span,
            replacement,
        })
}

/// "expected X, found Y" on their own lines, Gleam-style, so long types compare easily.
fn expected_found(expected: &Type, found: &Type) -> String {
    format!("expected: {expected}\n   found: {found}")
}

fn field_names(record: &Record) -> String {
    const SHOWN: usize = 12;
    let mut names: Vec<String> = record
        .fields
        .iter()
        .take(SHOWN)
        .map(|f| format!("`{}`", f.name))
        .collect();
    if record.fields.len() > SHOWN {
        names.push(format!("and {} more", record.fields.len() - SHOWN));
    }
    names.join(", ")
}

/// `name` (written after `written_before`, e.g. `server.`) is not a field of `expected`.
pub fn unknown_field(
    checker: &Checker<'_>,
    name: &str,
    written_before: &str,
    span: Span,
    expected: &Arc<Record>,
) -> Diagnostic {
    let mut diagnostic = error(
        checker,
        codes::E0301,
        format!("unknown field `{name}`"),
        span,
    )
    .with_label("not a field of this record type");
    let suggestion = did_you_mean(name, expected.fields.iter().map(|f| &*f.name));
    if let Some(parents) = nested_path(expected, name) {
        // A key at the wrong level: the same name one or more records deeper.
        let path = format!("{written_before}{parents}.{name}");
        diagnostic = suggest(
            checker,
            diagnostic,
            span,
            format!("`{path}`"),
            format!("{parents}.{name}"),
        )
        .with_note(format!(
            "`{name}` is an option of `{written_before}{parents}`"
        ));
    } else if let Some(suggestion) = suggestion {
        diagnostic = suggest(
            checker,
            diagnostic,
            span,
            format!("`{suggestion}`"),
            suggestion.to_string(),
        );
    }
    if let Some(site) = expected.fields.first().and_then(|f| f.site.as_ref()) {
        diagnostic = diagnostic.with_secondary(
            site.file.clone(),
            site.span,
            "the record's fields are declared here",
        );
    }
    diagnostic.with_note(format!("the fields are {}", field_names(expected)))
}

/// `def` defines again what `first` defined (`E0411`, worded as the evaluator words it).
pub(super) fn defined_twice(checker: &Checker<'_>, def: &Def<'_>, first: &Def<'_>) -> Diagnostic {
    let (span, path) = def_key(def).unwrap_or((def.binding.span, String::new()));
    let first_span = def_key(first).map_or(first.binding.span, |(span, _)| span);
    defined_twice_at(checker, &path, span, first_span)
}

/// `path` is defined at `span` after being defined at `first`.
pub(super) fn defined_twice_at(
    checker: &Checker<'_>,
    path: &str,
    span: Span,
    first: Span,
) -> Diagnostic {
    let (message, again, first_label) = crate::diagnostic::defined_twice(path);
    error(checker, codes::E0411, message, span)
        .with_label(again)
        .with_secondary(checker.file.clone(), first, first_label)
}

pub fn missing_field(checker: &Checker<'_>, span: Span, field: &Field) -> Diagnostic {
    let mut diagnostic = error(
        checker,
        codes::E0302,
        format!("missing field `{}`", field.name),
        span,
    )
    .with_label(format!("`{}` is required here", field.name));
    if let Some(site) = &field.site {
        diagnostic = diagnostic.with_secondary(site.file.clone(), site.span, "declared here");
    }
    diagnostic.with_help(format!(
        "add `{} = …;` (a value of type `{}`)",
        field.name, field.ty
    ))
}

/// A value certainly of the wrong type at `span`.
pub fn mismatch(
    checker: &Checker<'_>,
    span: Span,
    mismatch: &Mismatch,
    expected: Option<&Type>,
) -> Diagnostic {
    expected_because(
        checker,
        span,
        mismatch_diagnostic(checker, span, mismatch, expected),
    )
}

/// Adds where the expected type was declared (the innermost annotation or field being
/// checked), unless that is the place of the error itself.
pub fn expected_because(checker: &Checker<'_>, span: Span, diagnostic: Diagnostic) -> Diagnostic {
    match checker.expected_from.last() {
        Some(site)
            if !(site.file == checker.file
                && site.span.start <= span.start
                && span.end <= site.span.end)
                && diagnostic.secondary.iter().all(|l| l.span != site.span) =>
        {
            diagnostic.with_secondary(site.file.clone(), site.span, "expected because of this")
        }
        _ => diagnostic,
    }
}

fn mismatch_diagnostic(
    checker: &Checker<'_>,
    span: Span,
    mismatch: &Mismatch,
    expected: Option<&Type>,
) -> Diagnostic {
    let path = mismatch.path();
    let inside = if path.is_empty() {
        String::new()
    } else {
        format!(" in `{}`", path.join("."))
    };
    let _ = expected;
    match mismatch.innermost() {
        Mismatch::Kind { expected, found } => {
            let diagnostic = error(
                checker,
                codes::E0303,
                format!("wrong type{inside}: expected `{expected}`, found `{found}`"),
                span,
            )
            .with_label(format!("this is `{found}`"))
            .with_note(expected_found(expected, found));
            match named_refinement(expected) {
                Some((name, refined)) => diagnostic.with_note(format!(
                    "a `{name}` is {}: it {}",
                    article(refined.base.shape()),
                    refined.requirement()
                )),
                None => diagnostic,
            }
        }
        Mismatch::UnknownField {
            name,
            site,
            expected,
        } => {
            let mut diagnostic = error(
                checker,
                codes::E0301,
                format!("unknown field `{name}`{inside}"),
                span,
            )
            .with_label("this value has a field its type does not declare");
            if let Some(site) = site {
                diagnostic = diagnostic.with_secondary(
                    site.file.clone(),
                    site.span,
                    format!("`{name}` is defined here"),
                );
            }
            if let Some(suggestion) = did_you_mean(name, expected.fields.iter().map(|f| &*f.name)) {
                diagnostic = diagnostic.with_help(format!("did you mean `{suggestion}`?"));
            }
            diagnostic.with_note(format!("the fields are {}", field_names(expected)))
        }
        Mismatch::MissingField { name, declared } => {
            let mut diagnostic = error(
                checker,
                codes::E0302,
                format!("missing field `{name}`{inside}"),
                span,
            )
            .with_label(format!("this value has no `{name}`"));
            if let Some(site) = declared {
                diagnostic =
                    diagnostic.with_secondary(site.file.clone(), site.span, "declared here");
            }
            diagnostic
        }
        Mismatch::NotAllowed { value, allowed } => {
            not_allowed(checker, span, value, allowed, &inside)
        }
        Mismatch::InField { .. } | Mismatch::InElement(_) => {
            error(checker, codes::E0303, format!("wrong type{inside}"), span)
        }
    }
}

/// `Port` is `Int(1..65535)`: the name and refinement of a named refined type.
fn named_refinement(ty: &Type) -> Option<(&str, &super::ty::Refined)> {
    match ty {
        Type::Named(name, inner) => match inner.unnamed() {
            Type::Refined(refined) => Some((name, refined)),
            _ => None,
        },
        _ => None,
    }
}

/// "an integer", "a string": what a base type's values are called.
fn article(base: &Type) -> &'static str {
    match base {
        Type::Int => "an integer",
        Type::Float => "a float",
        Type::Number => "a number",
        Type::String => "a string",
        _ => "a value",
    }
}

/// A string literal that spells a number or a boolean, where one is expected (`port =
/// "5000";`, `enabled = "true";`): the quotes are the mistake, so the fix removes them
/// (unless the number itself would then be out of range).
pub fn quoted_number(
    checker: &Checker<'_>,
    expr: &Expr,
    expected: &Type,
    diagnostic: Diagnostic,
) -> Diagnostic {
    let Some(Literal::Str(text)) = literal(expr) else {
        return diagnostic;
    };
    let number = text.trim();
    // An option that may be null (`Port?`) wants its non-null member.
    let expected = expected.non_null();
    let wanted = expected.shape();
    let fits = match wanted {
        Type::Int => number.parse::<i64>().ok().is_some_and(|value| {
            refinement_of(expected, |c| matches!(c, Check::Range { .. }))
                .is_none_or(|(refined, _)| refined.check.int_ok(value))
        }),
        Type::Float | Type::Number => number.parse::<f64>().is_ok_and(f64::is_finite),
        Type::Bool => number == "true" || number == "false",
        _ => false,
    };
    if !fits || number.is_empty() {
        return diagnostic;
    }
    diagnostic
        .with_help(format!("write `{number}` without quotes"))
        .with_fix(Fix {
            file: checker.file.clone(),
            span: expr.span,
            replacement: number.to_string(),
        })
}

/// Where in `record`'s nested records a field called `name` is: `value_options` for
/// `allowed_hosts` in the options of `server`. The shallowest such place, if only one is
/// that shallow (a key written one level too high is then one insertion away).
fn nested_path(record: &Record, name: &str) -> Option<String> {
    const DEPTH: usize = 4;
    let mut level: Vec<(String, Arc<Record>)> = record
        .fields
        .iter()
        .filter_map(|f| super::check::expected_record(&f.ty).map(|r| (f.name.to_string(), r)))
        .collect();
    for _ in 0..DEPTH {
        let found: Vec<&String> = level
            .iter()
            .filter(|(_, r)| r.field(name).is_some())
            .map(|(path, _)| path)
            .collect();
        match found.as_slice() {
            [one] => return Some((*one).clone()),
            [] => {}
            _ => return None,
        }
        level = level
            .iter()
            .flat_map(|(path, r)| {
                r.fields.iter().filter_map(move |f| {
                    super::check::expected_record(&f.ty)
                        .map(|inner| (format!("{path}.{}", f.name), inner))
                })
            })
            .collect();
        if level.is_empty() {
            break;
        }
    }
    None
}

fn not_allowed(
    checker: &Checker<'_>,
    span: Span,
    value: &str,
    allowed: &[Arc<str>],
    inside: &str,
) -> Diagnostic {
    let list = allowed
        .iter()
        .map(|a| format!("{a:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut diagnostic = error(
        checker,
        codes::E0304,
        format!("{value:?} is not one of the allowed values{inside}"),
        span,
    )
    .with_label("not allowed here")
    .with_note(format!("allowed: {list}"));
    let case_match = allowed.iter().find(|a| a.eq_ignore_ascii_case(value));
    let suggestion = case_match
        .map(|a| &**a)
        .or_else(|| did_you_mean(value, allowed.iter().map(|a| &**a)));
    if let Some(suggestion) = suggestion {
        diagnostic = suggest(
            checker,
            diagnostic,
            span,
            format!("{suggestion:?}"),
            format!("{suggestion:?}"),
        );
    }
    diagnostic
}

/// Literal values against literal unions and refinements: known before evaluation.
pub fn literal_check(checker: &Checker<'_>, expr: &Expr, expected: &Type) -> Option<Diagnostic> {
    match literal(expr)? {
        Literal::Str(value) => {
            if let Some(allowed) = expected.literal_members() {
                let open_string = match expected.shape() {
                    Type::Union(members) => {
                        members.iter().any(|m| matches!(m.shape(), Type::String))
                    }
                    _ => false,
                };
                if !open_string && !allowed.contains(&value.as_str()) {
                    let allowed: Vec<Arc<str>> = allowed.into_iter().map(Arc::from).collect();
                    let diagnostic = not_allowed(checker, expr.span, &value, &allowed, "");
                    return Some(expected_because(checker, expr.span, diagnostic));
                }
                return None;
            }
            let (refined, name) = refinement_of(expected, |c| matches!(c, Check::Pattern(_)))?;
            (!refined.check.str_ok(&value)).then(|| {
                let diagnostic =
                    refinement_failure(checker, expr.span, &format!("{value:?}"), refined, name);
                expected_because(checker, expr.span, diagnostic)
            })
        }
        Literal::Int(value) => {
            let (refined, name) = refinement_of(expected, |c| matches!(c, Check::Range { .. }))?;
            (!refined.check.int_ok(value)).then(|| {
                let diagnostic =
                    refinement_failure(checker, expr.span, &value.to_string(), refined, name);
                expected_because(checker, expr.span, diagnostic)
            })
        }
    }
}

/// The refinement a value must pass: of the type itself, or of its only member of that
/// kind in a union (`Port?`).
fn refinement_of(
    expected: &Type,
    kind: fn(&Check) -> bool,
) -> Option<(&super::ty::Refined, Option<&str>)> {
    fn find<'t>(
        ty: &'t Type,
        name: Option<&'t str>,
        kind: fn(&Check) -> bool,
    ) -> Option<(&'t super::ty::Refined, Option<&'t str>)> {
        match ty {
            Type::Named(n, inner) => find(inner, Some(n), kind),
            Type::Refined(refined) if kind(&refined.check) => Some((refined, name)),
            // Another string member (`"" | Duration`) may take the value: not certainly wrong.
            Type::Union(members)
                if members
                    .iter()
                    .any(|m| matches!(m.unnamed(), Type::String | Type::Literal(_))) =>
            {
                None
            }
            Type::Union(members) => {
                let mut found = members.iter().filter_map(|m| find(m, name, kind));
                let first = found.next()?;
                found.next().is_none().then_some(first)
            }
            _ => None,
        }
    }
    find(expected, None, kind)
}

pub fn refinement_failure(
    checker: &Checker<'_>,
    span: Span,
    value: &str,
    refined: &super::ty::Refined,
    name: Option<&str>,
) -> Diagnostic {
    let what = name.map(|n| format!(" `{n}`")).unwrap_or_default();
    error(
        checker,
        codes::E0305,
        format!(
            "{value} is not a valid{what} value: it {}",
            refined.requirement()
        ),
        span,
    )
    .with_label(refined.requirement())
}

enum Literal {
    Str(String),
    Int(i64),
}

fn literal(expr: &Expr) -> Option<Literal> {
    match &expr.kind {
        ExprKind::Str { parts, .. } => match parts.as_slice() {
            [] => Some(Literal::Str(String::new())),
            [StrPart::Lit(text)] => Some(Literal::Str(text.clone())),
            _ => None,
        },
        ExprKind::Int(value) => Some(Literal::Int(*value)),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            expr: inner,
        } => match inner.kind {
            ExprKind::Int(value) => Some(Literal::Int(value.checked_neg()?)),
            _ => None,
        },
        ExprKind::Paren(inner) => literal(inner),
        _ => None,
    }
}

/// `target` names the value selected from (`config.storage`) when it is a plain path.
pub fn no_such_field(
    checker: &Checker<'_>,
    name: &str,
    span: Span,
    (ty, target): (&Type, Option<String>),
    record: &Record,
) -> Diagnostic {
    let in_what = target.unwrap_or_else(|| ty.to_string());
    let mut diagnostic = error(
        checker,
        codes::E0309,
        format!("no field `{name}` in `{in_what}`"),
        span,
    )
    .with_label("not a field of this value");
    if let Some(suggestion) = did_you_mean(name, record.fields.iter().map(|f| &*f.name)) {
        diagnostic = suggest(
            checker,
            diagnostic,
            span,
            format!("`{suggestion}`"),
            suggestion.to_string(),
        );
    } else {
        if !record.fields.is_empty() {
            diagnostic = diagnostic.with_note(format!("the fields are {}", field_names(record)));
        }
        diagnostic =
            diagnostic.with_help(format!("write `….{name} or default` if it may be missing"));
    }
    diagnostic.with_note(format!("its type is `{ty}`"))
}

pub fn select_from_non_set(checker: &Checker<'_>, name: &str, span: Span, ty: &Type) -> Diagnostic {
    error(
        checker,
        codes::E0309,
        format!("cannot select `{name}` from a value of type `{ty}`"),
        span,
    )
    .with_label("only attribute sets have fields")
}

pub fn not_a_function(checker: &Checker<'_>, call: &Expr, func: &Expr, ty: &Type) -> Diagnostic {
    // `f a b` where `f a` is already not a function: too many arguments.
    if let ExprKind::Apply { .. } = &func.kind {
        let mut head = func;
        let mut given = 1;
        while let ExprKind::Apply { func: inner, .. } = &head.kind {
            head = inner;
            given += 1;
        }
        let name = match &head.kind {
            ExprKind::Var(name) => format!("`{name}`"),
            ExprKind::Select { path, .. } => path
                .last()
                .map(|n| match &n.kind {
                    crate::syntax::AttrNameKind::Static(text) => format!("`{text}`"),
                    crate::syntax::AttrNameKind::Dynamic(_) => "the function".to_string(),
                })
                .unwrap_or_else(|| "the function".to_string()),
            _ => "the function".to_string(),
        };
        return error(
            checker,
            codes::E0306,
            format!(
                "too many arguments: {name} takes {} but was given {given}",
                plural(given - 1, "argument")
            ),
            call.span,
        )
        .with_label(format!("called with {given} arguments"))
        .with_secondary(
            checker.file.clone(),
            func.span,
            format!("this returns `{ty}`, not a function"),
        );
    }
    error(
        checker,
        codes::E0306,
        format!("this is not a function: it is `{ty}`"),
        func.span,
    )
    .with_label("called here")
    .with_help("put an operator between the values, or parentheses around the function call")
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

pub fn unknown_type(
    checker: &Checker<'_>,
    name: &str,
    span: Span,
    visible: &[String],
) -> Diagnostic {
    let mut diagnostic = error(
        checker,
        codes::E0307,
        format!("unknown type `{name}`"),
        span,
    )
    .with_label("no type of this name is in scope");
    if let Some(suggestion) = did_you_mean(name, visible.iter().map(String::as_str)) {
        diagnostic = suggest(
            checker,
            diagnostic,
            span,
            format!("`{suggestion}`"),
            suggestion.to_string(),
        );
    }
    diagnostic
}

pub fn recursive_type(checker: &Checker<'_>, name: &str, span: Span) -> Diagnostic {
    error(
        checker,
        codes::E0308,
        format!("type `{name}` refers to itself"),
        span,
    )
    .with_label("recursive types are not supported")
    .with_help("use `Dyn` for the recursive part")
}

pub fn bad_refinement(checker: &Checker<'_>, span: Span, message: String) -> Diagnostic {
    error(checker, codes::E0308, message, span).with_label("invalid refinement")
}

pub fn non_constant_default(checker: &Checker<'_>, name: &str, span: Span) -> Diagnostic {
    error(
        checker,
        codes::E0308,
        format!("a field's default cannot use `{name}`"),
        span,
    )
    .with_label("defaults are evaluated on their own, where only builtins are in scope")
    .with_help("write the value itself, or give the field no default")
}

pub fn bad_interpolation(checker: &Checker<'_>, span: Span, ty: &Type) -> Diagnostic {
    error(
        checker,
        codes::E0303,
        format!("cannot interpolate a value of type `{ty}` into a string"),
        span,
    )
    .with_label(format!("this is `{ty}`"))
    .with_help("convert it first: `${toString …}`")
}

pub fn bad_operands(
    checker: &Checker<'_>,
    op: BinaryOp,
    op_span: Span,
    (lhs_span, left): (Span, &Type),
    (rhs_span, right): (Span, &Type),
) -> Diagnostic {
    let verb = match op {
        BinaryOp::Add => "add",
        BinaryOp::Sub => "subtract",
        BinaryOp::Mul => "multiply",
        BinaryOp::Div => "divide",
        BinaryOp::Concat => "concatenate",
        BinaryOp::Update => "update",
        _ => "combine",
    };
    let mut diagnostic = error(
        checker,
        codes::E0303,
        format!(
            "cannot {verb} `{left}` and `{right}` with `{}`",
            op.symbol()
        ),
        op_span,
    )
    .with_label("not defined for these operands")
    .with_secondary(checker.file.clone(), lhs_span, format!("this is `{left}`"))
    .with_secondary(checker.file.clone(), rhs_span, format!("this is `{right}`"));
    diagnostic = match op {
        BinaryOp::Add => diagnostic.with_help("`+` adds numbers or joins strings and paths; use `toString` to turn a number into a string"),
        BinaryOp::Concat => diagnostic.with_help("`++` joins two lists; wrap a single value in `[ ]`"),
        BinaryOp::Update => diagnostic.with_help("`//` merges two attribute sets"),
        _ => diagnostic,
    };
    diagnostic
}
