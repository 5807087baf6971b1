//! The one table of builtins: for each, its name, family, arity, whether it is visible
//! without `builtins.` (as `map` and `toString` are in Nix), how a call is written, its
//! type in mlc's type syntax and its line of documentation.
//!
//! Every other place reads this table: the evaluator binds an implementation to each entry
//! by name (`eval::builtins`, whose `builtin!` macro takes the arity from here at compile
//! time, and a test that every entry has exactly one implementation), the type checker
//! parses the signatures (`types::prelude`), the language server shows the documentation,
//! and the list in `docs/language.md` is generated from it (a test keeps it so).
//!
//! Architecture invariant: this module depends on nothing else in the crate, so that every
//! layer may read it.

/// The families the builtins are grouped in (one evaluator module each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Types,
    Lists,
    Attrs,
    Strings,
    Numbers,
    Json,
    Versions,
    Hashing,
    Control,
}

impl Family {
    /// Every family, in the order the documentation lists them.
    pub const ALL: [Family; 9] = [
        Family::Types,
        Family::Lists,
        Family::Attrs,
        Family::Strings,
        Family::Numbers,
        Family::Json,
        Family::Versions,
        Family::Hashing,
        Family::Control,
    ];

    /// The family's name in the documentation.
    pub fn title(self) -> &'static str {
        match self {
            Family::Types => "types",
            Family::Lists => "lists",
            Family::Attrs => "attribute sets",
            Family::Strings => "strings",
            Family::Numbers => "numbers",
            Family::Json => "JSON",
            Family::Versions => "versions",
            Family::Hashing => "hashing",
            Family::Control => "control",
        }
    }
}

/// One builtin function.
#[derive(Debug)]
pub struct Entry {
    /// Its name under `builtins.`.
    pub name: &'static str,
    pub family: Family,
    /// How many arguments it takes before it runs.
    pub arity: usize,
    /// Whether the name is also bound without `builtins.`.
    pub global: bool,
    /// How a call is written, with its arguments named (`substring start length s`).
    pub usage: &'static str,
    /// Its type, in mlc's type syntax; `Dyn` where Nix's builtin is polymorphic, and
    /// `Never` for the result of a builtin that never returns.
    pub signature: &'static str,
    /// What it does, in one line of Markdown.
    pub doc: &'static str,
}

/// A builtin value that is not a function (`true`, `false`, `null`): visible everywhere.
#[derive(Debug)]
pub struct Constant {
    pub name: &'static str,
    pub signature: &'static str,
    pub doc: &'static str,
}

const GLOBAL: bool = true;
const PREFIXED: bool = false;

const fn entry(
    family: Family,
    name: &'static str,
    arity: usize,
    global: bool,
    usage: &'static str,
    signature: &'static str,
    doc: &'static str,
) -> Entry {
    Entry {
        name,
        family,
        arity,
        global,
        usage,
        signature,
        doc,
    }
}

use Family::*;

/// Every builtin function, by family in the documentation's order.
#[rustfmt::skip]
pub const BUILTINS: &[Entry] = &[
    entry(Types, "typeOf", 1, PREFIXED, "typeOf value", "Dyn -> String", "The type's name: `\"int\"`, `\"string\"`, `\"set\"`, `\"lambda\"`, ..."),
    entry(Types, "isNull", 1, GLOBAL, "isNull value", "Dyn -> Bool", "Whether `value` is `null`."),
    entry(Types, "isInt", 1, PREFIXED, "isInt value", "Dyn -> Bool", "Whether `value` is an integer."),
    entry(Types, "isFloat", 1, PREFIXED, "isFloat value", "Dyn -> Bool", "Whether `value` is a float."),
    entry(Types, "isBool", 1, PREFIXED, "isBool value", "Dyn -> Bool", "Whether `value` is a Boolean."),
    entry(Types, "isString", 1, PREFIXED, "isString value", "Dyn -> Bool", "Whether `value` is a string."),
    entry(Types, "isPath", 1, PREFIXED, "isPath value", "Dyn -> Bool", "Whether `value` is a path."),
    entry(Types, "isList", 1, PREFIXED, "isList value", "Dyn -> Bool", "Whether `value` is a list."),
    entry(Types, "isAttrs", 1, PREFIXED, "isAttrs value", "Dyn -> Bool", "Whether `value` is an attribute set."),
    entry(Types, "isFunction", 1, PREFIXED, "isFunction value", "Dyn -> Bool", "Whether `value` is a function."),

    entry(Lists, "length", 1, PREFIXED, "length list", "[Dyn] -> Int", "The number of elements of `list`."),
    entry(Lists, "head", 1, PREFIXED, "head list", "[Dyn] -> Dyn", "The first element of `list`."),
    entry(Lists, "tail", 1, PREFIXED, "tail list", "[Dyn] -> [Dyn]", "`list` without its first element."),
    entry(Lists, "elemAt", 2, PREFIXED, "elemAt list n", "[Dyn] -> Int -> Dyn", "Element `n` of `list`, counting from 0."),
    entry(Lists, "elem", 2, PREFIXED, "elem x list", "Dyn -> [Dyn] -> Bool", "Whether `x` is an element of `list`."),
    entry(Lists, "filter", 2, PREFIXED, "filter (x: bool) list", "(Dyn -> Dyn) -> [Dyn] -> [Dyn]", "The elements of `list` for which the function is true."),
    entry(Lists, "map", 2, GLOBAL, "map f list", "(Dyn -> Dyn) -> [Dyn] -> [Dyn]", "The list of `f` applied to each element of `list`."),
    entry(Lists, "foldl'", 3, PREFIXED, "foldl' (acc: x: ...) init list", "Dyn -> Dyn -> Dyn -> Dyn", "Folds `list` from the left: `f (f (f init x0) x1) x2`, strictly."),
    entry(Lists, "genList", 2, PREFIXED, "genList (i: ...) n", "(Int -> Dyn) -> Int -> [Dyn]", "The list of the function applied to `0` .. `n - 1`."),
    entry(Lists, "concatLists", 1, PREFIXED, "concatLists [ lists ]", "[[Dyn]] -> [Dyn]", "The lists joined into one."),
    entry(Lists, "concatMap", 2, PREFIXED, "concatMap f list", "(Dyn -> [Dyn]) -> [Dyn] -> [Dyn]", "`concatLists (map f list)`."),
    entry(Lists, "any", 2, PREFIXED, "any (x: bool) list", "(Dyn -> Dyn) -> [Dyn] -> Bool", "Whether the function is true for some element."),
    entry(Lists, "all", 2, PREFIXED, "all (x: bool) list", "(Dyn -> Dyn) -> [Dyn] -> Bool", "Whether the function is true for every element."),
    entry(Lists, "sort", 2, PREFIXED, "sort (a: b: bool) list", "Dyn -> Dyn -> Dyn", "`list` sorted by the \"less than\" function (stable)."),
    entry(Lists, "partition", 2, PREFIXED, "partition (x: bool) list", "Dyn -> Dyn -> Dyn", "`{ right; wrong; }`: the elements for which the function is true, and the others."),
    entry(Lists, "groupBy", 2, PREFIXED, "groupBy (x: name) list", "Dyn -> Dyn -> Dyn", "A set of lists: the elements grouped by the name the function gives them."),

    entry(Attrs, "attrNames", 1, PREFIXED, "attrNames set", "Dyn -> [String]", "The names of the attributes of `set`, sorted."),
    entry(Attrs, "attrValues", 1, PREFIXED, "attrValues set", "Dyn -> [Dyn]", "The values of the attributes of `set`, in name order."),
    entry(Attrs, "hasAttr", 2, PREFIXED, "hasAttr name set", "String -> Dyn -> Bool", "Whether `set` has the attribute `name` (like `set ? ${name}`)."),
    entry(Attrs, "getAttr", 2, PREFIXED, "getAttr name set", "Dyn -> Dyn -> Dyn", "The attribute `name` of `set` (like `set.${name}`)."),
    entry(Attrs, "listToAttrs", 1, PREFIXED, "listToAttrs [ { name; value; } ]", "Dyn -> Dyn", "A set from a list of name/value pairs; the first of equal names wins."),
    entry(Attrs, "mapAttrs", 2, PREFIXED, "mapAttrs (name: value: ...) set", "Dyn -> Dyn -> Dyn", "The set with every value replaced by the function of its name and value."),
    entry(Attrs, "removeAttrs", 2, GLOBAL, "removeAttrs set [ names ]", "Dyn -> [Dyn] -> Dyn", "`set` without the listed attributes."),
    entry(Attrs, "intersectAttrs", 2, PREFIXED, "intersectAttrs a b", "Dyn -> Dyn -> Dyn", "The attributes of `b` whose names are also in `a`."),
    entry(Attrs, "catAttrs", 2, PREFIXED, "catAttrs name [ sets ]", "Dyn -> Dyn -> Dyn", "The values of attribute `name` in the sets that have it."),
    entry(Attrs, "zipAttrsWith", 2, PREFIXED, "zipAttrsWith (name: values: ...) [ sets ]", "Dyn -> Dyn -> Dyn", "Merges sets: for each name, the function of the name and the list of its values."),
    entry(Attrs, "functionArgs", 1, PREFIXED, "functionArgs f", "Dyn -> Dyn", "The pattern fields of function `f`, each mapped to whether it has a default."),

    entry(Strings, "toString", 1, GLOBAL, "toString value", "Dyn -> String", "`value` as a string (numbers, paths, Booleans, lists of those)."),
    entry(Strings, "stringLength", 1, PREFIXED, "stringLength s", "String -> Int", "The length of string `s` in bytes."),
    entry(Strings, "substring", 3, PREFIXED, "substring start length s", "Int -> Int -> Dyn -> String", "The part of `s` from byte `start`, `length` bytes long."),
    entry(Strings, "replaceStrings", 3, PREFIXED, "replaceStrings [ from ] [ to ] s", "[String] -> [String] -> String -> String", "`s` with each string of `from` replaced by the one at the same place in `to`."),
    entry(Strings, "concatStringsSep", 2, PREFIXED, "concatStringsSep sep [ strings ]", "String -> [Dyn] -> String", "The strings joined with `sep` between them."),
    entry(Strings, "split", 2, PREFIXED, "split regex s", "Dyn -> Dyn -> Dyn", "`s` split at the matches of `regex`: strings alternating with lists of the match's groups."),
    entry(Strings, "match", 2, PREFIXED, "match regex s", "Dyn -> Dyn -> Dyn", "The groups of `regex` matching the whole of `s`, or `null`."),
    entry(Strings, "baseNameOf", 1, GLOBAL, "baseNameOf path", "Dyn -> Dyn", "The last component of a path or string."),
    entry(Strings, "dirOf", 1, GLOBAL, "dirOf path", "Dyn -> Dyn", "Everything but the last component of a path or string."),

    entry(Numbers, "add", 2, PREFIXED, "add a b", "Dyn -> Dyn -> Dyn", "The sum of two numbers."),
    entry(Numbers, "sub", 2, PREFIXED, "sub a b", "Dyn -> Dyn -> Dyn", "`a` minus `b`."),
    entry(Numbers, "mul", 2, PREFIXED, "mul a b", "Dyn -> Dyn -> Dyn", "The product of two numbers."),
    entry(Numbers, "div", 2, PREFIXED, "div a b", "Dyn -> Dyn -> Dyn", "`a` divided by `b` (integer division for integers)."),
    entry(Numbers, "lessThan", 2, PREFIXED, "lessThan a b", "Dyn -> Dyn -> Dyn", "Whether `a < b`."),
    entry(Numbers, "bitAnd", 2, PREFIXED, "bitAnd a b", "Dyn -> Dyn -> Dyn", "Bitwise AND of two integers."),
    entry(Numbers, "bitOr", 2, PREFIXED, "bitOr a b", "Dyn -> Dyn -> Dyn", "Bitwise OR of two integers."),
    entry(Numbers, "bitXor", 2, PREFIXED, "bitXor a b", "Dyn -> Dyn -> Dyn", "Bitwise XOR of two integers."),
    entry(Numbers, "ceil", 1, PREFIXED, "ceil x", "Dyn -> Dyn", "The smallest integer not below the number `x`."),
    entry(Numbers, "floor", 1, PREFIXED, "floor x", "Dyn -> Dyn", "The largest integer not above the number `x`."),

    entry(Json, "toJSON", 1, PREFIXED, "toJSON value", "Dyn -> String", "`value` as a JSON string."),
    entry(Json, "fromJSON", 1, PREFIXED, "fromJSON s", "String -> Dyn", "The value of the JSON string `s`."),

    entry(Versions, "splitVersion", 1, PREFIXED, "splitVersion s", "Dyn -> Dyn", "The components of version string `s` (`\"1.2a\"` → `[ \"1\" \"2\" \"a\" ]`)."),
    entry(Versions, "compareVersions", 2, PREFIXED, "compareVersions a b", "Dyn -> Dyn -> Dyn", "`-1`, `0` or `1` as version `a` is older than, equal to or newer than `b`."),

    entry(Hashing, "hashString", 2, PREFIXED, "hashString type s", "Dyn -> Dyn -> Dyn", "The hexadecimal hash of string `s` (`type` is `\"sha256\"` or `\"sha512\"`)."),

    entry(Control, "seq", 2, PREFIXED, "seq a b", "Dyn -> Dyn -> Dyn", "Evaluates `a` (shallowly), then returns `b`."),
    entry(Control, "deepSeq", 2, PREFIXED, "deepSeq a b", "Dyn -> Dyn -> Dyn", "Evaluates `a` completely, then returns `b`."),
    entry(Control, "throw", 1, GLOBAL, "throw message", "String -> Never", "Stops evaluation with an error carrying `message` (`tryEval` can catch it)."),
    entry(Control, "abort", 1, GLOBAL, "abort message", "String -> Never", "Stops evaluation with an error that nothing catches."),
    entry(Control, "tryEval", 1, PREFIXED, "tryEval e", "Dyn -> Dyn", "`{ success = true; value = e; }`, or `{ success = false; value = false; }` if `e` throws or an `assert` fails."),
    entry(Control, "trace", 2, PREFIXED, "trace message value", "Dyn -> Dyn -> Dyn", "Prints `message` to standard error while evaluating, and returns `value`."),
    entry(Control, "warn", 2, PREFIXED, "warn message value", "Dyn -> Dyn -> Dyn", "Reports `message` as a warning of the build (W0401, as Nix 2.23's `warn`; `--deny-warnings` makes it fail), and returns `value`."),
    entry(Control, "findings", 1, PREFIXED, "findings { options; waivers; found; }", "Dyn -> Dyn", "Reports what a library's checks found about `options`: each entry of `found` names its check and the option at fault (`at`); `waivers` maps check names to reasons. Returns `true`. See `mlc explain` for the checks."),
    entry(Control, "import", 1, GLOBAL, "import path", "Dyn -> Dyn", "Evaluates the `.mlc` file at `path` (`./file.mlc` or `<module>` from the standard library); the checker types a literal path's import from the file."),
];

/// The builtin values that are not functions, visible everywhere.
pub const CONSTANTS: &[Constant] = &[
    Constant {
        name: "true",
        signature: "Bool",
        doc: "The Boolean true.",
    },
    Constant {
        name: "false",
        signature: "Bool",
        doc: "The Boolean false.",
    },
    Constant {
        name: "null",
        signature: "Null",
        doc: "The null value.",
    },
];

/// The builtin function called `name`.
pub fn find(name: &str) -> Option<&'static Entry> {
    BUILTINS.iter().find(|entry| entry.name == name)
}

/// The arity of builtin `name`, at compile time: the evaluator's `builtin!` takes it from
/// here, and a name missing from the table stops the build.
pub const fn arity(name: &str) -> usize {
    BUILTINS[index(name)].arity
}

/// The position of builtin `name` in [`BUILTINS`], at compile time (the evaluator's
/// `builtin!` keeps it, so that an entry finds its implementation without a search).
pub const fn index(name: &str) -> usize {
    let mut index = 0;
    while index < BUILTINS.len() {
        if same(BUILTINS[index].name, name) {
            return index;
        }
        index += 1;
    }
    panic!("a builtin implemented by the evaluator is missing from the table")
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}

/// The names of every builtin function, sorted (for completion and `builtins.`).
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = BUILTINS.iter().map(|entry| entry.name).collect();
    names.sort_unstable();
    names
}

/// One name visible in every file's scope without a binding (see [`globals`]).
#[derive(Clone, Copy, Debug)]
pub enum Global {
    /// The global builtin function at this index of [`BUILTINS`].
    Builtin(usize),
    /// The `builtins` set.
    Builtins,
    /// One of [`CONSTANTS`].
    Constant(&'static Constant),
}

impl Global {
    pub fn name(self) -> &'static str {
        match self {
            Global::Builtin(index) => BUILTINS[index].name,
            Global::Builtins => "builtins",
            Global::Constant(constant) => constant.name,
        }
    }
}

/// The names visible in every file's scope without a binding, in the order of
/// [`global_names`]: the global builtins, `builtins` and the constants.
pub fn globals() -> impl Iterator<Item = Global> {
    let functions = BUILTINS
        .iter()
        .enumerate()
        .filter(|(_, entry)| entry.global)
        .map(|(index, _)| Global::Builtin(index));
    functions
        .chain([Global::Builtins])
        .chain(CONSTANTS.iter().map(Global::Constant))
}

/// The names of [`globals`], in its order (for name resolution and completion).
pub fn global_names() -> Vec<&'static str> {
    globals().map(Global::name).collect()
}

/// The documentation of builtin `name` (as it appears under `builtins.`), functions and
/// constants alike: `(usage, description)`.
pub fn doc(name: &str) -> Option<(&'static str, &'static str)> {
    match find(name) {
        Some(entry) => Some((entry.usage, entry.doc)),
        None => CONSTANTS
            .iter()
            .find(|constant| constant.name == name)
            .map(|constant| (constant.name, constant.doc)),
    }
}

/// The builtins section of `docs/language.md` (between its markers), generated from the
/// table; a test keeps the file equal to it.
pub fn markdown() -> String {
    let mut out = String::from(
        "Available as `builtins.NAME`; those marked * also without the prefix, as in Nix. \
         The type is what the checker knows of a call (`Dyn` where the builtin is \
         polymorphic; `Never`: it does not return). `true`, `false` and `null` are \
         builtins too (`builtins.true`).\n",
    );
    for family in Family::ALL {
        out.push_str(&format!(
            "\n### {}\n\n| call | type | what it does |\n| --- | --- | --- |\n",
            capitalised(family.title())
        ));
        for entry in BUILTINS.iter().filter(|entry| entry.family == family) {
            let star = if entry.global { "*" } else { "" };
            out.push_str(&format!(
                "| `{}`{star} | `{}` | {} |\n",
                entry.usage,
                entry.signature.replace('|', "\\|"),
                entry.doc.replace('|', "\\|")
            ));
        }
    }
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = BUILTINS.iter().map(|entry| entry.name).collect();
        names.extend(CONSTANTS.iter().map(|constant| constant.name));
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "a name is in the table twice");
    }

    #[test]
    fn usage_starts_with_the_name() {
        for entry in BUILTINS {
            assert!(
                entry.usage.starts_with(entry.name),
                "`{}`: usage `{}`",
                entry.name,
                entry.usage
            );
        }
    }

    #[test]
    fn the_arity_is_found_at_compile_time() {
        const SUBSTRING: usize = arity("substring");
        assert_eq!(SUBSTRING, 3);
        assert_eq!(arity("foldl'"), 3);
    }

    /// The layering ARCHITECTURE.md states: the table imports nothing of the crate, and
    /// the checker reads it instead of the evaluator.
    #[test]
    fn the_table_imports_nothing_and_the_checker_nothing_of_the_evaluator() {
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let table = std::fs::read_to_string(format!("{src}/builtins.rs")).unwrap_or_default();
        let code = table.split("#[cfg(test)]").next().unwrap_or_default();
        assert!(
            code.contains("pub const BUILTINS"),
            "the table was not read"
        );
        for word in ["crate::", "super::", "mlc::"] {
            assert!(!code.contains(word), "builtins.rs uses `{word}`");
        }
        let files = crate::testing::files_under(&["compiler/src/types"], &["rs"]);
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            assert!(
                !text.contains("crate::eval"),
                "{} imports the evaluator",
                path.display()
            );
        }
        assert!(files.len() > 5, "the checker's files were not read");
    }

    #[test]
    fn language_md_lists_the_builtins_as_the_table_says() {
        const BEGIN: &str = "<!-- builtins: generated from compiler/src/builtins.rs; run `MLC_UPDATE_DOCS=1 cargo test -p mlc --lib builtins` after changing it. -->\n";
        const END: &str = "<!-- end of builtins -->\n";
        let path = format!("{}/../docs/language.md", env!("CARGO_MANIFEST_DIR"));
        let written = std::fs::read_to_string(&path).unwrap_or_default();
        let (Some(begin), Some(end)) = (written.find(BEGIN), written.find(END)) else {
            panic!("docs/language.md has no builtins markers");
        };
        let expected = format!(
            "{}{BEGIN}\n{}\n{}",
            &written[..begin],
            markdown(),
            &written[end..]
        );
        if std::env::var_os("MLC_UPDATE_DOCS").is_some() {
            let _ = std::fs::write(&path, &expected);
            return;
        }
        assert!(
            written == expected,
            "docs/language.md's builtins are not the table's: run `MLC_UPDATE_DOCS=1 cargo test -p mlc --lib builtins`"
        );
    }
}
