//! Stable diagnostic codes and their long explanations (`mlc explain CODE`).
//!
//! Codes are grouped by stage: `E01xx` syntax, `E02xx` imports and names, `E03xx` types,
//! `E04xx` evaluation, `E05xx` Kubernetes lowering and MLflow validation, `W0xxx` warnings,
//! `E09xx` the command line. A code never changes meaning once published.

/// A stable diagnostic code such as `E0101`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(pub &'static str);

impl Code {
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The long explanation of this code, if it has one.
    pub fn explanation(self) -> Option<&'static str> {
        explain(self.0)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $name:ident = $text:literal; )*) => {
        $( $(#[$doc])* pub const $name: Code = Code(stringify!($name)); )*

        /// Every code with its explanation, in code order.
        pub const ALL: &[(Code, &str)] = &[ $( ($name, $text) ),* ];

        /// The long explanation of `code`, if it is a known code.
        pub fn explain(code: &str) -> Option<&'static str> {
            ALL.iter().find(|(c, _)| c.0 == code).map(|(_, text)| *text)
        }
    };
}

codes! {
    // ---- E01xx: syntax -------------------------------------------------------------------
    /// A token that does not fit where it stands.
    E0101 = "The parser found a token it did not expect at this place.\n\nExample:\n\n    { a = 1 }\n\nThe binding `a = 1` must end with `;`:\n\n    { a = 1; }\n";

    /// An unterminated string or comment.
    E0102 = "A string, indented string or block comment was opened but never closed, so the rest of the file was read as part of it.\n\nExample:\n\n    { name = \"mlflow; }\n\nClose the string: `{ name = \"mlflow\"; }`. Indented strings close with `''`, block comments with `*/`.\n";
    /// An integer literal that does not fit in 64 bits.
    E0103 = "Integers in mlc are 64-bit signed numbers, from -9223372036854775808 to 9223372036854775807. A literal outside that range cannot be represented.\n\nUse a smaller number, or a string if the value is an identifier rather than a quantity.\n";
    /// Nesting too deep to parse.
    E0104 = "The expression nests deeper than the parser allows (512 levels of brackets, operators or keyword forms). No real configuration needs that much nesting: split the expression with `let` bindings.\n";

    // ---- E02xx: imports and names --------------------------------------------------------
    /// An `import` of a file that cannot be read.
    E0210 = "An `import` names a file that does not exist or cannot be read.\n\nRelative paths are resolved against the directory of the importing file, not the current directory.\n\nExample, in `deploy/prod.mlc`:\n\n    import ./common.mlc\n\nlooks for `deploy/common.mlc`. Create the file, or fix the path:\n\n    import ../common.mlc\n";
    /// `<name>` names no module of the standard library.
    E0211 = "`<name>` refers to a module of the standard library embedded in mlc, and there is no module of that name.\n\nExample:\n\n    import <mlfow>\n\nThe module is called `mlflow`:\n\n    import <mlflow>\n\nSubmodules are written with a slash: `<mlflow/tls>`.\n";
    /// Files that import each other.
    E0212 = "Files import each other in a cycle, so none of them can be loaded first.\n\nExample:\n\n    # a.mlc\n    import ./b.mlc\n\n    # b.mlc\n    (import ./a.mlc) // { x = 1; }\n\nMove what the files share into a third file that imports neither of them, and import it from both.\n";
    /// A file given to mlc that cannot be read.
    E0213 = "mlc was asked to read a file that does not exist or cannot be read.\n\nCheck the path: relative paths on the command line are taken from the current directory.\n";

    // ---- E03xx: types --------------------------------------------------------------------

    // ---- E04xx: evaluation ---------------------------------------------------------------

    // ---- E05xx: Kubernetes lowering and MLflow validation --------------------------------

    // ---- W0xxx: warnings -----------------------------------------------------------------

    // ---- E09xx: command line --------------------------------------------------------------
    /// `mlc eval --json` of a value that has no JSON form.
    E0901 = "`--json` prints the value as JSON, and this value (or a part of it) has no JSON form: functions cannot be printed as JSON.\n\nExample:\n\n    mlc eval --json -E '{ f = x: x; }'\n\nApply the function, or remove it from the value before printing:\n\n    mlc eval --json -E '{ f = (x: x) 1; }'\n";
}
