//! Typed definitions of the custom resources the MLflow chart emits, and one users often add
//! beside it: `ServiceMonitor` (Prometheus Operator), `SecretStore` and `ExternalSecret`
//! (External Secrets Operator), `HTTPRoute` (Gateway API). One file per resource, mirroring
//! the upstream CRD: structs with `deny_unknown_fields` and camelCase names, enumerations as
//! Rust enums, free-form maps as maps, required fields not optional.
//!
//! The types are only ever read (by [`super::reader`], which checks an object against them),
//! never built or inspected, so their fields are never used.
#![allow(dead_code)]

pub mod external_secret;
pub mod http_route;
pub mod secret_store;
pub mod service_monitor;
