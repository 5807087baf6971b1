//! Attribute sets: the record type of a set's definitions (nested paths `a.b = 1;` merged
//! as Nix merges them), checked field by field against an expected record (unknown and
//! missing fields, each at its key), and `inherit`.

use super::{expected_record, Checker, Def, Env};
use crate::syntax::{AttrNameKind, Binding, BindingKind, Expr, Span};
use crate::types::compat::{compat, Mismatch};
use crate::types::merge::def_key;
use crate::types::report;
use crate::types::ty::{Field, Record, Site, Type};
use std::sync::Arc;

impl<'a> Checker<'a> {
    /// The type of the value that `defs` (all sharing one head name, path already
    /// stripped of it) define together.
    pub(super) fn defs_type(&mut self, defs: &[Def<'a>], env: &Env<'a>) -> Type {
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
    pub(super) fn check_declared(
        &mut self,
        value: &'a Expr,
        expected: &Type,
        declared: Site,
        env: &Env<'a>,
    ) {
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
        let mut group_of: rustc_hash::FxHashMap<Arc<str>, usize> = rustc_hash::FxHashMap::default();
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

    pub(in crate::types) fn missing_fields(
        &mut self,
        built: &Record,
        expected: &Record,
        span: Span,
    ) {
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

    pub(super) fn attr_set(
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
}
