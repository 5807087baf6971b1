//! Fuzz target: an edit reparsed from the old parse gives exactly the full parse of the
//! new text (tree, comments, errors), whether spliced into a copy of the old tree or into
//! a spare copy in place (`reparse_into`, as the language server does). The input is a text, an edit's place and length in
//! it, and the text the edit inserts.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u16, u8, &str)| {
    let (old_text, at, deleted, inserted) = input;
    let boundary = |mut at: usize| {
        at = at.min(old_text.len());
        while !old_text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = boundary(at as usize);
    let end = boundary(start + usize::from(deleted % 16));
    let new_text = format!("{}{inserted}{}", &old_text[..start], &old_text[end..]);
    let old = mlc::syntax::parse(old_text);
    let full = mlc::syntax::parse(&new_text);
    let reparsed = mlc::syntax::reparse(old_text, &old, &new_text);
    assert!(reparsed == full, "the reparse differs from the full parse");
    let mut spare = Some(mlc::syntax::Expr::clone(&old.root));
    let in_place = mlc::syntax::reparse_into(old_text, &old, &mut spare, &new_text);
    assert!(in_place == full, "the reparse in place differs from the full parse");
});
