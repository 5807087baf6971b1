//! `mlc eval FILE` / `mlc eval -E EXPR`: evaluate and print the value, readable or as
//! strict JSON (`--json`, like `nix-instantiate --eval --strict --json`).

use super::report::{evaluate_entry, input_errors, Reporter};
use crate::diagnostic::{codes, Diagnostic};
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
    let entries: Vec<&str> = args.file.as_deref().into_iter().collect();
    let mut db = super::project::database(root, &entries);
    let entry = match (&args.expr, &args.file) {
        (Some(expr), _) => db.set_expr_text(expr),
        (None, Some(file)) => db.file_for_argument(file),
        (None, None) => return super::report::usage_error("give a FILE or -E EXPR"),
    };
    let data = match evaluate_entry(&db, entry, reporter) {
        Ok(data) => data,
        Err(code) => return code,
    };
    let output = if args.json {
        match data.to_json_string() {
            Ok(json) => json,
            Err(message) => {
                let name = entry.name(&db).clone();
                let diagnostic = Diagnostic::error(
                    codes::E0901,
                    message,
                    name,
                    crate::syntax::Span::default(),
                )
                .with_help(
                    "apply the function, or remove it from the value, before printing it as JSON",
                );
                reporter.report(&[diagnostic], &db);
                return input_errors();
            }
        }
    } else {
        data.pretty()
    };
    super::report::print(&format!("{output}\n"));
    ExitCode::SUCCESS
}
