//! `mlc import values.yaml`: print a `.mlc` file equivalent to a Helm values file of the
//! MLflow chart, setting only the options that differ from the chart's defaults.

use super::report::{input_errors, Reporter};
use crate::db::{self, RootDatabase};
use crate::migrate;
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
    let values: serde_json::Value = match serde_yaml::from_str(&text) {
        Ok(serde_json::Value::Null) => serde_json::Value::Object(Default::default()),
        Ok(values) => values,
        Err(error) => {
            eprintln!("error: `{}` is not valid YAML: {error}", args.values);
            return input_errors();
        }
    };
    // The defaults come from the embedded library, so `import` and `build` agree on them.
    let mut db = RootDatabase::default();
    let entry = db.set_expr_text("(import <mlflow>).defaults");
    let defaults = match db::evaluate(&db, entry) {
        Ok(evaluated) => evaluated.data.to_json(),
        Err(diagnostics) => {
            reporter.report(diagnostics, &db);
            return input_errors();
        }
    };
    let defaults = match defaults {
        Ok(defaults) => defaults,
        Err(message) => {
            eprintln!("error: internal error: the chart defaults are not data: {message}");
            return ExitCode::from(101);
        }
    };
    let options = migrate::difference(&values, &defaults);
    super::report::print(&migrate::mlc_file(
        &args.name,
        &args.namespace,
        options.as_ref(),
    ));
    ExitCode::SUCCESS
}
