//! `mlc check FILE...`: report everything `mlc build` would, without printing manifests:
//! every syntax, name, import and type error of each file and its imports, then, for a
//! file without them, its evaluation and the checks of what it builds (MLflow options,
//! Kubernetes schemas, the whole build's objects). A file that is not a deployment (a
//! library: a function, a set of helpers) is evaluated but not taken for objects.

use super::report::{input_errors, Reporter};
use mlc::build;
use mlc::db::{self, RootDatabase};
use mlc::diagnostic::codes;
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
    let diagnostics = check_files(&db, &args.files, &reporter.build_options());
    if reporter.report(&diagnostics, &db) {
        input_errors()
    } else {
        ExitCode::SUCCESS
    }
}

/// The diagnostics of every file and its imports, each reported once even when several
/// files import the same module.
pub fn check_files(
    db: &RootDatabase,
    files: &[String],
    options: &build::Options,
) -> Vec<mlc::diagnostic::Diagnostic> {
    let mut seen = HashSet::new();
    let mut diagnostics = Vec::new();
    for argument in files {
        let file = db.file_for_argument(argument);
        let found = if db::check(db, file).is_empty() {
            build::build(db, file, options)
                .diagnostics
                .into_iter()
                // A library is not a deployment: it need not evaluate to objects.
                .filter(|d| d.code != codes::E0501)
                .collect()
        } else {
            db::check(db, file).clone()
        };
        for diagnostic in found {
            if seen.insert(diagnostic.clone()) {
                diagnostics.push(diagnostic);
            }
        }
    }
    diagnostics
}
