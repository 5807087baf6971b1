//! One module per LSP feature.

pub mod completion;
pub mod diagnostics;
