//! How commands print diagnostics and turn them into an exit code, following the global
//! `--color`, `--message-format`, `--deny-warnings`, `--allow`/`--deny` and `-v` options.
//! Under `--message-format sarif` the diagnostics of the whole run are collected and
//! printed to stderr as one SARIF log when the command ends ([`Reporter::finish`]).

use super::{ColorChoice, MessageFormat};
use mlc::checks::Policy;
use mlc::db::{self, RootDatabase, SourceFile};
use mlc::diagnostic::json::render_json_lines;
use mlc::diagnostic::render::{render_all, summary, RenderOptions};
use mlc::diagnostic::sarif;
use mlc::diagnostic::{Diagnostic, SourceProvider};
use mlc::eval::Data;
use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Prints diagnostics to stderr in the chosen format.
pub struct Reporter {
    color: bool,
    format: MessageFormat,
    deny_warnings: bool,
    /// `--no-typecheck`: static type errors are left out.
    skip_type_errors: bool,
    /// `--allow` and `--deny`.
    policy: Policy,
    /// `-v`: library frames and waived findings are shown.
    verbose: bool,
    /// Under `--message-format sarif`: the results so far, printed by `finish`.
    sarif: RefCell<Vec<sarif::Result>>,
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
            policy: Policy::default(),
            verbose: false,
            sarif: RefCell::new(Vec::new()),
        }
    }

    pub fn skip_type_errors(mut self, skip: bool) -> Self {
        self.skip_type_errors = skip;
        self
    }

    pub fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }

    /// The levels of the checks for this run.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Ends the run: under `--message-format sarif`, prints the log of every diagnostic
    /// reported.
    pub fn finish(&self) {
        if self.format == MessageFormat::Sarif {
            // On stderr, like every diagnostic: stdout is the command's output (manifests).
            let log = sarif::log(std::mem::take(&mut *self.sarif.borrow_mut()));
            let _ = writeln!(std::io::stderr().lock(), "{log}");
        }
    }

    /// What is shown of `diagnostics`: waived findings only with `-v` (as notes saying
    /// why), library frames only with `-v`.
    fn shown(&self, diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
        diagnostics
            .iter()
            .filter(|d| !(self.skip_type_errors && mlc::build::is_type_error(d)))
            .filter(|d| self.verbose || d.waived.is_none() || self.format == MessageFormat::Sarif)
            .map(|d| {
                let mut d = d.clone();
                if self.verbose {
                    d.secondary.append(&mut d.frames);
                    if let Some(reason) = &d.waived {
                        d.notes.push(format!("waived: {reason}"));
                    }
                }
                d
            })
            .collect()
    }

    /// Prints `diagnostics` (and, for people, a summary line) and says whether they stop
    /// the command: any error, or any warning under `--deny-warnings`.
    pub fn report(&self, diagnostics: &[Diagnostic], sources: &dyn SourceProvider) -> bool {
        let diagnostics = &self.shown(diagnostics)[..];
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
            MessageFormat::Sarif => {
                self.sarif
                    .borrow_mut()
                    .extend(diagnostics.iter().map(|d| sarif::result(d, sources)));
                String::new()
            }
        };
        // Nothing useful can be done if stderr is closed.
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
        self.is_failure(diagnostics)
    }

    fn is_failure(&self, diagnostics: &[Diagnostic]) -> bool {
        mlc::build::stops(diagnostics, self.deny_warnings)
    }

    /// The options of `mlc build` these global options give.
    pub fn build_options(&self) -> mlc::build::Options {
        mlc::build::Options {
            deny_warnings: self.deny_warnings,
            skip_type_errors: self.skip_type_errors,
            policy: self.policy.clone(),
        }
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
        .map(|evaluated| {
            let diagnostics = mlc::checks::evaluation_diagnostics(
                &evaluated.warnings,
                &evaluated.findings,
                &evaluated.waivers,
                reporter.policy(),
            );
            (&evaluated.data, diagnostics)
        })
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
    // The text is moved out, not copied: at a thousand deployments it is megabytes.
    match db::evaluate_json(db, entry) {
        Ok((json, raised)) => {
            let diagnostics = mlc::checks::evaluation_diagnostics(
                &raised.warnings,
                &raised.findings,
                &raised.waivers,
                reporter.policy(),
            );
            report_evaluation(db, reporter, Ok((&(), diagnostics)))?;
            Ok(json)
        }
        // (Errors always stop the command: no text is made up here.)
        Err(diagnostics) => {
            report_evaluation::<()>(db, reporter, Err(&diagnostics[..])).and(Err(input_errors()))
        }
    }
}

/// Every syntax and import error of the whole closure, reported before evaluating.
fn check_entry(db: &RootDatabase, entry: SourceFile, reporter: &Reporter) -> Result<(), ExitCode> {
    if reporter.report(db::check(db, entry), db) {
        return Err(input_errors());
    }
    Ok(())
}

/// Prints an evaluation's warnings and findings or its errors; its value unless they stop
/// the command.
fn report_evaluation<'r, T>(
    db: &RootDatabase,
    reporter: &Reporter,
    result: Result<(&'r T, Vec<Diagnostic>), &[Diagnostic]>,
) -> Result<&'r T, ExitCode> {
    match result {
        Ok((value, diagnostics)) => {
            if reporter.report(&diagnostics, db) {
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

/// Writes `text` to stdout (see [`write_stdout`]); when it cannot, says why and gives exit
/// code 1.
pub fn print(text: &str) -> Result<(), ExitCode> {
    write_stdout(|out| out.write_all(text.as_bytes())).map_err(|message| {
        eprintln!("error: {message}");
        input_errors()
    })
}

/// Runs `write` on stdout, through one buffer. A closed pipe (`mlc doc | head -1`) ends
/// the output quietly: the reader has what it wanted, and that is no error of the input.
/// Any other failure to write is (a full disk must not pass for a success).
pub fn write_stdout(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the output: {error}"))
        }
        _ => Ok(()),
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
    use mlc::diagnostic::codes;
    use mlc::syntax::Span;

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
