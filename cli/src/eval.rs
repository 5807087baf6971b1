//! `mlc eval FILE` / `mlc eval -E EXPR`: evaluate and print the value, readable or as
//! strict JSON (`--json`, like `nix-instantiate --eval --strict --json`).

use super::report::{evaluate_entry, evaluate_entry_json, Reporter};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The file to evaluate.
    #[arg(
        value_name = "FILE",
        required_unless_present = "expr",
        conflicts_with = "expr"
    )]
    pub file: Option<String>,
    /// Evaluate this expression instead of a file (relative paths start in the current
    /// directory).
    #[arg(short = 'E', long = "expr", value_name = "EXPR")]
    pub expr: Option<String>,
    /// Print strict JSON (attribute names sorted) instead of the readable form.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &EvalArgs, reporter: &Reporter, root: Option<&str>) -> ExitCode {
    // The process ends after this one evaluation: its memory is not freed piece by piece.
    mlc::eval::skip_teardown();
    let entries: Vec<&str> = args.file.as_deref().into_iter().collect();
    let mut db = std::mem::ManuallyDrop::new(super::project::database(root, &entries));
    let entry = match (&args.expr, &args.file) {
        (Some(expr), _) => db.set_expr_text(expr),
        (None, Some(file)) => db.file_for_argument(file),
        (None, None) => return super::report::usage_error("give a FILE or -E EXPR"),
    };
    let mut output = if args.json {
        match evaluate_entry_json(&db, entry, reporter) {
            Ok(json) => json,
            Err(code) => return code,
        }
    } else {
        match evaluate_entry(&db, entry, reporter) {
            Ok(data) => data.pretty(),
            Err(code) => return code,
        }
    };
    // (The text is printed as it is: a `format!` copied it, megabytes for a large value.)
    output.push('\n');
    super::report::print(&output).map_or_else(|code| code, |()| ExitCode::SUCCESS)
}
