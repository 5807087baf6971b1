//! The shape of a binding list whose names are all static (`{ a = 1; b.c = 2; inherit d; }`):
//! its names sorted, nested paths grouped into their sets, worked out once per evaluation
//! and kept by the address of the list. Building such a set again is then one pass that
//! makes the values' thunks in name order: no map, no sort and no name copied.
//!
//! A list with a dynamic name, a name defined twice, or a set written in pieces that merge
//! (`a = { x = 1; }; a.y = 2;`) has no shape; [`super::attrs`] assembles those binding by
//! binding, and reports the errors.

use crate::syntax::{AttrName, AttrNameKind, Binding, BindingKind, Expr, Span, TypeExpr};
use std::rc::Rc;

/// One name of a set, in name order.
pub struct Field<'a> {
    pub name: Rc<str>,
    /// Where the name is written (the last name of a path, or the `inherit`ed name).
    pub span: Span,
    pub value: FieldValue<'a>,
}

pub enum FieldValue<'a> {
    /// `name = value;`, with its annotation; `literal` the ready thunk of a literal value
    /// without one (see [`super::machine::Evaluator::set_shape`]), shared by every build.
    Value {
        value: &'a Expr,
        ty: Option<&'a TypeExpr>,
        literal: Option<super::value::Thunk<'a>>,
    },
    /// `inherit name;`, or `inherit (from) name;` with `from` the `index`th binding's.
    Inherit {
        key: &'a str,
        from: Option<(usize, &'a Expr)>,
    },
    /// `name.rest = ...;`: a set of the nested fields.
    Nested(Box<[Field<'a>]>),
}

/// A binding's remaining path and what it binds, while the shape is worked out.
struct Item<'a> {
    path: &'a [AttrName],
    span: Span,
    what: What<'a>,
}

#[derive(Clone, Copy)]
enum What<'a> {
    Value(&'a Binding, &'a Expr),
    Inherit(&'a str, Option<(usize, &'a Expr)>),
}

/// The shape of `bindings`, or `None` when the list must be assembled binding by binding.
/// `intern` gives the shared copy of a name.
pub fn shape_of<'a>(
    bindings: &'a [Binding],
    intern: &mut impl FnMut(&'a str) -> Rc<str>,
) -> Option<Box<[Field<'a>]>> {
    let mut items = Vec::with_capacity(bindings.len());
    for (index, binding) in bindings.iter().enumerate() {
        match &binding.kind {
            BindingKind::TypeDecl { .. } => {}
            BindingKind::Inherit { from, names } => {
                let from = from.as_deref().map(|from| (index, from));
                for name in names {
                    // A computed name is skipped by the assembly too.
                    if let AttrNameKind::Static(key) = &name.kind {
                        items.push(Item {
                            path: std::slice::from_ref(name),
                            span: name.span,
                            what: What::Inherit(key, from),
                        });
                    }
                }
            }
            BindingKind::Attr { path, value } => {
                let static_path = path
                    .iter()
                    .all(|name| matches!(name.kind, AttrNameKind::Static(_)));
                let last = path.last()?;
                if !static_path {
                    return None;
                }
                items.push(Item {
                    path,
                    span: last.span,
                    what: What::Value(binding, value),
                });
            }
        }
    }
    group(items, intern)
}

/// The fields of `items` by their first name; `None` if a name is bound twice or a value
/// and a nested path share a name (which the assembly merges or reports).
fn group<'a>(
    mut items: Vec<Item<'a>>,
    intern: &mut impl FnMut(&'a str) -> Rc<str>,
) -> Option<Box<[Field<'a>]>> {
    items.sort_by(|a, b| first_name(a).cmp(first_name(b)));
    let mut fields = Vec::with_capacity(items.len());
    let mut items = items.into_iter().peekable();
    while let Some(item) = items.next() {
        let name = first_name(&item);
        if item.path.len() == 1 {
            if items.peek().is_some_and(|next| first_name(next) == name) {
                return None;
            }
            let value = match item.what {
                What::Value(binding, value) => FieldValue::Value {
                    value,
                    ty: binding.ty.as_ref(),
                    literal: None,
                },
                What::Inherit(key, from) => FieldValue::Inherit { key, from },
            };
            fields.push(Field {
                name: intern(name),
                span: item.span,
                value,
            });
            continue;
        }
        let mut nested = vec![Item {
            path: &item.path[1..],
            ..item
        }];
        while let Some(next) = items.next_if(|next| first_name(next) == name) {
            if next.path.len() == 1 {
                return None;
            }
            nested.push(Item {
                path: &next.path[1..],
                ..next
            });
        }
        fields.push(Field {
            name: intern(name),
            span: item.path[0].span,
            value: FieldValue::Nested(group(nested, intern)?),
        });
    }
    Some(fields.into_boxed_slice())
}

fn first_name<'a>(item: &Item<'a>) -> &'a str {
    match &item.path[0].kind {
        AttrNameKind::Static(name) => name,
        // Only static paths become items.
        AttrNameKind::Dynamic(_) => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, ExprKind};

    fn names(source: &str) -> Option<Vec<String>> {
        let parse = parse(source);
        assert!(parse.errors.is_empty(), "{:?}", parse.errors);
        let ExprKind::AttrSet { bindings, .. } = &parse.root.kind else {
            panic!("not a set")
        };
        let fields = shape_of(bindings, &mut |name: &str| Rc::from(name))?;
        fn walk(prefix: &str, fields: &[Field<'_>], out: &mut Vec<String>) {
            for field in fields {
                let name = format!("{prefix}{}", field.name);
                match &field.value {
                    FieldValue::Nested(inner) => walk(&format!("{name}."), inner, out),
                    _ => out.push(name),
                }
            }
        }
        let mut out = Vec::new();
        walk("", &fields, &mut out);
        Some(out)
    }

    #[test]
    fn static_names_are_sorted_and_paths_grouped() {
        assert_eq!(
            names("{ b = 1; a.y = 2; inherit c; a.x.z = 3; type T = int; }"),
            Some(vec!["a.x.z".into(), "a.y".into(), "b".into(), "c".into()])
        );
        assert_eq!(names("{ }"), Some(Vec::new()));
    }

    #[test]
    fn what_the_assembly_must_see_has_no_shape() {
        // Defined twice, a value merged with a path, a computed name.
        assert_eq!(names("{ a = 1; a = 2; }"), None);
        assert_eq!(names("{ a.x = 1; a.x = 2; }"), None);
        assert_eq!(names("{ a = { x = 1; }; a.y = 2; }"), None);
        assert_eq!(names("{ a.y = 2; a = { x = 1; }; }"), None);
        assert_eq!(names("{ inherit a; a = 1; }"), None);
        assert_eq!(names("{ ${\"a\"} = 1; }"), None);
        assert_eq!(names("{ a.${\"b\"} = 1; }"), None);
    }
}
