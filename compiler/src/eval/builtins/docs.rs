//! One line of documentation per builtin (its call shape and what it does), for hover and
//! completion in the language server. A test keeps the table and the builtins in step.

/// The documentation of builtin `name` (as it appears under `builtins.`), if it exists:
/// `(signature, description)`.
pub fn doc(name: &str) -> Option<(&'static str, &'static str)> {
    DOCS.iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, signature, text)| (*signature, *text))
}

const DOCS: &[(&str, &str, &str)] = &[
    ("add", "add a b", "The sum of two numbers."),
    ("sub", "sub a b", "`a` minus `b`."),
    ("mul", "mul a b", "The product of two numbers."),
    ("div", "div a b", "`a` divided by `b` (integer division for integers)."),
    ("lessThan", "lessThan a b", "Whether `a < b`."),
    ("bitAnd", "bitAnd a b", "Bitwise AND of two integers."),
    ("bitOr", "bitOr a b", "Bitwise OR of two integers."),
    ("bitXor", "bitXor a b", "Bitwise XOR of two integers."),
    ("ceil", "ceil x", "The smallest integer not below the number `x`."),
    ("floor", "floor x", "The largest integer not above the number `x`."),
    ("getAttr", "getAttr name set", "The attribute `name` of `set` (like `set.${name}`)."),
    ("attrNames", "attrNames set", "The names of the attributes of `set`, sorted."),
    ("attrValues", "attrValues set", "The values of the attributes of `set`, in name order."),
    ("hasAttr", "hasAttr name set", "Whether `set` has the attribute `name` (like `set ? ${name}`)."),
    ("listToAttrs", "listToAttrs [ { name; value; } ]", "A set from a list of name/value pairs; the first of equal names wins."),
    ("mapAttrs", "mapAttrs (name: value: ...) set", "The set with every value replaced by the function of its name and value."),
    ("removeAttrs", "removeAttrs set [ names ]", "`set` without the listed attributes."),
    ("intersectAttrs", "intersectAttrs a b", "The attributes of `b` whose names are also in `a`."),
    ("catAttrs", "catAttrs name [ sets ]", "The values of attribute `name` in the sets that have it."),
    ("zipAttrsWith", "zipAttrsWith (name: values: ...) [ sets ]", "Merges sets: for each name, the function of the name and the list of its values."),
    ("functionArgs", "functionArgs f", "The pattern fields of function `f`, each mapped to whether it has a default."),
    ("seq", "seq a b", "Evaluates `a` (shallowly), then returns `b`."),
    ("deepSeq", "deepSeq a b", "Evaluates `a` completely, then returns `b`."),
    ("throw", "throw message", "Stops evaluation with an error carrying `message` (`tryEval` can catch it)."),
    ("abort", "abort message", "Stops evaluation with an error that nothing catches."),
    ("tryEval", "tryEval e", "`{ success = true; value = e; }`, or `{ success = false; value = false; }` if `e` throws."),
    ("trace", "trace message value", "Prints `message` while evaluating, and returns `value`."),
    ("warn", "warn message value", "Reports `message` as a warning of the build (W0401), and returns `value`."),
    ("findings", "findings { options; waivers; found; }", "Reports what a library's checks found about `options`: each entry of `found` names its check and the option at fault (`at`); `waivers` maps check names to reasons. Returns `true`. See `mlc explain` for the checks."),
    ("import", "import path", "Evaluates the `.mlc` file at `path` (`./file.mlc` or `<module>` from the standard library)."),
    ("hashString", "hashString type s", "The hexadecimal hash of string `s` (`\"md5\"`, `\"sha1\"`, `\"sha256\"`, `\"sha512\"`)."),
    ("toJSON", "toJSON value", "`value` as a JSON string."),
    ("fromJSON", "fromJSON s", "The value of the JSON string `s`."),
    ("length", "length list", "The number of elements of `list`."),
    ("head", "head list", "The first element of `list`."),
    ("tail", "tail list", "`list` without its first element."),
    ("elemAt", "elemAt list n", "Element `n` of `list`, counting from 0."),
    ("elem", "elem x list", "Whether `x` is an element of `list`."),
    ("filter", "filter (x: bool) list", "The elements of `list` for which the function is true."),
    ("map", "map f list", "The list of `f` applied to each element of `list`."),
    ("foldl'", "foldl' (acc: x: ...) init list", "Folds `list` from the left: `f (f (f init x0) x1) x2`, strictly."),
    ("genList", "genList (i: ...) n", "The list of the function applied to `0` .. `n - 1`."),
    ("concatLists", "concatLists [ lists ]", "The lists joined into one."),
    ("concatMap", "concatMap f list", "`concatLists (map f list)`."),
    ("any", "any (x: bool) list", "Whether the function is true for some element."),
    ("all", "all (x: bool) list", "Whether the function is true for every element."),
    ("sort", "sort (a: b: bool) list", "`list` sorted by the \"less than\" function (stable)."),
    ("partition", "partition (x: bool) list", "`{ right; wrong; }`: the elements for which the function is true, and the others."),
    ("groupBy", "groupBy (x: name) list", "A set of lists: the elements grouped by the name the function gives them."),
    ("toString", "toString value", "`value` as a string (numbers, paths, Booleans, lists of those)."),
    ("stringLength", "stringLength s", "The length of string `s` in bytes."),
    ("substring", "substring start length s", "The part of `s` from byte `start`, `length` bytes long."),
    ("replaceStrings", "replaceStrings [ from ] [ to ] s", "`s` with each string of `from` replaced by the one at the same place in `to`."),
    ("concatStringsSep", "concatStringsSep sep [ strings ]", "The strings joined with `sep` between them."),
    ("split", "split regex s", "`s` split at the matches of `regex`: strings alternating with lists of the match's groups."),
    ("match", "match regex s", "The groups of `regex` matching the whole of `s`, or `null`."),
    ("baseNameOf", "baseNameOf path", "The last component of a path or string."),
    ("dirOf", "dirOf path", "Everything but the last component of a path or string."),
    ("typeOf", "typeOf value", "The type's name: `\"int\"`, `\"string\"`, `\"set\"`, `\"lambda\"`, ..."),
    ("isNull", "isNull value", "Whether `value` is `null`."),
    ("isInt", "isInt value", "Whether `value` is an integer."),
    ("isFloat", "isFloat value", "Whether `value` is a float."),
    ("isBool", "isBool value", "Whether `value` is a Boolean."),
    ("isString", "isString value", "Whether `value` is a string."),
    ("isPath", "isPath value", "Whether `value` is a path."),
    ("isList", "isList value", "Whether `value` is a list."),
    ("isAttrs", "isAttrs value", "Whether `value` is an attribute set."),
    ("isFunction", "isFunction value", "Whether `value` is a function."),
    ("splitVersion", "splitVersion s", "The components of version string `s` (`\"1.2a\"` → `[ \"1\" \"2\" \"a\" ]`)."),
    ("compareVersions", "compareVersions a b", "`-1`, `0` or `1` as version `a` is older than, equal to or newer than `b`."),
    ("true", "true", "The Boolean true."),
    ("false", "false", "The Boolean false."),
    ("null", "null", "The null value."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_has_a_doc_and_every_doc_a_builtin() {
        let names = super::super::names();
        for name in &names {
            assert!(doc(name).is_some(), "no doc for builtin `{name}`");
        }
        for (name, _, _) in DOCS {
            assert!(
                names.contains(name) || matches!(*name, "true" | "false" | "null"),
                "doc for unknown builtin `{name}`"
            );
        }
    }
}
