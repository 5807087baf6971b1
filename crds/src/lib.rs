//! Typed definitions of the custom resources the MLflow chart emits, and one users often add
//! beside it: `ServiceMonitor` (Prometheus Operator), `SecretStore` and `ExternalSecret`
//! (External Secrets Operator), `HTTPRoute` (Gateway API). They are generated at build time
//! (`build.rs`) from the projects' published CRDs, vendored unchanged in `schemas/` (origin,
//! release and licence in `schemas/README.md`): a root type per served version
//! (`external_secrets_io::v1::SecretStore`), structs whose serde field lists are the
//! schema's properties, required fields not optional, enumerations as Rust enums.
//!
//! A crate of its own so that the generated code (a few thousand lines of serde derives)
//! is compiled once, not with every change of `mlc`. The types are only ever read (by
//! `mlc::k8s::reader`, which checks an object against them), never built or inspected, so
//! their fields are never used; what the schemas say beyond types is data
//! ([`Crd::PROPERTY_COUNTS`]) that `mlc::k8s::crds` checks.

#[allow(
    dead_code,
    clippy::upper_case_acronyms,
    clippy::enum_variant_names,
    clippy::large_enum_variant
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/crds.rs"));
}

pub use generated::*;

/// A custom resource type generated from its CRD.
pub trait Crd {
    const API_VERSION: &'static str;
    const KIND: &'static str;
    /// The schema's `minProperties`/`maxProperties`, wherever it has them.
    const PROPERTY_COUNTS: &'static [PropertyCount];
}

/// How many of an object's fields may be set: a schema's `minProperties` and
/// `maxProperties`.
#[derive(Debug)]
pub struct PropertyCount {
    /// Where the object is, `*` standing for every item of a list or value of a map.
    pub path: &'static [&'static str],
    pub min: Option<usize>,
    pub max: Option<usize>,
    /// The fields the schema declares there (empty for a map).
    pub fields: &'static [&'static str],
}
