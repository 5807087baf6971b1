//! Editor-facing analyses that work on plain text, compiler syntax types and the salsa
//! database, with no LSP types (handlers convert their byte spans): candidates for moving
//! into the compiler later.

pub mod completion;
pub mod docs;
pub mod highlight;
pub mod hover;
pub mod import_context;
pub mod navigation;
pub mod outline;
pub mod rename;
pub mod sets;
pub mod tree;
pub mod typed;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod tests;
