//! Scopes: the frames of the scopes being walked (`let`, `rec { }`, lambdas, `with`),
//! keyed by the definitions name resolution found, and the type of what a variable refers
//! to. `let` and `rec` definitions are typed lazily, once per frame.

use super::{Checker, Def, Entered, Env, Frame, FrameKind, TypeScope, ValueDef};
use crate::names::{DefId, Resolution, ScopeId};
use crate::syntax::{AttrName, AttrNameKind, Binding, BindingKind, Span};
use crate::types::prelude;
use crate::types::ty::Type;
use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

impl<'a> Checker<'a> {
    /// Enters a frame for `scope`.
    fn enter(&mut self, scope: ScopeId, kind: FrameKind<'a>) -> Entered<'a> {
        self.frames_made += 1;
        let frame = Rc::new(Frame {
            id: self.frames_made,
            kind,
        });
        self.resolved
            .frames
            .entry(scope)
            .or_default()
            .push(frame.clone());
        Some((scope, frame))
    }

    /// Leaves a frame entered by [`Self::enter`].
    pub(super) fn leave(&mut self, entered: Entered<'a>) {
        if let Some((scope, _)) = entered {
            if let Some(frames) = self.resolved.frames.get_mut(&scope) {
                frames.pop();
            }
        }
    }

    /// The definition whose name is written at `span`.
    fn definition_at(&self, span: Span) -> Option<DefId> {
        self.resolved.defs.get(&span.start).copied()
    }

    /// The scope of the bindings of a `let` or a set: their type declarations, and, with
    /// `values` (a `let` or `rec { }`), a frame for their definitions.
    pub(super) fn enter_bindings(
        &mut self,
        bindings: &'a [Binding],
        values: bool,
        parent: &Env<'a>,
    ) -> (Env<'a>, Entered<'a>) {
        let types = bindings
            .iter()
            .filter_map(|binding| match &binding.kind {
                BindingKind::TypeDecl { name, .. } => Some((name.clone(), binding)),
                _ => None,
            })
            .collect();
        let env = Some(Rc::new(TypeScope {
            types,
            parent: parent.clone(),
        }));
        if !values {
            return (env, None);
        }
        let mut value_defs: HashMap<DefId, ValueDef<'a>> = HashMap::default();
        for binding in bindings {
            match &binding.kind {
                BindingKind::Attr { path, .. } => {
                    let Some(AttrName {
                        kind: AttrNameKind::Static(_),
                        span,
                    }) = path.first()
                    else {
                        continue;
                    };
                    let Some(def) = self.definition_at(*span) else {
                        continue;
                    };
                    match value_defs
                        .entry(def)
                        .or_insert_with(|| ValueDef::Bindings(Vec::new()))
                    {
                        ValueDef::Bindings(list) => list.push(binding),
                        ValueDef::Inherit { .. } => {}
                    }
                }
                BindingKind::Inherit { from, names } => {
                    for name in names {
                        let Some(def) = self.definition_at(name.span) else {
                            continue;
                        };
                        value_defs.insert(
                            def,
                            ValueDef::Inherit {
                                from: from.as_deref(),
                                span: name.span,
                            },
                        );
                    }
                }
                BindingKind::TypeDecl { .. } => {}
            }
        }
        let Some(&def) = value_defs.keys().next() else {
            // Nothing here can be referred to.
            return (env, None);
        };
        let scope = self.resolved.names.definition(def).scope;
        let kind = FrameKind::Values {
            values: value_defs,
            env: env.clone(),
        };
        let entered = self.enter(scope, kind);
        (env, entered)
    }

    /// A frame for a lambda's parameters (each by the span of its name).
    pub(super) fn enter_params(&mut self, params: Vec<(Span, Type)>) -> Entered<'a> {
        let params: HashMap<DefId, Type> = params
            .into_iter()
            .filter_map(|(span, ty)| Some((self.definition_at(span)?, ty)))
            .collect();
        let &def = params.keys().next()?;
        let scope = self.resolved.names.definition(def).scope;
        self.enter(scope, FrameKind::Params(params))
    }

    /// A frame for the body of `with scope; body`, where names may come from `scope`.
    pub(super) fn enter_with(&mut self, body: Span, scope_ty: Type) -> Entered<'a> {
        let scope = *self.resolved.withs.get(&(body.start, body.end))?;
        self.enter(scope, FrameKind::With(scope_ty))
    }

    /// The type of the variable written at `span`, as name resolution resolved it; `None`
    /// if nothing binds it (name resolution reports that).
    pub(in crate::types) fn lookup(&mut self, span: Span) -> Option<Type> {
        let reference = self.resolved.names.reference_spanning(span)?;
        let (name, resolution) = (reference.name.clone(), reference.resolution);
        match resolution {
            Resolution::Local(def) => Some(self.definition_type(def)),
            Resolution::Global => prelude::global_type(&name),
            Resolution::With(scope) => self.with_type(scope, &name),
            Resolution::Unbound => None,
        }
    }

    /// The definition the variable written at `span` refers to, if it is one of the file.
    pub(in crate::types) fn local(&self, span: Span) -> Option<DefId> {
        match self.resolved.names.reference_spanning(span)?.resolution {
            Resolution::Local(def) => Some(def),
            _ => None,
        }
    }

    /// The type of a definition, in the innermost walk of its scope.
    fn definition_type(&mut self, def: DefId) -> Type {
        let scope = self.resolved.names.definition(def).scope;
        let Some(frame) = self.resolved.frame(scope) else {
            self.missing_frames += 1;
            return Type::Dyn;
        };
        match &frame.kind {
            FrameKind::Values { .. } => self.value_def_type(&frame, def),
            FrameKind::Params(params) => params.get(&def).cloned().unwrap_or(Type::Dyn),
            FrameKind::With(_) => Type::Dyn,
        }
    }

    /// The type of `name` when only a `with` around may provide it: the innermost `with`
    /// whose set may have it.
    fn with_type(&mut self, scope: ScopeId, name: &str) -> Option<Type> {
        for id in self.resolved.names.enclosing_withs(Some(scope)) {
            let Some(frame) = self.resolved.frame(id) else {
                self.missing_frames += 1;
                return Some(Type::Dyn);
            };
            let FrameKind::With(ty) = &frame.kind else {
                continue;
            };
            match ty.shape() {
                Type::Record(record) => {
                    if let Some(field) = record.field(name) {
                        return Some(field.ty.clone());
                    }
                    if record.open {
                        return Some(Type::Dyn);
                    }
                }
                _ => return Some(Type::Dyn),
            }
        }
        None
    }

    /// The type of a `let`/`rec` definition, computed once per frame.
    fn value_def_type(&mut self, frame: &Rc<Frame<'a>>, def: DefId) -> Type {
        let key = (frame.id, def);
        if let Some(ty) = self.memo.get(&key) {
            return ty.clone();
        }
        if !self.in_progress.insert(key) {
            // Needed to compute itself (legal when lazy, e.g. a recursive function).
            return Type::Dyn;
        }
        let ty = match &frame.kind {
            FrameKind::Values { values, env } => match values.get(&def) {
                Some(ValueDef::Bindings(bindings)) => {
                    let defs: Vec<Def<'a>> = bindings
                        .iter()
                        .filter_map(|binding| match &binding.kind {
                            BindingKind::Attr { path, value } => Some(Def {
                                path: &path[1..],
                                value,
                                binding,
                            }),
                            _ => None,
                        })
                        .collect();
                    let defs = self.merge_definitions(defs);
                    let ty = self.defs_type(&defs, env);
                    if let Some(BindingKind::Attr { path, .. }) = bindings.first().map(|b| &b.kind)
                    {
                        if let Some(head) = path.first() {
                            self.definitions.insert(head.span.start, ty.clone());
                        }
                    }
                    ty
                }
                Some(&ValueDef::Inherit { from, span }) => match from {
                    Some(from) => {
                        let outer = env.as_ref().and_then(|scope| scope.parent.clone());
                        let source = self.synth(from, &outer);
                        let name = self.resolved.names.definition(def).name.clone();
                        self.select_field(&source, &name, span, false)
                    }
                    None => self.lookup(span).unwrap_or(Type::Dyn),
                },
                None => Type::Dyn,
            },
            _ => Type::Dyn,
        };
        self.in_progress.remove(&key);
        self.memo.insert(key, ty.clone());
        ty
    }

    /// Types every binding of a scope (so errors in unused ones are reported too): the
    /// values of its frame, in name order, then its type declarations.
    pub(super) fn force_scope(&mut self, env: &Env<'a>, entered: &Entered<'a>) {
        if let Some((_, frame)) = entered {
            if let FrameKind::Values { values, .. } = &frame.kind {
                let names = &self.resolved.names;
                let mut defs: Vec<DefId> = values.keys().copied().collect();
                defs.sort_by(|a, b| names.definition(*a).name.cmp(&names.definition(*b).name));
                for def in defs {
                    self.value_def_type(frame, def);
                }
            }
        }
        let Some(scope) = env else { return };
        let mut decls: Vec<&'a Binding> = scope.types.values().copied().collect();
        decls.sort_by_key(|b| b.span.start);
        for decl in decls {
            self.type_decl(decl, env);
        }
    }
}
