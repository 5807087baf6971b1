//! Building attribute sets and `let` scopes from bindings: nested keys (`a.b.c = 1;`)
//! merged into one set, `inherit`, dynamic keys, `rec`, and duplicate detection. A list of
//! static names is built from its [`super::set_shape`], worked out once; the others are
//! assembled here binding by binding.

use super::error::{ErrorExt, EvalError, EvalResult};
use super::machine::{Bound, Evaluator, Key};
use super::set_shape::{Field, FieldValue};
use super::value::{Attrs, Env, FileId, Frame, Scope, Site, Thunk, Value};
use crate::diagnostic::codes;
use crate::syntax::{AttrNameKind, Binding, BindingKind, Expr, ExprKind, Span};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BindingMode {
    /// `{ ... }`: values see the enclosing scope.
    Plain,
    /// `rec { ... }`: values see the set's own attributes.
    Rec,
    /// `let ... in`: like `rec`, without dynamic keys.
    Let,
}

/// The attributes of a set, sorted by name, without duplicates.
type Entries<'a> = Vec<(Rc<str>, Thunk<'a>)>;

/// An attribute while the set is being assembled.
enum Entry<'a> {
    /// A value; `literal` holds the bindings of a plain `{ ... }` literal, which later
    /// bindings may extend (`a = { x = 1; }; a.y = 2;`, as Nix allows).
    Value {
        thunk: Thunk<'a>,
        site: Site,
        literal: Option<(&'a [Binding], Env<'a>)>,
    },
    Nested {
        entries: BTreeMap<Rc<str>, Entry<'a>>,
        site: Site,
    },
}

impl<'a> Evaluator<'a> {
    /// The set `{ bindings }` (or `rec`) written at `start`.
    pub fn attr_set(
        &mut self,
        start: u32,
        bindings: &'a [Binding],
        env: &Env<'a>,
        file: FileId,
        mode: BindingMode,
    ) -> EvalResult<Value<'a>> {
        let map = match mode {
            BindingMode::Plain => self.collect(bindings, env, env, file, mode)?,
            BindingMode::Rec | BindingMode::Let => {
                let (_, map) = self.recursive_scope(start, bindings, env, file, mode)?;
                map
            }
        };
        Ok(Value::Attrs(Rc::new(Attrs::from_sorted(map))))
    }

    /// The scope `let bindings in ...`, written at `start`, creates.
    pub fn let_scope(
        &mut self,
        start: u32,
        bindings: &'a [Binding],
        env: &Env<'a>,
        file: FileId,
    ) -> EvalResult<Env<'a>> {
        let (scope, _) = self.recursive_scope(start, bindings, env, file, BindingMode::Let)?;
        Ok(scope)
    }

    /// A scope whose names are the bindings themselves (`rec` sets and `let`), in the slots
    /// the layout gives the scope of the expression at `start`.
    fn recursive_scope(
        &mut self,
        start: u32,
        bindings: &'a [Binding],
        env: &Env<'a>,
        file: FileId,
        mode: BindingMode,
    ) -> EvalResult<(Env<'a>, Entries<'a>)> {
        let scope = Scope::slots(Some(env.clone()), Vec::new());
        self.track_recursive_scope(&scope);
        let map = self.collect(bindings, &scope, env, file, mode)?;
        // Both are sorted by name, and the set has every name of the scope (a `rec` set
        // may have more: its dynamic names, which are no variables).
        let names = self.frame_layout(file, start);
        let mut slots = Vec::with_capacity(names.len());
        let mut entries = map.iter();
        for name in names.iter() {
            let thunk = entries
                .by_ref()
                .find(|(key, _)| **key == **name)
                .map(|(_, thunk)| thunk.clone());
            match thunk {
                Some(thunk) => slots.push(thunk),
                // Only a tree with syntax errors binds a name the set lacks.
                None => {
                    let site = Site {
                        file,
                        span: Span::default(),
                    };
                    let missing = self.synthesize(Expr::new(ExprKind::Error, site.span));
                    slots.push(Thunk::expr(missing, env.clone(), file));
                    entries = map.iter();
                }
            }
        }
        if let Frame::Slots(cell) = &scope.frame {
            *cell.borrow_mut() = slots;
        }
        Ok((scope, map))
    }

    /// Turns bindings into attributes, sorted by name. Values are evaluated lazily in
    /// `value_env`; `inherit x;` takes `x` from `inherit_env` (the scope around the set).
    fn collect(
        &mut self,
        bindings: &'a [Binding],
        value_env: &Env<'a>,
        inherit_env: &Env<'a>,
        file: FileId,
        mode: BindingMode,
    ) -> EvalResult<Entries<'a>> {
        if let Some(fields) = self.set_shape(bindings, file) {
            let mut sources = Vec::new();
            return Ok(self.build_shaped(&fields, value_env, inherit_env, file, &mut sources));
        }
        let mut entries = BTreeMap::new();
        self.insert_bindings(&mut entries, bindings, value_env, inherit_env, file, mode)?;
        Ok(entries
            .into_iter()
            .map(|(name, entry)| (name, finish(entry)))
            .collect())
    }

    /// The attributes of a set of static names, in name order. `sources` holds the thunk of
    /// each `inherit (from)` made so far (by its binding), shared by the names it gives.
    fn build_shaped(
        &mut self,
        fields: &[Field<'a>],
        value_env: &Env<'a>,
        inherit_env: &Env<'a>,
        file: FileId,
        sources: &mut Vec<(usize, Thunk<'a>)>,
    ) -> Entries<'a> {
        let mut attrs = Vec::with_capacity(fields.len());
        for field in fields {
            let site = Site {
                file,
                span: field.span,
            };
            let thunk = match &field.value {
                FieldValue::Value {
                    literal: Some(literal),
                    ..
                } => literal.clone(),
                FieldValue::Value { value, ty, .. } => {
                    let thunk = self.thunk(value, value_env, file);
                    self.annotated(thunk, *ty, file)
                }
                FieldValue::Inherit { key, from: None } => self.inherited(key, inherit_env, site),
                FieldValue::Inherit {
                    from: Some((binding, from)),
                    ..
                } => {
                    let source = match sources.iter().find(|(index, _)| index == binding) {
                        Some((_, source)) => source.clone(),
                        None => {
                            let source = Thunk::expr(from, value_env.clone(), file);
                            sources.push((*binding, source.clone()));
                            source
                        }
                    };
                    Thunk::apply(
                        super::builtins::select_function(field.name.clone()),
                        source,
                        site,
                    )
                }
                FieldValue::Nested(inner) => {
                    let inner = self.build_shaped(inner, value_env, inherit_env, file, sources);
                    Thunk::value(Value::Attrs(Rc::new(Attrs::from_sorted(inner))))
                }
            };
            attrs.push((field.name.clone(), thunk));
        }
        attrs
    }

    fn insert_bindings(
        &mut self,
        entries: &mut BTreeMap<Rc<str>, Entry<'a>>,
        bindings: &'a [Binding],
        value_env: &Env<'a>,
        inherit_env: &Env<'a>,
        file: FileId,
        mode: BindingMode,
    ) -> EvalResult<()> {
        for binding in bindings {
            match &binding.kind {
                BindingKind::TypeDecl { .. } => {}
                BindingKind::Inherit { from, names } => {
                    let source = from
                        .as_ref()
                        .map(|from| Thunk::expr(from, value_env.clone(), file));
                    for name in names {
                        let AttrNameKind::Static(key) = &name.kind else {
                            continue;
                        };
                        let site = Site {
                            file,
                            span: name.span,
                        };
                        let interned = self.intern(key);
                        let thunk = match &source {
                            Some(source) => Thunk::apply(
                                super::builtins::select_function(interned.clone()),
                                source.clone(),
                                site,
                            ),
                            None => self.inherited(key, inherit_env, site),
                        };
                        self.insert(entries, &[], interned, site, thunk, None, file)?;
                    }
                }
                BindingKind::Attr { path, value } => {
                    let mut keys = Vec::with_capacity(path.len());
                    let mut skip = false;
                    for name in path {
                        if mode == BindingMode::Let {
                            if let AttrNameKind::Dynamic(_) = name.kind {
                                return Err(EvalError::new(
                                    codes::E0410,
                                    "dynamic attribute names are not allowed in `let`",
                                    Some(Site {
                                        file,
                                        span: name.span,
                                    }),
                                ));
                            }
                        }
                        match self.attr_name(name, inherit_env, file)? {
                            Some(key) => {
                                let key = match key {
                                    Key::Static(text) => self.intern(text),
                                    Key::Computed(text) => text,
                                };
                                keys.push((key, name.span));
                            }
                            None => skip = true,
                        }
                    }
                    if skip {
                        // `${null} = v;` defines nothing, as in Nix.
                        continue;
                    }
                    let Some(((last, last_span), parents)) = keys.split_last() else {
                        continue;
                    };
                    let site = Site {
                        file,
                        span: *last_span,
                    };
                    let literal = match &value.kind {
                        // An annotated value is checked as a whole: it does not merge.
                        ExprKind::AttrSet {
                            rec: false,
                            bindings,
                        } if binding.ty.is_none() => Some((bindings.as_slice(), value_env.clone())),
                        _ => None,
                    };
                    let thunk = self.thunk(value, value_env, file);
                    let thunk = self.annotated(thunk, binding.ty.as_ref(), file);
                    self.insert(entries, parents, last.clone(), site, thunk, literal, file)?;
                }
            }
        }
        Ok(())
    }

    /// The thunk `inherit name;` binds: the variable `name` of the enclosing scope.
    fn inherited(&mut self, name: &str, env: &Env<'a>, site: Site) -> Thunk<'a> {
        if let Bound::Thunk(thunk) = self.bound(name, env, site) {
            return thunk;
        }
        // Not bound lexically: look it up in `with` scopes when needed, as a variable
        // reference at the `inherit` would.
        let var = self.synthesize(Expr::new(ExprKind::Var(Arc::from(name)), site.span));
        Thunk::expr(var, env.clone(), site.file)
    }

    /// Inserts `parents.key = thunk` into `entries`, merging nested sets.
    #[allow(clippy::too_many_arguments)]
    fn insert(
        &mut self,
        entries: &mut BTreeMap<Rc<str>, Entry<'a>>,
        parents: &[(Rc<str>, Span)],
        key: Rc<str>,
        site: Site,
        thunk: Thunk<'a>,
        literal: Option<(&'a [Binding], Env<'a>)>,
        file: FileId,
    ) -> EvalResult<()> {
        let mut level = entries;
        for (depth, (parent, span)) in parents.iter().enumerate() {
            let parent_site = Site { file, span: *span };
            let entry = level
                .entry(parent.clone())
                .or_insert_with(|| Entry::Nested {
                    entries: BTreeMap::new(),
                    site: parent_site,
                });
            self.expand_literal(entry, file)?;
            level = match entry {
                Entry::Nested { entries, .. } => entries,
                Entry::Value { site: first, .. } => {
                    let path: Vec<&str> = parents[..=depth].iter().map(|(k, _)| &**k).collect();
                    return Err(duplicate(&path, parent_site, *first));
                }
            };
        }
        match level.get_mut(&key) {
            None => {
                level.insert(
                    key,
                    Entry::Value {
                        thunk,
                        site,
                        literal,
                    },
                );
                Ok(())
            }
            Some(existing) => {
                // `a.x = 1; a = { y = 2; };` merges too, when the new value is a literal.
                let first_site = entry_site(existing);
                let mergeable = matches!(
                    existing,
                    Entry::Nested { .. }
                        | Entry::Value {
                            literal: Some(_),
                            ..
                        }
                );
                match literal {
                    Some((bindings, env)) if mergeable => {
                        self.expand_literal(existing, file)?;
                        if let Entry::Nested { entries, .. } = existing {
                            self.insert_bindings(
                                entries,
                                bindings,
                                &env,
                                &env,
                                file,
                                BindingMode::Plain,
                            )?;
                        }
                        Ok(())
                    }
                    _ => {
                        let mut path: Vec<&str> = parents.iter().map(|(k, _)| &**k).collect();
                        path.push(&key);
                        Err(duplicate(&path, site, first_site))
                    }
                }
            }
        }
    }

    /// Turns a literal `{ ... }` value into nested entries so that more keys can join it.
    fn expand_literal(&mut self, entry: &mut Entry<'a>, file: FileId) -> EvalResult<()> {
        if let Entry::Value {
            literal: Some((bindings, env)),
            site,
            ..
        } = entry
        {
            let (bindings, env, site) = (*bindings, env.clone(), *site);
            let mut entries = BTreeMap::new();
            self.insert_bindings(&mut entries, bindings, &env, &env, file, BindingMode::Plain)?;
            *entry = Entry::Nested { entries, site };
        }
        Ok(())
    }
}

fn entry_site(entry: &Entry<'_>) -> Site {
    match entry {
        Entry::Value { site, .. } | Entry::Nested { site, .. } => *site,
    }
}

fn finish(entry: Entry<'_>) -> Thunk<'_> {
    match entry {
        Entry::Value { thunk, .. } => thunk,
        Entry::Nested { entries, .. } => {
            // A map's names are sorted and distinct.
            let map = Attrs::from_sorted(
                entries
                    .into_iter()
                    .map(|(name, entry)| (name, finish(entry)))
                    .collect(),
            );
            Thunk::value(Value::Attrs(Rc::new(map)))
        }
    }
}

/// `path` (the keys up to the one defined twice) is defined at `site` and at `first`.
fn duplicate(path: &[&str], site: Site, first: Site) -> Box<EvalError> {
    let (message, again, first_label) = crate::diagnostic::defined_twice(&path.join("."));
    EvalError::new(codes::E0411, message, Some(site))
        .label(again)
        .related(first, first_label)
}
