//! Evaluator tests: source text in, JSON or the error message out.
#![allow(clippy::unwrap_used)] // A failing unwrap is a failing test.

use super::*;
use crate::syntax::parse;
use std::collections::HashMap;

/// An in-memory loader: `files` maps absolute paths to source text.
struct MemoryLoader {
    files: HashMap<String, String>,
}

impl Loader for MemoryLoader {
    fn load(&self, path: &str) -> Result<LoadedFile, String> {
        let text = self.files.get(path).ok_or("no such file")?;
        let parse = parse(text);
        if !parse.errors.is_empty() {
            return Err("it has syntax errors".to_string());
        }
        let annotations = crate::types::check_file(
            &parse,
            &crate::names::resolve(&parse.root, &crate::builtins::global_names()),
            FileName::from(path),
            &crate::types::NoImports,
        )
        .annotations;
        Ok(LoadedFile {
            path: path.to_string(),
            display: FileName::from(path),
            layout: Layout::resolve(&parse.root),
            root: parse.root,
            text: Arc::from(text.as_str()),
            annotations,
        })
    }

    fn search_path(&self, name: &str) -> Option<String> {
        let path = format!("<stdlib>/{name}.mlc");
        self.files.contains_key(&path).then_some(path)
    }
}

fn run_with(files: &[(&str, &str)], source: &str) -> Result<String, String> {
    let loader = MemoryLoader {
        files: files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect(),
    };
    let parse = parse(source);
    assert!(parse.errors.is_empty(), "{:?}", parse.errors);
    let annotations = crate::types::check_file(
        &parse,
        &crate::names::resolve(&parse.root, &crate::builtins::global_names()),
        FileName::from("main.mlc"),
        &crate::types::NoImports,
    )
    .annotations;
    let file = LoadedFile {
        path: "/test/main.mlc".to_string(),
        display: FileName::from("main.mlc"),
        layout: Layout::resolve(&parse.root),
        root: parse.root,
        text: Arc::from(source),
        annotations,
    };
    match super::evaluate_json(&loader, &file, "/test") {
        Ok((json, _)) => Ok(json),
        Err(diagnostics) => Err(diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{}: {}{}",
                    d.code,
                    d.message,
                    d.help
                        .as_deref()
                        .map(|h| format!(" (help: {h})"))
                        .unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

#[track_caller]
fn ok(source: &str, expected: &str) {
    assert_eq!(run_with(&[], source).as_deref(), Ok(expected), "{source}");
}

#[track_caller]
fn err(source: &str, expected_part: &str) {
    match run_with(&[], source) {
        Ok(value) => panic!("{source} should fail, gave {value}"),
        Err(message) => assert!(message.contains(expected_part), "{source}: {message}"),
    }
}

#[test]
fn literals_and_arithmetic() {
    ok("1 + 2 * 3", "7");
    ok("[ (7 / 2) (-7 / 2) (7.0 / 2) (2 * 1.5) ]", "[3,-3,3.5,3]");
    ok("\"a${\"b\"}c\"", "\"abc\"");
    ok("[ 1.5 (0.1 + 0.2) 100.0 ]", "[1.5,0.3,100]");
    err("9223372036854775807 + 1", "integer overflow");
    err("1 / 0", "division by zero");
}

#[test]
fn attribute_sets() {
    ok("{ a.b = 1; a.c = 2; }", "{\"a\":{\"b\":1,\"c\":2}}");
    ok("rec { a = 1; b = a + 1; }", "{\"a\":1,\"b\":2}");
    ok("{ a = { x = 1; }; a.y = 2; }", "{\"a\":{\"x\":1,\"y\":2}}");
    ok(
        "let s = { a = 1; }; in { inherit (s) a; b = s.a or 5; c = s.z or 5; }",
        "{\"a\":1,\"b\":1,\"c\":5}",
    );
    ok("{ ${null} = 1; \"x y\" = 2; }", "{\"x y\":2}");
    ok(
        "{ a = 1; } // { b = 2; } // { a = 3; }",
        "{\"a\":3,\"b\":2}",
    );
    ok("{ a.b = 1; } ? a.b", "true");
    err("{ a = 1; a = 2; }", "`a` is defined twice");
    err(
        "{ storage.enabled = true; storage.enabled = false; }",
        "`storage.enabled` is defined twice",
    );
    err("{ a = 1; a.b = 2; }", "`a` is defined twice");
    err("{ tls = 1; }.tsl", "did you mean `tls`?");
}

#[test]
fn laziness_and_recursion() {
    ok("let x = throw \"never\"; in 1", "1");
    ok("{ a = 1; b = throw \"unused\"; }.a", "1");
    ok(
        "let f = n: if n == 0 then 0 else n + f (n - 1); in f 1000",
        "500500",
    );
    ok(
        "let fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2); in fib 15",
        "610",
    );
    err("let x = x + 1; in x", "infinite recursion");
    err("let f = x: f x; in f 1", "nests more than");
    ok(
        "let xs = builtins.genList (i: i) 100000; in builtins.length xs",
        "100000",
    );
}

#[test]
fn functions_and_patterns() {
    ok("({ a, b ? 2, ... }: a + b) { a = 1; c = 3; }", "3");
    ok("(args@{ a, ... }: args.b) { a = 1; b = 2; }", "2");
    ok("({ a, b ? a * 2 }: b) { a = 3; }", "6");
    err("({ a }: a) { }", "requires an argument `a`");
    err("({ alpha }: alpha) { alpah = 1; }", "did you mean `alpha`?");
    err("1 2", "not a function");
}

#[test]
fn scopes() {
    ok("with { a = 1; }; a", "1");
    ok("let a = 2; in with { a = 1; }; a", "2");
    ok("with { x = 1; }; let inherit x; in x", "1");
    err("let value = 1; in valeu", "did you mean `value`?");
    let message = run_with(&[], "[ foo bar ]").unwrap_err();
    assert_eq!(message.lines().count(), 2, "{message}");
}

#[test]
fn builtins_work() {
    ok("map (x: x * 2) [ 1 2 ]", "[2,4]");
    ok("builtins.foldl' (a: b: a + b) 0 [ 1 2 3 ]", "6");
    ok("builtins.sort (a: b: a < b) [ 3 1 2 ]", "[1,2,3]");
    ok("builtins.attrNames { b = 1; a = 2; }", "[\"a\",\"b\"]");
    ok(
        "builtins.listToAttrs [ { name = \"a\"; value = 1; } ]",
        "{\"a\":1}",
    );
    ok(
        "builtins.mapAttrs (n: v: n + toString v) { a = 1; }",
        "{\"a\":\"a1\"}",
    );
    ok(
        "builtins.replaceStrings [ \"a\" \"\" ] [ \"b\" \"-\" ] \"xay\"",
        "\"-xb-y-\"",
    );
    ok(
        "builtins.split \"(a)|b\" \"xaybz\"",
        "[\"x\",[\"a\"],\"y\",[null],\"z\"]",
    );
    ok(
        "builtins.match \"([a-z]+)-([0-9]+)\" \"abc-12\"",
        "[\"abc\",\"12\"]",
    );
    ok("builtins.compareVersions \"1.2.3\" \"1.2.10\"", "-1");
    ok(
        "builtins.splitVersion \"1.2pre3\"",
        "[\"1\",\"2\",\"pre\",\"3\"]",
    );
    ok(
        "builtins.toJSON { a = [ 1 \"x\" null ]; }",
        "\"{\\\"a\\\":[1,\\\"x\\\",null]}\"",
    );
    ok(
        "builtins.fromJSON \"{\\\"a\\\": [1, 2.5]}\"",
        "{\"a\":[1,2.5]}",
    );
    ok(
        "builtins.tryEval (throw \"x\")",
        "{\"success\":false,\"value\":false}",
    );
    ok(
        "builtins.hashString \"sha256\" \"\"",
        "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"",
    );
    ok(
        "builtins.functionArgs ({ a, b ? 1 }: a)",
        "{\"a\":false,\"b\":true}",
    );
    ok(
        "[ (toString 1.5) (toString true) (toString [ 1 \"a\" ]) ]",
        "[\"1.500000\",\"1\",\"1 a\"]",
    );
    ok("builtins.substring 1 3 \"hello\"", "\"ell\"");
    ok(
        "builtins.zipAttrsWith (n: vs: vs) [ { a = 1; } { a = 2; b = 3; } ]",
        "{\"a\":[1,2],\"b\":[3]}",
    );
    ok(
        "builtins.groupBy (x: if x > 1 then \"big\" else \"small\") [ 1 2 3 ]",
        "{\"big\":[2,3],\"small\":[1]}",
    );
    err("builtins.head [ ]", "empty list");
    err("throw \"custom failure\"", "custom failure");
    err("assert 1 == 2; 3", "assertion `1 == 2` failed");
}

/// Character classes are ASCII, as in Nix's POSIX regular expressions in the C locale (which
/// has no `\d` at all: mlc accepts it as `[0-9]`); a letter or digit of another script is
/// matched only by `.` or by naming it.
#[test]
fn regular_expression_classes_are_ascii() {
    ok("builtins.match \"[[:digit:]]+\" \"0123456789\"", "[]");
    ok("builtins.match \"\\\\d\" \"\u{663}\"", "null");
    ok("builtins.match \"\\\\w+\" \"ab_1\"", "[]");
    ok("builtins.match \"\\\\w\" \"\u{e9}\"", "null");
    ok("builtins.match \"[[:alpha:]]\" \"\u{e9}\"", "null");
    ok("builtins.match \"(.)\" \"\u{e9}\"", "[\"\u{e9}\"]");
    err(
        "builtins.match \"\\\\p{L}\" \"a\"",
        "Unicode character classes are not supported",
    );
}

/// The library's variables share or alias the thunks they are bound to
/// (`Evaluator::variable`): the same program gives the same value there as in a user's
/// file, with recursive scopes read before they are filled, `with` names, set patterns and
/// laziness.
#[test]
fn library_variables_evaluate_as_user_variables_do() {
    let program = "{ f = x: let a = b; b = [ x c ]; c = x + 1; in { inherit a; d = a; }; \
                   g = { y, z ? y }: [ y z ]; h = s: with s; [ p q ]; \
                   lazy = let boom = throw \"forced\"; keep = v: 1; in keep boom; \
                   r = rec { u = v; v = w; w = 3; }; }";
    let uses = "[ (m.f 1) (m.g { y = 2; }) (m.h { p = 4; q = 5; }) m.lazy m.r ]";
    let in_library = run_with(
        &[("<stdlib>/m.mlc", program)],
        &format!("let m = import <m>; in {uses}"),
    );
    let in_user_file = run_with(
        &[("/test/m.mlc", program)],
        &format!("let m = import ./m.mlc; in {uses}"),
    );
    let expected = r#"[{"a":[1,2],"d":[1,2]},[2,2],[4,5],1,{"u":3,"v":3,"w":3}]"#;
    assert_eq!(in_library.as_deref(), Ok(expected));
    assert_eq!(in_user_file.as_deref(), Ok(expected));
}

#[test]
fn imports_are_evaluated_once() {
    let files = [
        ("/test/lib.mlc", "{ value = builtins.trace \"loaded\" 41; }"),
        (
            "<stdlib>/util.mlc",
            "{ inc = x: x + 1; nested = import ./other.mlc; }",
        ),
        ("<stdlib>/other.mlc", "7"),
    ];
    assert_eq!(
        run_with(&files, "let a = import ./lib.mlc; b = import ./lib.mlc; u = import <util>; in [ (u.inc a.value) b.value u.nested ]").as_deref(),
        Ok("[42,41,7]")
    );
    assert!(run_with(&files, "import ./missing.mlc")
        .unwrap_err()
        .contains("cannot import"));
    assert!(run_with(&files, "import <nope>")
        .unwrap_err()
        .contains("no standard library module"));
    let cyclic = [
        ("/test/a.mlc", "import ./b.mlc"),
        ("/test/b.mlc", "import ./a.mlc"),
    ];
    assert!(run_with(&cyclic, "import ./a.mlc").is_err());
}

#[test]
fn contracts_fill_defaults_deeply() {
    let types = "let type S = { enabled :: Bool = false, size :: Quantity = \"10Gi\" }; \
                 type O = { name :: String = \"m\", storage :: S, extra :: Int? }; \
                 mk = (o :: O): o; in ";
    ok(
        &format!("{types} mk {{ storage.enabled = true; }}"),
        r#"{"extra":null,"name":"m","storage":{"enabled":true,"size":"10Gi"}}"#,
    );
    ok(&format!("{types} (mk {{ }}).storage.size"), r#""10Gi""#);
    ok(
        "let x :: { a :: Int = 1, ... } = { b = 2; }; in x",
        r#"{"a":1,"b":2}"#,
    );
}

#[test]
fn one_record_type_fills_every_set_it_checks() {
    // The fill of a record type is made once per evaluation and annotation and shared by
    // every set checked against it: each set still gets its own given fields, in name
    // order among the defaults, and the defaults of the others.
    let types = "let type S = { b :: Int = 1 + 1, d :: String = \"d\", ... }; \
                 mk = (s :: S): s; in ";
    ok(
        &format!("{types} map mk [ {{ }} {{ a = 0; d = \"x\"; e = 3; }} {{ b = 5; }} ]"),
        r#"[{"b":2,"d":"d"},{"a":0,"b":2,"d":"x","e":3},{"b":5,"d":"d"}]"#,
    );
    // The first required field missing, in the order the type declares them.
    err(
        "let f = (o :: { z :: Int, a :: Int, m :: Int = 1 }): o; in f { m = 2; }",
        "missing field `z`",
    );
    err(
        "let f = (o :: { z :: Int, a :: Int }): o; in [ (f { z = 1; a = 2; }) (f { z = 1; }) ]",
        "missing field `a`",
    );
    err(
        "let f = (o :: { z :: Int, a :: Int }): o; in f { a = 1; y = 2; }",
        "unknown field `y`",
    );
}

#[test]
fn a_nullable_named_union_is_checked_without_looping() {
    // `Quantity` is a union under a name; `Quantity?` a union containing it.
    let f = "let f = (o :: { q :: Quantity? = \"1\" }): o.q; in ";
    ok(&format!("{f} f {{ q = null; }}"), "null");
    ok(&format!("{f} f {{ q = 2; }}"), "2");
    ok(&format!("{f} f {{ }}"), r#""1""#);
    err(
        &format!("{f} f {{ q = \"ten\" + \"Gi\"; }}"),
        "is not a valid `Quantity` value",
    );
}

#[test]
fn contracts_check_values_that_reach_annotations() {
    // Computed values are checked when they reach the annotation (literals are already
    // checked statically).
    err(
        "let p = 60000 + 10000; q :: Port = p; in q",
        "70000 is not a valid `Port` value",
    );
    err(
        "let t = \"Cluster\" + \"ip\"; s :: \"ClusterIP\" | \"NodePort\" = t; in s",
        "\"Clusterip\" is not one of the allowed values (help: did you mean \"ClusterIP\"?)",
    );
    err(
        "let f = (o :: { name :: String }): o.name; k = \"na\" + \"me\"; in f { ${k} = 1; }",
        "wrong type: expected `String`, found an integer",
    );
    err(
        "let f = (o :: { name :: String }): o; k = \"nmae\"; in f { ${k} = \"x\"; }",
        "unknown field `nmae` (help: did you mean `name`?)",
    );
    err("let f = (o :: { name :: String }): o; in f (builtins.removeAttrs { name = \"x\"; } [ \"name\" ])", "missing field `name`");
    // Lazy: an element that is never used is never checked.
    ok(
        "let xs :: [Int] = [ 1 (builtins.throw \"unused\") ]; in builtins.head xs",
        "1",
    );
    err(
        "let xs :: [Int] = builtins.map (x: x + 0.5) [ 1 ]; in xs",
        "expected `Int`, found a float",
    );
}

/// Something a test holds without keeping it alive.
trait Alive {
    fn alive(&self) -> bool;
}

impl<T> Alive for std::rc::Weak<T> {
    fn alive(&self) -> bool {
        self.strong_count() > 0
    }
}

/// Whether what `probe` holds (weakly) of the value of `source`, evaluated as the file at
/// `path`, is still alive after the evaluation has ended.
fn alive_after_evaluation(
    path: &str,
    source: &str,
    probe: impl for<'e> FnOnce(
        &mut super::machine::Evaluator<'e>,
        super::value::Value<'e>,
    ) -> Box<dyn Alive + 'e>,
) -> bool {
    let loader = MemoryLoader {
        files: Default::default(),
    };
    let parse = parse(source);
    let file = LoadedFile {
        path: path.to_string(),
        display: FileName::from(path),
        layout: Layout::resolve(&parse.root),
        root: parse.root,
        text: Arc::from(source),
        annotations: Default::default(),
    };
    let arena = typed_arena::Arena::new();
    let held = {
        let mut evaluator = super::machine::Evaluator::new(&loader, &arena);
        let (id, root) = evaluator.add_file(&file, "/test".to_string());
        let global = evaluator.global.clone();
        let value = evaluator.eval(root, &global, id).unwrap();
        probe(&mut evaluator, value)
    };
    held.alive()
}

#[test]
fn recursive_scopes_are_freed_when_the_evaluation_ends() {
    use super::value::Value;
    let source = "let f = n: if n == 0 then 0 else f (n - 1); xs = rec { a = 1; b = a; }; in { inherit f xs; r = f 3; }";
    let alive = alive_after_evaluation("/test/main.mlc", source, |evaluator, value| {
        let Value::Attrs(attrs) = &value else {
            panic!("not a set")
        };
        let f = evaluator.force(attrs.get("f").unwrap()).unwrap();
        let Value::Lambda(lambda) = f else {
            panic!("not a function")
        };
        assert!(evaluator.force(attrs.get("r").unwrap()).is_ok());
        Box::new(std::rc::Rc::downgrade(&lambda.env))
    });
    assert!(
        !alive,
        "the `let` scope outlived its evaluation (an Rc cycle)"
    );
}

#[test]
fn json_has_no_infinity_nan_or_functions() {
    err(
        "{ a = 1.0e308 * 10.0; }",
        "E0901: cannot convert infinity (`inf`) to JSON (at `a`)",
    );
    err(
        "let inf = 1.0e308 * 10.0; in [ 1 (-(inf - inf)) ]",
        "E0901: cannot convert NaN (`nan`) to JSON (at `[1]`)",
    );
    err(
        "{ f = x: x; }",
        "E0901: cannot convert a function to JSON (at `f`)",
    );
    // `--strict` forces everything first: an evaluation error further on comes first.
    err("{ a = x: x; b = throw \"later\"; }", "later");
    err(
        "builtins.toJSON { a = 1.0e308 * 10.0; }",
        "E0401: cannot convert infinity",
    );
    ok(
        "builtins.toJSON { a = 0.5; b = [ null true \"\\n\" ]; }",
        "\"{\\\"a\\\":0.5,\\\"b\\\":[null,true,\\\"\\\\n\\\"]}\"",
    );
}

#[test]
fn data_to_json_refuses_infinity_at_its_origin() {
    let data = Data {
        kind: DataKind::Float(f64::NEG_INFINITY),
        origin: Some((FileName::from("a.mlc"), crate::syntax::Span::new(3, 9))),
    };
    let error = data.to_json().unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot convert infinity (`-inf`) to JSON"
    );
    assert_eq!(error.origin, data.origin);
    assert!(data.to_json_string().is_err());
}

#[test]
fn sets_merge_and_filter_in_name_order() {
    ok(
        "{ a = 1; c = 3; e = 5; } // { b = 2; c = 4; f = 6; }",
        "{\"a\":1,\"b\":2,\"c\":4,\"e\":5,\"f\":6}",
    );
    ok("{ } // { b = 2; }", "{\"b\":2}");
    ok(
        "builtins.removeAttrs { a = 1; b = 2; c = 3; } [ \"b\" \"z\" ]",
        "{\"a\":1,\"c\":3}",
    );
    ok(
        "builtins.listToAttrs [ { name = \"b\"; value = 1; } { name = \"a\"; value = 2; } { name = \"b\"; value = 3; } ]",
        "{\"a\":2,\"b\":1}",
    );
    ok(
        "builtins.attrNames (builtins.fromJSON ''{\"z\":1,\"a\":2}'')",
        "[\"a\",\"z\"]",
    );
}

#[test]
fn builtins_collect_their_arguments_however_they_are_applied() {
    // Saturated at once, partially applied and kept, applied to more than they take, and
    // given through a function: the same results.
    ok(
        r#"builtins.replaceStrings [ "a" ] [ "b" ] "aab""#,
        r#""bbb""#,
    );
    ok(
        r#"let f = builtins.replaceStrings [ "a" ]; in [ (f [ "b" ] "a") (f [ "c" ] "a") ]"#,
        r#"["b","c"]"#,
    );
    ok("builtins.foldl' (a: b: a + b) 0 [ 1 2 3 ]", "6");
    ok("builtins.head [ (x: x + 1) ] 2", "3");
    ok(
        "let apply = f: x: f x; in apply builtins.length [ 1 2 ]",
        "2",
    );
    ok("builtins.elemAt [ 1 2 ] 1 + 1", "3");
}

#[test]
fn builtins_selected_once_are_still_scoped() {
    // `builtins.x` is looked up once per evaluation, unless `builtins` is a local name.
    ok(
        "let builtins = { head = x: 42; }; in builtins.head [ 1 ]",
        "42",
    );
    ok(
        "[ (builtins.head [ 1 ]) (let builtins = { head = x: 7; }; in builtins.head [ 1 ]) ]",
        "[1,7]",
    );
    ok(
        "({ builtins }: builtins.length) { builtins = { length = 5; }; }",
        "5",
    );
    ok("map (f: builtins.length [ f ]) [ 1 2 ]", "[1,1]");
    err("builtins.noSuchBuiltin", "noSuchBuiltin");
}

/// A set that holds a variable bound to the set itself is an `Rc` cycle no scope is on
/// once the variable is an alias of the set's thunk (`Evaluator::variable`); the end of the
/// evaluation breaks it, in a user's file and in the library alike. (Once the variable is
/// forced, its thunk holds the set itself: that cycle stays, as it did before aliases.)
#[test]
fn self_referring_sets_are_freed_when_the_evaluation_ends() {
    use super::value::Value;
    for path in ["/test/main.mlc", "<stdlib>/m.mlc"] {
        let source = "let x = { a = x; b = 1; }; in x";
        let alive = alive_after_evaluation(path, source, |evaluator, value| {
            let Value::Attrs(attrs) = &value else {
                panic!("not a set")
            };
            let b = evaluator.force(attrs.get("b").unwrap());
            assert!(matches!(b, Ok(Value::Int(1))));
            Box::new(std::rc::Rc::downgrade(attrs))
        });
        assert!(!alive, "the set in {path} outlived its evaluation");
    }
}
