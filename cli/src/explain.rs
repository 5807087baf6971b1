//! `mlc explain [CODE]`: prints the long explanation of a diagnostic code or check, or the
//! index of every code ([`mlc::diagnostic::explain`]).

use super::report::{print, usage_error};
use mlc::diagnostic::explain::{index, page};
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
        return print(&index()).map_or_else(|code| code, |()| ExitCode::SUCCESS);
    };
    match page(code) {
        Ok(text) => print(&text).map_or_else(|code| code, |()| ExitCode::SUCCESS),
        Err(message) => usage_error(&message),
    }
}
