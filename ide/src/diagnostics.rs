//! The diagnostics of one file as the editor shows them: its own (syntax, imports, names,
//! types), an error in a file it imports at the `import` that leads there (the imported
//! file gets its own diagnostic too, when it is open), and, when nothing of that stops it,
//! the evaluation's errors and warnings (the whole build: `mlflow.deployment`'s validation,
//! `throw`, `builtins.warn`) and, for a deployment, the schema checks of its objects. An evaluation diagnostic placed in another file (an imported
//! module) is shown at the import too, keeping a label at its real place.

use std::collections::HashSet;

use mlc::db::SourceFile;
use mlc::db::{check, evaluate, file_diagnostics, import_closure, imports, Db, ImportTarget};
use mlc::diagnostic::{Diagnostic, Severity};
use mlc::syntax::Span;

pub fn diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let mut out = file_diagnostics(db, file).clone();
    let name = file.name(db).clone();
    let mut imported_errors = false;
    for import in imports(db, file).iter() {
        let ImportTarget::File(target) = import.target else {
            continue;
        };
        // A file that cannot be read (missing, or refused as outside the project root) is
        // reported by the importer's own import diagnostics already (E0210), once.
        if mlc::stdlib::is_stdlib_path(target.path(db))
            || target == file
            || target.text(db).is_err()
        {
            continue;
        }
        let errors: Vec<&Diagnostic> = check(db, target)
            .iter()
            .filter(|d| d.severity == Severity::Error && d.primary.file != name)
            .collect();
        let Some(first) = errors.first() else {
            continue;
        };
        imported_errors = true;
        let mut shown = at_import(db, (*first).clone(), &name, import.span);
        if errors.len() > 1 {
            shown = shown.with_note(format!(
                "and {} more error(s) in the files this import reaches",
                errors.len() - 1
            ));
        }
        out.push(shown);
    }
    let stops = out.iter().any(|d| d.severity == Severity::Error) || imported_errors;
    if stops
        || !check(db, file)
            .iter()
            .all(|d| d.severity != Severity::Error)
    {
        return out;
    }
    let found = match evaluate(db, file) {
        // A deployment gets what `mlc build` reports after its files check: the checks'
        // findings at the levels its waivers give them, and its objects' schema checks (a
        // library file's value is no object, so only its warnings and findings are shown).
        Ok(_) if super::lens::deployment_call(db, file).is_some() => {
            mlc::build::evaluate_and_lower(db, file, &Default::default()).diagnostics
        }
        Ok(evaluated) => mlc::checks::evaluation_diagnostics(
            &evaluated.warnings,
            &evaluated.findings,
            &evaluated.waivers,
            &Default::default(),
        ),
        Err(diagnostics) => diagnostics.clone(),
    };
    // The evaluator repeats the unbound-name check: report each problem once.
    let seen: HashSet<Diagnostic> = out.iter().cloned().collect();
    // Waived findings are notes for `mlc build -v` and SARIF, not for the editor.
    for diagnostic in found.into_iter().filter(|d| d.waived.is_none()) {
        if diagnostic.primary.file == name {
            if !seen.contains(&diagnostic) {
                out.push(diagnostic);
            }
            continue;
        }
        let span = import_leading_to(db, file, &diagnostic.primary.file).unwrap_or_default();
        out.push(at_import(db, diagnostic, &name, span));
    }
    out
}

/// The span of the import of `file` whose closure holds the file named `target`.
fn import_leading_to(db: &dyn Db, file: SourceFile, target: &str) -> Option<Span> {
    imports(db, file).iter().find_map(|import| {
        let ImportTarget::File(imported) = import.target else {
            return None;
        };
        import_closure(db, imported)
            .files
            .iter()
            .any(|f| **f.name(db) == *target)
            .then_some(import.span)
    })
}

/// `diagnostic` (about another file) shown at `span` of the file named `here`, with its
/// place kept as a secondary label and named in the message.
fn at_import(
    db: &dyn Db,
    mut diagnostic: Diagnostic,
    here: &mlc::diagnostic::FileName,
    span: Span,
) -> Diagnostic {
    let original = diagnostic.primary.clone();
    let place = match db.file_named(&original.file) {
        Some(other) => {
            let text = other.source_text(db);
            let before = text.get(..original.span.start as usize).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let column = before
                .rsplit('\n')
                .next()
                .unwrap_or_default()
                .chars()
                .count()
                + 1;
            format!("{}:{line}:{column}", original.file)
        }
        None => original.file.to_string(),
    };
    diagnostic.message = format!("{} (in `{place}`)", diagnostic.message);
    let label = if original.message.is_empty() {
        "here".to_string()
    } else {
        original.message.clone()
    };
    diagnostic.secondary.insert(
        0,
        mlc::diagnostic::Label {
            file: original.file,
            span: original.span,
            message: label,
        },
    );
    diagnostic.primary.file = here.clone();
    diagnostic.primary.span = span;
    diagnostic.primary.message = String::new();
    diagnostic.fix = None;
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::fixture;

    #[test]
    fn an_error_in_an_imported_file_is_shown_at_the_import() {
        let f = fixture(&[
            ("/ws/main.mlc", "let lib = import ./lib.mlc; in lib.a"),
            ("/ws/lib.mlc", "{ a = 1 }"),
        ]);
        let found = diagnostics(&f.db, f.file);
        let [shown] = found.as_slice() else {
            panic!("{found:?}");
        };
        assert_eq!(f.at(shown.primary.span), "./lib.mlc");
        assert!(
            shown.message.contains("(in `/ws/lib.mlc:1:"),
            "{}",
            shown.message
        );
        assert_eq!(&*shown.secondary[0].file, "/ws/lib.mlc");
    }

    #[test]
    fn evaluation_errors_of_the_whole_build() {
        let f = fixture(&[
            (
                "/ws/main.mlc",
                "let lib = import ./lib.mlc; in lib.boom + 1",
            ),
            ("/ws/lib.mlc", "{ boom = throw \"no\"; }"),
        ]);
        let found = diagnostics(&f.db, f.file);
        assert!(
            found
                .iter()
                .any(|d| d.message.contains("no") && f.at(d.primary.span) == "./lib.mlc"),
            "{found:?}"
        );
    }

    #[test]
    fn a_deployment_s_objects_are_checked_against_their_schemas() {
        let f = fixture(&[(
            "/ws/deploy.mlc",
            "let mlflow = import <mlflow>; in\nmlflow.deployment {\n  name = \"m\";\n  mlflow.backendStoreUri = \"sqlite:////m/m.db\";\n  storage.enabled = true;\n  extraContainers = [ { name = \"x\"; imagee = \"y\"; } ];\n}\n",
        )]);
        let found = diagnostics(&f.db, f.file);
        let unknown = found
            .iter()
            .find(|d| d.code.as_str() == "E0502")
            .unwrap_or_else(|| panic!("{found:?}"));
        assert_eq!(f.at(unknown.primary.span), "\"y\"");
    }
}
