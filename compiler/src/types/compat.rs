//! Whether a value of one type can be used where another is expected.
//!
//! The checker is gradual: it reports only what is certainly wrong. `Dyn` fits everywhere;
//! a `String` where `"a" | "b"` is expected, a `Number` where an `Int` is expected, or a
//! record that may have more fields are left to the contract checked at evaluation. So
//! [`compat`] answers "certainly not" (with the reason) or "maybe".

use super::ty::{Field, Record, Site, Type};
use std::sync::Arc;

/// Why a value of type `found` certainly cannot be used as `expected`.
#[derive(Clone, Debug, PartialEq)]
pub enum Mismatch {
    /// Different kinds of value.
    Kind { expected: Type, found: Type },
    /// A record has a field that the (closed) expected record does not declare.
    UnknownField {
        name: Arc<str>,
        /// Where the field was defined in the value.
        site: Option<Site>,
        expected: Arc<Record>,
    },
    /// A record lacks a field that the expected record requires.
    MissingField {
        name: Arc<str>,
        /// Where the required field is declared.
        declared: Option<Site>,
    },
    /// A string is not one of the literals of the expected union.
    NotAllowed {
        value: Arc<str>,
        allowed: Vec<Arc<str>>,
    },
    /// Inside a field of a record.
    InField {
        name: Arc<str>,
        inner: Box<Mismatch>,
    },
    /// Inside an element of a list.
    InElement(Box<Mismatch>),
}

impl Mismatch {
    /// The field path to the innermost problem (`storage.size`), empty at the top.
    pub fn path(&self) -> Vec<&str> {
        let mut path = Vec::new();
        let mut current = self;
        loop {
            match current {
                Mismatch::InField { name, inner } => {
                    path.push(&**name);
                    current = inner;
                }
                Mismatch::InElement(inner) => {
                    path.push("[]");
                    current = inner;
                }
                _ => return path,
            }
        }
    }

    pub fn innermost(&self) -> &Mismatch {
        match self {
            Mismatch::InField { inner, .. } | Mismatch::InElement(inner) => inner.innermost(),
            other => other,
        }
    }
}

/// `Ok` when a `found` may be used as `expected`, `Err` with the reason when it certainly
/// cannot.
pub fn compat(found: &Type, expected: &Type) -> Result<(), Mismatch> {
    let kind = || Mismatch::Kind {
        expected: expected.clone(),
        found: found.clone(),
    };
    let found_shape = found.unnamed();
    let expected_shape = expected.unnamed();
    match (found_shape, expected_shape) {
        (Type::Dyn | Type::Never, _) | (_, Type::Dyn) => Ok(()),
        (Type::Refined(refined), _) => compat(&refined.base, expected),
        // The reason names the type as declared (`Port`, `Int(1..)`), not its base.
        (_, Type::Refined(refined)) => {
            compat(found, &refined.base).map_err(|reason| match reason {
                Mismatch::Kind { found, .. } => Mismatch::Kind {
                    expected: expected.clone(),
                    found,
                },
                other => other,
            })
        }
        (Type::Union(members), _) => {
            // Certainly wrong only if no member fits; report the first member's reason.
            let mut first = None;
            for member in members.iter() {
                match compat(member, expected) {
                    Ok(()) => return Ok(()),
                    Err(reason) => {
                        first.get_or_insert(reason);
                    }
                }
            }
            Err(first.unwrap_or_else(kind))
        }
        (_, Type::Union(members)) => {
            if let (Type::Literal(value), Some(allowed)) =
                (found_shape, expected_shape.literal_members())
            {
                if allowed.contains(&&**value) || members.iter().any(|m| m.shape() == &Type::String)
                {
                    return Ok(());
                }
                if members
                    .iter()
                    .all(|m| matches!(m.shape(), Type::Literal(_) | Type::Null))
                {
                    return Err(Mismatch::NotAllowed {
                        value: value.clone(),
                        allowed: allowed.into_iter().map(Arc::from).collect(),
                    });
                }
            }
            let mut best = None;
            for member in members.iter() {
                match compat(found, member) {
                    Ok(()) => return Ok(()),
                    // A record against `Record?` explains itself better than "expected
                    // Record?, found {...}".
                    Err(reason) if same_kind(found_shape, member) => {
                        best.get_or_insert(reason);
                    }
                    Err(_) => {}
                }
            }
            Err(best.unwrap_or_else(kind))
        }
        (Type::Literal(value), Type::Literal(allowed)) => {
            if value == allowed {
                Ok(())
            } else {
                Err(Mismatch::NotAllowed {
                    value: value.clone(),
                    allowed: vec![allowed.clone()],
                })
            }
        }
        (Type::Literal(_) | Type::String, Type::String)
        | (Type::String, Type::Literal(_))
        | (Type::Null, Type::Null)
        | (Type::Bool, Type::Bool)
        | (Type::Path, Type::Path)
        | (Type::Int, Type::Int | Type::Number)
        | (Type::Float, Type::Float | Type::Number)
        | (Type::Number, Type::Int | Type::Float | Type::Number) => Ok(()),
        (Type::List(item), Type::List(expected_item)) => {
            compat(item, expected_item).map_err(|inner| Mismatch::InElement(Box::new(inner)))
        }
        (Type::Record(record), Type::Record(expected_record)) => {
            record_compat(record, expected_record)
        }
        (Type::Record(record), Type::Map(value)) => {
            for field in &record.fields {
                compat(&field.ty, value).map_err(|inner| Mismatch::InField {
                    name: field.name.clone(),
                    inner: Box::new(inner),
                })?;
            }
            Ok(())
        }
        (Type::Map(_), Type::Record(_)) => Ok(()),
        (Type::Map(value), Type::Map(expected_value)) => compat(value, expected_value),
        (Type::Function(from, to), Type::Function(expected_from, expected_to)) => {
            compat(expected_from, from).map_err(|_| kind())?;
            compat(to, expected_to).map_err(|_| kind())
        }
        // A set with `__functor` is callable.
        (Type::Record(record), Type::Function(..))
            if record.open || record.field("__functor").is_some() =>
        {
            Ok(())
        }
        _ => Err(kind()),
    }
}

fn same_kind(found: &Type, expected: &Type) -> bool {
    matches!(
        (found.shape(), expected.shape()),
        (Type::Record(_), Type::Record(_) | Type::Map(_))
            | (Type::List(_), Type::List(_))
            | (Type::Literal(_), Type::Literal(_))
    )
}

fn record_compat(found: &Record, expected: &Arc<Record>) -> Result<(), Mismatch> {
    for field in &found.fields {
        match expected.field(&field.name) {
            Some(expected_field) => {
                compat(&field.ty, &expected_field.ty).map_err(|inner| Mismatch::InField {
                    name: field.name.clone(),
                    inner: Box::new(inner),
                })?
            }
            None if !expected.open => {
                return Err(Mismatch::UnknownField {
                    name: field.name.clone(),
                    site: field.site.clone(),
                    expected: expected.clone(),
                })
            }
            None => {}
        }
    }
    // An open value may have the missing fields.
    if !found.open {
        if let Some(missing) = expected
            .fields
            .iter()
            .find(|f| found.field(&f.name).is_none() && !Field::can_be_omitted(f))
        {
            return Err(Mismatch::MissingField {
                name: missing.name.clone(),
                declared: missing.site.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(text: &str) -> Type {
        Type::Literal(Arc::from(text))
    }

    #[test]
    fn gradual_answers() {
        assert!(compat(&Type::Dyn, &Type::Int).is_ok());
        assert!(compat(&Type::Int, &Type::Dyn).is_ok());
        assert!(compat(&Type::Int, &Type::Number).is_ok());
        assert!(compat(&Type::Number, &Type::Int).is_ok());
        assert!(compat(&Type::String, &Type::union(vec![lit("a"), lit("b")])).is_ok());
        assert!(compat(&Type::Int, &Type::String).is_err());
        assert!(compat(&Type::Int, &Type::Float).is_err());
    }

    #[test]
    fn literal_outside_a_union_lists_the_allowed_values() {
        let expected = Type::union(vec![lit("ClusterIP"), lit("NodePort")]);
        match compat(&lit("ClusterIp"), &expected) {
            Err(Mismatch::NotAllowed { allowed, .. }) => assert_eq!(allowed.len(), 2),
            other => panic!("{other:?}"),
        }
        assert!(compat(&Type::Null, &Type::optional(expected)).is_ok());
    }

    #[test]
    fn unions_of_found_types_are_wrong_only_if_no_member_fits() {
        let found = Type::union(vec![Type::Int, Type::String]);
        assert!(compat(&found, &Type::String).is_ok());
        assert!(compat(&found, &Type::Bool).is_err());
    }
}
