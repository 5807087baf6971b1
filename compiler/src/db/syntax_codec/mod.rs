//! A compact binary form of a file's parse (tree and comments) and name resolution, for the
//! standard library prepared ahead of time (`db::prepared_syntax`): decoding it is several
//! times cheaper than parsing and resolving the text again in every run.
//!
//! One module's form has four parts, each length-prefixed: its texts (every name, string
//! piece, doc and comment, UTF-8 checked once for the whole part), its names (each an
//! offset and length into the texts; decoded once into shared [`Name`]s, which the tree and
//! the resolution then share as the parser's output shares them with `names`), the tree
//! with its comments, and the name resolution. Numbers are LEB128; a node is a tag byte,
//! its span and its fields in declaration order. The codec is exhaustive over the syntax
//! tree's and the resolution's types, so a change to them does not compile until it is
//! mirrored here; decoding stale or corrupt bytes gives `None`, never a panic.
//!
//! Syntax errors are not stored: only files without any are prepared.

mod decode;
#[cfg(test)]
mod encode;

pub use decode::{decode_names, decode_parse, decode_resolution, find_module, Module};
#[cfg(test)]
pub use encode::{encode_archive, encode_module};

use crate::syntax::{BinaryOp, UnaryOp};

/// Every binary operator, at the index it is stored as.
const BINARY_OPS: [BinaryOp; 15] = [
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Mul,
    BinaryOp::Div,
    BinaryOp::Concat,
    BinaryOp::Update,
    BinaryOp::Eq,
    BinaryOp::NotEq,
    BinaryOp::Less,
    BinaryOp::LessEq,
    BinaryOp::Greater,
    BinaryOp::GreaterEq,
    BinaryOp::And,
    BinaryOp::Or,
    BinaryOp::Implies,
];

const UNARY_OPS: [UnaryOp; 2] = [UnaryOp::Neg, UnaryOp::Not];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::resolve;
    use crate::syntax::parse;

    /// Encodes `source`'s parse and resolution and decodes them again.
    fn round_trip(source: &str) {
        let parse = parse(source);
        assert!(parse.errors.is_empty(), "{source}: {:?}", parse.errors);
        let names = resolve(&parse.root, &crate::builtins::global_names());
        let bytes = encode_module(&parse, &names).unwrap_or_else(|error| panic!("{error}"));
        let module = Module::read(&bytes).unwrap_or_else(|| panic!("no module: {source}"));
        let table = decode_names(&module).unwrap_or_else(|| panic!("no names: {source}"));
        let decoded = decode_parse(&module, &table).unwrap_or_else(|| panic!("no tree: {source}"));
        assert_eq!(decoded.root, parse.root, "{source}");
        assert_eq!(decoded.comments, parse.comments, "{source}");
        let resolution =
            decode_resolution(&module, &table).unwrap_or_else(|| panic!("no names: {source}"));
        assert_eq!(resolution, names, "{source}");
        // The resolution's names are the table's, shared with the tree, not copies.
        for reference in &resolution.references {
            assert!(
                table
                    .iter()
                    .any(|name| std::sync::Arc::ptr_eq(name, &reference.name)),
                "{}",
                reference.name
            );
        }
    }

    #[test]
    fn every_construct_decodes_to_the_parsed_tree() {
        round_trip(
            "let f = { a, b ? 2, ... }@args: a + b; s = rec { x.y = \"a${toString 1}\"; \
             inherit (s) z; }; in if f { a = 1; } > 2 then ''\n  x ${y}\n'' else ./a/${b}.mlc",
        );
        round_trip(
            "let type P = Int(1..65535); type R = {\n  # doc\n  a :: \"x\" | \"y\" = \"x\",\n  \
             b :: [String(/^[a-z]+$/)]?, m :: { [String]: P }, ... }; f = (x :: R -> Int): x; \
             g = { a :: Int ? 1 }: a; n :: P = (1 :: Int); in n",
        );
        round_trip(
            "/* block */ with { a = 1; }; assert !(a == 1.5); \
             { \"q\".${a} = -a; b = x@{ ... }: x ? c.d; c = [ <lib> ] ++ [ ] // { }; \
             d = a.b or null; e = (a != 1 || a < 2 -> a <= 2 && a >= 1 && a > 0) * 2 / 1 - 0; }",
        );
    }

    #[test]
    fn every_example_round_trips() {
        let files = crate::testing::files_under(&["examples"], &["mlc"]);
        assert!(!files.is_empty());
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            round_trip(&text);
        }
    }

    #[test]
    fn every_standard_library_module_round_trips() {
        for (path, text) in crate::stdlib::FILES {
            assert!(!path.is_empty());
            round_trip(text);
        }
    }

    #[test]
    fn operators_are_stored_at_their_index() {
        for (index, op) in BINARY_OPS.iter().enumerate() {
            assert_eq!(encode::binary_op(*op) as usize, index);
        }
        for (index, op) in UNARY_OPS.iter().enumerate() {
            assert_eq!(encode::unary_op(*op) as usize, index);
        }
    }

    #[test]
    fn corrupt_bytes_decode_to_nothing() {
        let parse = parse("let a = [ 1 \"x\" ]; in a");
        let names = resolve(&parse.root, &crate::builtins::global_names());
        let bytes = encode_module(&parse, &names).unwrap_or_else(|error| panic!("{error}"));
        for end in 0..bytes.len() {
            let Some(module) = Module::read(&bytes[..end]) else {
                continue;
            };
            if let Some(table) = decode_names(&module) {
                let _ = decode_parse(&module, &table);
                let _ = decode_resolution(&module, &table);
            }
        }
        let mut flipped = bytes.clone();
        for index in 0..flipped.len() {
            flipped[index] ^= 0x5a;
            if let Some(module) = Module::read(&flipped) {
                if let Some(table) = decode_names(&module) {
                    let _ = decode_parse(&module, &table);
                    let _ = decode_resolution(&module, &table);
                }
            }
            flipped[index] ^= 0x5a;
        }
    }
}
