//! Inlay hints: the inferred type after each `let` binding and lambda parameter written
//! without an annotation, widened as a person would write it (`port = 5000` shows `:: Int`,
//! not the literal; a list of strings `:: [String]`). None where the name is annotated,
//! where the type is unknown (`Dyn`), or where it would be too long to read inline.

use mlc::db::{file_types, parse, Db, SourceFile};
use mlc::syntax::{BindingKind, ExprKind, Param};
use mlc::types::Type;

use super::tree::for_each_expr;

/// Longer types are left out: a hint is a glance, hover has the whole type.
const MAX_LABEL: usize = 48;

/// One hint: its text, shown at byte `offset` (just after the name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: u32,
    pub label: String,
}

pub fn inlay_hints(db: &dyn Db, file: SourceFile) -> Vec<InlayHint> {
    let types = file_types(db, file);
    let root = &parse(db, file).root;
    let mut names = Vec::new();
    for_each_expr(root, &mut |expr| match &expr.kind {
        ExprKind::Let { bindings, .. } => {
            for binding in bindings {
                if let (BindingKind::Attr { path, .. }, None) = (&binding.kind, &binding.ty) {
                    if let [name] = path.as_slice() {
                        names.push(name.span);
                    }
                }
            }
        }
        ExprKind::Lambda { param, .. } => {
            if let Param::Ident { span, ty: None, .. } = &**param {
                names.push(*span);
            }
        }
        _ => {}
    });
    names
        .into_iter()
        .filter_map(|span| {
            let ty = widened(types.definitions.get(&span.start)?);
            if matches!(ty, Type::Dyn) {
                return None;
            }
            let label = format!(":: {ty}");
            (label.len() <= MAX_LABEL).then_some(InlayHint {
                offset: span.end,
                label,
            })
        })
        .collect()
}

/// The type a person would write for a value of `ty`: literals become `String`, inside
/// lists, maps, records and functions too.
pub fn widened(ty: &Type) -> Type {
    use std::sync::Arc;
    match ty {
        Type::Literal(_) => Type::String,
        Type::List(item) => Type::List(Arc::new(widened(item))),
        Type::Map(item) => Type::Map(Arc::new(widened(item))),
        Type::Function(from, to) => Type::Function(Arc::new(widened(from)), Arc::new(widened(to))),
        Type::Record(record) => {
            let mut record = (**record).clone();
            for field in &mut record.fields {
                field.ty = widened(&field.ty);
            }
            Type::Record(Arc::new(record))
        }
        Type::Union(members) => {
            let mut out: Vec<Type> = Vec::new();
            for member in members.iter().map(widened) {
                if !out.contains(&member) {
                    out.push(member);
                }
            }
            match out.as_slice() {
                [one] => one.clone(),
                _ => Type::Union(out.into()),
            }
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::single;

    fn hints(text: &str) -> Vec<(String, String)> {
        let f = single(text);
        inlay_hints(&f.db, f.file)
            .into_iter()
            .map(|hint| {
                let before = &f.text[..hint.offset as usize];
                let name = before
                    .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or_default();
                (name.to_string(), hint.label)
            })
            .collect()
    }

    #[test]
    fn widened_types_after_unannotated_names() {
        let got = hints(
            "let port = 5000; name = \"mlflow\"; hosts = [ \"a\" \"b\" ]; typed :: Int = 1; in x: port",
        );
        assert!(got.contains(&("port".into(), ":: Int".into())), "{got:?}");
        assert!(
            got.contains(&("name".into(), ":: String".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("hosts".into(), ":: [String]".into())),
            "{got:?}"
        );
        assert!(!got.iter().any(|(name, _)| name == "typed"), "{got:?}");
    }
}
