//! `mlc build FILE`: evaluate a deployment file and print its Kubernetes manifests as YAML
//! (default), a JSON list (`-o json`), or one file per object (`--out-dir DIR`). Its
//! arguments and what becomes of a build's objects (`finish`, `render`) are shared with
//! watch mode (`--watch`, the `watch` module), which uses this module, not the other way.

use super::report::{input_errors, usage_error, write_stdout, Reporter};
use mlc::build::{self, OutDir};
use mlc::k8s;
use std::process::ExitCode;

/// The part of `mlc build --help` about watch mode.
pub const WATCH_HELP: &str = "\
Watch mode (--watch):
  Builds, then builds again whenever FILE or a file it imports changes (imports added or
  removed on the way are followed; the standard library is not watched). Each rebuild
  prints the diagnostics, or one line saying what was built and how long it took, to
  stderr. With --out-dir, only files whose text changed are rewritten: all are written to
  a temporary directory first, then renamed into place, and the files of objects that are
  gone are removed; a broken build, or one that cannot write a file, leaves the last good
  files in place. Without --out-dir, every successful build whose output changed prints
  it all to stdout: YAML starting with a comment line `# mlc: build N of FILE`, or one
  JSON list per build. Ctrl-C stops it (exit code 130).";

#[derive(Debug, clap::Args)]
#[command(after_long_help = WATCH_HELP)]
pub struct BuildArgs {
    /// The deployment file to build.
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Yaml)]
    pub output: Format,
    /// Write one file per object, `<kind>_<namespace>_<name>.yaml`, into this directory
    /// instead of printing; files of objects that are gone are removed (the directory's
    /// `.mlc-out-dir` index lists what mlc wrote).
    #[arg(long, value_name = "DIR", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub out_dir: Option<String>,
    /// Make the objects an ApplySet (KEP-3659) whose parent is the Secret NAME: each object
    /// gets the `applyset.kubernetes.io/part-of` label, and the parent is added. For appliers
    /// other than `kubectl apply --prune --applyset`, which adds these itself (see
    /// docs/deploy.md).
    #[arg(long, value_name = "NAME")]
    pub applyset: Option<String>,
    /// Keep running: build again whenever FILE or a file it imports changes, until Ctrl-C.
    #[arg(short = 'w', long)]
    pub watch: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Yaml,
    Json,
}

/// Builds once (`main` hands `--watch` to the `watch` module).
pub fn run(args: &BuildArgs, reporter: &Reporter, root: Option<&str>) -> ExitCode {
    let out_dir = match args.out_dir.as_deref().map(OutDir::new).transpose() {
        Ok(out_dir) => out_dir,
        Err(message) => return usage_error(&message),
    };
    // One build, then the process ends: the evaluation's values are left to the OS.
    mlc::eval::skip_teardown();
    let db = super::project::database(root, &[&args.file]);
    let entry = db.file_for_argument(&args.file);
    let build = build::build(&db, entry, &reporter.build_options());
    reporter.report(&build.diagnostics, &db);
    let Some(manifests) = build.manifests else {
        return input_errors();
    };
    let mut manifests = manifests;
    let result = finish(args, &mut manifests).and_then(|()| match out_dir {
        Some(mut out_dir) => out_dir.write(&manifests).map(|_| ()),
        None => print_manifests(args.output, &manifests),
    });
    // The process ends after this command: freeing a large build node by node only costs
    // time (a tenth of the run for a thousand deployments); the OS takes the memory back.
    std::mem::forget(manifests);
    std::mem::forget(db);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            input_errors()
        }
    }
}

/// What the command line adds to a build's objects: the ApplySet of `--applyset`.
pub fn finish(args: &BuildArgs, manifests: &mut Vec<k8s::Manifest>) -> Result<(), String> {
    match &args.applyset {
        Some(parent) => k8s::applyset::adopt(manifests, parent, &tooling()),
        None => Ok(()),
    }
}

/// The ApplySet tooling annotation: `mlc/<version>`.
fn tooling() -> String {
    format!("mlc/{}", env!("CARGO_PKG_VERSION"))
}

/// Writes the manifests to standard output as they are rendered (see
/// [`write_stdout`]).
fn print_manifests(format: Format, manifests: &[k8s::Manifest]) -> Result<(), String> {
    write_stdout(|out| match format {
        Format::Yaml => k8s::write_yaml(manifests, out),
        Format::Json => k8s::write_json(manifests, out),
    })
}

/// The manifests as one YAML stream or one JSON list.
pub fn render(format: Format, manifests: &[k8s::Manifest]) -> Result<String, String> {
    match format {
        Format::Yaml => k8s::to_yaml(manifests),
        Format::Json => k8s::to_json(manifests),
    }
}
