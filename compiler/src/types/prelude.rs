//! What every file sees without declaring it: the built-in type names (`Int`, `Port`,
//! `Quantity`, ...) and the types of the builtins.
//!
//! Builtins that Nix makes polymorphic (`map`, `foldl'`) get `Dyn` where a type variable
//! would be: the checker stays gradual there rather than inventing generics.

use super::matchers;
use super::ty::{Check, Pattern, Record, Refined, Type};
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

fn func(params: &[Type], result: Type) -> Type {
    params.iter().rev().fold(result, |acc, param| {
        Type::Function(Arc::new(param.clone()), Arc::new(acc))
    })
}

fn list(item: Type) -> Type {
    Type::List(Arc::new(item))
}

/// The precise signatures; every other builtin is `Dyn -> ... -> Dyn` by its arity.
fn signature(name: &str) -> Option<Type> {
    use Type::{Bool, Dyn, Int, Never, String};
    let predicate = func(&[Dyn], Bool);
    Some(match name {
        "toString" | "typeOf" | "toJSON" => func(&[Dyn], String),
        "throw" | "abort" => func(&[String], Never),
        "isNull" | "isAttrs" | "isList" | "isString" | "isInt" | "isFloat" | "isBool"
        | "isFunction" | "isPath" => predicate,
        "length" => func(&[list(Dyn)], Int),
        "stringLength" => func(&[String], Int),
        "hasAttr" => func(&[String, Dyn], Bool),
        "attrNames" => func(&[Dyn], list(String)),
        "attrValues" => func(&[Dyn], list(Dyn)),
        "concatStringsSep" => func(&[String, list(Dyn)], String),
        "elem" => func(&[Dyn, list(Dyn)], Bool),
        "substring" => func(&[Int, Int, Dyn], String),
        "replaceStrings" => func(&[list(String), list(String), String], String),
        "map" => func(&[func(&[Dyn], Dyn), list(Dyn)], list(Dyn)),
        "filter" => func(&[func(&[Dyn], Dyn), list(Dyn)], list(Dyn)),
        "concatMap" => func(&[func(&[Dyn], list(Dyn)), list(Dyn)], list(Dyn)),
        "concatLists" => func(&[list(list(Dyn))], list(Dyn)),
        "all" | "any" => func(&[func(&[Dyn], Dyn), list(Dyn)], Bool),
        "head" => func(&[list(Dyn)], Dyn),
        "tail" => func(&[list(Dyn)], list(Dyn)),
        "elemAt" => func(&[list(Dyn), Int], Dyn),
        "genList" => func(&[func(&[Int], Dyn), Int], list(Dyn)),
        "removeAttrs" => func(&[Dyn, list(Dyn)], Dyn),
        "fromJSON" => func(&[String], Dyn),
        _ => return None,
    })
}

/// The type of `builtins.name`, if it is a builtin.
pub fn builtin_type(name: &str) -> Option<Type> {
    static TYPES: OnceLock<HashMap<&'static str, Type>> = OnceLock::new();
    TYPES
        .get_or_init(|| {
            crate::eval::builtins::arities()
                .map(|(name, arity)| {
                    let ty =
                        signature(name).unwrap_or_else(|| func(&vec![Type::Dyn; arity], Type::Dyn));
                    (name, ty)
                })
                .collect()
        })
        .get(name)
        .cloned()
}

/// The type of the `builtins` set: every builtin as a field (open: `builtins ? x` tests
/// are common and harmless).
pub fn builtins_record() -> Type {
    static RECORD: OnceLock<Type> = OnceLock::new();
    RECORD
        .get_or_init(|| {
            let mut names = crate::eval::builtins::names();
            names.dedup();
            let fields = names
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
    match name {
        "true" | "false" => Some(Type::Bool),
        "null" => Some(Type::Null),
        "builtins" => Some(builtins_record()),
        // `import` is typed at its call, from the imported file.
        "import" => Some(func(&[Type::Dyn], Type::Dyn)),
        _ if crate::eval::builtins::GLOBAL_NAMES.contains(&name) => builtin_type(name),
        _ => None,
    }
}

/// A Kubernetes quantity (`10Gi`, `500m`, `2`, `1e3`), as the API server parses it; the
/// pattern of `Quantity`, and of the quantities `k8s` checks inside free-form fields.
pub const QUANTITY_PATTERN: &str =
    r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?";
#[cfg(test)]
mod tests {
    use super::*;

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
