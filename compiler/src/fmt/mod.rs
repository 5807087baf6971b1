//! `mlc fmt`: the one canonical layout of mlc source (described in docs/style.md).
//!
//! [`format`] parses the file, prints its tree and comments as a [`doc::Doc`]
//! ([`print`]) and lays that out in 80 columns ([`doc::layout`]). Files with syntax errors
//! are refused: formatting a tree with error nodes could lose text.

pub mod doc;
mod print;

use crate::syntax::{parse, SyntaxError};

/// Formats a whole file, or returns its syntax errors (the text is then left as it is).
pub fn format(source: &str) -> Result<String, Vec<SyntaxError>> {
    let parse = parse(source);
    if !parse.errors.is_empty() {
        return Err(parse.errors);
    }
    let mut printer = print::Printer::new(source, &parse.comments);
    let doc = printer.file(&parse.root);
    Ok(doc::layout(doc))
}
