//! `mlc check FILE...`: prints what `mlc build` would report for each file and its imports,
//! without the manifests ([`mlc::build::check_files`]).

use super::report::{input_errors, Reporter};
use mlc::build::check_files;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The files to check (their imports are checked too).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
}

pub fn run(args: &CheckArgs, reporter: &Reporter, root: Option<&str>) -> ExitCode {
    let entries: Vec<&str> = args.files.iter().map(String::as_str).collect();
    let db = super::project::database(root, &entries);
    let diagnostics = check_files(&db, &args.files, &reporter.build_options());
    if reporter.report(&diagnostics, &db) {
        input_errors()
    } else {
        ExitCode::SUCCESS
    }
}
