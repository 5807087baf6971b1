//! Finding things in a syntax tree by position: the expression at a span, and the attribute
//! name under the cursor with what it belongs to.

use mlc::syntax::walk;
use mlc::syntax::{AttrName, AttrNameKind, Binding, BindingKind, Expr, ExprKind, Span};

/// The innermost child of `expr` whose span contains `span`.
fn child_containing(expr: &Expr, span: Span) -> Option<&Expr> {
    let mut found = None;
    walk::for_each_child(expr, &mut |child| {
        if found.is_none() && child.span.start <= span.start && span.end <= child.span.end {
            found = Some(child);
        }
    });
    found
}

/// The expression written exactly at `span`, if any (the outermost one when several share it).
pub fn expr_at(root: &Expr, span: Span) -> Option<&Expr> {
    let mut current = root;
    loop {
        if current.span == span {
            return Some(current);
        }
        current = child_containing(current, span)?;
    }
}

/// The chain of expressions from `root` down to the innermost one containing `offset`.
pub fn ancestors_at(root: &Expr, offset: u32) -> Vec<&Expr> {
    let mut chain = vec![root];
    let point = Span {
        start: offset,
        end: offset,
    };
    let mut current = root;
    while let Some(child) = child_containing(current, point) {
        chain.push(child);
        current = child;
    }
    chain
}

/// An attribute name under the cursor and the construct it belongs to.
#[derive(Clone, Copy, Debug)]
pub enum AttrSite<'a> {
    /// `receiver.a.b`: the component `path[index]` of a selection (or `?` test).
    Select {
        receiver: &'a Expr,
        path: &'a [AttrName],
        index: usize,
    },
    /// `inherit (from) name;`: `name` is read from `from`.
    InheritFrom { from: &'a Expr, name: &'a AttrName },
    /// A name in the path of a binding of the set or `let` `owner`.
    Binding {
        owner: &'a Expr,
        binding: &'a Binding,
        index: usize,
    },
}

/// The name of a site that has none.
static NO_NAME: std::sync::LazyLock<AttrName> = std::sync::LazyLock::new(|| AttrName {
    kind: mlc::syntax::AttrNameKind::Static("".into()),
    span: mlc::syntax::Span::default(),
});

impl<'a> AttrSite<'a> {
    /// The attribute name itself.
    pub fn name(&self) -> &'a AttrName {
        match *self {
            AttrSite::Select { path, index, .. } => &path[index],
            AttrSite::InheritFrom { name, .. } => name,
            AttrSite::Binding { binding, index, .. } => match &binding.kind {
                BindingKind::Attr { path, .. } => &path[index],
                BindingKind::Inherit { names, .. } => &names[index],
                // Type declarations have no attribute sites (`attr_sites` makes none).
                BindingKind::TypeDecl { .. } => &NO_NAME,
            },
        }
    }
}

/// Every static attribute name written in `expr` itself (not in its children).
pub fn attr_sites(expr: &Expr) -> Vec<AttrSite<'_>> {
    let mut sites = Vec::new();
    match &expr.kind {
        ExprKind::Select {
            expr: receiver,
            path,
            ..
        }
        | ExprKind::HasAttr {
            expr: receiver,
            path,
        } => {
            for index in 0..path.len() {
                sites.push(AttrSite::Select {
                    receiver,
                    path,
                    index,
                });
            }
        }
        ExprKind::AttrSet { bindings, .. } | ExprKind::Let { bindings, .. } => {
            for binding in bindings {
                match &binding.kind {
                    BindingKind::Attr { path, .. } => {
                        for index in 0..path.len() {
                            sites.push(AttrSite::Binding {
                                owner: expr,
                                binding,
                                index,
                            });
                        }
                    }
                    BindingKind::Inherit {
                        from: Some(from),
                        names,
                    } => {
                        for name in names {
                            sites.push(AttrSite::InheritFrom { from, name });
                        }
                    }
                    BindingKind::TypeDecl { .. } => {}
                    BindingKind::Inherit { from: None, names } => {
                        for index in 0..names.len() {
                            sites.push(AttrSite::Binding {
                                owner: expr,
                                binding,
                                index,
                            });
                        }
                    }
                }
            }
        }
        _ => {}
    }
    sites.retain(|site| matches!(site.name().kind, AttrNameKind::Static(_)));
    sites
}

/// The static attribute name under the cursor, searching from the innermost expression out.
pub fn attr_site_at(root: &Expr, offset: u32) -> Option<AttrSite<'_>> {
    ancestors_at(root, offset)
        .into_iter()
        .rev()
        .find_map(|expr| {
            attr_sites(expr)
                .into_iter()
                .find(|site| site.name().span.contains(offset))
        })
}

/// Calls `f` on every expression of the tree, parents before children.
pub fn for_each_expr<'a>(root: &'a Expr, f: &mut impl FnMut(&'a Expr)) {
    // An explicit stack: user trees can be deep.
    let mut stack = vec![root];
    while let Some(expr) = stack.pop() {
        f(expr);
        let start = stack.len();
        walk::for_each_child(expr, &mut |child| stack.push(child));
        stack[start..].reverse();
    }
}

/// The text of a static attribute name.
pub fn static_name(name: &AttrName) -> Option<&str> {
    match &name.kind {
        AttrNameKind::Static(text) => Some(text),
        AttrNameKind::Dynamic(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mlc::syntax::parse;

    #[test]
    fn finds_expressions_and_attribute_names() {
        let source = "let s = { a.b = 1; }; in s.a.b + (s ? a)";
        let parse = parse(source);
        let root = &parse.root;
        let b = source.rfind(".b").map(|i| i as u32 + 1).unwrap_or(0);
        let Some(AttrSite::Select {
            receiver,
            path,
            index,
        }) = attr_site_at(root, b)
        else {
            panic!("no select at {b}");
        };
        assert_eq!(&source[receiver.span.range()], "s");
        assert_eq!((path.len(), index), (2, 1));
        let Some(AttrSite::Binding { index, .. }) = attr_site_at(root, 12) else {
            panic!("no binding name");
        };
        assert_eq!(index, 1);
        let inner = expr_at(root, Span::new(8, 20));
        assert!(matches!(
            inner.map(|e| &e.kind),
            Some(ExprKind::AttrSet { .. })
        ));
        let mut count = 0;
        for_each_expr(root, &mut |_| count += 1);
        assert!(count > 5);
    }
}
