//! mlc: a typed, Nix-style pure configuration language that builds Kubernetes manifests
//! for an MLflow tracking server.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md for the layering rules):
//! [`syntax`] (parse) → [`db`] (salsa inputs and queries, imports) → [`types`] (static
//! checks) → [`eval`] (lazy evaluation) → lowering to Kubernetes objects ([`k8s`];
//! [`build`] runs the stages for `mlc build` and its watch mode); [`diagnostic`] is the one
//! error model all
//! stages share, [`builtins`] the one table of builtins every stage reads, and [`cli`] is the `mlc` command line on top.

pub mod build;
pub mod builtins;
pub mod checks;
pub mod cli;
pub mod db;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod fmt;
pub mod k8s;
pub mod migrate;
pub mod names;
pub mod paths;
pub mod stdlib;
pub mod syntax;
pub mod types;

#[doc(hidden)]
pub mod testing;
