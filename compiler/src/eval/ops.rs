//! Operators: arithmetic (with overflow checks), `+` on strings and paths, `++`, `//`,
//! Boolean connectives, deep equality, ordering, and string coercion.

use super::error::{ErrorExt, EvalError, EvalResult};
use super::machine::Evaluator;
use super::numfmt;
use super::value::{Env, FileId, Site, Value};
use crate::diagnostic::codes;
use crate::syntax::{BinaryOp, Expr};
use std::cmp::Ordering;
use std::rc::Rc;

impl<'a> Evaluator<'a> {
    pub fn binary(
        &mut self,
        op: BinaryOp,
        site: Site,
        lhs: &'a Expr,
        rhs: &'a Expr,
        env: &Env<'a>,
        file: FileId,
    ) -> EvalResult<Value<'a>> {
        let lhs_site = Site {
            file,
            span: lhs.span,
        };
        let rhs_site = Site {
            file,
            span: rhs.span,
        };
        match op {
            BinaryOp::And => Ok(Value::Bool(
                self.eval_bool(lhs, env, file, "the left side of `&&`")?
                    && self.eval_bool(rhs, env, file, "the right side of `&&`")?,
            )),
            BinaryOp::Or => Ok(Value::Bool(
                self.eval_bool(lhs, env, file, "the left side of `||`")?
                    || self.eval_bool(rhs, env, file, "the right side of `||`")?,
            )),
            BinaryOp::Implies => Ok(Value::Bool(
                !self.eval_bool(lhs, env, file, "the left side of `->`")?
                    || self.eval_bool(rhs, env, file, "the right side of `->`")?,
            )),
            _ => {
                let left = self.eval(lhs, env, file)?;
                let right = self.eval(rhs, env, file)?;
                self.binary_values(op, site, left, right, lhs_site, rhs_site)
            }
        }
    }

    /// Applies a strict binary operator to two evaluated operands.
    pub fn binary_values(
        &mut self,
        op: BinaryOp,
        site: Site,
        left: Value<'a>,
        right: Value<'a>,
        lhs_site: Site,
        rhs_site: Site,
    ) -> EvalResult<Value<'a>> {
        match op {
            BinaryOp::Add => self.add(left, right, site, lhs_site, rhs_site),
            BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                arithmetic(op, &left, &right, site, lhs_site, rhs_site)
            }
            BinaryOp::Concat => match (left, right) {
                // Lists never change: a side that is empty gives the other one as it is
                // (a chain of `lib.optional`s is mostly empty lists).
                (Value::List(a), Value::List(b)) if b.is_empty() => Ok(Value::List(a)),
                (Value::List(a), Value::List(b)) if a.is_empty() => Ok(Value::List(b)),
                (Value::List(a), Value::List(b)) => {
                    super::limits::check_list_len(a.len().saturating_add(b.len()), site)?;
                    let mut items = Vec::with_capacity(a.len() + b.len());
                    items.extend(a.iter().cloned());
                    items.extend(b.iter().cloned());
                    Ok(Value::List(Rc::new(items)))
                }
                (Value::List(_), other) => Err(EvalError::type_error(
                    "a list after `++`",
                    other.described(),
                    Some(rhs_site),
                )),
                (other, _) => Err(EvalError::type_error(
                    "a list before `++`",
                    other.described(),
                    Some(lhs_site),
                )),
            },
            BinaryOp::Update => match (left, right) {
                (Value::Attrs(a), Value::Attrs(b)) => {
                    if b.is_empty() {
                        return Ok(Value::Attrs(a));
                    }
                    if a.is_empty() {
                        return Ok(Value::Attrs(b));
                    }
                    Ok(Value::Attrs(Rc::new(a.update(&b))))
                }
                (Value::Attrs(_), other) => Err(EvalError::type_error(
                    "an attribute set after `//`",
                    other.described(),
                    Some(rhs_site),
                )),
                (other, _) => Err(EvalError::type_error(
                    "an attribute set before `//`",
                    other.described(),
                    Some(lhs_site),
                )),
            },
            BinaryOp::Eq => Ok(Value::Bool(self.equal(&left, &right, site)?)),
            BinaryOp::NotEq => Ok(Value::Bool(!self.equal(&left, &right, site)?)),
            BinaryOp::Less => Ok(Value::Bool(
                self.compare(&left, &right, site)? == Ordering::Less,
            )),
            BinaryOp::LessEq => Ok(Value::Bool(
                self.compare(&left, &right, site)? != Ordering::Greater,
            )),
            BinaryOp::Greater => Ok(Value::Bool(
                self.compare(&left, &right, site)? == Ordering::Greater,
            )),
            BinaryOp::GreaterEq => Ok(Value::Bool(
                self.compare(&left, &right, site)? != Ordering::Less,
            )),
            BinaryOp::And | BinaryOp::Or | BinaryOp::Implies => {
                let (a, b) = (as_bool(&left, lhs_site)?, as_bool(&right, rhs_site)?);
                Ok(Value::Bool(match op {
                    BinaryOp::And => a && b,
                    BinaryOp::Or => a || b,
                    _ => !a || b,
                }))
            }
        }
    }

    fn add(
        &mut self,
        left: Value<'a>,
        right: Value<'a>,
        site: Site,
        lhs_site: Site,
        rhs_site: Site,
    ) -> EvalResult<Value<'a>> {
        match (&left, &right) {
            (Value::String(a), _) => {
                let b = self.coerce_to_string(&right, false, rhs_site)?;
                super::limits::check_string_len(a.len().saturating_add(b.len()), site)?;
                Ok(Value::String(format!("{a}{b}").into()))
            }
            (Value::Path(a), _) => {
                let b = match &right {
                    Value::String(s) | Value::Path(s) => s.clone(),
                    other => {
                        return Err(EvalError::type_error(
                            "a string or path to append to a path",
                            other.described(),
                            Some(rhs_site),
                        ))
                    }
                };
                Ok(Value::Path(
                    crate::paths::normalize("/", &format!("{a}{b}")).into(),
                ))
            }
            _ => arithmetic(BinaryOp::Add, &left, &right, site, lhs_site, rhs_site),
        }
    }

    /// Deep equality as Nix defines it (functions are never equal; ints equal floats of
    /// the same value).
    pub fn equal(&mut self, left: &Value<'a>, right: &Value<'a>, site: Site) -> EvalResult<bool> {
        match (left, right) {
            // Only two lists or two sets compare what they hold, a level down.
            (Value::List(_), Value::List(_)) | (Value::Attrs(_), Value::Attrs(_)) => {
                self.nested(Some(site), |ev| ev.equal_inner(left, right, site))
            }
            _ => self.equal_inner(left, right, site),
        }
    }

    fn equal_inner(&mut self, left: &Value<'a>, right: &Value<'a>, site: Site) -> EvalResult<bool> {
        Ok(match (left, right) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => {
                (*a as f64) == *b
            }
            (Value::String(a), Value::String(b)) | (Value::Path(a), Value::Path(b)) => a == b,
            (Value::List(a), Value::List(b)) => {
                if Rc::ptr_eq(a, b) {
                    return Ok(true);
                }
                if a.len() != b.len() {
                    return Ok(false);
                }
                for (x, y) in a.iter().zip(b.iter()) {
                    let (x, y) = (self.force(x)?, self.force(y)?);
                    if !self.equal(&x, &y, site)? {
                        return Ok(false);
                    }
                }
                true
            }
            (Value::Attrs(a), Value::Attrs(b)) => {
                if Rc::ptr_eq(a, b) {
                    return Ok(true);
                }
                if a.len() != b.len() {
                    return Ok(false);
                }
                for ((ka, va), (kb, vb)) in a.iter().zip(b.iter()) {
                    if ka != kb {
                        return Ok(false);
                    }
                    let (x, y) = (self.force(va)?, self.force(vb)?);
                    if !self.equal(&x, &y, site)? {
                        return Ok(false);
                    }
                }
                true
            }
            _ => false,
        })
    }

    /// Ordering for `<` and `builtins.lessThan`: numbers, strings, paths, lists.
    pub fn compare(
        &mut self,
        left: &Value<'a>,
        right: &Value<'a>,
        site: Site,
    ) -> EvalResult<Ordering> {
        self.nested(Some(site), |ev| ev.compare_inner(left, right, site))
    }

    fn compare_inner(
        &mut self,
        left: &Value<'a>,
        right: &Value<'a>,
        site: Site,
    ) -> EvalResult<Ordering> {
        match (left, right) {
            (Value::Int(a), Value::Int(b)) => Ok(a.cmp(b)),
            (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
                let (a, b) = (as_f64(left), as_f64(right));
                Ok(a.partial_cmp(&b).unwrap_or(Ordering::Equal))
            }
            (Value::String(a), Value::String(b)) | (Value::Path(a), Value::Path(b)) => {
                Ok(a.as_bytes().cmp(b.as_bytes()))
            }
            (Value::List(a), Value::List(b)) => {
                for (x, y) in a.iter().zip(b.iter()) {
                    let (x, y) = (self.force(x)?, self.force(y)?);
                    if self.equal(&x, &y, site)? {
                        continue;
                    }
                    return self.compare(&x, &y, site);
                }
                Ok(a.len().cmp(&b.len()))
            }
            _ => Err(EvalError::new(
                codes::E0401,
                format!(
                    "cannot compare {} with {}",
                    left.described(),
                    right.described()
                ),
                Some(site),
            )
            .help("only numbers, strings, paths and lists can be ordered")),
        }
    }

    /// Turns a value into a string: interpolation (`to_string == false`) accepts strings,
    /// paths and sets with `__toString`/`outPath`; `toString` also numbers, Booleans, null
    /// and lists.
    pub fn coerce_to_string(
        &mut self,
        value: &Value<'a>,
        to_string: bool,
        site: Site,
    ) -> EvalResult<String> {
        self.nested(Some(site), |ev| ev.coerce_inner(value, to_string, site))
    }

    fn coerce_inner(
        &mut self,
        value: &Value<'a>,
        to_string: bool,
        site: Site,
    ) -> EvalResult<String> {
        match value {
            Value::String(s) | Value::Path(s) => Ok(s.to_string()),
            Value::Attrs(attrs) => {
                if let Some(function) = attrs.get("__toString").cloned() {
                    let function = self.force(&function)?;
                    let result =
                        self.apply(function, super::value::Thunk::value(value.clone()), site)?;
                    return self.coerce_to_string(&result, to_string, site);
                }
                if let Some(out_path) = attrs.get("outPath").cloned() {
                    let out_path = self.force(&out_path)?;
                    return self.coerce_to_string(&out_path, to_string, site);
                }
                Err(EvalError::new(
                    codes::E0401,
                    "cannot coerce an attribute set to a string",
                    Some(site),
                )
                .help("select a string attribute from it, or use `builtins.toJSON`"))
            }
            Value::Int(n) if to_string => Ok(n.to_string()),
            Value::Float(f) if to_string => Ok(numfmt::fixed(*f)),
            Value::Bool(b) if to_string => Ok(if *b { "1".to_string() } else { String::new() }),
            Value::Null if to_string => Ok(String::new()),
            Value::List(items) if to_string => {
                let mut out = String::new();
                for (index, item) in items.iter().enumerate() {
                    let item = self.force(item)?;
                    let part = self.coerce_to_string(&item, true, site)?;
                    if index > 0 {
                        super::limits::push_str_within(&mut out, " ", site)?;
                    }
                    super::limits::push_str_within(&mut out, &part, site)?;
                }
                Ok(out)
            }
            other => {
                let mut error = EvalError::new(
                    codes::E0401,
                    format!("cannot coerce {} to a string", other.described()),
                    Some(site),
                );
                if matches!(other, Value::Int(_) | Value::Float(_) | Value::Bool(_)) {
                    error = error.help("convert it first: `${toString value}`");
                }
                Err(error)
            }
        }
    }
}

fn as_bool(value: &Value<'_>, site: Site) -> EvalResult<bool> {
    match value {
        Value::Bool(b) => Ok(*b),
        other => Err(EvalError::type_error(
            "a Boolean",
            other.described(),
            Some(site),
        )),
    }
}

pub fn as_f64(value: &Value<'_>) -> f64 {
    match value {
        Value::Int(n) => *n as f64,
        Value::Float(f) => *f,
        _ => f64::NAN,
    }
}

/// `+ - * /` on numbers: checked on integers, IEEE on floats, mixed promotes to float.
pub fn arithmetic<'a>(
    op: BinaryOp,
    left: &Value<'a>,
    right: &Value<'a>,
    site: Site,
    lhs_site: Site,
    rhs_site: Site,
) -> EvalResult<Value<'a>> {
    let symbol = op.symbol();
    match (left, right) {
        (Value::Int(a), Value::Int(b)) => {
            let result = match op {
                BinaryOp::Add => a.checked_add(*b),
                BinaryOp::Sub => a.checked_sub(*b),
                BinaryOp::Mul => a.checked_mul(*b),
                _ => {
                    if *b == 0 {
                        return Err(EvalError::new(
                            codes::E0403,
                            "division by zero",
                            Some(rhs_site),
                        )
                        .label("this is zero"));
                    }
                    a.checked_div(*b)
                }
            };
            result.map(Value::Int).ok_or_else(|| {
                EvalError::new(
                    codes::E0403,
                    format!("integer overflow in `{a} {symbol} {b}`"),
                    Some(site),
                )
                .help("integers are 64-bit; use a float if you need larger numbers")
            })
        }
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            let (a, b) = (as_f64(left), as_f64(right));
            if op == BinaryOp::Div && b == 0.0 {
                return Err(
                    EvalError::new(codes::E0403, "division by zero", Some(rhs_site))
                        .label("this is zero"),
                );
            }
            Ok(Value::Float(match op {
                BinaryOp::Add => a + b,
                BinaryOp::Sub => a - b,
                BinaryOp::Mul => a * b,
                _ => a / b,
            }))
        }
        (Value::Int(_) | Value::Float(_), other) => Err(EvalError::type_error(
            &format!("a number after `{symbol}`"),
            other.described(),
            Some(rhs_site),
        )),
        (other, _) => Err(EvalError::type_error(
            &format!("a number before `{symbol}`"),
            other.described(),
            Some(lhs_site),
        )),
    }
}
