//! The `mlc` command line: argument parsing, the commands (one file each), and how their
//! results become output and an exit code. The work itself is done by the `mlc` library.
//!
//! Exit codes: 0 success, 1 errors in the input (diagnostics printed), 2 usage errors (clap's
//! own code), 16 differences found (`mlc diff`), 101 an internal error (a bug in mlc; the
//! panic hook says so).

mod build;
mod check;
mod common_args;
mod diff;
mod doc;
mod eval;
mod explain;
mod fmt;
mod import;
mod project;
mod report;
mod watch;

use clap::{Parser, Subcommand, ValueEnum};
use report::Reporter;
use std::process::ExitCode;

/// mimalloc (v2) instead of the system allocator (`mlc_alloc` says why). The binaries choose
/// it (`mlc-lsp` too), never the library.
#[global_allocator]
static ALLOCATOR: mlc_alloc::MiMalloc = mlc_alloc::MiMalloc;

/// mlc: a typed, Nix-style configuration language that builds Kubernetes manifests.
#[derive(Debug, Parser)]
#[command(name = "mlc", version, about, max_term_width = 100)]
pub struct Cli {
    /// When to colour diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// How to print diagnostics: for people, or one JSON object per line for tools.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    pub message_format: MessageFormat,
    /// Treat warnings as errors (exit code 1 when there are any).
    #[arg(long, global = true)]
    pub deny_warnings: bool,
    /// Do not report type errors (E03xx): evaluate ill-typed files anyway. Values are
    /// still checked against annotations when they reach them.
    #[arg(long, global = true)]
    pub no_typecheck: bool,
    /// Do not report this check for this run (its name, such as `sqlite-replicas`, or its
    /// code, such as `E0513`); repeatable. Allowed findings are listed with `-v`.
    #[arg(long, global = true, value_name = "CHECK")]
    pub allow: Vec<String>,
    /// Report this check as an error for this run, even where a waiver lifts it; repeatable.
    #[arg(long, global = true, value_name = "CHECK")]
    pub deny: Vec<String>,
    /// Say more: the standard-library places that raised a finding, and the findings that
    /// waivers and `--allow` lifted.
    #[arg(short = 'v', long, global = true)]
    pub verbose: bool,
    /// The project root: imports read only files inside this directory. By default, the
    /// directory of the entry file (for `-E`, the current directory).
    #[arg(long, global = true, value_name = "DIR", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub root: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the Kubernetes manifests of a deployment file.
    Build(build::BuildArgs),
    /// Show what changes between two builds (OLD NEW, or FILE at `--rev REV` and now), and
    /// what each change does to a running server. Exit code 16 when something changes.
    Diff(diff::DiffArgs),
    /// Evaluate a file or an expression and print its value.
    Eval(eval::EvalArgs),
    /// Report every error and warning `mlc build` would (syntax, names, types, and the
    /// checks of what the files build), without printing manifests.
    Check(check::CheckArgs),
    /// Print the long explanation of a diagnostic code, such as `E0101`.
    Explain(explain::ExplainArgs),
    /// Print the reference of every option of `mlflow.deployment` (or of another
    /// standard-library type) as Markdown, from the types' doc comments.
    Doc(doc::DocArgs),
    /// Format files in place in mlc's one style (`--check` to only list them, `-` for stdin).
    Fmt(fmt::FmtArgs),
    /// Print an `.mlc` file equivalent to a values file of the MLflow Helm chart.
    Import(import::ImportArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when printing to a terminal and `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Json,
    /// One SARIF 2.1.0 log of the whole run, for code scanning in CI.
    Sarif,
}

/// The stack a run gets: evaluation and rendering of deeply nested input recurse, and a
/// large stack keeps the limits in the evaluator, not the operating system's default.
const STACK_SIZE: usize = 256 * 1024 * 1024;

/// The heap of a small run, kept in 4 KiB pages; beyond it huge pages may back the heap
/// (`mlc_alloc::huge_pages_beyond`). `mlc eval -E 1` and `mlc build
/// examples/production.mlc` fit in it (the same page faults with and without huge pages);
/// with 4 MiB, the production build paid a 2 MiB page to save 13 to 43 faults
/// (`docs/performance.md`, session 16).
const SMALL_HEAP: usize = 6 << 20;

/// Runs the command line and returns the process exit code.
fn main() -> ExitCode {
    mlc_alloc::huge_pages_beyond(SMALL_HEAP);
    install_panic_hook();
    // The stack is a mapping of its own that the main thread switches to (`stacker`), not
    // a worker thread's: starting a thread and waiting for it to be scheduled was about a
    // tenth of `mlc eval -E 1`'s time, and the mapping's pages cost nothing until used.
    let run = std::panic::catch_unwind(|| stacker::grow(STACK_SIZE, || run(parse())));
    // On a panic, the hook has already printed the internal error.
    run.unwrap_or(ExitCode::from(101))
}

/// The command line: its common forms read directly (`common_args`), the rest by clap.
fn parse() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    common_args::read(&args).unwrap_or_else(|| Cli::parse_from(args))
}

/// Runs one parsed command line.
fn run(cli: Cli) -> ExitCode {
    let policy = match mlc::checks::Policy::new(&cli.allow, &cli.deny) {
        Ok(policy) => policy,
        Err(message) => return report::usage_error(&format!("{message} [E0902]")),
    };
    let reporter = Reporter::new(cli.color, cli.message_format, cli.deny_warnings)
        .skip_type_errors(cli.no_typecheck)
        .with_policy(policy)
        .verbose(cli.verbose);
    let root = cli.root.as_deref();
    let code = match cli.command {
        Command::Build(args) if args.watch => watch::run(&args, &reporter, root),
        Command::Build(args) => build::run(&args, &reporter, root),
        Command::Diff(args) => diff::run(&args, cli.color, &reporter),
        Command::Eval(args) => eval::run(&args, &reporter, root),
        Command::Check(args) => check::run(&args, &reporter, root),
        Command::Explain(args) => explain::run(&args),
        Command::Doc(args) => doc::run(&args),
        Command::Fmt(args) => fmt::run(&args, &reporter),
        Command::Import(args) => import::run(&args, &reporter),
    };
    reporter.finish();
    code
}

/// Turns a panic (always a bug: user input must never cause one) into a short message that
/// asks for a report, instead of Rust's default output.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        // Salsa cancels queries by unwinding; that is not a bug and never reaches the CLI,
        // but stay quiet if it does.
        if info.payload().downcast_ref::<salsa::Cancelled>().is_some() {
            return;
        }
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("error: internal error: {message}{location}");
        eprintln!("note: this is a bug in mlc, not in your input; please report it with the input that caused it");
    }));
}
