//! Tests of definition, references and rename on real parses.

use super::fixture::{fixture, single, Fixture};
use super::navigation::{at_cursor, definition, symbol, uses};
use super::rename::{prepare, rename};

/// Where go-to-definition leads from the cursor: `path:text-at-span` per target.
fn goto(f: &Fixture) -> Vec<String> {
    let Some(cursor) = at_cursor(&f.db, f.file, f.offset) else {
        return Vec::new();
    };
    definition(&f.db, f.file, &cursor.target)
        .into_iter()
        .map(|def| {
            let text = def.file.source_text(&f.db);
            format!(
                "{}:{}@{}",
                def.file.path(&f.db),
                text.get(def.span.range()).unwrap_or_default(),
                def.span.start
            )
        })
        .collect()
}

fn references(f: &Fixture) -> Vec<u32> {
    let cursor = at_cursor(&f.db, f.file, f.offset).unwrap_or_else(|| panic!("nothing at cursor"));
    let symbol = symbol(&f.db, f.file, &cursor.target).unwrap_or_else(|| panic!("no symbol"));
    uses(&f.db, f.file, &symbol)
        .into_iter()
        .map(|u| u.span.start)
        .collect()
}

fn renamed(text: &str, new: &str) -> Result<String, String> {
    let f = single(text);
    rename(&f.db, f.file, f.offset, new).map(|edits| f.apply(&edits))
}

#[test]
fn goto_variables_and_inherit() {
    let f = single("let a = 1; in a$0");
    assert_eq!(goto(&f), ["/fixture/main.mlc:a@4"]);
    let f = single("x: let inherit x$0; in x");
    assert_eq!(goto(&f), ["/fixture/main.mlc:x@0"]);
    let f = single("let a.b = 1; a.c = 2; in a$0");
    assert_eq!(
        goto(&f),
        ["/fixture/main.mlc:a@4", "/fixture/main.mlc:a@13"]
    );
    assert!(goto(&single("map$0")).is_empty());
}

#[test]
fn goto_attributes_through_sets_lets_and_imports() {
    let f = fixture(&[
        (
            "/fx/main.mlc",
            "let lib = import ./lib.mlc; in lib.helpers.gr$0eet",
        ),
        (
            "/fx/lib.mlc",
            "let x = 1; in { helpers = { greet = 1; }; other = x; }",
        ),
    ]);
    assert_eq!(goto(&f), ["/fx/lib.mlc:greet@28"]);
    // The import path itself leads to the file.
    let f = fixture(&[
        ("/fx/main.mlc", "import ./li$0b.mlc"),
        ("/fx/lib.mlc", "{ }"),
    ]);
    assert_eq!(goto(&f), ["/fx/lib.mlc:@0"]);
    // Nested paths, `inherit (s)`, `//` and `rec`.
    let f = single("let s = { a.b = 1; }; t = s // { c = 2; }; in [ t.a.b$0 t.c ]");
    assert_eq!(goto(&f), ["/fixture/main.mlc:b@12"]);
    let f = single("let s = { a = 1; }; inherit (s) a$0; in a");
    assert_eq!(goto(&f), ["/fixture/main.mlc:a@10"]);
    // Standard library modules are files in the database.
    let f = single("(import <mlflow>).deploy$0ment");
    let targets = goto(&f);
    assert!(
        targets
            .first()
            .is_some_and(|t| t.starts_with("<stdlib>/mlflow.mlc:")),
        "{targets:?}"
    );
}

#[test]
fn goto_through_with_when_the_set_is_known() {
    let f = single("with { a = 1; }; a$0");
    assert_eq!(goto(&f), ["/fixture/main.mlc:a@7"]);
    assert!(goto(&single("s: with s; a$0")).is_empty());
}

#[test]
fn references_of_variables_and_attributes() {
    // Cursor on the definition: the definition, both reads and the `inherit`.
    let f = single("let a$0 = 1; b = { inherit a; }; in a + a");
    assert_eq!(references(&f), [4, 25, 34, 38]);
    // A `rec` attribute is read as a variable and selected as an attribute.
    let f = single("let s = rec { x$0 = 1; y = x; }; in s.x");
    assert_eq!(references(&f), [14, 25, 36]);
    // Pattern fields: the parameter and `args.field`.
    let f = single("args@{ port$0, ... }: [ port args.port ]");
    assert_eq!(references(&f), [7, 22, 32]);
}

#[test]
fn rename_variables_params_and_fields() {
    assert_eq!(
        renamed("let a$0 = 1; in a + a", "b"),
        Ok("let b = 1; in b + b".to_string())
    );
    assert_eq!(
        renamed("x$0: x + (y: x)", "z"),
        Ok("z: z + (y: z)".to_string())
    );
    assert_eq!(
        renamed("args@{ port$0 ? 1 }: port + args.port", "p"),
        Ok("args@{ p ? 1 }: p + args.p".to_string())
    );
    assert_eq!(
        renamed("let s = { a$0 = 1; }; in s.a + (s ? a)", "b"),
        Ok("let s = { b = 1; }; in s.b + (s ? b)".to_string())
    );
}

#[test]
fn rename_pattern_fields_at_call_sites() {
    assert_eq!(
        renamed(
            "let f = { port$0 ? 1 }: port; in [ (f { port = 2; }) (f { }) ]",
            "p"
        ),
        Ok("let f = { p ? 1 }: p; in [ (f { p = 2; }) (f { }) ]".to_string())
    );
    assert_eq!(
        renamed(
            "let port = 2; f = { port$0 }: port; in f { inherit port; }",
            "p"
        ),
        Ok("let port = 2; f = { p }: p; in f { p = port; }".to_string())
    );
    assert!(renamed("let f = { a$0, b }: a; in f { a = 1; b = 2; }", "b").is_err());
    assert!(renamed("let f = { a$0, ... }: a; in f { a = 1; c = 2; }", "c").is_err());
}

#[test]
fn rename_rewrites_inherit() {
    // The outer binding is renamed; the inherited name stays the attribute's name.
    assert_eq!(
        renamed("let x$0 = 1; in { inherit x; }", "y"),
        Ok("let y = 1; in { x = y; }".to_string())
    );
    assert_eq!(
        renamed("let x$0 = 1; in { inherit x z; }", "y"),
        Ok("let y = 1; in { inherit z; x = y; }".to_string())
    );
    // The name `inherit` defines is renamed from one of its uses.
    assert_eq!(
        renamed("x: let inherit x; in x$0", "y"),
        Ok("x: let y = x; in y".to_string())
    );
    assert_eq!(
        renamed("let s = { a = 1; }; inherit (s) a; in a$0", "b"),
        Ok("let s = { a = 1; }; b = s.a; in b".to_string())
    );
}

#[test]
fn rename_refuses_capture_and_conflicts() {
    // `b` inside the lambda would capture the renamed `a`.
    assert!(renamed("let a$0 = 1; in b: a", "b").is_err());
    // An existing use of `c` would be captured by the renamed binding.
    assert!(renamed("let c = 1; in let a$0 = 2; in c + a", "c").is_err());
    assert!(renamed("let a$0 = 1; in map a", "map").is_err());
    // Already defined next to it.
    assert!(renamed("let a$0 = 1; b = 2; in a", "b").is_err());
    assert!(renamed("{ a$0 = 1; b = 2; }", "b").is_err());
    // `inherit x;` rewritten to `x = new;` inside a `let` that defines `new`.
    assert!(renamed("let x$0 = 1; in let inherit x; y = 2; in x", "y").is_err());
    assert!(renamed("let a$0 = 1; in a", "not valid").is_err());
    assert!(renamed("let a$0 = 1; in a", "in").is_err());
    // Shadowing elsewhere is fine.
    assert_eq!(
        renamed("let a$0 = 1; in [ a (b: b) ]", "b"),
        Ok("let b = 1; in [ b (b: b) ]".to_string())
    );
}

#[test]
fn prepare_rename_explains_refusals() {
    let refused = |text: &str| {
        let f = single(text);
        prepare(&f.db, f.file, f.offset).err().unwrap_or_default()
    };
    assert_eq!(refused("map$0"), "`map` is a builtin and cannot be renamed");
    assert!(
        refused("s: with s; x$0").contains("`with`"),
        "{}",
        refused("s: with s; x$0")
    );
    assert!(refused("s: s.x$0").contains("not known"));
    assert!(refused("y$0").contains("not defined"));
    // An option of `mlflow.deployment` is declared by the standard library.
    let f = single("let mlflow = import <mlflow>; in mlflow.deployment { replica$0Count = 2; }");
    let refusal = prepare(&f.db, f.file, f.offset).err().unwrap_or_default();
    assert!(refusal.contains("standard library"), "{refusal}");
    let f = single("let a = 1; in a$0");
    assert_eq!(
        prepare(&f.db, f.file, f.offset).map(|(span, text)| (f.at(span).to_string(), text)),
        Ok(("a".to_string(), "a".to_string()))
    );
}

#[test]
fn rename_follows_modules_named_in_types() {
    assert_eq!(
        renamed(
            "let lib$0 = { type P = Int; }; p :: lib.P = 1; in (p :: lib.P)",
            "m"
        ),
        Ok("let m = { type P = Int; }; p :: m.P = 1; in (p :: m.P)".to_string())
    );
}

/// An attribute defined in another file is renamed there and in every importer.
#[test]
fn rename_across_files_from_a_use() {
    let f = fixture(&[
        (
            "/fx/main.mlc",
            "let lib = import ./lib.mlc; in lib.a$0 + lib.b",
        ),
        ("/fx/lib.mlc", "{ a = 1; b = 2; }"),
        ("/fx/other.mlc", "(import ./lib.mlc).a"),
    ]);
    let others = crate::workspace::files(&f.db, &[]);
    let edits = super::rename::rename_everywhere(&f.db, f.file, f.offset, "x", &others)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut changed: Vec<String> = edits
        .iter()
        .map(|(file, edits)| {
            let mut text = file.source_text(&f.db).to_string();
            for (span, new) in edits.iter().rev() {
                text.replace_range(span.range(), new);
            }
            text
        })
        .collect();
    changed.sort();
    assert_eq!(
        changed,
        [
            "(import ./lib.mlc).x",
            "let lib = import ./lib.mlc; in lib.x + lib.b",
            "{ x = 1; b = 2; }",
        ]
    );
}
