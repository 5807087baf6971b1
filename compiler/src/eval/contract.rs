//! Contracts: a value that reaches an annotated place (`x :: T = v`, a typed parameter, an
//! ascription) is checked against the annotation's type when it is forced, Nickel-style.
//!
//! Checks are as lazy as the language: a record contract checks the set's names at once
//! (unknown fields, missing required ones), fills the fields left out from their defaults,
//! and wraps each field in the field's contract, checked when that field is used; a list
//! contract wraps each element. So a typed boundary is never crossed by a wrong value, and
//! nothing is forced that the program would not force. The error blames the value (where it
//! was written) and names the annotation that expected something else.
//!
//! What a record type fills in is prepared once per evaluation for each record type and
//! annotation ([`RecordFill`]): a default is evaluated in the global scope, so its thunk is
//! shared by every set the type fills, and a build of many deployments evaluates each default
//! once.
//!
//! The types come from the checker (`types::FileTypes::annotations`), handed over by the
//! loader with each file: the evaluator never resolves type names itself.

use super::error::{ErrorExt, EvalError, EvalResult};
use super::machine::Evaluator;
use super::value::{Attrs, Site, Thunk, Value};
use crate::diagnostic::{codes, did_you_mean};
use crate::types::{Check, Field, Record, Type};
use std::cmp::Ordering;
use std::rc::Rc;
use std::sync::Arc;

impl<'a> Evaluator<'a> {
    /// `thunk`, checked when forced against `annotation` (a type written in `file`), if
    /// there is one.
    pub fn annotated(
        &self,
        thunk: Thunk<'a>,
        annotation: Option<&crate::syntax::TypeExpr>,
        file: super::value::FileId,
    ) -> Thunk<'a> {
        match annotation {
            Some(ty) => self.with_contract(
                thunk,
                Site {
                    file,
                    span: ty.span,
                },
            ),
            None => thunk,
        }
    }

    /// `thunk`, checked against the annotation at `annotation` when forced.
    pub fn with_contract(&self, thunk: Thunk<'a>, annotation: Site) -> Thunk<'a> {
        match self.annotation_type(annotation) {
            None | Some(Type::Dyn) => thunk,
            Some(ty) => Thunk::contract(thunk, ty, annotation),
        }
    }

    /// Forces `thunk` and checks it against `ty`.
    pub fn apply_contract(
        &mut self,
        thunk: &Thunk<'a>,
        ty: &Type,
        annotation: Site,
    ) -> EvalResult<Value<'a>> {
        let origin = thunk.site();
        let value = self.force(thunk)?;
        let blame = Blame {
            annotation,
            origin,
            name: None,
        };
        self.check_value(value, ty, &blame)
    }

    fn check_value(
        &mut self,
        value: Value<'a>,
        ty: &Type,
        blame: &Blame<'_>,
    ) -> EvalResult<Value<'a>> {
        match ty {
            Type::Dyn | Type::Never => Ok(value),
            Type::Named(name, inner) => {
                let named = Blame {
                    name: Some(name),
                    ..*blame
                };
                self.check_value(value, inner, &named)
            }
            Type::Refined(refined) => {
                let value = self.check_value(value, &refined.base, blame)?;
                let ok = match (&value, &refined.check) {
                    (Value::Int(n), check) => check.int_ok(*n),
                    (Value::String(s), check @ Check::Pattern(_)) => check.str_ok(s),
                    _ => true,
                };
                if ok {
                    return Ok(value);
                }
                let shown = match &value {
                    Value::String(s) => format!("{s:?}"),
                    Value::Int(n) => n.to_string(),
                    other => other.described().to_string(),
                };
                let what = blame.name.map(|n| format!(" `{n}`")).unwrap_or_default();
                Err(blame.error(
                    codes::E0305,
                    format!(
                        "{shown} is not a valid{what} value: it {}",
                        refined.requirement()
                    ),
                    refined.requirement(),
                ))
            }
            Type::Union(members) => self.check_union(value, members, ty, blame),
            Type::Literal(expected) => match &value {
                Value::String(s) if **s == **expected => Ok(value),
                Value::String(s) => Err(not_allowed(blame, s, &[&**expected])),
                other => Err(blame.wrong_type(ty, other)),
            },
            Type::List(item) => match &value {
                Value::List(items) => {
                    if matches!(**item, Type::Dyn) {
                        return Ok(value);
                    }
                    let wrapped = items
                        .iter()
                        .map(|element| self.element_contract(element.clone(), item, blame))
                        .collect();
                    Ok(Value::List(Rc::new(wrapped)))
                }
                other => Err(blame.wrong_type(ty, other)),
            },
            Type::Map(item) => match &value {
                Value::Attrs(attrs) => {
                    if matches!(**item, Type::Dyn) {
                        return Ok(value);
                    }
                    let map: Attrs<'_> = attrs
                        .iter()
                        .map(|(name, thunk)| {
                            (
                                name.clone(),
                                self.element_contract(thunk.clone(), item, blame),
                            )
                        })
                        .collect();
                    Ok(Value::Attrs(Rc::new(map)))
                }
                other => Err(blame.wrong_type(ty, other)),
            },
            Type::Record(record) => match &value {
                Value::Attrs(attrs) => self.check_record(attrs, record, blame),
                other => Err(blame.wrong_type(ty, other)),
            },
            Type::Function(..) => match &value {
                Value::Lambda(_) | Value::Builtin(_) => Ok(value),
                Value::Attrs(attrs) if attrs.get("__functor").is_some() => Ok(value),
                other => Err(blame.wrong_type(ty, other)),
            },
            Type::Null
            | Type::Bool
            | Type::Int
            | Type::Float
            | Type::Number
            | Type::String
            | Type::Path => {
                if fits_kind(ty, &value) {
                    Ok(value)
                } else {
                    Err(blame.wrong_type(ty, &value))
                }
            }
        }
    }

    /// An element or field wrapped in `ty`'s contract, blamed on the same annotation.
    fn element_contract(&self, thunk: Thunk<'a>, ty: &Type, blame: &Blame<'_>) -> Thunk<'a> {
        if matches!(ty, Type::Dyn) {
            return thunk;
        }
        Thunk::contract(thunk, ty.clone(), blame.annotation)
    }

    fn check_union(
        &mut self,
        value: Value<'a>,
        members: &[Type],
        ty: &Type,
        blame: &Blame<'_>,
    ) -> EvalResult<Value<'a>> {
        if let Value::String(s) = &value {
            if let Some(allowed) = ty.literal_members() {
                let open = members.iter().any(|m| matches!(m.shape(), Type::String));
                if !open {
                    return if allowed.contains(&&**s) {
                        Ok(value)
                    } else {
                        Err(not_allowed(blame, s, &allowed))
                    };
                }
            }
        }
        let candidates: Vec<&Type> = members
            .iter()
            .filter(|member| fits_kind(member.shape(), &value))
            .collect();
        let mut first_error = None;
        for member in candidates {
            match self.check_value(value.clone(), member, blame) {
                Ok(checked) => return Ok(checked),
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        Err(first_error.unwrap_or_else(|| blame.wrong_type(ty, &value)))
    }

    fn check_record(
        &mut self,
        attrs: &Attrs<'a>,
        record: &Arc<Record>,
        blame: &Blame<'_>,
    ) -> EvalResult<Value<'a>> {
        let fill = self.record_fill(record, blame);
        if !record.open {
            if let Some((unknown, thunk)) = attrs.iter().find(|(name, _)| {
                fill.by_name
                    .binary_search_by(|(field, _)| (**field).cmp(&***name))
                    .is_err()
            }) {
                let at = Blame {
                    origin: thunk.site().or(blame.origin),
                    ..*blame
                };
                let mut error = at.error(
                    codes::E0301,
                    format!("unknown field `{unknown}`"),
                    "not a field of the expected record type".to_string(),
                );
                if let Some(similar) = did_you_mean(unknown, record.fields.iter().map(|f| &*f.name))
                {
                    error = error.help(format!("did you mean `{similar}`?"));
                }
                return Err(error);
            }
        }
        if let Some(field) = fill
            .required
            .iter()
            .map(|&index| &record.fields[index])
            .find(|field| !attrs.contains_key(&field.name))
        {
            return Err(blame
                .error(
                    codes::E0302,
                    format!("missing field `{}`", field.name),
                    format!("this has no `{}`", field.name),
                )
                .help(format!(
                    "add `{} = …;` (a value of type `{}`)",
                    field.name, field.ty
                )));
        }
        // One merge of the given names with the type's, both in name order: a given field
        // wrapped in its contract, a given name the type does not declare (an open record)
        // kept as it is, a missing field filled with the thunk the fill made for it.
        let mut entries: Vec<(Rc<str>, Thunk<'a>)> =
            Vec::with_capacity(attrs.len() + fill.by_name.len());
        let mut given = attrs.iter().peekable();
        let mut declared = fill.by_name.iter().peekable();
        loop {
            let order = match (given.peek(), declared.peek()) {
                (None, None) => break,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some((name, _)), Some((field_name, _))) => (***name).cmp(&**field_name),
            };
            match order {
                Ordering::Less => {
                    if let Some((name, thunk)) = given.next() {
                        entries.push((name.clone(), thunk.clone()));
                    }
                }
                Ordering::Equal => {
                    if let (Some((name, thunk)), Some(&(_, index))) =
                        (given.next(), declared.next())
                    {
                        let ty = &record.fields[index].ty;
                        entries.push((
                            name.clone(),
                            self.element_contract(thunk.clone(), ty, blame),
                        ));
                    }
                }
                Ordering::Greater => {
                    if let Some((name, index)) = declared.next() {
                        if let Some(thunk) = &fill.missing[*index] {
                            entries.push((name.clone(), thunk.clone()));
                        }
                    }
                }
            }
        }
        Ok(Value::Attrs(Rc::new(Attrs::from_sorted(entries))))
    }

    /// What checking a set against `record` needs, made once per evaluation for each record
    /// type and annotation: its fields in name order, the required ones, and the thunk each
    /// missing field takes. Those thunks are shared by every set the record fills: a
    /// default is evaluated in the global scope, so its value is the same for all of them,
    /// and is computed once.
    fn record_fill(&mut self, record: &Arc<Record>, blame: &Blame<'_>) -> Rc<RecordFill<'a>> {
        let key = (
            Arc::as_ptr(record) as usize,
            blame.annotation.file,
            blame.annotation.span,
        );
        if let Some(fill) = self.record_fills.get(&key) {
            return fill.clone();
        }
        let mut by_name: Vec<(Rc<str>, usize)> = record
            .fields
            .iter()
            .enumerate()
            .map(|(index, field)| (Rc::from(&*field.name), index))
            .collect();
        // A type declares each field once (the parser refuses another); should one come
        // twice, the first is the one a given value is checked against, as `field` finds.
        by_name.sort_by(|a, b| a.0.cmp(&b.0));
        by_name.dedup_by(|later, earlier| later.0 == earlier.0);
        let mut missing = Vec::with_capacity(record.fields.len());
        let mut required = Vec::new();
        for (index, field) in record.fields.iter().enumerate() {
            let filled = self.missing_field(field, blame);
            if filled.is_none() {
                required.push(index);
            }
            missing.push(filled);
        }
        let fill = Rc::new(RecordFill {
            _record: record.clone(),
            by_name: by_name.into_boxed_slice(),
            required: required.into_boxed_slice(),
            missing: missing.into_boxed_slice(),
        });
        self.record_fills.insert(key, fill.clone());
        fill
    }

    /// The value of a field left out: its default, null for `T?`, or `{ }` filled for a
    /// record whose fields all have defaults; `None` when it is required.
    fn missing_field(&mut self, field: &Field, blame: &Blame<'_>) -> Option<Thunk<'a>> {
        if let Some(default) = &field.default {
            let expr = self.keep(default.expr.clone());
            let file = self
                .file_id_by_display(&default.file)
                .unwrap_or(blame.annotation.file);
            let thunk = Thunk::expr(expr, self.global.clone(), file);
            return Some(self.element_contract(thunk, &field.ty, blame));
        }
        if field.optional || field.ty.accepts_null() {
            return Some(Thunk::value(Value::Null));
        }
        if field.ty.is_fillable_record() {
            let empty = Thunk::value(Value::Attrs(Rc::new(Attrs::default())));
            return Some(self.element_contract(empty, &field.ty, blame));
        }
        None
    }
}

/// A record type's fill for one annotation (see [`Evaluator::record_fill`]).
pub struct RecordFill<'a> {
    /// Keeps the record alive, so that its address names it for the whole evaluation.
    _record: Arc<Record>,
    /// The names of the fields in sorted order, each with its index in the record.
    by_name: Box<[(Rc<str>, usize)]>,
    /// The fields without a value to fill in, in the order they are declared.
    required: Box<[usize]>,
    /// The thunk each field (in the order declared) takes when left out; `None` for a
    /// required one.
    missing: Box<[Option<Thunk<'a>>]>,
}

/// The key of a [`RecordFill`]: the record's address and the annotation's file and span.
pub type RecordFillKey = (usize, super::value::FileId, crate::span::Span);

/// Who is to blame for a contract failure: the value (where it was written) and the
/// annotation that expected something else.
#[derive(Clone, Copy)]
struct Blame<'t> {
    annotation: Site,
    origin: Option<Site>,
    /// The name of the declared type being checked (`Port`), for messages.
    name: Option<&'t str>,
}

impl Blame<'_> {
    fn error(
        &self,
        code: crate::diagnostic::Code,
        message: String,
        label: String,
    ) -> Box<EvalError> {
        let site = self.origin.unwrap_or(self.annotation);
        let mut error = EvalError::new(code, message, Some(site)).label(label);
        if self.origin.is_some_and(|origin| origin != self.annotation) {
            error = error.related(self.annotation, "the value must match this annotation");
        }
        error
    }

    fn wrong_type(&self, expected: &Type, found: &Value<'_>) -> Box<EvalError> {
        let expected_name = self
            .name
            .map_or_else(|| expected.to_string(), str::to_string);
        self.error(
            codes::E0303,
            format!(
                "wrong type: expected `{expected_name}`, found {}",
                found.described()
            ),
            format!("this is {}", found.described()),
        )
    }
}

fn not_allowed(blame: &Blame<'_>, value: &str, allowed: &[&str]) -> Box<EvalError> {
    let list = allowed
        .iter()
        .map(|a| format!("{a:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut error = blame.error(
        codes::E0304,
        format!("{value:?} is not one of the allowed values"),
        format!("allowed: {list}"),
    );
    let suggestion = allowed
        .iter()
        .find(|a| a.eq_ignore_ascii_case(value))
        .copied()
        .or_else(|| did_you_mean(value, allowed.iter().copied()));
    if let Some(suggestion) = suggestion {
        error = error.help(format!("did you mean {suggestion:?}?"));
    }
    error
}

/// Whether a union member of this shape could describe `value`.
fn fits_kind(shape: &Type, value: &Value<'_>) -> bool {
    match shape {
        Type::Dyn | Type::Never => true,
        Type::Null => matches!(value, Value::Null),
        Type::Bool => matches!(value, Value::Bool(_)),
        Type::Int => matches!(value, Value::Int(_)),
        Type::Float => matches!(value, Value::Float(_)),
        Type::Number => matches!(value, Value::Int(_) | Value::Float(_)),
        Type::String | Type::Literal(_) => matches!(value, Value::String(_)),
        Type::Path => matches!(value, Value::Path(_)),
        Type::List(_) => matches!(value, Value::List(_)),
        Type::Map(_) | Type::Record(_) => matches!(value, Value::Attrs(_)),
        Type::Function(..) => matches!(
            value,
            Value::Lambda(_) | Value::Builtin(_) | Value::Attrs(_)
        ),
        // A member may itself be a union under a name (`Quantity?`): look into each member,
        // since `shape` of a union is the union itself.
        Type::Union(members) => members.iter().any(|member| fits_kind(member, value)),
        Type::Refined(_) | Type::Named(..) => fits_kind(shape.shape(), value),
    }
}
