//! From a type as written ([`TypeExpr`]) to what it means ([`Type`]): names resolved
//! (declarations in scope, `module.Name`, the prelude), refinements compiled, record
//! fields with their defaults and docs.

use super::check::{Checker, Env, Resolved};
use super::prelude;
use super::report;
use super::ty::{Check, Default, Field, Pattern, Record, Refined, Type};
use crate::syntax::{Binding, Refinement, Span, TypeExpr, TypeExprKind};
use std::sync::Arc;

impl<'a> Checker<'a> {
    /// Lowers one type expression. Its nesting is bounded by the parser's limit; the stack
    /// grows on demand so that the limit, not the thread's stack, decides.
    pub(super) fn lower(&mut self, ty: &'a TypeExpr, env: &Env<'a>) -> Type {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.lower_inner(ty, env))
    }

    fn lower_inner(&mut self, ty: &'a TypeExpr, env: &Env<'a>) -> Type {
        match &ty.kind {
            TypeExprKind::Name(segments) => self.named(segments, env),
            TypeExprKind::Literal(text) => Type::Literal(Arc::from(text.as_str())),
            TypeExprKind::Union(members) => {
                let members = members.iter().map(|m| self.lower(m, env)).collect();
                Type::union(members)
            }
            TypeExprKind::Optional(inner) => Type::optional(self.lower(inner, env)),
            TypeExprKind::List(item) => Type::List(Arc::new(self.lower(item, env))),
            TypeExprKind::Map(value) => Type::Map(Arc::new(self.lower(value, env))),
            TypeExprKind::Function(from, to) => {
                let from = self.lower(from, env);
                let to = self.lower(to, env);
                Type::Function(Arc::new(from), Arc::new(to))
            }
            TypeExprKind::Paren(inner) => self.lower(inner, env),
            TypeExprKind::Record { fields, open } => {
                let mut record = Record {
                    open: *open,
                    ..Record::default()
                };
                for field in fields {
                    let field_ty = self.lower(&field.ty, env);
                    let default = field.default.as_ref().map(|default| {
                        // Defaults are constants: resolved and checked in the global
                        // scope only.
                        let globals = self.resolved.names.globals.clone();
                        let globals: Vec<&str> = globals.iter().map(|name| &**name).collect();
                        let names = crate::names::resolve(default, &globals);
                        let file = std::mem::replace(
                            &mut self.resolved,
                            Resolved::new(std::borrow::Cow::Owned(names)),
                        );
                        self.in_default += 1;
                        self.check(default, &field_ty, &None);
                        self.in_default -= 1;
                        self.resolved = file;
                        Default {
                            expr: Arc::new(default.clone()),
                            file: self.file.clone(),
                        }
                    });
                    record.fields.push(Field {
                        name: field.name.clone(),
                        ty: field_ty,
                        default,
                        doc: field.doc.clone(),
                        site: Some(self.site(field.name_span)),
                        optional: false,
                    });
                }
                Type::Record(Arc::new(record))
            }
            TypeExprKind::Refined { base, refinement } => {
                let base_ty = self.lower(base, env);
                self.refined(base_ty, refinement, ty.span)
            }
            TypeExprKind::Error => Type::Dyn,
        }
    }

    fn refined(&mut self, base: Type, refinement: &Refinement, span: Span) -> Type {
        let check = match refinement {
            Refinement::Range { min, max } => {
                if !matches!(base.shape(), Type::Int | Type::Number | Type::Dyn) {
                    let diagnostic = report::bad_refinement(
                        self,
                        span,
                        format!("a range refines `Int`, not `{base}`"),
                    );
                    self.error(diagnostic);
                    return base;
                }
                if let (Some(min), Some(max)) = (min, max) {
                    if min > max {
                        let diagnostic = report::bad_refinement(
                            self,
                            span,
                            format!("the range {min}..{max} is empty"),
                        );
                        self.error(diagnostic);
                    }
                }
                Check::Range {
                    min: *min,
                    max: *max,
                }
            }
            Refinement::Pattern(pattern) => {
                if !matches!(base.shape(), Type::String | Type::Dyn) {
                    let diagnostic = report::bad_refinement(
                        self,
                        span,
                        format!("a pattern refines `String`, not `{base}`"),
                    );
                    self.error(diagnostic);
                    return base;
                }
                match Pattern::compile(pattern) {
                    Ok(pattern) => Check::Pattern(Arc::new(pattern)),
                    Err(reason) => {
                        let diagnostic = report::bad_refinement(
                            self,
                            span,
                            format!("the pattern is not a valid regular expression: {reason}"),
                        );
                        self.error(diagnostic);
                        return base;
                    }
                }
            }
        };
        Type::Refined(Arc::new(Refined {
            base,
            check,
            description: None,
        }))
    }

    /// `Name` or `module.Name`.
    fn named(&mut self, segments: &[(Arc<str>, Span)], env: &Env<'a>) -> Type {
        let Some(((last, last_span), qualifiers)) = segments.split_last() else {
            return Type::Dyn;
        };
        if qualifiers.is_empty() {
            if let Some((binding, scope_env)) = find_type_decl(last, env) {
                return self.type_decl(binding, &scope_env);
            }
            if let Some(ty) = prelude::named_type(last) {
                return ty;
            }
            let visible = visible_type_names(env);
            let diagnostic = report::unknown_type(self, last, *last_span, &visible);
            self.error(diagnostic);
            return Type::Dyn;
        }
        // `module.Sub.Name`: a variable holding a set that declares `Name`.
        let (_, first_span) = &qualifiers[0];
        // An unbound module is reported once, by name resolution (E0407).
        let Some(mut holder) = self.lookup(*first_span) else {
            return Type::Dyn;
        };
        for (name, _) in &qualifiers[1..] {
            holder = match holder.shape() {
                Type::Record(record) => record.field(name).map_or(Type::Dyn, |f| f.ty.clone()),
                _ => Type::Dyn,
            };
        }
        match holder.shape() {
            Type::Record(record) => match record.exported_type(last) {
                Some(ty) => ty.clone(),
                None => {
                    let names: Vec<String> =
                        record.types.iter().map(|(n, _)| n.to_string()).collect();
                    let diagnostic = report::unknown_type(self, last, *last_span, &names);
                    self.error(diagnostic);
                    Type::Dyn
                }
            },
            // An import the checker cannot see into: nothing to check against.
            _ => Type::Dyn,
        }
    }
}

/// The declaration of type `name` visible at `env`, with the scope it was declared in.
fn find_type_decl<'a>(name: &str, env: &Env<'a>) -> Option<(&'a Binding, Env<'a>)> {
    let mut current = env.clone();
    while let Some(scope) = current {
        if let Some(binding) = scope.types.get(name) {
            return Some((binding, Some(scope.clone())));
        }
        current = scope.parent.clone();
    }
    None
}

/// Every type name visible at `env` (declared ones and the prelude's).
fn visible_type_names(env: &Env<'_>) -> Vec<String> {
    let mut names: Vec<String> = prelude::named_type_names()
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut current = env.clone();
    while let Some(scope) = current {
        names.extend(scope.types.keys().map(|n| n.to_string()));
        current = scope.parent.clone();
    }
    names
}
