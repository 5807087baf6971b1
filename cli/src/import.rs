//! `mlc import values.yaml`: print a `.mlc` file equivalent to a Helm values file of the
//! MLflow chart, setting only the options that differ from the chart's defaults (see
//! `mlc::migrate`). A values file it cannot read is an error at its line and column,
//! reported like a build's diagnostics (`--message-format` applies).

use super::report::{input_errors, Reporter};
use mlc::db::{self, RootDatabase};
use mlc::{migrate, reference};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The chart values file (YAML).
    #[arg(value_name = "VALUES")]
    pub values: String,
    /// The release name: objects are named `<name>-mlflow`, as Helm names them.
    #[arg(long, default_value = "mlflow")]
    pub name: String,
    /// The namespace to deploy into.
    #[arg(long, default_value = "mlflow")]
    pub namespace: String,
}

pub fn run(args: &ImportArgs, reporter: &Reporter) -> ExitCode {
    let text = match std::fs::read_to_string(&args.values) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: cannot read `{}`: {error}", args.values);
            return input_errors();
        }
    };
    // The options and defaults come from the embedded library, so `import` and `build`
    // agree on them.
    let mut db = RootDatabase::default();
    let entry = db.set_expr_text("(import <mlflow>).defaults");
    let defaults = match db::evaluate(&db, entry) {
        Ok(evaluated) => evaluated.data.to_json(),
        Err(diagnostics) => {
            reporter.report(diagnostics, &db);
            return input_errors();
        }
    };
    let (Ok(defaults), Ok(options)) = (defaults, reference::record_type(&db, "mlflow", "Options"))
    else {
        eprintln!("error: internal error: the chart's options and defaults cannot be read from the library");
        return ExitCode::from(101);
    };
    let source = std::path::Path::new(&args.values)
        .file_name()
        .map(|name| name.to_string_lossy().to_string())
        .unwrap_or_else(|| args.values.clone());
    let chart = migrate::Chart {
        options: &options,
        defaults: &defaults,
    };
    match migrate::import(&chart, &source, &text, &args.name, &args.namespace) {
        Ok(file) => super::report::print(&file).map_or_else(|code| code, |()| ExitCode::SUCCESS),
        Err(error) => {
            // The values file is the source the diagnostic shows.
            let file: mlc::diagnostic::FileName = args.values.as_str().into();
            let diagnostic = migrate::report::diagnostic(&error, file.clone(), &text);
            reporter.report(
                &[diagnostic],
                &migrate::report::ValuesFile(file, text.into()),
            );
            input_errors()
        }
    }
}
