//! `mlc check FILE...`: everything `mlc build` would report, without the manifests: every
//! syntax, name, import and type error of each file and its imports, then, for a file
//! without them, its evaluation and the checks of what it builds (MLflow options,
//! Kubernetes schemas, the whole build's objects). A file that is not a deployment (a
//! library: a function, a set of helpers) is evaluated but not taken for objects.

use super::{build, Options};
use crate::db::{self, RootDatabase};
use crate::diagnostic::{codes, Diagnostic};
use std::collections::HashSet;

/// The diagnostics of every file and its imports, each reported once even when several
/// files import the same module.
pub fn check_files(db: &RootDatabase, files: &[String], options: &Options) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    let mut diagnostics = Vec::new();
    for argument in files {
        let file = db.file_for_argument(argument);
        let found = if db::check(db, file).is_empty() {
            build(db, file, options)
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
