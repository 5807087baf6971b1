//! `mlc check FILE...`: parse every file and everything it imports, and report every error,
//! without evaluating anything.

use super::report::{input_errors, Reporter};
use crate::db::{self, RootDatabase};
use std::collections::HashSet;
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
    let diagnostics = check_files(&db, &args.files);
    if reporter.report(&diagnostics, &db) {
        input_errors()
    } else {
        ExitCode::SUCCESS
    }
}

/// The diagnostics of every file and its imports, each reported once even when several
/// files import the same module.
pub fn check_files(db: &RootDatabase, files: &[String]) -> Vec<crate::diagnostic::Diagnostic> {
    let mut seen = HashSet::new();
    let mut diagnostics = Vec::new();
    for argument in files {
        let file = db.file_for_argument(argument);
        for diagnostic in db::check(db, file) {
            if seen.insert(diagnostic.clone()) {
                diagnostics.push(diagnostic.clone());
            }
        }
    }
    diagnostics
}
