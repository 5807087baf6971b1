//! `mlc explain CODE`: the long explanation of a diagnostic code, with an example and the fix.

use super::report::usage_error;
use crate::diagnostic::codes::{explain, ALL};
use crate::diagnostic::did_you_mean;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The code, such as `E0101` (case does not matter). Without it, every code is listed.
    #[arg(value_name = "CODE")]
    pub code: Option<String>,
}

pub fn run(args: &ExplainArgs) -> ExitCode {
    let Some(code) = &args.code else {
        super::report::print(&list());
        return ExitCode::SUCCESS;
    };
    let code = code.trim().to_uppercase();
    match explain(&code) {
        Some(text) => {
            super::report::print(&format!("{code}\n\n{}\n", text.trim_end()));
            ExitCode::SUCCESS
        }
        None => {
            let codes = ALL.iter().map(|(code, _)| code.as_str());
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
    ALL.iter()
        .map(|(code, text)| format!("{code}  {}\n", text.lines().next().unwrap_or_default()))
        .collect()
}
