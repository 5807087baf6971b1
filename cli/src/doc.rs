//! `mlc doc [MODULE] [--type NAME]`: the reference of a standard-library record type (by
//! default every option of `mlflow.deployment`, the type `Options` of `<mlflow>`), as a
//! Markdown table generated from the type's declaration and doc comments
//! ([`mlc::reference`]).

use super::report::usage_error;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct DocArgs {
    /// The standard-library module that declares the type.
    #[arg(value_name = "MODULE", default_value = "mlflow")]
    pub module: String,
    /// The record type to document.
    #[arg(long = "type", value_name = "NAME", default_value = "Options")]
    pub type_name: String,
}

pub fn run(args: &DocArgs) -> ExitCode {
    match mlc::reference::markdown(&args.module, &args.type_name) {
        Ok(text) => super::report::print(&text).map_or_else(|code| code, |()| ExitCode::SUCCESS),
        Err(message) => usage_error(&message),
    }
}
