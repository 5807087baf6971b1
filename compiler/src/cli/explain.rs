//! `mlc explain CODE`: the long explanation of a diagnostic code, with an example and the fix.
//! A check of `crate::checks` is found by its code or its name (`mlc explain sqlite-replicas`).

use super::report::usage_error;
use crate::checks::{table, CHECKS};
use crate::diagnostic::codes::{explain, ALL};
use crate::diagnostic::did_you_mean;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The code, such as `E0101` (case does not matter), or the name of a check, such as
    /// `sqlite-replicas`. Without it, every code is listed.
    #[arg(value_name = "CODE")]
    pub code: Option<String>,
}

pub fn run(args: &ExplainArgs) -> ExitCode {
    let Some(code) = &args.code else {
        super::report::print(&list());
        return ExitCode::SUCCESS;
    };
    if let Some(check) = table::find(code.trim()) {
        // Through `print`, which is quiet on a closed pipe (`mlc explain ... | head`).
        super::report::print(&format!(
            "{} ({}): {}\n\n{}\n",
            check.code,
            check.name,
            check.summary,
            check.explanation.trim_end()
        ));
        return ExitCode::SUCCESS;
    }
    let code = code.trim().to_uppercase();
    match explain(&code) {
        Some(text) => {
            super::report::print(&format!("{code}\n\n{}\n", text.trim_end()));
            ExitCode::SUCCESS
        }
        None => {
            let codes = ALL
                .iter()
                .map(|(code, _)| code.as_str())
                .chain(CHECKS.iter().map(|check| check.code.as_str()));
            let hint = match did_you_mean(&code, codes) {
                Some(known) => format!("; did you mean `{known}`?"),
                None => "; run `mlc explain` to list every code".to_string(),
            };
            usage_error(&format!("`{code}` is not a known diagnostic code{hint}"))
        }
    }
}

/// Every code with the first line of its explanation.
fn list() -> String {
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
