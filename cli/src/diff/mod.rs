//! `mlc diff OLD NEW` and `mlc diff FILE --rev REV`: build both sides as `mlc build` does,
//! and print what changes between them ([`mlc::diff`]): objects added, removed and
//! changed field by field, each change with its effect on a running server. Human output
//! (coloured on a terminal) or one JSON object (`--message-format json`), on stdout.
//!
//! Exit codes: 0 no difference, [`CHANGES_FOUND`] (16, as Tanka's `tk diff`) differences,
//! 1 errors in an input (diagnostics on stderr), 2 usage errors (a bad revision too).

mod git;

use super::report::{input_errors, usage_error, Reporter};
use super::{ColorChoice, MessageFormat};
use mlc::build;
use mlc::db::RootDatabase;
use mlc::k8s::Manifest;
use std::io::IsTerminal;
use std::process::ExitCode;

/// The exit code when the two sides differ.
pub const CHANGES_FOUND: u8 = 16;

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old and the new deployment file; with `--rev`, the one file to compare.
    #[arg(value_name = "FILE", num_args = 1..=2, required = true)]
    pub files: Vec<String>,
    /// Compare FILE at this git revision (old) with FILE as it is now (new).
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

pub fn run(args: &DiffArgs, color: ColorChoice, reporter: &Reporter) -> ExitCode {
    let (old, new, _checkout) = match (&args.rev, args.files.as_slice()) {
        (None, [old, new]) => (old.clone(), new.clone(), None),
        (Some(rev), [file]) => match git::file_at(file, rev) {
            Ok((checkout, at)) => (at.display().to_string(), file.clone(), Some(checkout)),
            Err(git::GitError::UnknownRevision(message)) => return usage_error(&message),
            Err(git::GitError::Failed(message)) => {
                eprintln!("error: {message}");
                return input_errors();
            }
        },
        (None, _) => {
            return usage_error("`mlc diff` takes two files (OLD NEW), or one with `--rev REV`")
        }
        (Some(_), _) => return usage_error("`mlc diff --rev REV` takes one file"),
    };
    let old_label = match &args.rev {
        Some(rev) => format!("{}@{rev}", args.files[0]),
        None => old.clone(),
    };
    // The old side of `--rev` names its files relative to the checkout.
    let old_root = args.rev.as_ref().and_then(|_| {
        std::path::Path::new(&old)
            .parent()
            .map(|dir| dir.display().to_string())
    });
    let Some(old_manifests) = build_side(&old, old_root.as_deref(), reporter) else {
        return input_errors();
    };
    let Some(new_manifests) = build_side(&new, None, reporter) else {
        return input_errors();
    };
    let diffs = mlc::diff::diff(&old_manifests, &new_manifests);
    let text = match reporter.format() {
        // A diff is no code-scanning result: SARIF readers get the JSON form.
        MessageFormat::Json | MessageFormat::Sarif => mlc::diff::render::json(&diffs),
        MessageFormat::Human => {
            let colour = match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            mlc::diff::render::human(&diffs, &old_label, &new, colour)
        }
    };
    if let Err(code) = super::report::print(&text) {
        return code;
    }
    if diffs.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(CHANGES_FOUND)
    }
}

/// Builds one side, printing its diagnostics; its objects, or none after an error.
fn build_side(file: &str, root: Option<&str>, reporter: &Reporter) -> Option<Vec<Manifest>> {
    let db = match root {
        Some(root) => RootDatabase::new(Default::default(), Some(root), None),
        None => RootDatabase::default(),
    }
    .with_prepared_stdlib();
    let entry = db.file_for_argument(file);
    let built = build::build(&db, entry, &reporter.build_options());
    reporter.report(&built.diagnostics, &db);
    built.manifests
}
