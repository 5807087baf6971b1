//! The language's regular expressions (`builtins.match`, `builtins.split`, pattern types
//! such as `String(/[a-z]+/)`): one meaning, two engines.
//!
//! A pattern is compiled with `regex-lite`, whose syntax and meaning are the language's
//! (POSIX-like classes, and `\d`, `\w`, `\s` ASCII as in Nix's C locale): compiling it
//! takes about a tenth of the `regex` crate's instructions (which builds forward and
//! reverse automata and their DFAs), and most patterns of a small build are searched a few
//! times. A pattern searched often is compiled again with the `regex` crate, whose searches
//! are 5-20 times faster (`docs/performance.md`, session 14), but only when both crates
//! give it the same meaning: when it has no Perl class, word boundary, Unicode class or
//! flag group, the only places where they differ (`same_in_both`). A test runs both
//! engines over patterns and texts to hold them to that.

use std::ops::Range;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// After this many searches of one pattern, the faster engine is compiled for it.
const SEARCHES_BEFORE_THE_FAST_ENGINE: u32 = 16;

/// The spans of a match's groups, the whole match first; `None` for a group that took no
/// part in it.
pub type Groups = Vec<Option<Range<usize>>>;

/// The spans of a match of either engine (their `Captures` are distinct types with the
/// same methods).
macro_rules! groups {
    ($captures:expr) => {
        $captures
            .iter()
            .map(|group| group.map(|m| m.range()))
            .collect::<Groups>()
    };
}

/// A compiled regular expression (see the module's comment).
#[derive(Debug)]
pub struct Regex {
    source: String,
    lite: regex_lite::Regex,
    same_in_both: bool,
    searches: AtomicU32,
    fast: OnceLock<Option<regex::Regex>>,
}

/// Why a pattern does not compile, in one line.
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Regex {
    pub fn new(source: &str) -> Result<Regex, Error> {
        let lite = regex_lite::Regex::new(source).map_err(|error| Error(error.to_string()))?;
        Ok(Regex {
            source: source.to_string(),
            lite,
            same_in_both: same_in_both(source),
            searches: AtomicU32::new(0),
            fast: OnceLock::new(),
        })
    }

    /// The number of groups, the whole match included.
    pub fn captures_len(&self) -> usize {
        self.lite.captures_len()
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self.fast() {
            Some(fast) => fast.is_match(text),
            None => self.lite.is_match(text),
        }
    }

    /// The groups of the leftmost-first match in `text`.
    pub fn captures(&self, text: &str) -> Option<Groups> {
        match self.fast() {
            Some(fast) => fast.captures(text).map(|captures| groups!(captures)),
            None => self.lite.captures(text).map(|captures| groups!(captures)),
        }
    }

    /// The groups of every successive non-overlapping match in `text`.
    pub fn captures_all(&self, text: &str) -> Vec<Groups> {
        match self.fast() {
            Some(fast) => fast.captures_iter(text).map(|c| groups!(c)).collect(),
            None => self.lite.captures_iter(text).map(|c| groups!(c)).collect(),
        }
    }

    /// The faster engine, once this pattern has been searched often enough and when it
    /// means the same there.
    fn fast(&self) -> Option<&regex::Regex> {
        if !self.same_in_both {
            return None;
        }
        if let Some(fast) = self.fast.get() {
            return fast.as_ref();
        }
        // Shared by threads (a type's pattern lives in salsa's results): a count, not a lock.
        let searches = self.searches.fetch_add(1, Ordering::Relaxed) + 1;
        if searches < SEARCHES_BEFORE_THE_FAST_ENGINE {
            return None;
        }
        // A pattern `regex-lite` accepts that `regex` refuses (a size limit) stays with
        // `regex-lite`.
        self.fast
            .get_or_init(|| regex::Regex::new(&self.source).ok())
            .as_ref()
    }
}

/// Whether the two crates give `source` the same meaning: they differ only in Perl classes
/// and word boundaries (`\b`, `\<`, `\>`: Unicode in `regex`, ASCII in `regex-lite`), Unicode classes
/// (`\p{..}`, refused by `regex-lite`) and flags (`(?i)`: Unicode case folding in `regex`).
/// A class written between brackets, or a flag there, is refused too: the scan does not
/// tell brackets apart, so it errs on the side of the language's engine.
fn same_in_both(source: &str) -> bool {
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some('d' | 'D' | 'w' | 'W' | 's' | 'S' | 'b' | 'B' | '<' | '>' | 'p' | 'P') =
                    chars.next()
                {
                    return false;
                }
            }
            // `(?:`, `(?<name>` and `(?P<name>` mean the same in both; a flag (`(?i)`,
            // `(?s:`) does not.
            '(' => {
                let mut after = chars.clone();
                if after.next() == Some('?') && !matches!(after.next(), Some(':' | '<' | 'P')) {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATTERNS: &[&str] = &[
        "[a-z0-9+]+://[^/@:]+:[^/@]+@.*",
        ".*@sha256:.*",
        ".*:.+",
        "v?([0-9]+[.][0-9]+[.][0-9]+).*",
        " *([^ ]*) *",
        ".*(PASSWORD|SECRET|TOKEN|_KEY).*",
        "(a)|b",
        "(a)|(b)",
        "a*",
        "",
        "x*|y",
        "([[:alpha:]]+)([[:digit:]]*)",
        "[^a-z]+",
        ".",
        "(.)(.)?",
        "[é-ü]+",
        "a{2,3}",
        "(a|ab)(c|bcd)(d*)",
        "\\.",
        "[[:space:]]+",
        "^a|b$",
    ];

    const TEXTS: &[&str] = &[
        "",
        "a",
        "ab",
        "abcd",
        "aaaa",
        "xaybz",
        "postgresql://mlflow:secret@db:5432/mlflow",
        "ghcr.io/mlflow/mlflow@sha256:abc",
        "v3.12.0",
        " team-0000.example.com ",
        "MLFLOW_TRACKING_PASSWORD",
        "héllo wörld",
        "a\nb",
        "日本語 text 123",
        "x.y",
        "\t \n",
    ];

    fn anchored(pattern: &str) -> String {
        format!("^(?:{pattern})$")
    }

    /// Whether two engines' answers agree, forcing the fast one by searching enough.
    #[test]
    fn both_engines_give_the_same_groups() {
        for pattern in PATTERNS {
            assert!(same_in_both(pattern), "{pattern}");
            for source in [pattern.to_string(), anchored(pattern)] {
                let regex = match Regex::new(&source) {
                    Ok(regex) => regex,
                    Err(error) => panic!("{source}: {error}"),
                };
                let Ok(full) = regex::Regex::new(&source) else {
                    panic!("the regex crate refuses {source}");
                };
                for text in TEXTS {
                    let lite = (
                        regex.lite.is_match(text),
                        regex.lite.captures(text).map(|c| groups!(c)),
                        regex
                            .lite
                            .captures_iter(text)
                            .map(|c| groups!(c))
                            .collect::<Vec<_>>(),
                    );
                    let fast = (
                        full.is_match(text),
                        full.captures(text).map(|c| groups!(c)),
                        full.captures_iter(text)
                            .map(|c| groups!(c))
                            .collect::<Vec<_>>(),
                    );
                    assert_eq!(lite, fast, "{source:?} on {text:?}");
                }
            }
        }
    }

    /// The answers are the same before and after the switch to the faster engine.
    #[test]
    fn a_pattern_searched_often_answers_as_before() {
        let Ok(regex) = Regex::new(&anchored(" *([^ ]*) *")) else {
            panic!("the pattern compiles");
        };
        let first = regex.captures(" a ");
        for _ in 0..SEARCHES_BEFORE_THE_FAST_ENGINE * 2 {
            assert_eq!(regex.captures(" a "), first);
        }
        assert!(matches!(regex.fast.get(), Some(Some(_))), "switched");
        assert_eq!(first, Some(vec![Some(0..3), Some(1..2)]));
    }

    #[test]
    fn patterns_that_differ_stay_with_the_language_engine() {
        for pattern in [
            "\\d+", "\\w", "a\\b", "(?i)a", "(?s:.)", "\\s", "\\<a", "\\p{L}", "[\\d]",
        ] {
            assert!(!same_in_both(pattern), "{pattern}");
        }
        for pattern in ["\\.\\(?\\\\d", "^(?:a)$", "(?<x>a)", "(?P<x>a)"] {
            assert!(same_in_both(pattern), "{pattern}");
        }
        let Ok(regex) = Regex::new("^\\d$") else {
            panic!("`\\d` compiles");
        };
        for _ in 0..SEARCHES_BEFORE_THE_FAST_ENGINE * 2 {
            assert!(!regex.is_match("\u{663}"), "ASCII digits only");
        }
        assert!(regex.fast.get().is_none());
    }
}
