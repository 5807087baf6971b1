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

    // ---- E03xx: types --------------------------------------------------------------------

    // ---- E04xx: evaluation ---------------------------------------------------------------

    // ---- E05xx: Kubernetes lowering and MLflow validation --------------------------------

    // ---- W0xxx: warnings -----------------------------------------------------------------

    // ---- E09xx: command line --------------------------------------------------------------
}
