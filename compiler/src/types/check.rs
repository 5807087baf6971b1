//! The type checker of one file: walks the tree once, inferring a type for every
//! expression (`synth`) or checking it against the type its context expects (`check`,
//! which reaches into attribute sets, lists, branches and lambdas so errors point at the
//! exact key or element).
//!
//! Variables are not looked up here: name resolution ([`crate::names`], the file's
//! `name_resolution`) says what each one refers to (a definition, a global, "maybe from
//! `with`"), and the checker keeps a type per definition. Since one scope may be walked
//! more than once (when an expected type flows into it again), each walk of a scope has
//! its own [`Frame`] of types, found by the scope's id: the innermost walk's. `let` and
//! `rec` bindings are typed lazily, when first looked up (or at the end of their scope),
//! once per frame, with a guard that makes a binding that needs its own type `Dyn`
//! instead of looping. Type names (`type T = ...;`) are a namespace of their own that name
//! resolution does not cover: [`Env`] holds the declarations in scope. Names the checker
//! cannot see through (`with` of an unknown set, dynamic keys, imports it cannot resolve)
//! are `Dyn`.

use super::compat::{compat, Mismatch};
use super::merge::def_key;
use super::prelude;
use super::report;
use super::ty::{Field, Record, Site, Type};
use super::TypeHost;
use crate::diagnostic::{Diagnostic, FileName};
use crate::names::{self, DefId, NameResolution, Resolution, ScopeId};
use crate::syntax::{
    AttrName, AttrNameKind, BinaryOp, Binding, BindingKind, Expr, ExprKind, Param, Span, StrPart,
    TypeExpr, UnaryOp,
};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

/// The type declarations in scope, innermost first: `let`, `rec { }` and plain sets
/// declare types for everything inside them.
pub(super) type Env<'a> = Option<Rc<TypeScope<'a>>>;

pub(super) struct TypeScope<'a> {
    pub types: HashMap<Arc<str>, &'a Binding>,
    pub parent: Env<'a>,
}

/// The types of one walk of a scope that name resolution found.
pub(super) struct Frame<'a> {
    /// Unique among the frames of one check: with a definition, what its type is
    /// remembered by.
    pub id: u32,
    pub kind: FrameKind<'a>,
}

pub(super) enum FrameKind<'a> {
    /// The definitions of a `let` or `rec { }`, and the type declarations their values see.
    Values {
        values: HashMap<DefId, ValueDef<'a>>,
        env: Env<'a>,
    },
    /// A lambda's parameters.
    Params(HashMap<DefId, Type>),
    /// `with e;`: the type of `e`.
    With(Type),
}

/// A frame entered for a scope, until [`Checker::leave`].
pub(super) type Entered<'a> = Option<(ScopeId, Rc<Frame<'a>>)>;

/// A name bound by `let` or `rec`: the bindings that define it (`a.b = 1; a.c = 2;` are two).
pub(super) enum ValueDef<'a> {
    Bindings(Vec<&'a Binding>),
    /// `inherit x;` (from the enclosing scope) or `inherit (e) x;`.
    Inherit {
        from: Option<&'a Expr>,
        span: Span,
    },
}

/// What name resolution found in the text being checked (the file, or a field default,
/// which is resolved on its own: only global names are visible there), and the frames of
/// its scopes being walked.
pub(super) struct Resolved<'a> {
    pub names: Cow<'a, NameResolution>,
    /// The definition whose name is written at an offset.
    defs: HashMap<u32, DefId>,
    /// The `with` scope of a body, by the body's span.
    withs: HashMap<(u32, u32), ScopeId>,
    /// The frames of each scope being walked, innermost walk last.
    frames: HashMap<ScopeId, Vec<Rc<Frame<'a>>>>,
}

impl<'a> Resolved<'a> {
    pub fn new(names: Cow<'a, NameResolution>) -> Self {
        let mut defs = HashMap::new();
        for (index, definition) in names.definitions.iter().enumerate() {
            for span in &definition.spans {
                defs.insert(span.start, DefId(index as u32));
            }
        }
        let withs = names
            .scopes
            .iter()
            .enumerate()
            .filter(|(_, scope)| matches!(scope.kind, names::ScopeKind::With { .. }))
            .map(|(index, scope)| ((scope.span.start, scope.span.end), ScopeId(index as u32)))
            .collect();
        Resolved {
            names,
            defs,
            withs,
            frames: HashMap::new(),
        }
    }

    /// The frame of the innermost walk of `scope`.
    pub(super) fn frame(&self, scope: ScopeId) -> Option<Rc<Frame<'a>>> {
        self.frames.get(&scope)?.last().cloned()
    }
}

/// Memo key of a `let`/`rec` definition's type: the frame and the definition.
type MemoKey = (u32, DefId);

pub(super) struct Checker<'a> {
    pub file: FileName,
    pub host: &'a dyn TypeHost,
    /// What each name refers to, and the frames of the scopes being walked.
    pub(super) resolved: Resolved<'a>,
    /// The number of frames made so far (the next frame's id).
    frames_made: u32,
    /// References to a definition whose scope had no frame: always 0, unless the walk and
    /// name resolution disagree (the tests check it).
    pub(super) missing_frames: u32,
    pub diagnostics: Vec<Diagnostic>,
    /// The lowered type of every annotation, by the start of its type expression.
    pub annotations: HashMap<u32, Type>,
    /// The type of every name where it is defined (for hover), by the name's span start.
    pub definitions: HashMap<u32, Type>,
    memo: HashMap<MemoKey, Type>,
    in_progress: HashSet<MemoKey>,
    pub(super) type_memo: RefCell<HashMap<usize, Type>>,
    pub(super) type_in_progress: RefCell<HashSet<usize>>,
    /// Inside a record field's default, where only global names may be used.
    pub(super) in_default: u32,
    /// Where the type being checked against was declared, innermost last: the second
    /// label of a mismatch ("expected because of this").
    pub(super) expected_from: Vec<Site>,
    /// Every attribute set checked against a record type, with that type: what completion
    /// offers inside it.
    pub records: Vec<(Span, Arc<Record>)>,
    /// Every attribute name checked against a declared field: what hover shows and where
    /// go-to-definition leads.
    pub keys: Vec<(Span, Field)>,
    /// Unannotated parameters being inferred from their uses (by the start of the name),
    /// with what each use demands of them.
    inferring: HashMap<u32, Vec<Type>>,
    /// Inside a branch (`if`, the right of `&&`/`||`, `or` defaults): uses there may be
    /// guarded by a type test, so they demand nothing.
    conditional: u32,
    /// Let-bound values being checked through a name (by the start of the value), so that
    /// names bound to each other do not loop (`flow`).
    pub(super) flowing: HashSet<u32>,
    /// Every diagnostic reported so far, to report each once.
    reported: HashSet<Diagnostic>,
}

/// One attribute of a set being built: its remaining path and value.
pub(super) struct Def<'a> {
    pub path: &'a [AttrName],
    pub value: &'a Expr,
    pub binding: &'a Binding,
}

impl<'a> Checker<'a> {
    pub fn new(file: FileName, host: &'a dyn TypeHost, names: &'a NameResolution) -> Self {
        Checker {
            file,
            host,
            resolved: Resolved::new(Cow::Borrowed(names)),
            frames_made: 0,
            missing_frames: 0,
            diagnostics: Vec::new(),
            annotations: HashMap::new(),
            definitions: HashMap::new(),
            memo: HashMap::new(),
            in_progress: HashSet::new(),
            type_memo: RefCell::new(HashMap::new()),
            type_in_progress: RefCell::new(HashSet::new()),
            in_default: 0,
            expected_from: Vec::new(),
            records: Vec::new(),
            keys: Vec::new(),
            inferring: HashMap::new(),
            conditional: 0,
            flowing: HashSet::new(),
            reported: HashSet::new(),
        }
    }

    pub(super) fn site(&self, span: Span) -> Site {
        Site {
            file: self.file.clone(),
            span,
        }
    }

    pub(super) fn error(&mut self, diagnostic: Diagnostic) {
        // A value checked through a name as well as typed where it is written may show the
        // same problem twice.
        if self.reported.insert(diagnostic.clone()) {
            self.diagnostics.push(diagnostic);
        }
    }

    // ---- scopes ----

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
        let mut value_defs: HashMap<DefId, ValueDef<'a>> = HashMap::new();
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
    fn enter_params(&mut self, params: Vec<(Span, Type)>) -> Entered<'a> {
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
    pub(super) fn lookup(&mut self, span: Span) -> Option<Type> {
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
    pub(super) fn local(&self, span: Span) -> Option<DefId> {
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

    // ---- attribute sets ----

    /// The type of the value that `defs` (all sharing one head name, path already
    /// stripped of it) define together.
    fn defs_type(&mut self, defs: &[Def<'a>], env: &Env<'a>) -> Type {
        if let [Def {
            path: [],
            value,
            binding,
        }] = defs
        {
            return self.binding_value(binding, value, env);
        }
        let record = self.record_from_defs(defs, env, None);
        Type::Record(Arc::new(record))
    }

    /// The value of one binding: checked against its annotation if it has one.
    fn binding_value(&mut self, binding: &'a Binding, value: &'a Expr, env: &Env<'a>) -> Type {
        match &binding.ty {
            Some(annotation) => {
                let expected = self.annotation(annotation, env);
                self.check_declared(value, &expected, self.site(annotation.span), env);
                expected
            }
            None => self.synth(value, env),
        }
    }

    /// Checks `value` against a type declared at `declared` (an annotation, a field).
    fn check_declared(&mut self, value: &'a Expr, expected: &Type, declared: Site, env: &Env<'a>) {
        self.expected_from.push(declared);
        self.check(value, expected, env);
        self.expected_from.pop();
    }

    /// A record type from attribute definitions; `expected` (a record type) checks each
    /// field against its declaration as it goes.
    fn record_from_defs(
        &mut self,
        defs: &[Def<'a>],
        env: &Env<'a>,
        expected: Option<&Arc<Record>>,
    ) -> Record {
        let mut record = Record::default();
        let mut groups: Vec<(Arc<str>, Span, Vec<Def<'a>>)> = Vec::new();
        // Each name's group, found by lookup: a set of many fields stays linear.
        let mut group_of: std::collections::HashMap<Arc<str>, usize> =
            std::collections::HashMap::new();
        for def in defs {
            let Some((head, rest)) = def.path.split_first() else {
                // A value merged with nested keys (`a = { }; a.b = 1;`) is rejected by the
                // evaluator; type it and move on.
                self.synth(def.value, env);
                record.open = true;
                continue;
            };
            match &head.kind {
                AttrNameKind::Static(name) => {
                    let sub = Def {
                        path: rest,
                        value: def.value,
                        binding: def.binding,
                    };
                    match group_of.get(name) {
                        Some(&index) => groups[index].2.push(sub),
                        None => {
                            group_of.insert(name.clone(), groups.len());
                            groups.push((name.clone(), head.span, vec![sub]));
                        }
                    }
                }
                AttrNameKind::Dynamic(name_expr) => {
                    // `${null} = v;` leaves the attribute out, as in Nix.
                    self.check(name_expr, &Type::optional(Type::String), env);
                    self.synth(def.value, env);
                    record.open = true;
                }
            }
        }
        for (name, span, group) in groups {
            let group = self.merge_definitions(group);
            let declared = expected.and_then(|r| r.field(&name));
            if let Some(field) = declared {
                self.keys.push((span, field.clone()));
            }
            let ty = match declared {
                Some(field) => {
                    let field_ty = field.ty.clone();
                    if let Some(site) = field.site.clone() {
                        self.expected_from.push(site);
                    }
                    self.check_defs(&group, &field_ty, env);
                    if field.site.is_some() {
                        self.expected_from.pop();
                    }
                    // An annotated value has its annotation's type (already lowered and
                    // checked by `check_defs`: its value is not checked a second time).
                    match group.as_slice() {
                        [Def {
                            path: [],
                            binding:
                                Binding {
                                    ty: Some(annotation),
                                    ..
                                },
                            ..
                        }] => self.annotation(annotation, env),
                        _ => field_ty,
                    }
                }
                None => {
                    if let Some(expected) = expected {
                        if !expected.open {
                            // `server.` of `server.allowed_hosts`, as written.
                            let written = group.first().and_then(def_key).map(|(_, path)| path);
                            let before = written
                                .as_deref()
                                .and_then(|path| path.strip_suffix(&*name))
                                .unwrap_or("")
                                .to_string();
                            let diagnostic =
                                report::unknown_field(self, &name, &before, span, expected);
                            self.error(diagnostic);
                        }
                    }
                    self.defs_type(&group, env)
                }
            };
            let doc = group
                .first()
                .filter(|d| d.path.is_empty())
                .and_then(|d| d.binding.doc.clone());
            record.fields.push(Field {
                name,
                ty,
                default: None,
                doc,
                site: Some(self.site(span)),
                optional: false,
            });
        }
        record
    }

    /// Checks the definitions of one field against the field's type.
    fn check_defs(&mut self, defs: &[Def<'a>], expected: &Type, env: &Env<'a>) {
        if let [Def {
            path: [],
            value,
            binding,
        }] = defs
        {
            match &binding.ty {
                Some(annotation) => {
                    let declared = self.annotation(annotation, env);
                    self.check_declared(value, &declared, self.site(annotation.span), env);
                    if let Err(mismatch) = compat(&declared, expected) {
                        let diagnostic = report::mismatch(self, annotation.span, &mismatch, None);
                        self.error(diagnostic);
                    }
                }
                None => self.check(value, expected, env),
            }
            return;
        }
        match expected_record(expected) {
            Some(record) => {
                let built = self.record_from_defs(defs, env, Some(&record));
                let span = defs.first().map_or(Span::default(), |d| d.binding.span);
                self.missing_fields(&built, &record, span);
            }
            None => {
                let found = self.defs_type(defs, env);
                if let Err(mismatch) = compat(&found, expected) {
                    let span = defs.first().map_or(Span::default(), |d| d.binding.span);
                    let diagnostic = report::mismatch(self, span, &mismatch, None);
                    self.error(diagnostic);
                }
            }
        }
    }

    pub(super) fn missing_fields(&mut self, built: &Record, expected: &Record, span: Span) {
        if built.open {
            return;
        }
        for field in &expected.fields {
            if built.field(&field.name).is_none() && !field.can_be_omitted() {
                let diagnostic = report::missing_field(self, span, field);
                self.error(diagnostic);
            }
        }
    }

    fn attr_set(
        &mut self,
        rec: bool,
        bindings: &'a [Binding],
        env: &Env<'a>,
        expected: Option<&Arc<Record>>,
        span: Span,
    ) -> Type {
        if let Some(expected) = expected {
            self.records.push((span, expected.clone()));
        }
        // The set's own scope: its values if it is `rec`, and always its type declarations,
        // which its annotations see.
        let (inner, entered) = self.enter_bindings(bindings, rec, env);
        let mut defs = Vec::new();
        let mut inherited = Vec::new();
        let mut types = Vec::new();
        for binding in bindings {
            match &binding.kind {
                BindingKind::Attr { path, value } => defs.push(Def {
                    path,
                    value,
                    binding,
                }),
                BindingKind::Inherit { from, names } => {
                    let source = from.as_ref().map(|from| self.synth(from, env));
                    for name in names {
                        let AttrNameKind::Static(text) = &name.kind else {
                            continue;
                        };
                        let ty = match &source {
                            Some(source) => self.select_field(source, text, name.span, false),
                            None => self.lookup(name.span).unwrap_or(Type::Dyn),
                        };
                        inherited.push((text.clone(), name.span, ty));
                    }
                }
                BindingKind::TypeDecl { name, .. } => {
                    let ty = self.type_decl(binding, &inner);
                    types.push((name.clone(), ty));
                }
            }
        }
        let mut record = self.record_from_defs(&defs, &inner, expected);
        for (name, span, ty) in inherited {
            let defined = record
                .field(&name)
                .and_then(|f| f.site.as_ref())
                .map(|s| s.span);
            if let Some(other) = defined {
                // `inherit a; a = 1;`: reported at whichever comes second, as Nix does.
                let (again, first) = if other.start < span.start {
                    (span, other)
                } else {
                    (other, span)
                };
                let diagnostic = report::defined_twice_at(self, &name, again, first);
                self.error(diagnostic);
                continue;
            }
            if let Some(expected) = expected {
                match expected.field(&name) {
                    Some(field) => {
                        if let Err(mismatch) = compat(&ty, &field.ty) {
                            let mismatch = Mismatch::InField {
                                name: name.clone(),
                                inner: Box::new(mismatch),
                            };
                            let diagnostic = report::mismatch(self, span, &mismatch, None);
                            self.error(diagnostic);
                        }
                    }
                    None if !expected.open => {
                        let diagnostic = report::unknown_field(self, &name, "", span, expected);
                        self.error(diagnostic);
                    }
                    None => {}
                }
            }
            record.fields.push(Field {
                name,
                ty,
                default: None,
                doc: None,
                site: Some(self.site(span)),
                optional: false,
            });
        }
        if let Some(expected) = expected {
            let brace = Span::new(span.start as usize, span.start as usize + 1);
            self.missing_fields(&record, expected, brace);
        }
        record.types = types;
        self.leave(entered);
        Type::Record(Arc::new(record))
    }

    // ---- expressions ----

    /// Infers the type of `expr`, reporting what is certainly wrong inside it.
    pub fn synth(&mut self, expr: &'a Expr, env: &Env<'a>) -> Type {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.synth_inner(expr, env))
    }

    fn synth_inner(&mut self, expr: &'a Expr, env: &Env<'a>) -> Type {
        match &expr.kind {
            ExprKind::Int(_) => Type::Int,
            ExprKind::Float(_) => Type::Float,
            ExprKind::Str { parts, .. } => self.string(parts, env),
            ExprKind::Path(parts) => {
                self.string(parts, env);
                Type::Path
            }
            ExprKind::SearchPath(_) => Type::Path,
            ExprKind::Var(name) => self.lookup(expr.span).unwrap_or_else(|| {
                if self.in_default > 0 {
                    let diagnostic = report::non_constant_default(self, name, expr.span);
                    self.error(diagnostic);
                }
                Type::Dyn
            }),
            ExprKind::List(items) => {
                let types = items.iter().map(|item| self.synth(item, env)).collect();
                Type::List(Arc::new(Type::union(types)))
            }
            ExprKind::AttrSet { rec, bindings } => {
                self.attr_set(*rec, bindings, env, None, expr.span)
            }
            ExprKind::Let { bindings, body } => {
                let (inner, entered) = self.enter_bindings(bindings, true, env);
                self.force_scope(&inner, &entered);
                let ty = self.synth(body, &inner);
                self.leave(entered);
                ty
            }
            ExprKind::With { scope, body } => {
                let scope_ty = self.synth(scope, env);
                let entered = self.enter_with(body.span, scope_ty);
                let ty = self.synth(body, env);
                self.leave(entered);
                ty
            }
            ExprKind::If { cond, then_, else_ } => {
                self.check(cond, &Type::Bool, env);
                self.conditional += 1;
                let then_ty = self.synth(then_, env);
                let else_ty = self.synth(else_, env);
                self.conditional -= 1;
                Type::union(vec![then_ty, else_ty])
            }
            ExprKind::Assert { cond, body } => {
                self.check(cond, &Type::Bool, env);
                self.synth(body, env)
            }
            ExprKind::Lambda { param, body } => self.lambda(param, body, env, None),
            ExprKind::Apply { func, arg } => self.apply(expr, func, arg, env),
            ExprKind::Select {
                expr: target,
                path,
                default,
            } => {
                let mut ty = self.synth(target, env);
                let has_default = default.is_some();
                if let (
                    false,
                    Some(AttrName {
                        kind: AttrNameKind::Static(first),
                        ..
                    }),
                ) = (has_default, path.first())
                {
                    // `x.a` demands a set with an `a`.
                    let demand = Type::Record(Arc::new(Record {
                        fields: vec![Field {
                            name: first.clone(),
                            ty: Type::Dyn,
                            default: None,
                            doc: None,
                            site: None,
                            optional: false,
                        }],
                        open: true,
                        types: Vec::new(),
                    }));
                    self.demand(target, demand);
                }
                let mut described = describe(target);
                for name in path {
                    ty = match &name.kind {
                        AttrNameKind::Static(text) => {
                            let ty = self.select_in(
                                &ty,
                                text,
                                name.span,
                                has_default,
                                described.clone(),
                            );
                            described = described.map(|d| format!("{d}.{text}"));
                            ty
                        }
                        AttrNameKind::Dynamic(name_expr) => {
                            self.check(name_expr, &Type::String, env);
                            Type::Dyn
                        }
                    };
                }
                match default {
                    Some(default) => {
                        self.conditional += 1;
                        let default_ty = self.synth(default, env);
                        self.conditional -= 1;
                        Type::union(vec![ty, default_ty])
                    }
                    None => ty,
                }
            }
            ExprKind::HasAttr { expr: target, path } => {
                self.synth(target, env);
                for name in path {
                    if let AttrNameKind::Dynamic(name_expr) = &name.kind {
                        self.check(name_expr, &Type::String, env);
                    }
                }
                Type::Bool
            }
            ExprKind::Binary {
                op,
                op_span,
                lhs,
                rhs,
            } => self.binary(*op, *op_span, lhs, rhs, env),
            ExprKind::Unary { op, expr: operand } => match op {
                UnaryOp::Not => {
                    self.check(operand, &Type::Bool, env);
                    Type::Bool
                }
                UnaryOp::Neg => {
                    let ty = self.synth(operand, env);
                    if let Err(mismatch) = compat(&ty, &Type::Number) {
                        let diagnostic = report::mismatch(self, operand.span, &mismatch, None);
                        self.error(diagnostic);
                        return Type::Dyn;
                    }
                    ty
                }
            },
            ExprKind::Paren(inner) => self.synth(inner, env),
            ExprKind::Annotated { expr: inner, ty } => {
                let expected = self.annotation(ty, env);
                self.check_declared(inner, &expected, self.site(ty.span), env);
                expected
            }
            ExprKind::Error => Type::Dyn,
        }
    }

    fn string(&mut self, parts: &'a [StrPart], env: &Env<'a>) -> Type {
        let mut literal = String::new();
        let mut interpolated = false;
        for part in parts {
            match part {
                StrPart::Lit(text) => literal.push_str(text),
                StrPart::Interp(inner) => {
                    interpolated = true;
                    let ty = self.synth(inner, env);
                    // Nix interpolates strings and paths only (and sets with `outPath` or
                    // `__toString`).
                    if matches!(
                        ty.shape(),
                        Type::Int
                            | Type::Float
                            | Type::Number
                            | Type::Bool
                            | Type::Null
                            | Type::List(_)
                            | Type::Function(..)
                    ) {
                        let diagnostic = report::bad_interpolation(self, inner.span, &ty);
                        self.error(diagnostic);
                    }
                }
            }
        }
        if interpolated {
            Type::String
        } else {
            Type::Literal(Arc::from(literal))
        }
    }

    fn select_field(&mut self, ty: &Type, name: &Arc<str>, span: Span, has_default: bool) -> Type {
        self.select_in(ty, name, span, has_default, None)
    }

    /// The type of field `name` of a value of type `ty` (the value `target`, when it is a
    /// plain path); reports selecting what certainly is not there (unless `or` gives a
    /// default).
    fn select_in(
        &mut self,
        ty: &Type,
        name: &Arc<str>,
        span: Span,
        has_default: bool,
        target: Option<String>,
    ) -> Type {
        match ty.shape() {
            Type::Record(record) => match record.field(name) {
                Some(field) => field.ty.clone(),
                None if record.open || has_default => Type::Dyn,
                None => {
                    let diagnostic = report::no_such_field(self, name, span, (ty, target), record);
                    self.error(diagnostic);
                    Type::Dyn
                }
            },
            Type::Map(value) => value.as_ref().clone(),
            Type::Union(members) => {
                let types: Vec<Type> = members
                    .iter()
                    .map(|member| match member.shape() {
                        Type::Record(record) => {
                            record.field(name).map_or(Type::Dyn, |f| f.ty.clone())
                        }
                        Type::Map(value) => value.as_ref().clone(),
                        _ => Type::Dyn,
                    })
                    .collect();
                Type::union(types)
            }
            Type::Dyn | Type::Never => Type::Dyn,
            _ if has_default => Type::Dyn,
            other => {
                let diagnostic = report::select_from_non_set(self, name, span, other);
                self.error(diagnostic);
                Type::Dyn
            }
        }
    }

    fn lambda(
        &mut self,
        param: &'a Param,
        body: &'a Expr,
        env: &Env<'a>,
        expected: Option<(&Type, &Type)>,
    ) -> Type {
        let expected_param = expected.map(|(from, _)| from.clone());
        let (param_ty, params) = match param {
            Param::Ident { span, ty, .. } => {
                let param_ty = match ty {
                    Some(annotation) => self.annotation(annotation, env),
                    None => expected_param.unwrap_or(Type::Dyn),
                };
                self.definitions.insert(span.start, param_ty.clone());
                (param_ty.clone(), vec![(*span, param_ty)])
            }
            Param::Pattern {
                fields,
                ellipsis,
                bind,
                ..
            } => {
                let expected_record = expected_param.as_ref().and_then(expected_record);
                let mut params = Vec::new();
                let mut record = Record {
                    open: *ellipsis,
                    ..Record::default()
                };
                for field in fields {
                    let ty = match &field.ty {
                        Some(annotation) => self.annotation(annotation, env),
                        None => expected_record
                            .as_ref()
                            .and_then(|r| r.field(&field.name))
                            .map_or(Type::Dyn, |f| f.ty.clone()),
                    };
                    self.definitions.insert(field.span.start, ty.clone());
                    params.push((field.span, ty.clone()));
                    record.fields.push(Field {
                        name: field.name.clone(),
                        ty,
                        default: None,
                        doc: None,
                        site: Some(self.site(field.span)),
                        optional: field.default.is_some(),
                    });
                }
                let record_ty = Type::Record(Arc::new(record));
                if let Some((_, span)) = bind {
                    params.push((*span, record_ty.clone()));
                }
                (record_ty, params)
            }
        };
        let entered = self.enter_params(params);
        // Defaults see every parameter.
        if let Param::Pattern { fields, .. } = param {
            for field in fields {
                if let Some(default) = &field.default {
                    let declared = match (&field.ty, &param_ty) {
                        (Some(_), Type::Record(record)) => {
                            record.field(&field.name).map(|f| f.ty.clone())
                        }
                        _ => None,
                    };
                    match declared {
                        Some(declared) => self.check(default, &declared, env),
                        None => {
                            self.synth(default, env);
                        }
                    }
                }
            }
        }
        // An unannotated parameter of a function typed on its own gets its type from how
        // the body uses it.
        let inferred = match (param, expected) {
            (Param::Ident { ty: None, span, .. }, None) => {
                self.inferring.insert(span.start, Vec::new());
                Some(span.start)
            }
            _ => None,
        };
        let body_ty = match expected {
            Some((_, result)) => {
                self.check(body, result, env);
                result.clone()
            }
            None => self.synth(body, env),
        };
        self.leave(entered);
        let param_ty = match inferred {
            Some(key) => {
                let demands = self.inferring.remove(&key).unwrap_or_default();
                let ty = agree(demands);
                if !matches!(ty, Type::Dyn) {
                    self.definitions.insert(key, ty.clone());
                }
                ty
            }
            None => param_ty,
        };
        Type::Function(Arc::new(param_ty), Arc::new(body_ty))
    }

    fn apply(&mut self, expr: &'a Expr, func: &'a Expr, arg: &'a Expr, env: &Env<'a>) -> Type {
        if let Some(ty) = self.import(func, arg) {
            return ty;
        }
        let func_ty = self.synth(func, env);
        match func_ty.shape() {
            Type::Function(from, to) => {
                let (from, to) = (from.clone(), to.clone());
                self.check(arg, &from, env);
                to.as_ref().clone()
            }
            Type::Dyn | Type::Never | Type::Union(_) => {
                self.synth(arg, env);
                if func_ty.shape() == &Type::Never {
                    Type::Never
                } else {
                    Type::Dyn
                }
            }
            Type::Record(record) if record.open || record.field("__functor").is_some() => {
                self.synth(arg, env);
                Type::Dyn
            }
            _ => {
                self.synth(arg, env);
                let diagnostic = report::not_a_function(self, expr, func, &func_ty);
                self.error(diagnostic);
                Type::Dyn
            }
        }
    }

    /// `import ./x.mlc` or `import <module>`: the imported file's type.
    fn import(&mut self, func: &'a Expr, arg: &'a Expr) -> Option<Type> {
        let ExprKind::Var(name) = &func.kind else {
            return None;
        };
        if &**name != "import" || self.local(func.span).is_some() {
            return None;
        }
        let mut target = arg;
        while let ExprKind::Paren(inner) = &target.kind {
            target = inner;
        }
        match &target.kind {
            ExprKind::Path(_) | ExprKind::SearchPath(_) => {
                Some(self.host.import_type(target.span).unwrap_or(Type::Dyn))
            }
            _ => None,
        }
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        op_span: Span,
        lhs: &'a Expr,
        rhs: &'a Expr,
        env: &Env<'a>,
    ) -> Type {
        match op {
            BinaryOp::And | BinaryOp::Or | BinaryOp::Implies => {
                self.check(lhs, &Type::Bool, env);
                self.conditional += 1;
                self.check(rhs, &Type::Bool, env);
                self.conditional -= 1;
                return Type::Bool;
            }
            _ => {}
        }
        let left = self.synth(lhs, env);
        let right = self.synth(rhs, env);
        match op {
            BinaryOp::Eq
            | BinaryOp::NotEq
            | BinaryOp::Less
            | BinaryOp::LessEq
            | BinaryOp::Greater
            | BinaryOp::GreaterEq => Type::Bool,
            BinaryOp::Add => match (category(&left), category(&right)) {
                (Some(Category::Number), Some(Category::Number)) => number_result(&left, &right),
                (Some(Category::String), Some(Category::String | Category::Path)) => Type::String,
                (Some(Category::Path), Some(Category::String | Category::Path)) => Type::Path,
                (Some(_), Some(_)) => self.operator_error(op, op_span, lhs, &left, rhs, &right),
                _ => Type::Dyn,
            },
            BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                match (category(&left), category(&right)) {
                    (Some(Category::Number), Some(Category::Number)) => {
                        number_result(&left, &right)
                    }
                    (Some(l), Some(r)) if l != Category::Number || r != Category::Number => {
                        self.operator_error(op, op_span, lhs, &left, rhs, &right)
                    }
                    _ => Type::Dyn,
                }
            }
            BinaryOp::Concat => match (left.shape(), right.shape()) {
                (Type::List(a), Type::List(b)) => Type::List(Arc::new(Type::union(vec![
                    a.as_ref().clone(),
                    b.as_ref().clone(),
                ]))),
                (l, r) if is_known_non(l, is_list_shape) || is_known_non(r, is_list_shape) => {
                    self.operator_error(op, op_span, lhs, &left, rhs, &right)
                }
                _ => Type::List(Arc::new(Type::Dyn)),
            },
            BinaryOp::Update => match (left.shape(), right.shape()) {
                (Type::Record(a), Type::Record(b)) => Type::Record(Arc::new(update(a, b))),
                (l, r) if is_known_non(l, is_set_shape) || is_known_non(r, is_set_shape) => {
                    self.operator_error(op, op_span, lhs, &left, rhs, &right)
                }
                _ => Type::Dyn,
            },
            BinaryOp::And | BinaryOp::Or | BinaryOp::Implies => Type::Bool,
        }
    }

    fn operator_error(
        &mut self,
        op: BinaryOp,
        op_span: Span,
        lhs: &Expr,
        left: &Type,
        rhs: &Expr,
        right: &Type,
    ) -> Type {
        let diagnostic =
            report::bad_operands(self, op, op_span, (lhs.span, left), (rhs.span, right));
        self.error(diagnostic);
        Type::Dyn
    }

    /// Checks `expr` against `expected`, reaching into literals so that errors point at
    /// the part that is wrong.
    pub fn check(&mut self, expr: &'a Expr, expected: &Type, env: &Env<'a>) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.check_inner(expr, expected, env)
        })
    }

    fn check_inner(&mut self, expr: &'a Expr, expected: &Type, env: &Env<'a>) {
        if matches!(expected.shape(), Type::Dyn) {
            self.synth(expr, env);
            return;
        }
        match &expr.kind {
            ExprKind::Paren(inner) => return self.check(inner, expected, env),
            ExprKind::Let { bindings, body } => {
                let (inner, entered) = self.enter_bindings(bindings, true, env);
                self.force_scope(&inner, &entered);
                self.check(body, expected, &inner);
                self.leave(entered);
                return;
            }
            ExprKind::If { cond, then_, else_ } => {
                self.check(cond, &Type::Bool, env);
                self.conditional += 1;
                self.check(then_, expected, env);
                self.check(else_, expected, env);
                self.conditional -= 1;
                return;
            }
            ExprKind::Assert { cond, body } => {
                self.check(cond, &Type::Bool, env);
                return self.check(body, expected, env);
            }
            ExprKind::With { scope, body } => {
                let scope_ty = self.synth(scope, env);
                let entered = self.enter_with(body.span, scope_ty);
                self.check(body, expected, env);
                self.leave(entered);
                return;
            }
            _ => {}
        }
        // A set written elsewhere (bound by `let`, a side of `//`): checked where it is.
        if self.check_elsewhere(expr, expected, env) {
            return;
        }
        // Literals against refinements and literal unions: the value is known.
        if let Some(diagnostic) = report::literal_check(self, expr, expected) {
            self.error(diagnostic);
            return;
        }
        match (&expr.kind, expected_record(expected), expected.shape()) {
            (ExprKind::AttrSet { rec, bindings }, Some(record), _) => {
                self.attr_set(*rec, bindings, env, Some(&record), expr.span);
            }
            (
                ExprKind::AttrSet {
                    rec: false,
                    bindings,
                },
                None,
                Type::Map(value),
            ) if bindings.iter().all(|b| b.ty.is_none()) => {
                let value = value.as_ref().clone();
                for binding in bindings {
                    match &binding.kind {
                        BindingKind::Attr { path, value: v } if path.len() == 1 => {
                            if let AttrNameKind::Dynamic(name_expr) = &path[0].kind {
                                self.check(name_expr, &Type::optional(Type::String), env);
                            }
                            self.check(v, &value, env);
                        }
                        _ => {
                            let ty = self.synth(expr, env);
                            self.report_compat(expr, &ty, expected);
                            return;
                        }
                    }
                }
            }
            (ExprKind::List(items), _, expected_shape)
                if expected_list(expected_shape).is_some() =>
            {
                let item = expected_list(expected_shape).unwrap_or(Type::Dyn);
                for element in items {
                    self.check(element, &item, env);
                }
            }
            (ExprKind::Lambda { param, body }, _, Type::Function(from, to)) => {
                let (from, to) = (from.as_ref().clone(), to.as_ref().clone());
                self.lambda(param, body, env, Some((&from, &to)));
            }
            _ => {
                self.demand(expr, expected.clone());
                let found = self.synth(expr, env);
                self.report_compat(expr, &found, expected);
            }
        }
    }

    /// Records that `expr`, if it is an unannotated parameter being inferred, is used as
    /// `ty` (outside any branch).
    fn demand(&mut self, expr: &'a Expr, ty: Type) {
        if self.conditional > 0 || self.inferring.is_empty() || matches!(ty.shape(), Type::Dyn) {
            return;
        }
        let ExprKind::Var(_) = &expr.kind else {
            return;
        };
        if let Some(key) = self.param_key(expr.span) {
            if let Some(demands) = self.inferring.get_mut(&key) {
                demands.push(ty);
            }
        }
    }

    /// The parameter the variable written at `span` refers to, by the start of its name,
    /// if it is one.
    fn param_key(&self, span: Span) -> Option<u32> {
        let definition = self.resolved.names.definition(self.local(span)?);
        definition
            .kind
            .is_parameter()
            .then(|| definition.span().start)
    }

    fn report_compat(&mut self, expr: &Expr, found: &Type, expected: &Type) {
        if let Err(mismatch) = compat(found, expected) {
            let diagnostic = report::mismatch(self, expr.span, &mismatch, Some(expected));
            let diagnostic = report::quoted_number(self, expr, expected, diagnostic);
            self.error(diagnostic);
        }
    }

    // ---- types ----

    /// The type an annotation means, remembered for the evaluator's contracts.
    pub(super) fn annotation(&mut self, ty: &'a TypeExpr, env: &Env<'a>) -> Type {
        if let Some(known) = self.annotations.get(&ty.span.start) {
            return known.clone();
        }
        let lowered = self.lower(ty, env);
        self.annotations.insert(ty.span.start, lowered.clone());
        lowered
    }

    /// The type a `type Name = ...;` declares (lowered once).
    pub(super) fn type_decl(&mut self, binding: &'a Binding, env: &Env<'a>) -> Type {
        let BindingKind::TypeDecl {
            name,
            name_span,
            ty,
        } = &binding.kind
        else {
            return Type::Dyn;
        };
        let key = binding as *const Binding as usize;
        if let Some(known) = self.type_memo.borrow().get(&key) {
            return known.clone();
        }
        if !self.type_in_progress.borrow_mut().insert(key) {
            let diagnostic = report::recursive_type(self, name, *name_span);
            self.error(diagnostic);
            return Type::Dyn;
        }
        let lowered = self.lower(ty, env);
        let named = match lowered {
            Type::Dyn => Type::Dyn,
            other => Type::Named(name.clone(), Arc::new(other)),
        };
        self.type_in_progress.borrow_mut().remove(&key);
        self.type_memo.borrow_mut().insert(key, named.clone());
        self.definitions.insert(name_span.start, named.clone());
        named
    }
}

/// The type every use of a parameter agrees on: the demands if they are all the same, the
/// union of the fields they select if they are all open records, else `Dyn` (uses that
/// disagree may be fine at run time: the checker does not guess).
fn agree(demands: Vec<Type>) -> Type {
    let Some(first) = demands.first() else {
        return Type::Dyn;
    };
    if demands.iter().all(|d| d == first) {
        return first.clone();
    }
    let mut fields: Vec<Field> = Vec::new();
    for demand in &demands {
        match demand.shape() {
            Type::Record(record) if record.open && record.types.is_empty() => {
                for field in &record.fields {
                    if !fields.iter().any(|f| f.name == field.name) {
                        fields.push(field.clone());
                    }
                }
            }
            _ => return Type::Dyn,
        }
    }
    Type::Record(Arc::new(Record {
        fields,
        open: true,
        types: Vec::new(),
    }))
}

/// `a.b.c` when `expr` is such a plain path, for messages.
fn describe(expr: &Expr) -> Option<String> {
    match &expr.kind {
        ExprKind::Var(name) => Some(name.to_string()),
        ExprKind::Select {
            expr: inner,
            path,
            default: None,
        } => {
            let mut text = describe(inner)?;
            for name in path {
                match &name.kind {
                    AttrNameKind::Static(part) => {
                        text.push('.');
                        text.push_str(part);
                    }
                    AttrNameKind::Dynamic(_) => return None,
                }
            }
            Some(text)
        }
        ExprKind::Paren(inner) => describe(inner),
        _ => None,
    }
}

/// The record a value checked against `expected` must be: the type itself, or the record
/// member of `Record?`.
/// The item type a list written where `expected` is wanted is checked against: `[T]`, or
/// `[T]?` (a list literal is not null, so its items are checked as `T`).
fn expected_list(expected: &Type) -> Option<Type> {
    match expected.non_null().shape() {
        Type::List(item) => Some(item.as_ref().clone()),
        _ => None,
    }
}

pub(super) fn expected_record(expected: &Type) -> Option<Arc<Record>> {
    match expected.shape() {
        Type::Record(record) => Some(record.clone()),
        Type::Union(members) => {
            let mut records = members.iter().filter_map(|m| m.as_record());
            let record = records.next()?;
            records.next().is_none().then(|| record.clone())
        }
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Category {
    Number,
    String,
    Path,
    Other,
}

/// What `+` sees of a type; `None` when it cannot tell.
fn category(ty: &Type) -> Option<Category> {
    match ty.shape() {
        Type::Int | Type::Float | Type::Number => Some(Category::Number),
        Type::String | Type::Literal(_) => Some(Category::String),
        Type::Path => Some(Category::Path),
        Type::Null | Type::Bool | Type::List(_) | Type::Function(..) => Some(Category::Other),
        // A set may have `__toString`/`outPath`.
        _ => None,
    }
}

fn number_result(left: &Type, right: &Type) -> Type {
    match (left.shape(), right.shape()) {
        (Type::Int, Type::Int) => Type::Int,
        (Type::Float, _) | (_, Type::Float) => Type::Float,
        _ => Type::Number,
    }
}

fn is_list_shape(ty: &Type) -> bool {
    matches!(ty, Type::List(_))
}

fn is_set_shape(ty: &Type) -> bool {
    matches!(ty, Type::Record(_) | Type::Map(_))
}

/// Whether a type is certainly not of the shape `is`.
fn is_known_non(ty: &Type, is: fn(&Type) -> bool) -> bool {
    !matches!(ty, Type::Dyn | Type::Never | Type::Union(_)) && !is(ty)
}

/// `a // b`: `b`'s fields win.
fn update(a: &Record, b: &Record) -> Record {
    let mut fields: Vec<Field> = a
        .fields
        .iter()
        .filter(|f| b.field(&f.name).is_none())
        .cloned()
        .collect();
    fields.extend(b.fields.iter().cloned());
    let mut types = a.types.clone();
    types.extend(b.types.iter().cloned());
    Record {
        fields,
        open: a.open || b.open,
        types,
    }
}
