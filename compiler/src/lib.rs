//! mlc: a typed, Nix-style pure configuration language that builds Kubernetes manifests
//! for an MLflow tracking server.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md for the layering rules):
//! [`syntax`] (parse) → [`db`] (salsa inputs and queries, imports) → [`types`] (static
//! checks) → [`eval`] (lazy evaluation) → lowering to Kubernetes objects ([`k8s`];
//! [`build`] runs the stages for `mlc build` and its watch mode); [`diagnostic`] is the one
//! error model all
//! stages share. The `mlc` command line is its own crate (`cli/`) on top.

pub mod build;
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
pub mod stdlib;
pub mod syntax;
pub mod types;

#[cfg(test)]
mod testing;
