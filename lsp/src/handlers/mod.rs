//! One module per LSP feature.

pub mod code_action;
pub mod completion;
pub mod diagnostics;
