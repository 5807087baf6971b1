//! The walk that builds a [`NameResolution`]: scopes are created outside-in, each scope's
//! names are all defined before any expression inside it is looked at (bindings of `let`
//! and `rec` see each other in any order), and every reference is resolved where it
//! occurs.

use super::{
    DefId, DefKind, Definition, Inherit, NameResolution, RefKind, Reference, Scope, ScopeId,
    ScopeKind,
};
use crate::syntax::walk;
use crate::syntax::{
    AttrName, AttrNameKind, Binding, BindingKind, Expr, ExprKind, Name, Param, Span, TypeExpr,
    TypeExprKind,
};
use indexmap::map::Entry;

/// Resolves every name of the tree `root`; `globals` are the names visible everywhere.
pub fn resolve(root: &Expr, globals: &[&str]) -> NameResolution {
    let mut resolver = Resolver {
        out: NameResolution {
            globals: globals.iter().map(|name| Name::from(*name)).collect(),
            ..NameResolution::default()
        },
        current: None,
    };
    resolver.expr(root);
    resolver
        .out
        .references
        .sort_by_key(|reference| (reference.span.start, reference.span.end));
    resolver.out
}

struct Resolver {
    out: NameResolution,
    /// The innermost scope at the point of the walk.
    current: Option<ScopeId>,
}

/// What kind of scope a set of bindings defines names into.
#[derive(Clone, Copy)]
enum Binder {
    Let,
    Rec,
}

impl Resolver {
    fn expr(&mut self, expr: &Expr) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_inner(expr));
    }

    fn expr_inner(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Var(name) => self.reference(name, expr.span, RefKind::Var, self.current),
            ExprKind::AttrSet {
                rec: false,
                bindings,
            } => {
                let kind = RefKind::Inherit { defines: None };
                self.binding_uses(bindings, true, kind, self.current);
            }
            ExprKind::AttrSet {
                rec: true,
                bindings,
            } => {
                // Dynamic names of a recursive set are evaluated outside it.
                for binding in bindings {
                    if let BindingKind::Attr { path, .. } = &binding.kind {
                        walk::attr_path(path, &mut |e| self.expr(e));
                    }
                }
                self.binding_scope(Binder::Rec, bindings, expr.span, None);
            }
            ExprKind::Let { bindings, body } => {
                self.binding_scope(Binder::Let, bindings, expr.span, Some(body));
            }
            ExprKind::With { scope, body } => {
                self.expr(scope);
                let id = self.push_scope(ScopeKind::With { scope: scope.span }, body.span);
                self.expr(body);
                self.pop_scope(id);
            }
            ExprKind::Annotated { expr: inner, ty } => {
                self.type_uses(ty);
                self.expr(inner);
            }
            ExprKind::Lambda { param, body } => {
                // Parameter types are read in the scope around the function.
                match &**param {
                    Param::Ident { ty: Some(ty), .. } => self.type_uses(ty),
                    Param::Ident { ty: None, .. } => {}
                    Param::Pattern { fields, .. } => {
                        for ty in fields.iter().filter_map(|f| f.ty.as_ref()) {
                            self.type_uses(ty);
                        }
                    }
                }
                let id = self.push_scope(ScopeKind::Lambda, expr.span);
                match &**param {
                    Param::Ident { name, span, .. } => {
                        self.define(id, name, *span, DefKind::Param, *span);
                    }
                    Param::Pattern { fields, bind, .. } => {
                        for field in fields {
                            self.define(id, &field.name, field.span, DefKind::PatField, field.span);
                        }
                        if let Some((name, span)) = bind {
                            self.define(id, name, *span, DefKind::PatBind, *span);
                        }
                        for default in fields.iter().filter_map(|f| f.default.as_ref()) {
                            self.expr(default);
                        }
                    }
                }
                self.expr(body);
                self.pop_scope(id);
            }
            _ => walk::for_each_child(expr, &mut |child| self.expr(child)),
        }
    }

    /// The scope of a `let` (with its body) or a `rec` set: define every name first, then
    /// resolve the values inside it and the names of `inherit x;` outside it.
    fn binding_scope(
        &mut self,
        binder: Binder,
        bindings: &[Binding],
        span: Span,
        body: Option<&Expr>,
    ) {
        let outer = self.current;
        let id = self.push_scope(
            match binder {
                Binder::Let => ScopeKind::Let,
                Binder::Rec => ScopeKind::RecSet,
            },
            span,
        );
        // About one name a binding: grown once, not step by step.
        self.out.scopes[id.0 as usize].names.reserve(bindings.len());
        self.out.definitions.reserve(bindings.len());
        let kind = |inherit| match binder {
            Binder::Let => DefKind::Let { inherit },
            Binder::Rec => DefKind::RecAttr { inherit },
        };
        for binding in bindings {
            match &binding.kind {
                BindingKind::Attr { path, .. } => {
                    if let Some(AttrName {
                        kind: AttrNameKind::Static(name),
                        span: name_span,
                    }) = path.first()
                    {
                        self.define(id, name, *name_span, kind(Inherit::No), binding.span);
                    }
                }
                BindingKind::Inherit { from, names } => {
                    let inherit = if from.is_some() {
                        Inherit::From
                    } else {
                        Inherit::Lexical
                    };
                    for name in names {
                        if let AttrNameKind::Static(text) = &name.kind {
                            self.define(id, text, name.span, kind(inherit), binding.span);
                        }
                    }
                }
                // Types live in their own namespace.
                BindingKind::TypeDecl { .. } => {}
            }
        }
        // Dynamic names are an evaluation error in `let`; resolve them anyway. Those of a
        // `rec` set were resolved outside it.
        let dynamic_names = matches!(binder, Binder::Let);
        let kind = RefKind::Inherit { defines: Some(id) };
        self.binding_uses(bindings, dynamic_names, kind, outer);
        if let Some(body) = body {
            self.expr(body);
        }
        self.pop_scope(id);
    }

    /// Resolves what bindings read: dynamic names (with `dynamic_names`), values and
    /// `inherit (from)` sources in the current scope, and the names of `inherit x;` as
    /// references of `kind` looked up in `inherit_scope`.
    fn binding_uses(
        &mut self,
        bindings: &[Binding],
        dynamic_names: bool,
        kind: RefKind,
        inherit_scope: Option<ScopeId>,
    ) {
        for binding in bindings {
            if let Some(ty) = &binding.ty {
                self.type_uses(ty);
            }
            match &binding.kind {
                BindingKind::Attr { path, value } => {
                    if dynamic_names {
                        walk::attr_path(path, &mut |e| self.expr(e));
                    }
                    self.expr(value);
                }
                BindingKind::Inherit {
                    from: Some(from), ..
                } => self.expr(from),
                BindingKind::Inherit { from: None, names } => {
                    self.inherited_names(names, kind, inherit_scope);
                }
                BindingKind::TypeDecl { ty, .. } => self.type_uses(ty),
            }
        }
    }

    /// The variables a type reads: the module of a qualified name (`lib` in `lib.Pair`).
    /// Field defaults are constants, read in the global scope only (the type checker
    /// checks them), so they read no variable.
    fn type_uses(&mut self, ty: &TypeExpr) {
        if let TypeExprKind::Name(segments) = &ty.kind {
            if let [(module, span), _, ..] = segments.as_slice() {
                self.reference(module, *span, RefKind::Var, self.current);
            }
        }
        crate::syntax::walk::for_each_type_child(ty, &mut |child| self.type_uses(child));
    }

    fn inherited_names(&mut self, names: &[AttrName], kind: RefKind, scope: Option<ScopeId>) {
        for name in names {
            if let AttrNameKind::Static(text) = &name.kind {
                self.reference(text, name.span, kind, scope);
            }
        }
    }

    fn push_scope(&mut self, kind: ScopeKind, span: Span) -> ScopeId {
        let id = ScopeId(self.out.scopes.len() as u32);
        self.out.scopes.push(Scope {
            parent: self.current,
            kind,
            span,
            names: Default::default(),
        });
        self.current = Some(id);
        id
    }

    fn pop_scope(&mut self, id: ScopeId) {
        self.current = self.out.scope(id).parent;
    }

    /// Defines `name` in `scope`, or adds `span` to its definition there.
    fn define(&mut self, scope: ScopeId, name: &Name, span: Span, kind: DefKind, binding: Span) {
        if name.is_empty() {
            // A name the parser made up while recovering from an error.
            return;
        }
        // One search of the scope's names, whether the name is new or extended.
        let definitions = &mut self.out.definitions;
        match self.out.scopes[scope.0 as usize].names.entry(name.clone()) {
            Entry::Occupied(defined) => definitions[defined.get().0 as usize].spans.push(span),
            Entry::Vacant(new) => {
                new.insert(DefId(definitions.len() as u32));
                definitions.push(Definition {
                    name: name.clone(),
                    kind,
                    spans: smallvec::smallvec![span],
                    binding_span: binding,
                    scope,
                });
            }
        }
    }

    fn reference(&mut self, name: &Name, span: Span, kind: RefKind, scope: Option<ScopeId>) {
        if name.is_empty() {
            return;
        }
        let resolution = self.out.lookup(scope, name);
        self.out.references.push(Reference {
            name: name.clone(),
            span,
            scope,
            kind,
            resolution,
        });
    }
}
