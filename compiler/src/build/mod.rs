//! Building a deployment file: check it and everything it imports, evaluate it, and lower
//! the value to Kubernetes manifests. `mlc build` runs [`build`] once; `mlc build --watch`
//! keeps a [`Session`] (one salsa database for the whole run) and rebuilds through it after
//! every change, so an edit recomputes only what depends on it (see ARCHITECTURE.md, "What
//! an edit recomputes"); `mlc check` reports what builds of several files would
//! ([`check_files`]).
//!
//! Nothing here prints or watches files: the command line renders the [`Build`] and owns the
//! file watcher, so this step can be tested and benchmarked on its own.

mod check_files;
mod out_dir;
mod session;

pub use check_files::check_files;
pub use out_dir::{OutDir, Written};
pub use session::Session;

use crate::checks::{self, Policy};
use crate::db::{self, Db, SourceFile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::k8s::{self, Manifest};

/// The result of one build.
#[derive(Clone, Debug, PartialEq)]
pub struct Build {
    /// Every error and warning, in the order the stages found them.
    pub diagnostics: Vec<Diagnostic>,
    /// The objects, when no diagnostic stopped the build (see [`stops`]).
    pub manifests: Option<Vec<Manifest>>,
}

impl Build {
    fn stopped(diagnostics: Vec<Diagnostic>) -> Build {
        Build {
            diagnostics,
            manifests: None,
        }
    }
}

/// How to build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `--deny-warnings`: a warning stops the build like an error.
    pub deny_warnings: bool,
    /// `--no-typecheck`: static type errors (`E03xx`) are left out, and the build goes on
    /// to evaluation, whose errors say what is wrong.
    pub skip_type_errors: bool,
    /// `--allow` and `--deny`: the levels of the checks for this run.
    pub policy: Policy,
}

/// Whether `diagnostic` is a static type error (`E03xx`), which `--no-typecheck` leaves out.
pub fn is_type_error(diagnostic: &Diagnostic) -> bool {
    diagnostic.code.as_str().starts_with("E03")
}

/// Whether `diagnostics` stop a build: any error, or any warning under `deny_warnings`.
pub fn stops(diagnostics: &[Diagnostic], deny_warnings: bool) -> bool {
    diagnostics
        .iter()
        .any(|diagnostic| match diagnostic.severity {
            Severity::Error => true,
            Severity::Warning => deny_warnings,
            Severity::Note => false,
        })
}

/// Builds `entry`: every syntax and import error of its import closure first (evaluation
/// does not start when there is one), then evaluation with its warnings and every finding
/// of the checks (at the levels of `options.policy` and the deployment's waivers), then the
/// manifests and the checks of the whole build's objects.
pub fn build(db: &dyn Db, entry: SourceFile, options: &Options) -> Build {
    let deny_warnings = options.deny_warnings;
    let mut diagnostics = db::check(db, entry).clone();
    if options.skip_type_errors {
        diagnostics.retain(|d| !is_type_error(d));
    }
    if stops(&diagnostics, deny_warnings) {
        return Build::stopped(diagnostics);
    }
    let mut rest = evaluate_and_lower(db, entry, options);
    diagnostics.append(&mut rest.diagnostics);
    Build {
        diagnostics,
        manifests: rest.manifests,
    }
}

/// The part of [`build`] after its files check: evaluation with its warnings and every
/// finding of the checks (at the levels of `options.policy` and the deployment's waivers),
/// then the manifests and the checks of the whole build's objects. The language server
/// shows these diagnostics of a deployment as it is typed.
pub fn evaluate_and_lower(db: &dyn Db, entry: SourceFile, options: &Options) -> Build {
    let deny_warnings = options.deny_warnings;
    let policy = &options.policy;
    let mut diagnostics = Vec::new();
    let evaluated = match db::evaluate(db, entry) {
        Ok(evaluated) => evaluated,
        Err(errors) => {
            diagnostics.extend(errors.iter().cloned());
            return Build::stopped(diagnostics);
        }
    };
    diagnostics.extend(evaluated.warnings.iter().cloned());
    let lowered = k8s::manifests(&evaluated.data, entry.name(db));
    let mut findings = evaluated.findings.clone();
    if let Ok(built) = &lowered {
        findings.extend(checks::objects::check(&built.manifests));
    }
    let found = checks::diagnostics_of(&findings, &evaluated.waivers, policy);
    // When a check refused the values, schema errors at places inside the library are
    // consequences of that finding (reported once it is fixed); those at the user's own
    // values are mistakes of their own, reported now.
    let refused = found.iter().any(Diagnostic::is_error);
    diagnostics.extend(found);
    match lowered {
        Ok(built) => {
            diagnostics.extend(built.warnings);
            if stops(&diagnostics, deny_warnings) {
                return Build::stopped(diagnostics);
            }
            Build {
                diagnostics,
                manifests: Some(built.manifests),
            }
        }
        Err(errors) => {
            diagnostics.extend(
                errors.into_iter().filter(|error| {
                    !refused || !crate::stdlib::is_stdlib_path(&error.primary.file)
                }),
            );
            Build::stopped(diagnostics)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::RootDatabase;
    use crate::diagnostic::codes;
    use crate::stdlib::Stdlib;

    const OBJECT: &str = r#"{ apiVersion = "v1"; kind = "ConfigMap"; metadata.name = "c"; }"#;

    fn db_with(text: &str) -> (RootDatabase, SourceFile) {
        let mut db = RootDatabase::new(Stdlib::default(), Some("/p"), None);
        let file = db.set_file_text("/p/main.mlc", text);
        (db, file)
    }

    #[test]
    fn a_good_file_builds_its_objects() {
        let (db, file) = db_with(OBJECT);
        let build = build(&db, file, &Options::default());
        assert!(build.diagnostics.is_empty(), "{:?}", build.diagnostics);
        let manifests = build.manifests.unwrap_or_default();
        assert_eq!(manifests.len(), 1);
        assert_eq!(manifests[0].kind, "ConfigMap");
    }

    #[test]
    fn a_syntax_error_stops_before_evaluation() {
        let (db, file) = db_with("{ x = 1 }");
        let build = build(&db, file, &Options::default());
        assert_eq!(build.manifests, None);
        assert_eq!(build.diagnostics.len(), 1, "{:?}", build.diagnostics);
        assert_eq!(build.diagnostics[0].code, codes::E0101);
    }

    #[test]
    fn an_evaluation_error_stops_the_build() {
        let (db, file) = db_with("{ x = 1 + true; }");
        let build = build(&db, file, &Options::default());
        assert_eq!(build.manifests, None);
        assert!(build.diagnostics.iter().any(Diagnostic::is_error));
    }

    #[test]
    fn a_value_that_is_not_an_object_stops_the_build() {
        let (db, file) = db_with("{ x = 1; }");
        let build = build(&db, file, &Options::default());
        assert_eq!(build.manifests, None);
        assert!(build.diagnostics.iter().any(Diagnostic::is_error));
    }

    #[test]
    fn warnings_stop_the_build_only_when_denied() {
        let text = format!("builtins.warn \"careful\" {OBJECT}");
        let (db, file) = db_with(&text);
        let lenient = build(&db, file, &Options::default());
        assert_eq!(lenient.diagnostics.len(), 1);
        assert_eq!(lenient.diagnostics[0].severity, Severity::Warning);
        assert!(lenient.manifests.is_some());
        let strict = build(
            &db,
            file,
            &Options {
                deny_warnings: true,
                ..Options::default()
            },
        );
        assert_eq!(strict.diagnostics, lenient.diagnostics);
        assert_eq!(strict.manifests, None);
    }

    #[test]
    fn stops_counts_errors_always_and_warnings_when_denied() {
        let warning = Diagnostic::warning(codes::E0101, "w", "a.mlc".into(), Default::default());
        let error = Diagnostic::error(codes::E0101, "e", "a.mlc".into(), Default::default());
        assert!(!stops(std::slice::from_ref(&warning), false));
        assert!(stops(std::slice::from_ref(&warning), true));
        assert!(stops(&[warning, error], false));
        assert!(!stops(&[], true));
    }
}
