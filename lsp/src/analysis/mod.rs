//! Editor-facing analyses that work on plain text and compiler syntax types, with no LSP
//! types: candidates for moving into the compiler later.

pub mod import_context;
