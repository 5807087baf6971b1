//! The checker's types: what an annotation means once its names are resolved, and what the
//! checker infers for unannotated code. Plain shared data (`Arc`), `Send + Sync`, so salsa
//! queries return them and the evaluator reads them as contracts.

use crate::diagnostic::FileName;
use crate::syntax::{Expr, Span};
use std::fmt;
use std::sync::Arc;

/// A place in a source file: where a field, a default or a type was written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Site {
    pub file: FileName,
    pub span: Span,
}

/// A union of more members than this is `Dyn`.
const MAX_UNION: usize = 32;

#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// Unknown statically: anything goes, checked (if at all) when the program runs.
    Dyn,
    /// The type of `throw`/`abort`: no value, fits anywhere.
    Never,
    Null,
    Bool,
    Int,
    Float,
    /// `Int` or `Float`.
    Number,
    String,
    Path,
    /// Exactly this string.
    Literal(Arc<str>),
    List(Arc<Type>),
    /// Any attribute names, every value of this type.
    Map(Arc<Type>),
    Record(Arc<Record>),
    Function(Arc<Type>, Arc<Type>),
    /// One of the members (never nested, never empty).
    Union(Arc<[Type]>),
    /// A base type narrowed by a check that runs at evaluation.
    Refined(Arc<Refined>),
    /// A type declared with a name (`type Port = ...`, or a built-in like `Quantity`):
    /// messages show the name.
    Named(Arc<str>, Arc<Type>),
}

/// A record type: the fields it declares, whether it accepts others, and (for the type of
/// a module's attribute set) the types the module exports.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Record {
    pub fields: Vec<Field>,
    /// Other attributes are allowed (`...`), or may be present (a set with dynamic keys).
    pub open: bool,
    /// `type Name = ...;` declared in an attribute set: `module.Name` in a type.
    pub types: Vec<(Arc<str>, Type)>,
}

impl Record {
    /// The same fields, none of them required: what one side of `a // b` must fit when
    /// the whole is expected to be this record (the other side may set the rest).
    pub fn with_nothing_required(&self) -> Record {
        let mut record = self.clone();
        for field in &mut record.fields {
            field.optional = true;
        }
        record
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: Arc<str>,
    pub ty: Type,
    /// The value a left-out field takes.
    pub default: Option<Default>,
    pub doc: Option<String>,
    /// Where the field was declared or defined.
    pub site: Option<Site>,
    /// The field may be left out for a reason other than a global default: a pattern
    /// parameter with `? default`.
    pub optional: bool,
}

/// A field's default: an expression evaluated in the global scope when the field is missing.
#[derive(Clone, Debug, PartialEq)]
pub struct Default {
    pub expr: Arc<Expr>,
    pub file: FileName,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Refined {
    pub base: Type,
    pub check: Check,
    /// What a value must be, in words ("a port number (1 to 65535)"); `None` for user
    /// refinements, which describe themselves by their range or pattern.
    pub description: Option<&'static str>,
}

#[derive(Clone, Debug)]
pub enum Check {
    /// Both ends included.
    Range { min: Option<i64>, max: Option<i64> },
    /// The whole string matches.
    Pattern(Arc<Pattern>),
}

/// A regular expression a whole string must match. A user's pattern is compiled when it is
/// lowered; a built-in type's has a hand-written matcher instead (`super::matchers`:
/// compiling the four of them cost a tenth of a small `mlc build`).
#[derive(Debug)]
pub struct Pattern {
    /// As written, without the anchors.
    source: std::borrow::Cow<'static, str>,
    compiled: std::sync::OnceLock<Option<crate::regexes::Regex>>,
    /// Accepts exactly the strings the pattern matches, without a regex.
    native: Option<fn(&str) -> bool>,
}

impl Pattern {
    /// A pattern compiled now, for one the user wrote: an invalid one is an error here.
    pub fn compile(source: &str) -> Result<Pattern, crate::regexes::Error> {
        let regex = anchored(source)?;
        Ok(Pattern {
            source: std::borrow::Cow::Owned(source.to_string()),
            compiled: std::sync::OnceLock::from(Some(regex)),
            native: None,
        })
    }

    /// A pattern that compiled before (when its file was checked), compiled again only when
    /// a value is matched against it: for types decoded from their stored form.
    pub fn trusted(source: String) -> Pattern {
        Pattern {
            source: std::borrow::Cow::Owned(source),
            compiled: std::sync::OnceLock::new(),
            native: None,
        }
    }

    /// A built-in pattern checked by `matcher`, which must accept exactly what `source`
    /// matches (tested in `super::matchers`).
    pub fn native(source: &'static str, matcher: fn(&str) -> bool) -> Pattern {
        Pattern {
            source: std::borrow::Cow::Borrowed(source),
            compiled: std::sync::OnceLock::new(),
            native: Some(matcher),
        }
    }

    /// The pattern as written, without the `^(?:...)$` that makes it match whole strings.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether all of `value` matches.
    pub fn is_match(&self, value: &str) -> bool {
        if let Some(matcher) = self.native {
            return matcher(value);
        }
        self.compiled
            .get_or_init(|| anchored(&self.source).ok())
            .as_ref()
            .is_none_or(|regex| regex.is_match(value))
    }
}

/// The whole-string form of a pattern: `^(?:re)$`.
fn anchored(pattern: &str) -> Result<crate::regexes::Regex, crate::regexes::Error> {
    crate::regexes::Regex::new(&format!("^(?:{pattern})$"))
}

impl PartialEq for Check {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (
                Check::Range { min, max },
                Check::Range {
                    min: other_min,
                    max: other_max,
                },
            ) => min == other_min && max == other_max,
            (Check::Pattern(a), Check::Pattern(b)) => a.source() == b.source(),
            _ => false,
        }
    }
}

impl Record {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| &*f.name == name)
    }

    pub fn exported_type(&self, name: &str) -> Option<&Type> {
        self.types
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, t)| t)
    }
}

impl Field {
    /// Whether a record may leave this field out: it has a default, it may be null, or it
    /// is a record whose fields can all be left out (then it defaults to `{ }`, filled).
    pub fn can_be_omitted(&self) -> bool {
        self.optional
            || self.default.is_some()
            || self.ty.accepts_null()
            || self.ty.is_fillable_record()
    }
}

impl Check {
    /// Whether `value` passes; integers for ranges, strings for patterns.
    pub fn int_ok(&self, value: i64) -> bool {
        match self {
            Check::Range { min, max } => {
                min.is_none_or(|min| value >= min) && max.is_none_or(|max| value <= max)
            }
            Check::Pattern(_) => true,
        }
    }

    pub fn str_ok(&self, value: &str) -> bool {
        match self {
            Check::Pattern(regex) => regex.is_match(value),
            Check::Range { .. } => true,
        }
    }
}

impl Refined {
    /// "must be a port number (1 to 65535)", "must be between 1 and 10", "must match /re/".
    pub fn requirement(&self) -> String {
        if let Some(description) = self.description {
            return format!("must be {description}");
        }
        match &self.check {
            Check::Range {
                min: Some(min),
                max: Some(max),
            } => format!("must be between {min} and {max}"),
            Check::Range {
                min: Some(min),
                max: None,
            } => format!("must be at least {min}"),
            Check::Range {
                min: None,
                max: Some(max),
            } => format!("must be at most {max}"),
            Check::Range { .. } => "must be an integer".to_string(),
            Check::Pattern(pattern) => format!("must match /{}/", pattern.source()),
        }
    }
}

impl Type {
    /// `T` for `T?` (a union of one type and null); the type itself otherwise. A value
    /// written as a literal list, set or string is not null, so it is checked as `T`.
    pub fn non_null(&self) -> &Type {
        if let Type::Union(members) = self.shape() {
            let mut others = members.iter().filter(|m| !matches!(m.shape(), Type::Null));
            if let (Some(only), None) = (others.next(), others.next()) {
                return only;
            }
        }
        self
    }

    pub fn optional(ty: Type) -> Type {
        Type::union(vec![ty, Type::Null])
    }

    /// A union of `members`, flattened and without duplicates; `Dyn` absorbs everything,
    /// one member is itself.
    pub fn union(members: Vec<Type>) -> Type {
        let mut flat: Vec<Type> = Vec::new();
        for member in members {
            match member {
                Type::Union(inner) => {
                    for ty in inner.iter() {
                        if !flat.contains(ty) {
                            flat.push(ty.clone());
                        }
                    }
                }
                Type::Dyn => return Type::Dyn,
                Type::Never => {}
                other => {
                    if !flat.contains(&other) {
                        flat.push(other);
                    }
                }
            }
            // Unions of many unrelated inferred types say nothing useful. Stopping as soon
            // as there are too many keeps a union of thousands of members linear.
            if flat.len() > MAX_UNION {
                return Type::Dyn;
            }
        }
        match flat.len() {
            0 => Type::Never,
            1 => flat.pop().unwrap_or(Type::Never),
            _ => Type::Union(flat.into()),
        }
    }

    /// The type under names and refinements: what kind of value it is.
    pub fn shape(&self) -> &Type {
        match self {
            Type::Named(_, inner) => inner.shape(),
            Type::Refined(refined) => refined.base.shape(),
            other => other,
        }
    }

    /// Under names only (refinements kept).
    pub fn unnamed(&self) -> &Type {
        match self {
            Type::Named(_, inner) => inner.unnamed(),
            other => other,
        }
    }

    pub fn accepts_null(&self) -> bool {
        match self.shape() {
            Type::Null | Type::Dyn => true,
            Type::Union(members) => members.iter().any(Type::accepts_null),
            _ => false,
        }
    }

    /// A record every field of which can be left out.
    pub fn is_fillable_record(&self) -> bool {
        match self.shape() {
            Type::Record(record) => record.fields.iter().all(Field::can_be_omitted),
            _ => false,
        }
    }

    pub fn as_record(&self) -> Option<&Arc<Record>> {
        match self.shape() {
            Type::Record(record) => Some(record),
            _ => None,
        }
    }

    /// The literal strings of a union of literals (`"a" | "b"`), if it is one.
    pub fn literal_members(&self) -> Option<Vec<&str>> {
        match self.shape() {
            Type::Literal(text) => Some(vec![text]),
            Type::Union(members) => {
                let mut out = Vec::new();
                for member in members.iter() {
                    match member.shape() {
                        Type::Literal(text) => out.push(&**text),
                        Type::Null => {}
                        _ => return None,
                    }
                }
                Some(out)
            }
            _ => None,
        }
    }
}

/// Types print as they are written in annotations.
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Dyn => f.write_str("Dyn"),
            Type::Never => f.write_str("Never"),
            Type::Null => f.write_str("Null"),
            Type::Bool => f.write_str("Bool"),
            Type::Int => f.write_str("Int"),
            Type::Float => f.write_str("Float"),
            Type::Number => f.write_str("Number"),
            Type::String => f.write_str("String"),
            Type::Path => f.write_str("Path"),
            Type::Literal(text) => write!(f, "{text:?}"),
            Type::List(item) => write!(f, "[{item}]"),
            Type::Map(value) => write!(f, "{{ [String]: {value} }}"),
            Type::Record(record) => {
                if record.fields.is_empty() {
                    return f.write_str(if record.open { "{ ... }" } else { "{ }" });
                }
                f.write_str("{ ")?;
                const SHOWN: usize = 4;
                for (index, field) in record.fields.iter().take(SHOWN).enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{} :: {}", field.name, field.ty)?;
                }
                if record.fields.len() > SHOWN {
                    write!(f, ", … {} more", record.fields.len() - SHOWN)?;
                }
                if record.open {
                    f.write_str(", ...")?;
                }
                f.write_str(" }")
            }
            Type::Function(from, to) => {
                if matches!(**from, Type::Function(..)) {
                    write!(f, "({from}) -> {to}")
                } else {
                    write!(f, "{from} -> {to}")
                }
            }
            Type::Union(members) => {
                let nulls = members.contains(&Type::Null);
                let others: Vec<&Type> = members.iter().filter(|m| **m != Type::Null).collect();
                if nulls && others.len() == 1 {
                    return match others[0] {
                        Type::Function(..) | Type::Union(_) => write!(f, "({})?", others[0]),
                        other => write!(f, "{other}?"),
                    };
                }
                for (index, member) in members.iter().enumerate() {
                    if index > 0 {
                        f.write_str(" | ")?;
                    }
                    if matches!(member, Type::Function(..)) {
                        write!(f, "({member})")?;
                    } else {
                        write!(f, "{member}")?;
                    }
                }
                Ok(())
            }
            Type::Refined(refined) => {
                // Written as in annotations, by the syntax's own printer.
                let written = match &refined.check {
                    Check::Range { min, max } => crate::syntax::Refinement::Range {
                        min: *min,
                        max: *max,
                    },
                    Check::Pattern(pattern) => {
                        crate::syntax::Refinement::Pattern(pattern.source().to_string())
                    }
                };
                write!(f, "{}{written}", refined.base)
            }
            Type::Named(name, _) => f.write_str(name),
        }
    }
}
