//! One module per LSP feature.

pub mod diagnostics;
