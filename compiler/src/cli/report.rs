//! How commands print diagnostics and turn them into an exit code, following the global
//! `--color`, `--message-format` and `--deny-warnings` options.

use super::{ColorChoice, MessageFormat};
use crate::db::{self, RootDatabase, SourceFile};
use crate::diagnostic::json::render_json_lines;
use crate::diagnostic::render::{render_all, summary, RenderOptions};
use crate::diagnostic::{Diagnostic, SourceProvider};
use crate::eval::Data;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Prints diagnostics to stderr in the chosen format.
pub struct Reporter {
    color: bool,
    format: MessageFormat,
    deny_warnings: bool,
    /// `--no-typecheck`: static type errors are left out.
    skip_type_errors: bool,
}

impl Reporter {
    pub fn new(color: ColorChoice, format: MessageFormat, deny_warnings: bool) -> Self {
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Reporter {
            color,
            format,
            deny_warnings,
            skip_type_errors: false,
        }
    }

    pub fn skip_type_errors(mut self, skip: bool) -> Self {
        self.skip_type_errors = skip;
        self
    }

    /// Prints `diagnostics` (and, for people, a summary line) and says whether they stop
    /// the command: any error, or any warning under `--deny-warnings`.
    pub fn report(&self, diagnostics: &[Diagnostic], sources: &dyn SourceProvider) -> bool {
        let kept: Vec<Diagnostic>;
        let diagnostics = if self.skip_type_errors {
            kept = diagnostics
                .iter()
                .filter(|d| !d.code.as_str().starts_with("E03"))
                .cloned()
                .collect();
            &kept[..]
        } else {
            diagnostics
        };
        let options = RenderOptions { color: self.color };
        let text = match self.format {
            MessageFormat::Human => {
                let mut text = render_all(diagnostics, sources, options);
                if let Some(line) = summary(diagnostics, options, self.deny_warnings) {
                    text.push_str(&line);
                    text.push('\n');
                }
                text
            }
            MessageFormat::Json => render_json_lines(diagnostics, sources),
        };
        // Nothing useful can be done if stderr is closed.
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
        self.is_failure(diagnostics)
    }

    fn is_failure(&self, diagnostics: &[Diagnostic]) -> bool {
        crate::build::stops(diagnostics, self.deny_warnings)
    }

    pub fn deny_warnings(&self) -> bool {
        self.deny_warnings
    }

    pub fn format(&self) -> MessageFormat {
        self.format
    }
}

/// Checks `entry` and everything it imports, then evaluates it, printing every error and
/// warning. The value, or the exit code to stop with (errors, or warnings under
/// `--deny-warnings`).
pub fn evaluate_entry<'db>(
    db: &'db RootDatabase,
    entry: SourceFile,
    reporter: &Reporter,
) -> Result<&'db Data, ExitCode> {
    check_entry(db, entry, reporter)?;
    let result = db::evaluate(db, entry)
        .as_ref()
        .map(|evaluated| (&evaluated.data, &evaluated.warnings[..]))
        .map_err(|diagnostics| &diagnostics[..]);
    report_evaluation(db, reporter, result)
}

/// Like [`evaluate_entry`], with the value written as strict JSON while it is forced.
pub fn evaluate_entry_json(
    db: &RootDatabase,
    entry: SourceFile,
    reporter: &Reporter,
) -> Result<String, ExitCode> {
    check_entry(db, entry, reporter)?;
    let result = db::evaluate_json(db, entry);
    let result = match &result {
        Ok((json, warnings)) => Ok((json, &warnings[..])),
        Err(diagnostics) => Err(&diagnostics[..]),
    };
    report_evaluation(db, reporter, result).cloned()
}

/// Every syntax and import error of the whole closure, reported before evaluating.
fn check_entry(db: &RootDatabase, entry: SourceFile, reporter: &Reporter) -> Result<(), ExitCode> {
    if reporter.report(db::check(db, entry), db) {
        return Err(input_errors());
    }
    Ok(())
}

/// Prints an evaluation's warnings or errors; its value unless they stop the command.
fn report_evaluation<'r, T>(
    db: &RootDatabase,
    reporter: &Reporter,
    result: Result<(&'r T, &[Diagnostic]), &[Diagnostic]>,
) -> Result<&'r T, ExitCode> {
    match result {
        Ok((value, warnings)) => {
            if reporter.report(warnings, db) {
                return Err(input_errors());
            }
            Ok(value)
        }
        Err(diagnostics) => {
            reporter.report(diagnostics, db);
            Err(input_errors())
        }
    }
}

/// Exit code 1: the input had errors.
pub fn input_errors() -> ExitCode {
    ExitCode::from(1)
}

/// Exit code 2: the command line was wrong.
pub fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::codes;
    use crate::syntax::Span;

    #[test]
    fn warnings_fail_only_when_denied() {
        let warning = Diagnostic::warning(codes::E0101, "w", "a.mlc".into(), Span::default());
        let error = Diagnostic::error(codes::E0101, "e", "a.mlc".into(), Span::default());
        let lenient = Reporter::new(ColorChoice::Never, MessageFormat::Human, false);
        let strict = Reporter::new(ColorChoice::Never, MessageFormat::Human, true);
        assert!(!lenient.is_failure(std::slice::from_ref(&warning)));
        assert!(strict.is_failure(std::slice::from_ref(&warning)));
        assert!(lenient.is_failure(&[warning, error]));
        assert!(!strict.is_failure(&[]));
    }
}
