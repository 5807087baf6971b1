//! mlc: a typed, Nix-style pure configuration language that builds Kubernetes manifests
//! for an MLflow tracking server. This crate is every stage of it, as a library; the `mlc`
//! command line (`cli/`, `mlc-cli`), the editor features (`ide/`, `mlc-ide`) and the
//! language server (`lsp/`, `mlc-lsp`) are crates on top.
//!
//! The pipeline, one module per stage, each stage a salsa query of [`db`] (see
//! ARCHITECTURE.md for the layering rules): [`syntax`] (parse) → [`names`] (name
//! resolution) → [`types`] (static checks) → [`eval`] (lazy evaluation, imports through
//! [`db`]) → [`k8s`] (typed Kubernetes objects, YAML/JSON); [`checks`] are the checks
//! beyond the chart, [`builtins`] the one table of builtins every stage reads, and [`build`] runs the stages for one `mlc build` and its watch mode.
//! Beside the pipeline: [`diagnostic`], the one error model all stages share, pointing
//! into files by [`span::Span`]; [`fmt`] the formatter; [`diff`] what changes between two
//! builds; [`migrate`] a chart values file to an `.mlc` file; [`reference`] the Markdown
//! reference of a standard-library type; [`stdlib`] the embedded standard library;
//! [`paths`] lexical path normalisation; [`regexes`] the language's regular expressions.

pub mod build;
pub mod builtins;
pub mod checks;
pub mod db;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod fmt;
pub mod k8s;
pub mod migrate;
pub mod names;
pub mod paths;
pub mod reference;
pub mod regexes;
pub mod span;
pub mod stdlib;
pub mod syntax;
pub mod types;

#[doc(hidden)]
pub mod testing;
