//! The mlc language server as a library: the binary in `main.rs` only calls [`server::run_stdio`],
//! so tests and benchmarks can drive the same code over in-memory channels.

pub mod capabilities;
pub mod convert;
pub mod dispatch;
pub mod documents;
pub mod handlers;
pub mod line_index;
pub mod server;
pub mod stdlib_files;
pub mod transport;
pub mod workspace;
