//! String literals written back as source: the one escaping of `"..."` strings, for every
//! place mlc prints a string for a person or a parser to read (`mlc eval`'s values and
//! attribute names, `mlc import`'s `.mlc` file). Two rules for `$`, as Nix prints them.

/// Which `$` a literal escapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dollars {
    /// Only a `$` before `{`, which would start an interpolation (`"a$b"`, `"\${x}"`,
    /// `"$\${x}"`): how Nix prints a string value, and all a literal needs.
    BeforeBrace,
    /// Every `$` (`"a\$b"`): how Nix prints a quoted attribute name.
    Every,
}

/// `text` as a double-quoted literal that reads back as `text`.
pub fn string_literal(text: &str, dollars: Dollars) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if dollars == Dollars::Every || chars.peek() == Some(&'{') => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, ExprKind, StrPart};

    /// The text a literal reads back as, if it is one literal without interpolation.
    fn read_back(literal: &str) -> Option<String> {
        let parsed = parse(literal);
        if !parsed.errors.is_empty() {
            return None;
        }
        match &parsed.root.kind {
            ExprKind::Str { parts, .. } => match parts.as_slice() {
                [] => Some(String::new()),
                [StrPart::Lit(text)] => Some(text.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    #[test]
    fn both_rules_read_back_as_the_text() {
        for text in [
            "",
            "a$b",
            "${x}",
            "$${x}",
            "$$",
            "a$",
            "$",
            "\"${\\}\"",
            "tab\there\n",
            "é ${ }",
        ] {
            for dollars in [Dollars::BeforeBrace, Dollars::Every] {
                let literal = string_literal(text, dollars);
                assert_eq!(read_back(&literal).as_deref(), Some(text), "{literal}");
            }
        }
    }

    #[test]
    fn dollars_are_escaped_as_nix_prints_them() {
        // `nix-instantiate --eval` (2.8): `[ "a$b" "a\${b}" "$\${x}" ]` and
        // `{ "a\$b" = 1; "a\${b}" = 2; }`.
        let value = |t| string_literal(t, Dollars::BeforeBrace);
        assert_eq!(value("a$b"), r#""a$b""#);
        assert_eq!(value("a${b}"), r#""a\${b}""#);
        assert_eq!(value("$${x}"), r#""$\${x}""#);
        let name = |t| string_literal(t, Dollars::Every);
        assert_eq!(name("a$b"), r#""a\$b""#);
        assert_eq!(name("a${b}"), r#""a\${b}""#);
    }
}
