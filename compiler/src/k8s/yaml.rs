//! A YAML writer for evaluated objects (their JSON form, read straight from the `Data`), in
//! the block style `kubectl` and Helm print: nested
//! mappings indented by two, sequences at their key's column, multi-line strings as literal
//! blocks. Written for speed (it is most of `mlc build`'s output time with a general YAML
//! library) and for safety: a string is written plain only when no YAML 1.1 or 1.2 reader
//! could take it for anything else (`yes`, `0.5`, `2024-01-01`, `null` are quoted), so the
//! API server reads back exactly the value written.

use crate::eval::{json_number, Data, DataAttrs, DataKind};
use std::fmt::Write as _;

/// Appends `value` as one YAML document (without the `---` line). `value` has a JSON form
/// (no functions, finite numbers): a part that has none is written as `null`.
pub fn write_document(out: &mut String, value: &Data) {
    match &value.kind {
        DataKind::Attrs(map) if !map.is_empty() => entries(out, map, 0, false),
        DataKind::List(items) if !items.is_empty() => items_of(out, items, 0, false),
        _ => {
            inline(out, value, 2);
            out.push('\n');
        }
    }
}

fn indent(out: &mut String, width: usize) {
    // One copy of a slice of spaces, not a push per space.
    const SPACES: &str = "                                                                ";
    let mut left = width;
    while left > 0 {
        let step = left.min(SPACES.len());
        out.push_str(&SPACES[..step]);
        left -= step;
    }
}

/// The entries of a mapping whose keys sit at column `at`; the first on the current line
/// when `first_inline` (after a sequence's `- `).
fn entries(out: &mut String, map: &DataAttrs, at: usize, first_inline: bool) {
    for (index, (key, value)) in map.iter().enumerate() {
        if index > 0 || !first_inline {
            indent(out, at);
        }
        scalar_text(out, key, None);
        out.push(':');
        match &value.kind {
            DataKind::Attrs(inner) if !inner.is_empty() => {
                out.push('\n');
                entries(out, inner, at + 2, false);
            }
            DataKind::List(items) if !items.is_empty() => {
                out.push('\n');
                items_of(out, items, at, false);
            }
            _ => {
                out.push(' ');
                inline(out, value, at + 2);
                out.push('\n');
            }
        }
    }
}

/// The items of a sequence whose dashes sit at column `at`; the first on the current line
/// when `first_inline` (a sequence in a sequence).
fn items_of(out: &mut String, items: &[Data], at: usize, first_inline: bool) {
    for (index, item) in items.iter().enumerate() {
        if index > 0 || !first_inline {
            indent(out, at);
        }
        out.push_str("- ");
        match &item.kind {
            DataKind::Attrs(inner) if !inner.is_empty() => entries(out, inner, at + 2, true),
            DataKind::List(inner) if !inner.is_empty() => items_of(out, inner, at + 2, true),
            _ => {
                inline(out, item, at + 2);
                out.push('\n');
            }
        }
    }
}

/// A value that fits on the current line: a scalar, `{}` or `[]` (a literal block of a
/// multi-line string continues on the following lines, at column `block`).
fn inline(out: &mut String, value: &Data, block: usize) {
    match &value.kind {
        DataKind::Null | DataKind::Function(_) => out.push_str("null"),
        DataKind::Bool(true) => out.push_str("true"),
        DataKind::Bool(false) => out.push_str("false"),
        DataKind::Int(n) => {
            let _ = write!(out, "{n}");
        }
        // As JSON prints it (`0.5`, `1e21`), in the precision of the JSON form.
        DataKind::Float(f) => match json_number(*f) {
            Some(number) => {
                let _ = write!(out, "{number}");
            }
            None => out.push_str("null"),
        },
        DataKind::String(text) | DataKind::Path(text) => scalar_text(out, text, Some(block)),
        DataKind::List(_) => out.push_str("[]"),
        DataKind::Attrs(_) => out.push_str("{}"),
    }
}

/// A string in the simplest style that reads back as the same string: a value may be a
/// literal block at column `block`, a key (`None`) stays on its line. The string is read
/// once ([`Scan`]); the style follows from what that pass found.
fn scalar_text(out: &mut String, text: &str, block: Option<usize>) {
    let scan = Scan::of(text);
    if is_plain_scanned(text, &scan) {
        out.push_str(text);
    } else if let Some(block) = block.filter(|_| scan.newline && fits_literal_block(text, &scan)) {
        literal_block(out, text, block);
    } else if !scan.escape && !scan.newline {
        out.push('\'');
        if scan.single_quote {
            out.push_str(&text.replace('\'', "''"));
        } else {
            out.push_str(text);
        }
        out.push('\'');
    } else {
        double_quoted(out, text);
    }
}

/// What one pass over a string finds: everything the choice of its style depends on,
/// apart from its first and last characters.
struct Scan {
    /// A line break (`\n`).
    newline: bool,
    /// A character only a double-quoted string can hold ([`needs_escape`]).
    escape: bool,
    /// `: ` or ` #`, which end a plain scalar early.
    indicator: bool,
    /// A `'`, doubled in a single-quoted string.
    single_quote: bool,
    /// Only the characters of numbers, dates and times (digits, `._:+-eE tTzZ`).
    numeric: bool,
}

impl Scan {
    fn of(text: &str) -> Scan {
        // One table lookup per byte, the classes of all bytes OR-ed together: every
        // character the style depends on is ASCII, and the bytes of a longer character
        // (0x80 and above) are looked at as characters only when the text has one. The
        // pairs `: ` and ` #` are searched for only when both their characters occur.
        let mut seen = 0u8;
        for &byte in text.as_bytes() {
            seen |= BYTE_CLASSES[byte as usize];
        }
        let both = |classes: u8| seen & classes == classes;
        Scan {
            newline: seen & NEWLINE != 0,
            escape: seen & CONTROL != 0
                || (seen & NON_ASCII != 0 && text.chars().any(needs_escape)),
            indicator: (both(COLON | SPACE) && text.contains(": "))
                || (both(SPACE | HASH) && text.contains(" #")),
            single_quote: seen & QUOTE != 0,
            numeric: seen & NOT_NUMERIC == 0,
        }
    }
}

/// The classes of a byte for [`Scan::of`], one bit each.
const NEWLINE: u8 = 1;
const QUOTE: u8 = 1 << 1;
/// An ASCII control other than `\n`.
const CONTROL: u8 = 1 << 2;
/// Not one of the characters of numbers, dates and times (digits, `._:+-eE tTzZ`).
const NOT_NUMERIC: u8 = 1 << 3;
const COLON: u8 = 1 << 4;
const SPACE: u8 = 1 << 5;
const HASH: u8 = 1 << 6;
/// A byte of a character outside ASCII.
const NON_ASCII: u8 = 1 << 7;

static BYTE_CLASSES: [u8; 256] = byte_classes();

const fn byte_classes() -> [u8; 256] {
    let mut classes = [0u8; 256];
    let mut index = 0;
    while index < 256 {
        let byte = index as u8;
        let mut class = match byte {
            b'\n' => NEWLINE,
            b'\'' => QUOTE,
            b':' => COLON,
            b' ' => SPACE,
            b'#' => HASH,
            _ => 0,
        };
        if byte.is_ascii_control() && byte != b'\n' {
            class |= CONTROL;
        }
        if !byte.is_ascii() {
            class |= NON_ASCII;
        }
        if !matches!(
            byte,
            b'0'..=b'9'
                | b'.'
                | b'_'
                | b':'
                | b'+'
                | b'-'
                | b'e'
                | b'E'
                | b' '
                | b't'
                | b'T'
                | b'z'
                | b'Z'
        ) {
            class |= NOT_NUMERIC;
        }
        classes[index] = class;
        index += 1;
    }
    classes
}

/// Characters that only a double-quoted string can hold: controls, what YAML 1.1 reads as
/// a line break, and what neither version lets a document hold unescaped (`\u{fffe}`).
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// Whether `text` can be written without quotes and still read back as this string.
#[cfg(test)]
fn is_plain(text: &str) -> bool {
    is_plain_scanned(text, &Scan::of(text))
}

/// [`is_plain`], from the string's [`Scan`].
fn is_plain_scanned(text: &str, scan: &Scan) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let last = text.chars().next_back().unwrap_or(first);
    if first.is_whitespace() || last.is_whitespace() || last == ':' {
        return false;
    }
    // Indicators may not start a plain scalar; `-` may when a non-space follows (`--port`).
    let second = text.chars().nth(1);
    match first {
        '-' if second.is_none_or(|c| c == ' ') => return false,
        '?' | ':' | ',' | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!' | '|' | '>' | '\''
        | '"' | '%' | '@' | '`' => return false,
        _ => {}
    }
    // `--- x` and `... x` at the start of a line end or start a document.
    if text.starts_with("---") || text.starts_with("...") {
        return false;
    }
    // A control character (a line break too) cannot be plain.
    if scan.indicator || scan.escape || scan.newline {
        return false;
    }
    !looks_like_other_type(text, scan.numeric)
}

/// Strings a YAML 1.1 or 1.2 reader would take for null, a boolean, a number, a date, a
/// merge key (`<<`) or YAML 1.1's value key (`=`, which PyYAML cannot even construct);
/// `numeric` is [`Scan::numeric`].
fn looks_like_other_type(text: &str, numeric: bool) -> bool {
    const WORDS: &[&str] = &[
        "~", "null", "y", "yes", "n", "no", "true", "false", "on", "off", "<<", "=",
    ];
    if text.len() <= 5 && WORDS.iter().any(|word| text.eq_ignore_ascii_case(word)) {
        return true;
    }
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    if unsigned.eq_ignore_ascii_case(".inf") || unsigned.eq_ignore_ascii_case(".nan") {
        return true;
    }
    let digits = |rest: &str, hex: bool| {
        !rest.is_empty()
            && rest.bytes().all(|c| {
                c == b'_'
                    || if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    }
            })
    };
    if let [b'0', base, ..] = unsigned.as_bytes() {
        // The base letter is ASCII, so the digits start at byte 2.
        match base.to_ascii_lowercase() {
            b'x' => return digits(&unsigned[2..], true),
            b'o' | b'b' => return digits(&unsigned[2..], false),
            _ => {}
        }
    }
    // Decimal numbers in every notation (`1_000`, `1e3`, `.5`, sexagesimal `1:30`) and
    // dates and times (`2024-01-01`, `2001-12-14t21:59:43.10-05:00`): whatever starts like
    // a number and has nothing but their characters (a sign is one of them).
    unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') && numeric
}

/// Whether a multi-line string can be a literal block: no characters that need escapes
/// (`\r` is one), and a first line that does not start with a space (that would need an
/// indentation indicator).
fn fits_literal_block(text: &str, scan: &Scan) -> bool {
    !text.starts_with(' ') && !text.starts_with('\n') && !scan.escape
}

/// `|`, `|-` or `|+` (by the trailing newlines), then the lines at column `block`.
fn literal_block(out: &mut String, text: &str, block: usize) {
    let body = text.trim_end_matches('\n');
    let trailing = text.len() - body.len();
    out.push_str(match trailing {
        0 => "|-",
        1 => "|",
        _ => "|+",
    });
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            indent(out, block);
            out.push_str(line);
        }
    }
    // The final newline is the caller's; keep the extra ones of `|+`.
    for _ in 1..trailing {
        out.push('\n');
    }
}

fn double_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn yaml(value: &Value) -> String {
        let mut out = String::new();
        write_document(&mut out, &Data::from_json(value));
        out
    }

    fn reads_back(value: &Value) {
        let text = yaml(value);
        let read: Value =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("not YAML ({e}):\n{text}"));
        assert_eq!(&read, value, "written as:\n{text}");
    }

    #[test]
    fn writes_kubernetes_style_blocks() {
        let value = json!({
            "kind": "Deployment",
            "metadata": { "labels": { "app.kubernetes.io/name": "mlflow" }, "name": "x" },
            "spec": {
                "containers": [ {
                    "args": [ "--port=5000", "-c" ],
                    "name": "mlflow",
                    "resources": {},
                    "volumeMounts": []
                } ],
                "replicas": 2
            }
        });
        assert_eq!(
            yaml(&value),
            "kind: Deployment\n\
             metadata:\n  labels:\n    app.kubernetes.io/name: mlflow\n  name: x\n\
             spec:\n  containers:\n  - args:\n    - --port=5000\n    - -c\n    name: mlflow\n    resources: {}\n    volumeMounts: []\n  replicas: 2\n"
        );
        reads_back(&value);
    }

    #[test]
    fn multi_line_strings_are_literal_blocks() {
        let value =
            json!({ "command": [ "/bin/sh", "-c", "mlflow gc \\\n  --x=\"$Y\" \\\n  ;\n" ] });
        assert_eq!(
            yaml(&value),
            "command:\n- /bin/sh\n- -c\n- |\n  mlflow gc \\\n    --x=\"$Y\" \\\n    ;\n"
        );
        reads_back(&value);
    }

    #[test]
    fn strings_that_read_as_something_else_are_quoted() {
        for text in [
            "",
            " lead",
            "trail ",
            "yes",
            "No",
            "ON",
            "off",
            "y",
            "null",
            "~",
            "true",
            "False",
            "5000",
            "2",
            "0.5",
            "1e3",
            ".inf",
            "-.5",
            "+1",
            "0x1f",
            "0o17",
            "1_000",
            "1:30",
            "2024-01-01",
            "2001-12-14t21:59:43.10-05:00",
            "-",
            "- x",
            "a: b",
            "a #b",
            "x:",
            "#c",
            "&a",
            "*a",
            "!t",
            "|",
            ">",
            "'q'",
            "\"q\"",
            "%p",
            "@a",
            "`b",
            "[l]",
            "{m}",
            "?",
            ":",
            ",",
            "<<",
            "=",
            "---",
            "--- a",
            "... b",
            "nc\u{fffe}",
            "tab\there",
            "bell\u{7}",
            "del\u{7f}",
            "nl\n",
            "\nlead",
            "two\n\n",
            " spaced\nlines",
            "crlf\r\nx",
            "ls\u{2028}",
        ] {
            reads_back(&json!({ text: text, "list": [ text ] }));
            assert!(!is_plain(text), "{text:?} must be quoted");
        }
        for text in [
            "it's",
            "back\\slash",
            "a:b",
            "x-y",
            "no-no",
            "1h",
            "0 2 * * 0",
        ] {
            reads_back(&json!({ text: text, "list": [ text ] }));
        }
    }

    #[test]
    fn ordinary_strings_stay_plain() {
        for text in [
            "mlflow",
            "ghcr.io/mlflow/mlflow:v3.12.0-full",
            "500m",
            "10Gi",
            "512Mi",
            "--host=0.0.0.0",
            "s3://bucket/path",
            "http://mlflow-mlflow.mlflow.svc.cluster.local:5000",
            "app.kubernetes.io/name",
            "0 2 * * 0",
            "ReadWriteOnce",
            "user@example.com",
            "a b c",
            "1h",
            "v2",
            "30d",
            "é",
        ] {
            assert!(is_plain(text), "{text:?} should be plain");
            reads_back(&json!({ text: text }));
        }
    }

    #[test]
    fn nested_sequences_numbers_and_scalars_read_back() {
        for value in [
            json!([[1, 2], [["a"]], [], {}]),
            json!({ "a": [ { "b": [ { "c": null } ] } ], "f": 1.5, "n": -3, "t": true }),
            json!("just a string"),
            json!(42),
            json!({}),
        ] {
            reads_back(&value);
        }
    }

    /// Strings made of the pieces YAML readers treat specially, in every order: a
    /// deterministic generator, so a failure names a string that fails every run.
    fn generated_strings() -> Vec<String> {
        const PIECES: &[&str] = &[
            "a",
            "Z",
            "t",
            "T",
            "z",
            "e",
            "E",
            "x",
            "o",
            "b",
            "y",
            "n",
            "0",
            "1",
            "7",
            "9",
            ".",
            "-",
            "+",
            "_",
            ":",
            " ",
            "  ",
            "#",
            "'",
            "\"",
            "\\",
            "\n",
            "\t",
            "\r",
            "=",
            "<<",
            "~",
            "---",
            "...",
            "%",
            "@",
            "`",
            "!",
            "&",
            "*",
            "|",
            ">",
            "?",
            "[",
            "]",
            "{",
            "}",
            ",",
            "Yes",
            "off",
            "null",
            "true",
            "inf",
            ".inf",
            "nan",
            ".NaN",
            "0x",
            "0o",
            "0b",
            "1_0",
            "2024-01-01",
            "12:30",
            "é",
            "\u{85}",
            "\u{a0}",
            "\u{2028}",
            "\u{feff}",
            "\u{fffe}",
            "\u{1f600}",
            "\u{7}",
            "\u{7f}",
        ];
        crate::testing::generated_strings(PIECES, 6000, 6)
    }

    /// The writer before strings were read in one pass: each property found by its own
    /// walk over the string. The new one must choose the same style for every string.
    mod reference {
        use super::super::needs_escape;

        /// A string in the simplest style that reads back as the same string: a value may be a
        /// literal block at column `block`, a key (`None`) stays on its line.
        pub fn scalar_text(out: &mut String, text: &str, block: Option<usize>) {
            if is_plain(text) {
                out.push_str(text);
            } else if let Some(block) =
                block.filter(|_| text.contains('\n') && fits_literal_block(text))
            {
                super::super::literal_block(out, text, block);
            } else if text.chars().all(|c| !needs_escape(c) && c != '\n') {
                out.push('\'');
                out.push_str(&text.replace('\'', "''"));
                out.push('\'');
            } else {
                super::super::double_quoted(out, text);
            }
        }

        /// Whether `text` can be written without quotes and still read back as this string.
        fn is_plain(text: &str) -> bool {
            let Some(first) = text.chars().next() else {
                return false;
            };
            let last = text.chars().next_back().unwrap_or(first);
            if first.is_whitespace() || last.is_whitespace() || last == ':' {
                return false;
            }
            // Indicators may not start a plain scalar; `-` may when a non-space follows (`--port`).
            let second = text.chars().nth(1);
            match first {
                '-' if second.is_none_or(|c| c == ' ') => return false,
                '?' | ':' | ',' | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!' | '|' | '>'
                | '\'' | '"' | '%' | '@' | '`' => return false,
                _ => {}
            }
            // `--- x` and `... x` at the start of a line end or start a document.
            if text.starts_with("---") || text.starts_with("...") {
                return false;
            }
            if text.contains(": ")
                || text.contains(" #")
                || text.chars().any(|c| c.is_control() || needs_escape(c))
            {
                return false;
            }
            !looks_like_other_type(text)
        }

        /// Strings a YAML 1.1 or 1.2 reader would take for null, a boolean, a number, a date, a
        /// merge key (`<<`) or YAML 1.1's value key (`=`, which PyYAML cannot even construct).
        fn looks_like_other_type(text: &str) -> bool {
            const WORDS: &[&str] = &[
                "~", "null", "y", "yes", "n", "no", "true", "false", "on", "off", "<<", "=",
            ];
            if WORDS.iter().any(|word| text.eq_ignore_ascii_case(word)) {
                return true;
            }
            let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
            let lower = unsigned.to_ascii_lowercase();
            if matches!(lower.as_str(), ".inf" | ".nan") {
                return true;
            }
            let digits = |rest: &str, hex: bool| {
                !rest.is_empty()
                    && rest.chars().all(|c| {
                        c == '_'
                            || if hex {
                                c.is_ascii_hexdigit()
                            } else {
                                c.is_ascii_digit()
                            }
                    })
            };
            if let Some(rest) = lower.strip_prefix("0x") {
                return digits(rest, true);
            }
            if let Some(rest) = lower
                .strip_prefix("0o")
                .or_else(|| lower.strip_prefix("0b"))
            {
                return digits(rest, false);
            }
            // Decimal numbers in every notation (`1_000`, `1e3`, `.5`, sexagesimal `1:30`) and
            // dates and times (`2024-01-01`, `2001-12-14t21:59:43.10-05:00`): whatever starts like
            // a number and has nothing but their characters.
            unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
                && unsigned
                    .chars()
                    .all(|c| c.is_ascii_digit() || "._:+-eE tTzZ".contains(c))
        }

        /// Whether a multi-line string can be a literal block: no characters that need escapes,
        /// and a first line that does not start with a space (that would need an indentation
        /// indicator).
        fn fits_literal_block(text: &str) -> bool {
            !text.starts_with(' ')
                && !text.starts_with('\n')
                && text.chars().all(|c| !needs_escape(c) && c != '\r')
        }
    }

    #[test]
    fn one_pass_styles_equal_the_walks_they_replace() {
        let listed = [
            "",
            " ",
            "a: b",
            "a :b",
            "a #b",
            "a# b",
            "it's",
            "x:",
            "-",
            "- x",
            "--x",
            "0x1F",
            "0X_f",
            "0o",
            "0b12",
            "+.INF",
            "-.nan",
            "1e3",
            "+1",
            "-",
            "NULL",
            "Off",
            "falsE",
            "\r",
            "a\rb\n",
            "ü\u{85}",
            "\u{2028}x",
            "x\ny",
            "'\n'",
            " x\ny",
        ];
        let texts = generated_strings()
            .into_iter()
            .chain(listed.iter().map(|t| t.to_string()));
        for text in texts {
            for block in [None, Some(0), Some(4)] {
                let (mut new, mut old) = (String::new(), String::new());
                scalar_text(&mut new, &text, block);
                reference::scalar_text(&mut old, &text, block);
                assert_eq!(new, old, "{text:?} at {block:?}");
            }
        }
    }

    /// A document that holds `text` as a key, a value, a list item and a nested value.
    fn document_of(text: &str) -> Value {
        json!({ text: text, "~list": [ text, { text: [ text ] } ] })
    }

    #[test]
    fn generated_strings_read_back_under_yaml_1_2() {
        for text in generated_strings() {
            reads_back(&document_of(&text));
        }
    }

    /// The same strings under PyYAML, a YAML 1.1 reader (what many tools around Kubernetes
    /// use). Runs with the first Python that has PyYAML: `$MLC_PYTHON`, the repository's
    /// `.venv`, `python3`; skipped without one, unless `MLC_REQUIRE_PYYAML=1`
    /// (`scripts/checks/30-yaml-pyyaml.sh`).
    #[test]
    fn generated_strings_read_back_under_yaml_1_1() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/../.venv/bin/python3").to_string();
        let candidates = std::env::var("MLC_PYTHON")
            .into_iter()
            .chain([venv, "python3".to_string()]);
        let has_pyyaml = |python: &String| {
            Command::new(python)
                .args(["-c", "import yaml"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success())
        };
        let Some(python) = candidates.into_iter().find(has_pyyaml) else {
            assert!(
                std::env::var("MLC_REQUIRE_PYYAML").as_deref() != Ok("1"),
                "no Python with PyYAML"
            );
            eprintln!("skipped: no Python with PyYAML (set MLC_PYTHON)");
            return;
        };
        let documents: Vec<Value> = generated_strings().iter().map(|t| document_of(t)).collect();
        // Each document as `mlc build` prints it in a stream, read one by one so that a
        // failure names its string. Keys must come back as strings too (`json.dump` would
        // quietly turn `5: x` into `"5"`), so the reader checks them.
        let texts: Vec<String> = documents
            .iter()
            .map(|document| {
                let mut text = String::from("---\n");
                write_document(&mut text, &Data::from_json(document));
                text
            })
            .collect();
        const READER: &str = "import json, sys, yaml\n\
            def check(v):\n\
            \x20   if isinstance(v, dict):\n\
            \x20       for k, x in v.items():\n\
            \x20           if not isinstance(k, str): raise ValueError('key read as %r' % (k,))\n\
            \x20           check(x)\n\
            \x20   elif isinstance(v, list):\n\
            \x20       for x in v: check(x)\n\
            def read(text):\n\
            \x20   try:\n\
            \x20       docs = list(yaml.safe_load_all(text))\n\
            \x20       check(docs)\n\
            \x20       return {'ok': docs}\n\
            \x20   except Exception as e:\n\
            \x20       return {'error': str(e)}\n\
            json.dump([read(t) for t in json.load(sys.stdin)], sys.stdout)\n";
        let mut child = Command::new(&python)
            .args(["-c", READER])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run Python");
        let mut stdin = child.stdin.take().expect("stdin");
        let input = serde_json::to_vec(&texts).expect("JSON of the texts");
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let output = child.wait_with_output().expect("PyYAML's output");
        writer.join().expect("writer").expect("write the texts");
        assert!(
            output.status.success(),
            "the PyYAML reader failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let read: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON from Python");
        assert_eq!(read.len(), documents.len());
        for ((read, written), text) in read.iter().zip(&documents).zip(&texts) {
            assert_eq!(
                read,
                &json!({ "ok": [written] }),
                "PyYAML reads this differently:\n{text}"
            );
        }
    }
}
