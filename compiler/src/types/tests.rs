//! Unit tests of the checker on single files (no imports).
#![allow(clippy::unwrap_used)]

use super::*;

fn names_of(parse: &crate::syntax::Parse) -> NameResolution {
    crate::names::resolve(&parse.root, &crate::builtins::global_names())
}

fn diagnostics(text: &str) -> Vec<Diagnostic> {
    let parse = crate::syntax::parse(text);
    assert!(parse.errors.is_empty(), "{:?}", parse.errors);
    check_file(&parse, &names_of(&parse), "test.mlc".into(), &NoImports).diagnostics
}

fn errors(text: &str) -> Vec<String> {
    diagnostics(text)
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

fn root(text: &str) -> String {
    let parse = crate::syntax::parse(text);
    check_file(&parse, &names_of(&parse), "test.mlc".into(), &NoImports)
        .root
        .map(|t| t.to_string())
        .unwrap_or_default()
}

#[test]
fn infers_literals_records_and_functions() {
    assert_eq!(root("1 + 2"), "Int");
    assert_eq!(
        root("{ a = 1; b.c = \"x\"; }"),
        "{ a :: Int, b :: { c :: \"x\" } }"
    );
    assert_eq!(root("x: x"), "Dyn -> Dyn");
    assert_eq!(root("(x :: Int): x + 1"), "Int -> Int");
    assert_eq!(root("let f = (x :: Int): toString x; in f 1"), "String");
    assert_eq!(root("if true then 1 else \"a\""), "Int | \"a\"");
}

#[test]
fn well_typed_programs_have_no_errors() {
    for text in [
        "let port :: Int = 80; in port",
        "let type P = Int(1..65535); p :: P = 8080; in p",
        "let t :: \"A\" | \"B\" = \"A\"; in t",
        "let o :: { a :: Int, b :: String = \"x\" } = { a = 1; }; in o",
        "let o :: { a :: Int, ... } = { a = 1; z = 2; }; in o",
        "let m :: { [String]: Int } = { a = 1; b = 2; }; in m",
        "let f = { a :: Int, b ? 2 }: a + b; in f { a = 1; }",
        "let s :: String? = null; in s",
        "let d :: (\"\" | Duration)? = \"\"; in d",
        "with { a = 1; }; a + b",
        "let x = { }; in x.a or 1",
        "let f = x: x.anything; in f { }",
        "(x :: Dyn): x 1 2 3",
        "let q :: Quantity = \"10Gi\"; c :: Quantity = 1; in q",
        "let c :: Cron = \"0 2 * * 0\"; d :: Duration = \"7d12h\"; n :: K8sName = \"mlflow-server\"; in c",
        "let lib = { type T = Int; f = (x :: T): x; }; in lib.f 1",
        "rec { a = b; b = a; }",
        "let xs :: [Int] = map (x: x + 1) [ 1 2 ]; in xs",
    ] {
        assert_eq!(errors(text), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn ill_typed_programs_report_every_error() {
    let cases: &[(&str, &[&str])] = &[
        ("let port :: Int = \"80\"; in port", &["E0303 wrong type: expected `Int`, found `\"80\"`"]),
        ("let p :: Port = 70000; in p", &["E0305 70000 is not a valid `Port` value: it must be a port number (1 to 65535)"]),
        ("let t :: \"ClusterIP\" | \"NodePort\" = \"clusterIP\"; in t", &["E0304 \"clusterIP\" is not one of the allowed values"]),
        ("let o :: { name :: String } = { nmae = \"x\"; }; in o", &["E0302 missing field `name`", "E0301 unknown field `nmae`"]),
        ("let inc = (x :: Int): x + 1; in inc 1 2", &["E0306 too many arguments: `inc` takes 1 argument but was given 2"]),
        ("let p :: Integer = 1; in p", &["E0307 unknown type `Integer`"]),
        ("let s = { size = 1; }; in s.sise", &["E0309 no field `sise` in `s`"]),
        ("1 + \"a\"", &["E0303 cannot add `Int` and `\"a\"` with `+`"]),
        ("let a :: Int = true; b :: String = 1; in a", &["E0303 wrong type: expected `Int`, found `Bool`", "E0303 wrong type: expected `String`, found `Int`"]),
        ("let type T = { a :: [T] }; in 1", &["E0308 type `T` refers to itself"]),
        ("let x = 1; type T = { a :: Int = x }; in 1", &["E0308 a field's default cannot use `x`"]),
        ("let n :: K8sName = \"My_App\"; in n", &["E0305 \"My_App\" is not a valid `K8sName` value: it must be a Kubernetes name: at most 63 lowercase letters, digits and `-`, starting and ending with a letter or digit"]),
        ("let f = (o :: { a :: { b :: Int } }): o; in f { a.b = \"x\"; }", &["E0303 wrong type: expected `Int`, found `\"x\"`"]),
    ];
    for (text, expected) in cases {
        let found = errors(text);
        let mut sorted_found = found.clone();
        sorted_found.sort();
        let mut sorted_expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        sorted_expected.sort();
        assert_eq!(sorted_found, sorted_expected, "{text}");
    }
}

#[test]
fn records_and_keys_are_recorded_for_the_language_server() {
    let text = "let f = (o :: { storage :: { size :: String = \"1\" }, name :: String }): o; in f { storage.size = \"2\"; name = \"x\"; }";
    let parse = crate::syntax::parse(text);
    let types = check_file(&parse, &names_of(&parse), "t.mlc".into(), &NoImports);
    let inside = text.find("name = \"x\"").unwrap() as u32;
    let (_, record) = types.record_at(inside).unwrap();
    assert_eq!(
        record.fields.iter().map(|f| &*f.name).collect::<Vec<_>>(),
        ["storage", "name"]
    );
    let size = text.find("size = \"2\"").unwrap() as u32;
    let (_, field) = types.key_at(size + 1).unwrap();
    assert_eq!(&*field.name, "size");
    assert!(field.default.is_some());
}

#[test]
fn parameters_are_inferred_from_their_uses() {
    assert_eq!(
        root("let inc = (x :: Int): x + 1; in y: inc y"),
        "Int -> Int"
    );
    assert_eq!(root("o: o.name"), "{ name :: Dyn, ... } -> Dyn");
    assert_eq!(
        errors("let inc = (x :: Int): x + 1; twice = y: inc (inc y); in twice \"a\""),
        ["E0303 wrong type: expected `Int`, found `\"a\"`"]
    );
    // Uses under a branch may be guarded by a type test: they demand nothing.
    assert_eq!(
        errors(
            "let inc = (x :: Int): x + 1; f = y: if builtins.isInt y then inc y else 0; in f \"a\""
        ),
        Vec::<String>::new()
    );
    // Uses that disagree leave the parameter Dyn.
    assert_eq!(
        root("let i = (x :: Int): x; s = (x :: String): x; in y: [ (i y) (s y) ]"),
        "Dyn -> [Int | String]"
    );
}

/// The errors with the line (1-based) of their primary span.
fn errors_at(text: &str) -> Vec<String> {
    diagnostics(text)
        .iter()
        .map(|d| {
            let line = text[..d.primary.span.start as usize].matches('\n').count() + 1;
            format!("{}:{line} {}", d.code, d.message)
        })
        .collect()
}

const F: &str = "f = (o :: { name :: String, port :: Int = 1 }): o;";

#[test]
fn a_let_bound_set_is_checked_at_its_own_keys() {
    let text =
        format!("let\n  {F}\n  base = {{\n    name = \"x\";\n    prot = 2;\n  }};\nin f base");
    assert_eq!(errors_at(&text), ["E0301:5 unknown field `prot`"]);
    // Through another name, and merged with `//` (each side may leave fields to the other).
    let text = format!(
        "let\n  {F}\n  a = {{\n    prot = 2;\n  }};\n  b = a;\nin f (b // {{ name = \"x\"; }})"
    );
    assert_eq!(errors_at(&text), ["E0301:4 unknown field `prot`"]);
    // Required fields are still required of the whole.
    let text = format!("let\n  {F}\n  a = {{ port = 2; }};\nin f (a // {{ }})");
    assert_eq!(errors_at(&text), ["E0302:4 missing field `name`"]);
    // Names bound to each other do not loop.
    let text = format!("let\n  {F}\n  a = b;\n  b = a;\nin f a");
    assert_eq!(errors_at(&text), Vec::<String>::new());
}

#[test]
fn a_let_bound_set_is_recorded_with_its_expected_record() {
    let text = format!("let {F} base = {{ name = \"x\"; }}; in f (base // {{ port = 2; }})");
    let parse = crate::syntax::parse(&text);
    let types = check_file(&parse, &names_of(&parse), "t.mlc".into(), &NoImports);
    let inside = text.find("name = \"x\"").unwrap() as u32;
    let (_, record) = types.record_at(inside).unwrap();
    assert_eq!(
        record.fields.iter().map(|f| &*f.name).collect::<Vec<_>>(),
        ["name", "port"]
    );
    let (_, field) = types.key_at(inside + 1).unwrap();
    assert_eq!(&*field.name, "name");
}

#[test]
fn duplicate_definitions_are_reported_once_where_nix_reports_them() {
    assert_eq!(
        errors_at("{\n  s.enabled = true;\n  s.enabled = false;\n}"),
        ["E0411:3 `s.enabled` is defined twice"]
    );
    assert_eq!(
        errors_at("{\n  a.b = 1;\n  a = { b = 2; };\n}"),
        ["E0411:3 `b` is defined twice"]
    );
    assert_eq!(
        errors_at("let a = 1; a = 2; in a"),
        ["E0411:1 `a` is defined twice"]
    );
    assert_eq!(
        errors_at("let a = 1; in {\n  inherit a;\n  a = 2;\n}"),
        ["E0411:3 `a` is defined twice"]
    );
    // Nix merges set literals with each other and with nested keys.
    assert_eq!(
        errors_at("{ a = { x = 1; }; a = { y = 2; }; a.z = 3; }"),
        Vec::<String>::new()
    );
}

/// Every variable the checker looks up that name resolution resolved to a definition finds
/// the frame of the definition's scope: the checker's walk and name resolution agree, on
/// the standard library, the examples and the test files.
#[test]
fn every_definition_is_found_in_a_frame_of_its_scope() {
    let files = crate::testing::files_under(
        &["stdlib", "examples", "compiler/tests/data"],
        &["mlc", "nix"],
    );
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let parse = crate::syntax::parse(&text);
        let names = names_of(&parse);
        let mut checker = check::Checker::new("t.mlc".into(), &NoImports, &names);
        checker.synth(&parse.root, &None);
        assert_eq!(checker.missing_frames, 0, "{}", path.display());
    }
    assert!(files.len() > 50, "only {} files checked", files.len());
}

/// A variable has the type of what name resolution says it refers to: the innermost
/// binding, a global, or the set of a `with` when nothing lexical binds it; in `rec { }`,
/// `inherit (x)` reads the set's own `x`, as in Nix.
#[test]
fn variables_mean_what_name_resolution_says() {
    let fine = [
        "let x = \"s\"; in (x: x + 1)",
        "with { x = \"s\"; }; let x = 1; in x + 1",
        "let f = x: x + 1; in with { f = \"s\"; }; f 1",
        "let map = 1; in map + 1",
        "let type T = { a :: Int = let n = 1; in n }; x :: T = { }; in x",
    ];
    for text in fine {
        assert_eq!(errors(text), Vec::<String>::new(), "{text}");
    }
    let wrong = [
        "x: let x = \"s\"; in x + 1",
        "let x = 1; in with { x = \"s\"; }; x + 1 && true",
        "(rec { inherit (x) a; x = { a = \"s\"; }; }).a + 1",
        "let n = 1; type T = { a :: Int = n }; x :: T = { }; in x",
    ];
    for text in wrong {
        assert_eq!(errors(text).len(), 1, "{text}: {:?}", errors(text));
    }
    assert_eq!(
        root("rec { inherit (x) a; x = { a = 1; }; }"),
        "{ x :: { a :: Int }, a :: Int }"
    );
}
