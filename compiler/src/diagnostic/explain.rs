//! The text of `mlc explain`: the long explanation of a diagnostic code, with an example and
//! the fix, or of a check of `crate::checks` found by its code or its name
//! (`sqlite-replicas`); and the index of every code.

use super::codes::{explain, ALL};
use super::did_you_mean;
use crate::checks::table::{self, CHECKS};

/// The explanation of `query`, a code (case does not matter) or a check's name; or, when
/// it is neither, what to say instead (with the closest code).
pub fn page(query: &str) -> Result<String, String> {
    if let Some(check) = table::find(query.trim()) {
        return Ok(format!(
            "{} ({}): {}\n\n{}\n",
            check.code,
            check.name,
            check.summary,
            check.explanation.trim_end()
        ));
    }
    let code = query.trim().to_uppercase();
    if let Some(text) = explain(&code) {
        return Ok(format!("{code}\n\n{}\n", text.trim_end()));
    }
    let codes = ALL
        .iter()
        .map(|(code, _)| code.as_str())
        .chain(CHECKS.iter().map(|check| check.code.as_str()));
    let hint = match did_you_mean(&code, codes) {
        Some(known) => format!("; did you mean `{known}`?"),
        None => "; run `mlc explain` to list every code".to_string(),
    };
    Err(format!("`{code}` is not a known diagnostic code{hint}"))
}

/// Every code with the first line of its explanation, one per line, in code order.
pub fn index() -> String {
    let mut lines: Vec<(String, String)> = ALL
        .iter()
        .map(|(code, text)| {
            (
                code.to_string(),
                text.lines().next().unwrap_or_default().to_string(),
            )
        })
        .chain(CHECKS.iter().map(|check| {
            (
                check.code.to_string(),
                format!("{} (check `{}`)", check.summary, check.name),
            )
        }))
        .collect();
    lines.sort();
    lines
        .into_iter()
        .map(|(code, text)| format!("{code}  {text}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_checks_are_found_and_unknown_codes_get_a_suggestion() {
        let code = page("e0101").unwrap_or_default();
        assert!(code.starts_with("E0101\n\n"), "{code}");
        let by_name = page("sqlite-replicas").unwrap_or_default();
        assert!(
            by_name.starts_with("E0513 (sqlite-replicas): "),
            "{by_name}"
        );
        assert_eq!(page("E0513"), Ok(by_name));
        let unknown = page("E0102x").err().unwrap_or_default();
        assert!(unknown.contains("did you mean `E0102`?"), "{unknown}");
        assert!(index().lines().any(|line| line.starts_with("E0513  ")));
    }
}
