//! Strict JSON written straight from evaluated values, as `nix-instantiate --eval --strict
//! --json` prints it: attribute names sorted, floats in `%g` form, paths as strings.
//!
//! `mlc eval --json` and `builtins.toJSON` use it instead of forcing the value into
//! [`super::Data`] first: no copy of the whole value, no allocation per key and leaf.
//! The value is forced in the same order as [`Evaluator::force_data`], so an evaluation error
//! is the same one; a part with no JSON form (a function, an infinite or NaN float) is an
//! error at the place the part was written, reported only when the whole value evaluates
//! (as `--strict` forces everything before printing).

use super::data::{non_finite, path_text, Step};
use super::error::{ErrorExt, EvalError, EvalResult};
use super::machine::Evaluator;
use super::numfmt;
use super::value::{Site, Thunk, Value};
use crate::diagnostic::Code;

/// How a writer reports a value with no JSON form.
pub struct JsonErrors {
    /// The code of the error (`E0901` for `mlc eval --json`, `E0401` for `toJSON`).
    pub code: Code,
    /// Where the whole value comes from, for a part without a place of its own.
    pub origin: Option<Site>,
}

/// The walk's state: the text so far, the first part without a JSON form, and the path of
/// names and indices to the part being written (formatted only for an error's trace).
struct Writer<'e> {
    out: Vec<u8>,
    errors: &'e JsonErrors,
    unprintable: Option<Box<EvalError>>,
    path: Vec<Step>,
    /// How many values deep the walk is (the stack's room is looked at every few levels).
    depth: usize,
}

/// How many levels of values are written between two looks at the stack's room.
const STACK_CHECK_EVERY: usize = 8;

impl<'a> Evaluator<'a> {
    /// Forces `value` completely and returns it as JSON text.
    pub fn json_text(&mut self, value: Value<'a>, errors: &JsonErrors) -> EvalResult<String> {
        let mut writer = Writer {
            out: Vec::new(),
            errors,
            unprintable: None,
            path: Vec::new(),
            depth: 0,
        };
        self.write_value(&mut writer, value, Written::At(errors.origin))?;
        if let Some(error) = writer.unprintable {
            return Err(error);
        }
        // Only `str`s and ASCII are written, so the text is UTF-8.
        String::from_utf8(writer.out)
            .map_err(|_| EvalError::new(errors.code, "the JSON text is not UTF-8", errors.origin))
    }

    fn write_value(
        &mut self,
        writer: &mut Writer<'_>,
        value: Value<'a>,
        written: Written<'_, 'a>,
    ) -> EvalResult<()> {
        use std::io::Write;
        let out = &mut writer.out;
        match value {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Bool(true) => out.extend_from_slice(b"true"),
            Value::Bool(false) => out.extend_from_slice(b"false"),
            Value::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Value::Float(f) if f.is_finite() => {
                out.extend_from_slice(numfmt::general(f).as_bytes())
            }
            Value::Float(f) => {
                writer.unprintable(
                    format!("cannot convert {} to JSON", non_finite(f)),
                    "JSON has no such number",
                    "JSON numbers are finite: compute a finite number here",
                    written.site(writer.errors),
                );
            }
            Value::String(s) | Value::Path(s) => write_string(out, &s),
            Value::Lambda(_) | Value::Builtin(_) => writer.unprintable(
                "cannot convert a function to JSON".to_string(),
                "a function",
                "apply the function, or remove it from the value, before printing it as JSON",
                written.site(writer.errors),
            ),
            Value::List(items) => {
                writer.out.push(b'[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        writer.out.push(b',');
                    }
                    writer.path.push(Step::Index(index));
                    let written = self.write_thunk(writer, item);
                    writer.path.pop();
                    written?;
                }
                writer.out.push(b']');
            }
            Value::Attrs(attrs) => {
                writer.out.push(b'{');
                for (index, (key, thunk)) in attrs.iter().enumerate() {
                    if index > 0 {
                        writer.out.push(b',');
                    }
                    write_string(&mut writer.out, key);
                    writer.out.push(b':');
                    writer.path.push(Step::Attr(key.clone()));
                    let written = self.write_thunk(writer, thunk);
                    writer.path.pop();
                    written?;
                }
                writer.out.push(b'}');
            }
        }
        Ok(())
    }

    fn write_thunk(&mut self, writer: &mut Writer<'_>, thunk: &Thunk<'a>) -> EvalResult<()> {
        let value = self.force(thunk).map_err(|e| match thunk.site() {
            Some(site) => e.frame(site, format!("while evaluating `{}`", writer.path_text())),
            None => e,
        })?;
        writer.depth += 1;
        // Each look costs a thread-local read; a few levels' frames fit in the red zone.
        let written = if writer.depth.is_multiple_of(STACK_CHECK_EVERY) {
            stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || {
                self.write_value(writer, value, Written::In(thunk))
            })
        } else {
            self.write_value(writer, value, Written::In(thunk))
        };
        writer.depth -= 1;
        written
    }
}

/// Where a value being written comes from, looked up only for an error (most values are
/// written without one).
#[derive(Clone, Copy)]
enum Written<'t, 'a> {
    /// The value of this thunk (which remembers where it was written, once forced too).
    In(&'t Thunk<'a>),
    At(Option<Site>),
}

impl Written<'_, '_> {
    fn site(self, errors: &JsonErrors) -> Option<Site> {
        match self {
            Written::In(thunk) => thunk.site().or(errors.origin),
            Written::At(site) => site,
        }
    }
}

impl Writer<'_> {
    /// Remembers the first part that has no JSON form; the walk goes on, so that an
    /// evaluation error further on is the one reported, as with `--strict`.
    fn unprintable(&mut self, message: String, label: &str, help: &str, site: Option<Site>) {
        if self.unprintable.is_none() {
            let mut error = EvalError::new(self.errors.code, message, site)
                .label(label)
                .help(help);
            if !self.path.is_empty() {
                error
                    .message
                    .push_str(&format!(" (at `{}`)", self.path_text()));
            }
            self.unprintable = Some(error);
        }
    }

    fn path_text(&self) -> String {
        path_text(&self.path)
    }
}

/// The bytes a JSON string escapes: `"`, `\` and the control characters.
static ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Whether `bytes` hold a byte JSON escapes: eight bytes at a time (a word that has a byte
/// below 0x20, or equal to `"` or `\`, found by the carries of a subtraction, exactly), the
/// rest by the table.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is zero (or, with `n` instead of 1, below `n` for `n <= 0x80`) exactly
    // when some byte of the result has its high bit set.
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let escaped = below(word, 0x20)
            | below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1);
        if escaped != 0 {
            return true;
        }
    }
    words.remainder().iter().any(|b| ESCAPED[*b as usize])
}

/// A JSON string, escaped as `serde_json` escapes it (the form Nix prints too).
fn write_string(out: &mut Vec<u8>, text: &str) {
    // Most strings need no escape (only `"`, `\` and control characters do): copied as
    // they are, after one look at each byte in a table.
    let plain = !needs_escape(text.as_bytes());
    if plain {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        // Writing into a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *out, text);
    }
}

#[cfg(test)]
mod tests {
    use super::write_string;

    #[test]
    fn every_byte_at_every_place_of_a_word_is_judged_as_the_table_judges_it() {
        // The word-at-a-time test against the table, for each byte value at each of the
        // first 17 places among plain and non-ASCII neighbours.
        for byte in 0..=255u8 {
            for len in 1..=17 {
                for place in 0..len {
                    for filler in [b'a', 0xc3, 0x7f, 0xff] {
                        let mut bytes = vec![filler; len];
                        bytes[place] = byte;
                        let expected = bytes.iter().any(|b| super::ESCAPED[*b as usize]);
                        assert_eq!(super::needs_escape(&bytes), expected, "{bytes:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let samples = [
            "",
            "plain",
            "quote \" and backslash \\",
            "tab\tnewline\n\u{1} \u{7f} \u{1f}",
            "non-ASCII: é ✓ 𝄞",
            "/slash/ and <html> & 'single'",
        ];
        // Every ASCII character, alone and in a word: the escape table against serde's.
        let ascii: Vec<String> = (0u8..128)
            .flat_map(|b| [char::from(b).to_string(), format!("ab{}cd", char::from(b))])
            .collect();
        for sample in samples
            .iter()
            .copied()
            .chain(ascii.iter().map(|s| s.as_str()))
        {
            let mut out = Vec::new();
            write_string(&mut out, sample);
            let expected = serde_json::to_string(sample).unwrap_or_default();
            assert_eq!(String::from_utf8_lossy(&out), expected, "{sample:?}");
        }
    }
}
