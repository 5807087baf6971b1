//! Lazy, pure evaluation of mlc expressions with Nix's semantics.
//!
//! [`evaluate`] runs one evaluation: it evaluates a file (and what it imports, through the
//! host's [`Loader`]) and forces the result into [`Data`], plain thread-safe data that
//! remembers where each value was written. Inside, values are lazy thunks evaluated at most
//! once ([`value`]), interpreted by the [`machine`]; errors carry the user-level trace.
//!
//! Architecture invariant: evaluation does no I/O of its own; files come from the
//! `Loader` (the salsa database), so evaluation is hermetic and repeatable.

mod attrs;
pub mod builtins;
mod contract;
mod data;
mod data_attrs;
mod data_json;
mod error;
pub mod findings;
mod json_out;
mod layout;
mod limits;
mod machine;
mod numfmt;
mod ops;
mod set_shape;
mod value;

pub use data::{Data, DataKind, JsonError};
pub use data_attrs::{DataAttrs, Iter as DataAttrsIter};
pub use data_json::{json_float, json_number};
pub use findings::{Finding, Place, Waiver};
pub use layout::Layout;

use crate::diagnostic::{Diagnostic, FileName};
use crate::syntax::Expr;
use error::{EvalError, EvalResult};
use machine::Evaluator;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use typed_arena::Arena;

/// What the evaluator asks of its host (the salsa database implements it).
pub trait Loader {
    /// The parsed file at `path` for `import`: `path` is a normalised absolute path, or a
    /// path under the virtual root `<stdlib>/` for embedded standard-library modules.
    /// `Err(reason)` when it cannot be had ("no such file", "has syntax errors", ...).
    fn load(&self, path: &str) -> Result<LoadedFile, String>;
    /// `<name>` → the path to load (`<mlflow>` → `<stdlib>/mlflow.mlc`); `None` when there
    /// is no such module.
    fn search_path(&self, name: &str) -> Option<String>;
    /// The names `<name>` accepts, for "did you mean" and help messages.
    fn stdlib_modules(&self) -> Vec<String> {
        Vec::new()
    }
    /// Called now and then during evaluation; the salsa host unwinds here when cancelled.
    fn tick(&self) {}
}

/// A parsed file, as the loader hands it over.
#[derive(Clone)]
pub struct LoadedFile {
    pub path: String,
    pub display: FileName,
    pub root: Arc<Expr>,
    pub text: Arc<str>,
    /// The types of the file's annotations (from the checker), applied as contracts;
    /// empty when the file was not type checked.
    pub annotations: Arc<rustc_hash::FxHashMap<u32, crate::types::Type>>,
    /// Where the file's variables are, from its name resolution (the database's
    /// `layout` query; [`Layout::resolve`] without a database).
    pub layout: Arc<Layout>,
}

/// A successful evaluation: the value, the warnings raised on the way (`builtins.warn`),
/// and what libraries' checks found (`builtins.findings`, turned into diagnostics by
/// `crate::checks`, which applies the waivers and the command line's levels).
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluated {
    pub data: Data,
    pub warnings: Vec<Diagnostic>,
    pub findings: Vec<Finding>,
    pub waivers: Vec<Waiver>,
}

/// What an evaluation raised besides its value: warnings, and what libraries' checks
/// found, with the waivers that may lift them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Raised {
    pub warnings: Vec<Diagnostic>,
    pub findings: Vec<Finding>,
    pub waivers: Vec<Waiver>,
}

/// Evaluates `file` (for `-E`, a file whose path is `<expr>`, with relative paths resolved
/// against `base_dir`) and forces the result deeply into [`Data`].
pub fn evaluate(
    loader: &dyn Loader,
    file: &LoadedFile,
    base_dir: &str,
) -> Result<Evaluated, Vec<Diagnostic>> {
    let (data, raised) = run(loader, file, base_dir, |evaluator, value, origin| {
        evaluator.force_data(value, Some(origin))
    })?;
    Ok(Evaluated {
        data,
        warnings: raised.warnings,
        findings: raised.findings,
        waivers: raised.waivers,
    })
}

/// Evaluates `file` like [`evaluate`] and writes the value as strict JSON while forcing it
/// (`mlc eval --json`), without the copy into [`Data`]. A part with no JSON form is error
/// `E0901` at the place it was written.
pub fn evaluate_json(
    loader: &dyn Loader,
    file: &LoadedFile,
    base_dir: &str,
) -> Result<(String, Raised), Vec<Diagnostic>> {
    run(loader, file, base_dir, |evaluator, value, origin| {
        let errors = json_out::JsonErrors {
            code: crate::diagnostic::codes::E0901,
            origin: Some(origin),
        };
        evaluator.json_text(value, &errors)
    })
}

/// Whether evaluations leave their values to the operating system (see [`skip_teardown`]).
static SKIP_TEARDOWN: AtomicBool = AtomicBool::new(false);

/// For a process that exits right after its evaluation (`mlc eval`, `mlc build`): the
/// values of an evaluation are not freed when it ends, since exiting returns the memory
/// faster than a million small frees. Long-lived hosts (the language server, watch mode)
/// never call it, so their memory stays flat from one evaluation to the next.
pub fn skip_teardown() {
    SKIP_TEARDOWN.store(true, Ordering::Relaxed);
}

/// Whether an evaluation's values are freed when it ends (see [`skip_teardown`]).
pub(crate) fn tears_down() -> bool {
    !SKIP_TEARDOWN.load(Ordering::Relaxed)
}

/// One evaluation of `file`, with `finish` forcing the value into its result.
fn run<T>(
    loader: &dyn Loader,
    file: &LoadedFile,
    base_dir: &str,
    finish: impl for<'r, 'e> FnOnce(
        &'r mut Evaluator<'e>,
        value::Value<'e>,
        value::Site,
    ) -> EvalResult<T>,
) -> Result<(T, Raised), Vec<Diagnostic>> {
    let unbound = crate::names::diagnostics(file.layout.resolution(), &file.display);
    if !unbound.is_empty() {
        return Err(unbound);
    }
    let arena = Arena::new();
    let mut evaluator = Evaluator::new(loader, &arena);
    let (file_id, root) = evaluator.add_file(file, base_dir.to_string());
    let global = evaluator.global.clone();
    let result = evaluator.eval(root, &global, file_id).and_then(|value| {
        let origin = value::Site {
            file: file_id,
            span: root.span,
        };
        finish(&mut evaluator, value, origin)
    });
    let outcome = match result {
        Ok(result) => {
            let raised = Raised {
                warnings: warnings(&evaluator),
                findings: std::mem::take(&mut evaluator.findings),
                waivers: std::mem::take(&mut evaluator.waivers),
            };
            Ok((result, raised))
        }
        Err(error) => {
            let mut diagnostics = warnings(&evaluator);
            diagnostics.push(to_diagnostic(&evaluator, &error));
            Err(diagnostics)
        }
    };
    if !tears_down() {
        std::mem::forget(evaluator);
        std::mem::forget(arena);
    }
    outcome
}

fn warnings(evaluator: &Evaluator<'_>) -> Vec<Diagnostic> {
    let name = |site: &value::Site| {
        evaluator
            .files
            .get(site.file as usize)
            .map_or_else(|| FileName::from("<unknown>"), |info| info.display.clone())
    };
    evaluator
        .warnings
        .iter()
        .map(|(site, message, raised)| {
            let warning = Diagnostic::warning(
                crate::diagnostic::codes::W0401,
                message.clone(),
                name(site),
                site.span,
            );
            // Shown like a library error: the user's call, and where the library warned.
            // The library's own place is a frame, shown with `-v`.
            match raised {
                Some(raised) => warning.with_label("in this call").with_frame(
                    name(raised),
                    raised.span,
                    "raised by the standard library here",
                ),
                None => warning,
            }
        })
        .collect()
}

/// Renders an evaluation error as a diagnostic, with its trace as secondary labels.
fn to_diagnostic(evaluator: &Evaluator<'_>, error: &EvalError) -> Diagnostic {
    let name = |file: value::FileId| -> FileName {
        evaluator
            .files
            .get(file as usize)
            .map_or_else(|| FileName::from("<unknown>"), |info| info.display.clone())
    };
    let in_stdlib = |site: &value::Site| crate::stdlib::is_stdlib_path(&name(site.file));
    // An error raised inside the standard library (a module checking its options) is about
    // the user's code that called it: point at the innermost frame in the user's files, and
    // show the library's own frames only as the place the check is.
    let user_frame = match error.site {
        Some(site) if in_stdlib(&site) => {
            error.trace.iter().position(|(frame, _)| !in_stdlib(frame))
        }
        _ => None,
    };
    let (primary, label) = match (user_frame, error.site) {
        (Some(index), _) => (error.trace[index].0, "in this call".to_string()),
        (None, Some(site)) => (site, error.label.clone().unwrap_or_default()),
        (None, None) => (
            value::Site {
                file: 0,
                span: crate::syntax::Span::default(),
            },
            error.label.clone().unwrap_or_default(),
        ),
    };
    let mut diagnostic = Diagnostic::error(
        error.code,
        error.message.clone(),
        name(primary.file),
        primary.span,
    )
    .with_label(label);
    for (site, message) in &error.related {
        diagnostic = diagnostic.with_secondary(name(site.file), site.span, message.clone());
    }
    match user_frame {
        Some(index) => {
            if let Some(site) = error.site {
                diagnostic = diagnostic.with_frame(
                    name(site.file),
                    site.span,
                    "raised by the standard library here",
                );
            }
            // Frames outside the library, beyond the one shown as primary.
            for (site, message) in error
                .trace
                .iter()
                .skip(index + 1)
                .filter(|(s, _)| !in_stdlib(s))
            {
                diagnostic = diagnostic.with_secondary(name(site.file), site.span, message.clone());
            }
        }
        None => {
            for (site, message) in &error.trace {
                diagnostic = diagnostic.with_secondary(name(site.file), site.span, message.clone());
            }
        }
    }
    if let Some(help) = &error.help {
        diagnostic = diagnostic.with_help(help.clone());
    }
    diagnostic
}

#[cfg(test)]
mod tests;
