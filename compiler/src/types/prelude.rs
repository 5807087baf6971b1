//! What every file sees without declaring it: the built-in type names (`Int`, `Port`,
//! `Quantity`, ...) and the types of the builtins, read from the signatures of the one
//! table ([`crate::builtins`]).
//!
//! Builtins that Nix makes polymorphic (`map`, `foldl'`) have `Dyn` where a type variable
//! would be: the checker stays gradual there rather than inventing generics.

use super::matchers;
use super::ty::{Check, Pattern, Record, Refined, Type};
use crate::builtins;
use crate::syntax::{TypeExpr, TypeExprKind};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// Accepts exactly the strings a pattern matches (`super::matchers`).
type Matcher = fn(&str) -> bool;

/// A built-in refinement: name, base, check, and what a value must be in words.
struct NamedRefinement {
    name: &'static str,
    base: Type,
    /// The pattern, and the hand-written check that matches exactly what it matches.
    pattern: Option<(&'static str, Matcher)>,
    range: Option<(i64, i64)>,
    description: &'static str,
}

fn named_refinements() -> Vec<NamedRefinement> {
    vec![
        NamedRefinement {
            name: "Port",
            base: Type::Int,
            pattern: None,
            range: Some((1, 65535)),
            description: "a port number (1 to 65535)",
        },
        NamedRefinement {
            name: "K8sName",
            base: Type::String,
            pattern: Some((r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", matchers::k8s_name)),
            range: None,
            description: "a Kubernetes name: at most 63 lowercase letters, digits and `-`, starting and ending with a letter or digit",
        },
        NamedRefinement {
            name: "Cron",
            base: Type::String,
            pattern: Some((
                r"@(yearly|annually|monthly|weekly|daily|midnight|hourly)|[0-9*/,?A-Za-z-]+(\s+[0-9*/,?A-Za-z-]+){4}",
                matchers::cron,
            )),
            range: None,
            description: "a cron schedule like `0 2 * * 0` (minute hour day-of-month month day-of-week)",
        },
        NamedRefinement {
            name: "Duration",
            base: Type::String,
            pattern: Some((r"([0-9]+(\.[0-9]+)?(ms|s|m|h|d|w))+", matchers::duration)),
            range: None,
            description: "a duration like `30d`, `7d12h` or `90m`",
        },
        NamedRefinement {
            name: "QuantityString",
            base: Type::String,
            pattern: Some((QUANTITY_PATTERN, matchers::quantity)),
            range: None,
            description: "a quantity like `10Gi`, `500m` or `2`",
        },
    ]
}

fn build_named_types() -> HashMap<&'static str, Type> {
    let mut types: HashMap<&'static str, Type> = HashMap::from([
        ("Dyn", Type::Dyn),
        ("Null", Type::Null),
        ("Bool", Type::Bool),
        ("Int", Type::Int),
        ("Float", Type::Float),
        ("Number", Type::Number),
        ("String", Type::String),
        ("Path", Type::Path),
    ]);
    for named in named_refinements() {
        let check = match (named.pattern, named.range) {
            (Some((pattern, matcher)), _) => {
                Check::Pattern(Arc::new(Pattern::native(pattern, matcher)))
            }
            (None, Some((min, max))) => Check::Range {
                min: Some(min),
                max: Some(max),
            },
            (None, None) => continue,
        };
        let refined = Type::Refined(Arc::new(Refined {
            base: named.base,
            check,
            description: Some(named.description),
        }));
        types.insert(
            named.name,
            Type::Named(Arc::from(named.name), Arc::new(refined)),
        );
    }
    // Kubernetes quantities are numbers or strings (`cpu = 1;`, `memory = "512Mi";`); the
    // string form is not a name of its own.
    if let Some(Type::Named(_, string)) = types.remove("QuantityString") {
        let quantity = Type::union(vec![Type::Int, Type::Float, string.as_ref().clone()]);
        types.insert(
            "Quantity",
            Type::Named(Arc::from("Quantity"), Arc::new(quantity)),
        );
    }
    types
}

/// The built-in named types.
pub fn named_type(name: &str) -> Option<Type> {
    static TYPES: OnceLock<HashMap<&'static str, Type>> = OnceLock::new();
    TYPES.get_or_init(build_named_types).get(name).cloned()
}

/// Every built-in type name (for "did you mean" and completion).
pub fn named_type_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = [
        "Dyn", "Null", "Bool", "Int", "Float", "Number", "String", "Path",
    ]
    .into_iter()
    .chain(named_refinements().into_iter().map(|n| n.name))
    .filter(|name| *name != "QuantityString")
    .chain(["Quantity"])
    .collect();
    names.sort_unstable();
    names
}

/// The type a builtin's signature (in [`crate::builtins`]) means: type syntax with the
/// built-in type names, and `Never` for a result that never comes. `Err` names what is
/// not understood.
fn signature_type(signature: &str) -> Result<Type, String> {
    let ty = crate::syntax::parse_type(signature)
        .ok_or_else(|| format!("`{signature}` is not a type"))?;
    lower_signature(&ty)
}

fn lower_signature(ty: &TypeExpr) -> Result<Type, String> {
    Ok(match &ty.kind {
        TypeExprKind::Name(segments) => match segments.as_slice() {
            [(name, _)] if &**name == "Never" => Type::Never,
            [(name, _)] => named_type(name).ok_or_else(|| format!("unknown type `{name}`"))?,
            _ => return Err("a qualified type name".to_string()),
        },
        TypeExprKind::List(item) => Type::List(Arc::new(lower_signature(item)?)),
        TypeExprKind::Map(value) => Type::Map(Arc::new(lower_signature(value)?)),
        TypeExprKind::Optional(inner) => Type::optional(lower_signature(inner)?),
        TypeExprKind::Function(from, to) => Type::Function(
            Arc::new(lower_signature(from)?),
            Arc::new(lower_signature(to)?),
        ),
        TypeExprKind::Paren(inner) => lower_signature(inner)?,
        TypeExprKind::Union(members) => Type::union(
            members
                .iter()
                .map(lower_signature)
                .collect::<Result<_, _>>()?,
        ),
        TypeExprKind::Literal(text) => Type::Literal(Arc::from(text.as_str())),
        TypeExprKind::Record { .. } | TypeExprKind::Refined { .. } | TypeExprKind::Error => {
            return Err("records and refinements have no place in a signature".to_string())
        }
    })
}

/// The type of each builtin function's signature (by its index in the table) and of each
/// constant's (after them), each worked out when it is first asked for: a run's files use
/// a few of them, and parsing every signature was a tenth of a small build's type checking
/// (a test checks that each one means a type, of the entry's arity).
fn signature_types() -> &'static [OnceLock<Type>] {
    static TYPES: OnceLock<Vec<OnceLock<Type>>> = OnceLock::new();
    TYPES.get_or_init(|| {
        (0..builtins::BUILTINS.len() + builtins::CONSTANTS.len())
            .map(|_| OnceLock::new())
            .collect()
    })
}

/// The type of the signature of the entry at `index` of [`signature_types`].
fn signature_at(index: usize, signature: &str) -> Option<Type> {
    let ty = signature_types()
        .get(index)?
        .get_or_init(|| signature_type(signature).unwrap_or(Type::Dyn));
    Some(ty.clone())
}

/// The type of the constant `name` (`true`, `null`, ...).
fn constant_type(name: &str) -> Option<Type> {
    let index = builtins::CONSTANTS
        .iter()
        .position(|constant| constant.name == name)?;
    signature_at(
        builtins::BUILTINS.len() + index,
        builtins::CONSTANTS[index].signature,
    )
}

/// The type of `builtins.name`, if it is a builtin function.
pub fn builtin_type(name: &str) -> Option<Type> {
    let index = builtins::BUILTINS
        .iter()
        .position(|entry| entry.name == name)?;
    signature_at(index, builtins::BUILTINS[index].signature)
}

/// The type of the `builtins` set: every builtin function as a field (open: `builtins ? x`
/// tests are common and harmless).
pub fn builtins_record() -> Type {
    static RECORD: OnceLock<Type> = OnceLock::new();
    RECORD
        .get_or_init(|| {
            let fields = builtins::names()
                .into_iter()
                .filter_map(|name| {
                    Some(super::ty::Field {
                        name: Arc::from(name),
                        ty: builtin_type(name)?,
                        default: None,
                        doc: None,
                        site: None,
                        optional: false,
                    })
                })
                .collect();
            Type::Record(Arc::new(Record {
                fields,
                open: true,
                types: Vec::new(),
            }))
        })
        .clone()
}

/// The type of a name in the global scope (`true`, `map`, `builtins`, ...).
pub fn global_type(name: &str) -> Option<Type> {
    if name == "builtins" {
        return Some(builtins_record());
    }
    match builtins::find(name) {
        Some(entry) if entry.global => builtin_type(name),
        Some(_) => None,
        None => constant_type(name),
    }
}

/// A Kubernetes quantity (`10Gi`, `500m`, `2`, `1e3`), as the API server parses it; the
/// pattern of `Quantity` (matched by `matchers::quantity`, which `k8s` also checks the
/// quantities inside free-form fields with).
pub const QUANTITY_PATTERN: &str =
    r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?";
#[cfg(test)]
mod tests {
    use super::*;

    /// Every builtin's signature means a type, of as many parameters as its arity.
    #[test]
    fn every_signature_parses_and_agrees_with_the_arity() {
        for entry in builtins::BUILTINS {
            let ty =
                signature_type(entry.signature).unwrap_or_else(|e| panic!("`{}`: {e}", entry.name));
            let mut params = 0;
            let mut result = &ty;
            while let Type::Function(_, to) = result {
                params += 1;
                result = to;
            }
            assert_eq!(
                params, entry.arity,
                "`{}` :: {}",
                entry.name, entry.signature
            );
        }
        for constant in builtins::CONSTANTS {
            let ty = signature_type(constant.signature)
                .unwrap_or_else(|e| panic!("`{}`: {e}", constant.name));
            assert!(!matches!(ty, Type::Function(..)), "{}", constant.name);
        }
    }

    /// The types the checker had before the table, for a few builtins of each kind.
    #[test]
    fn signatures_mean_the_checkers_types() {
        let cases = [
            ("substring", "Int -> Int -> Dyn -> String"),
            ("map", "(Dyn -> Dyn) -> [Dyn] -> [Dyn]"),
            ("throw", "String -> Never"),
            ("foldl'", "Dyn -> Dyn -> Dyn -> Dyn"),
            ("concatLists", "[[Dyn]] -> [Dyn]"),
        ];
        for (name, shown) in cases {
            let ty = builtin_type(name).map(|ty| ty.to_string());
            assert_eq!(ty.as_deref(), Some(shown), "{name}");
        }
        assert_eq!(global_type("true"), Some(Type::Bool));
        assert_eq!(global_type("null"), Some(Type::Null));
        assert!(global_type("map").is_some());
        assert_eq!(global_type("length"), None, "`length` needs `builtins.`");
        assert_eq!(global_type("nope"), None);
    }

    /// Each named type's hand-written matcher accepts exactly what its pattern matches, on
    /// strings made of the pieces these patterns care about.
    #[test]
    fn each_matcher_agrees_with_its_pattern() {
        const PIECES: &[&str] = &[
            "0", "1", "5", "9", "a", "z", "Z", "-", ".", "+", "e", "E", "i", "K", "M", "m", "s",
            "ms", "h", "d", "w", "n", "u", "k", "G", "Ki", "Mi", "*", "/", ",", "?", " ", "  ",
            "\t", "\u{a0}", "@", "@daily", "@hourly", "daily", "_", "é", "1.5", "10",
        ];
        let mut strings = crate::testing::generated_strings(PIECES, 20_000, 9);
        strings.extend(
            ["0 2 * * 0", "*/5 * * * *", &"a".repeat(63), &"a".repeat(64)].map(String::from),
        );
        for named in named_refinements() {
            let Some((pattern, matcher)) = named.pattern else {
                continue;
            };
            let regex = Pattern::compile(pattern)
                .unwrap_or_else(|e| panic!("{}: /{pattern}/: {e}", named.name));
            for text in &strings {
                assert_eq!(
                    matcher(text),
                    regex.is_match(text),
                    "{}: /{pattern}/ on {text:?}",
                    named.name
                );
            }
        }
    }
}
