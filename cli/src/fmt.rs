//! `mlc fmt FILE...` (rewrite in place), `mlc fmt --check FILE...` (print the unified diff
//! of what would change, for CI, like `gofmt -d` and `ruff format --diff`) and `mlc fmt -`
//! (stdin to stdout).
//!
//! A file with syntax errors is never touched: its diagnostics are printed and the exit code
//! is 1. Files are replaced atomically (a temporary file in the same directory, renamed over
//! the original), so an interrupted run never leaves a half-written file.

use super::report::{input_errors, Reporter};
use mlc::diagnostic::{Diagnostic, FileName, SourceProvider};
use mlc::fmt::format;
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// The files to format in place, or `-` to format standard input to standard output.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// Change nothing; print the diff of each file whose formatting differs (unified, on
    /// stdout) and exit with 1 if any does.
    #[arg(long)]
    pub check: bool,
}

/// What happened to one file.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Unchanged,
    /// Reformatted (or, under `--check`, would be): the diff from the old text.
    Changed(String),
    /// Not formatted: syntax errors, or it could not be read or written.
    Failed,
}

pub fn run(args: &FmtArgs, reporter: &Reporter) -> ExitCode {
    let mut failed = false;
    let mut would_change = Vec::new();
    for file in &args.files {
        let outcome = if file == "-" {
            format_stdin(reporter)
        } else {
            format_file(file, args.check, reporter)
        };
        match outcome {
            Outcome::Failed => failed = true,
            Outcome::Changed(diff) if args.check => {
                let _ = std::io::stdout().lock().write_all(diff.as_bytes());
                would_change.push(file.as_str())
            }
            Outcome::Changed(_) | Outcome::Unchanged => {}
        }
    }
    if !would_change.is_empty() {
        eprintln!(
            "{} file{} would be reformatted: run `mlc fmt` on {}",
            would_change.len(),
            if would_change.len() == 1 { "" } else { "s" },
            if would_change.len() == 1 {
                "it"
            } else {
                "them"
            }
        );
    }
    if failed || !would_change.is_empty() {
        input_errors()
    } else {
        ExitCode::SUCCESS
    }
}

fn format_stdin(reporter: &Reporter) -> Outcome {
    let mut text = String::new();
    if let Err(error) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("error: cannot read standard input: {error}");
        return Outcome::Failed;
    }
    match format_or_report("<stdin>", &text, reporter) {
        Some(formatted) => {
            let _ = std::io::stdout().lock().write_all(formatted.as_bytes());
            if formatted == text {
                Outcome::Unchanged
            } else {
                Outcome::Changed(String::new())
            }
        }
        None => Outcome::Failed,
    }
}

fn format_file(file: &str, check: bool, reporter: &Reporter) -> Outcome {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: cannot read `{file}`: {error}");
            return Outcome::Failed;
        }
    };
    let Some(formatted) = format_or_report(file, &text, reporter) else {
        return Outcome::Failed;
    };
    if formatted == text {
        return Outcome::Unchanged;
    }
    if check {
        return Outcome::Changed(unified_diff(file, &text, &formatted));
    }
    if let Err(error) = replace_file(Path::new(file), &formatted) {
        eprintln!("error: cannot write `{file}`: {error}");
        return Outcome::Failed;
    }
    Outcome::Changed(String::new())
}

/// The unified diff from `old` to `new` (three lines of context), headed by the file name.
fn unified_diff(file: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(file, &format!("{file} (formatted)"))
        .to_string()
}

/// The formatted text, or None after printing the syntax errors.
fn format_or_report(name: &str, text: &str, reporter: &Reporter) -> Option<String> {
    match format(text) {
        Ok(formatted) => Some(formatted),
        Err(errors) => {
            let file: FileName = Arc::from(name);
            let diagnostics: Vec<Diagnostic> = errors
                .iter()
                .map(|error| error.to_diagnostic(file.clone()))
                .collect();
            let source = OneFile {
                name: file,
                text: Arc::from(text),
            };
            reporter.report(&diagnostics, &source);
            None
        }
    }
}

/// Writes `text` to a temporary file next to `path` and renames it over `path`, keeping the
/// original's permissions.
fn replace_file(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().to_string())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.mlc-fmt-{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(metadata) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, metadata.permissions())?;
        }
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// The source of the one file being formatted, for rendering its diagnostics.
struct OneFile {
    name: FileName,
    text: Arc<str>,
}

impl SourceProvider for OneFile {
    fn source(&self, file: &str) -> Option<Arc<str>> {
        (file == &*self.name).then(|| self.text.clone())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A failing unwrap is a failing test.
mod tests {
    use super::*;

    #[test]
    fn check_shows_what_would_change_as_a_unified_diff() {
        let diff = unified_diff(
            "a.mlc",
            "{ a = 1;\n  b = 2; }\n",
            "{\n  a = 1;\n  b = 2;\n}\n",
        );
        assert_eq!(
            diff,
            "--- a.mlc\n+++ a.mlc (formatted)\n@@ -1,2 +1,4 @@\n-{ a = 1;\n-  b = 2; }\n+{\n+  a = 1;\n+  b = 2;\n+}\n"
        );
    }

    #[test]
    fn replacing_a_file_leaves_no_temporary_file_behind() {
        let dir = std::env::temp_dir().join(format!("mlc-fmt-test-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("a.mlc");
        std::fs::write(&path, "{a=1;}").unwrap();
        replace_file(&path, "{ a = 1; }\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ a = 1; }\n");
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
        assert_eq!(names.len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
