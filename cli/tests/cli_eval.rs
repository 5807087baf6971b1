//! End-to-end tests of `mlc eval`: the real binary on files, expressions, imports of
//! relative files and of standard-library modules, and its errors.

mod common;

use common::Project;

#[test]
fn evaluates_a_file_readably_and_as_json() {
    let project = Project::new("eval-file").file("a.mlc", "{ b = [ 1 2 ]; a = \"x\"; c = 1.5; }");
    let run = project.mlc(&["eval", "a.mlc"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "{ a = \"x\"; b = [ 1 2 ]; c = 1.5; }");
    let run = project.mlc(&["eval", "--json", "a.mlc"]);
    assert_eq!(run.stdout.trim(), "{\"a\":\"x\",\"b\":[1,2],\"c\":1.5}");
}

#[test]
fn evaluates_an_expression() {
    let run = Project::new("eval-expr").mlc(&["eval", "-E", "builtins.map (x: x * 2) [ 1 2 ]"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "[ 2 4 ]");
}

#[test]
fn imports_relative_files_and_standard_library_modules() {
    let project = Project::new("eval-import")
        .file(
            "main.mlc",
            "let lib = import <lib>; shared = import ./sub/shared.mlc; in lib.toUpper shared.name",
        )
        .file("sub/shared.mlc", "{ name = (import ../name.mlc); }")
        .file("name.mlc", "\"mlflow\"");
    let run = project.mlc(&["eval", "--json", "main.mlc"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "\"MLFLOW\"");
}

#[test]
fn runtime_errors_exit_1_with_location_trace_and_suggestion() {
    let project = Project::new("eval-error").file(
        "main.mlc",
        "let config = { storage = { size = \"10Gi\"; }; };\nin { volume = config.storage.sise; }\n",
    );
    // The type checker sees the misspelling before evaluation...
    let checked = project.mlc(&["eval", "--color", "never", "main.mlc"]);
    assert_eq!(checked.code, Some(1));
    assert!(
        checked
            .stderr
            .contains("error[E0309]: no field `sise` in `config.storage`"),
        "{}",
        checked.stderr
    );
    assert!(
        checked.stderr.contains("help: did you mean `size`?"),
        "{}",
        checked.stderr
    );
    // ...and without it, evaluation reports it with the evaluation trace.
    let run = project.mlc(&["eval", "--no-typecheck", "--color", "never", "main.mlc"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("error[E0408]: attribute `sise` missing in `config.storage`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("main.mlc:2:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("while evaluating `volume`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: did you mean `size`?"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn every_undefined_variable_is_reported_before_evaluation() {
    let run = Project::new("eval-unbound").mlc(&[
        "eval",
        "--color",
        "never",
        "-E",
        "[ alpha (beta: gamma) ]",
    ]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("undefined variable `alpha`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("undefined variable `gamma`"),
        "{}",
        run.stderr
    );
}

#[test]
fn syntax_errors_stop_evaluation() {
    let project = Project::new("eval-syntax").file("main.mlc", "{ a = 1 b = ; }");
    let run = project.mlc(&["eval", "--color", "never", "main.mlc"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("error[E0101]"), "{}", run.stderr);
}

#[test]
fn functions_have_no_json_form() {
    let run =
        Project::new("eval-fn-json").mlc(&["eval", "--json", "--color", "never", "-E", "x: x"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("E0901"), "{}", run.stderr);
    let run = Project::new("eval-fn").mlc(&["eval", "-E", "{ f = x: x; }"]);
    assert_eq!(run.code, Some(0));
    assert_eq!(run.stdout.trim(), "{ f = <lambda>; }");
}

#[test]
fn deep_recursion_is_an_error_not_a_crash() {
    let run = Project::new("eval-deep").mlc(&[
        "eval",
        "--color",
        "never",
        "-E",
        "let f = n: 1 + f (n + 1); in f 0",
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("E0409"), "{}", run.stderr);
    let run = Project::new("eval-cycle").mlc(&[
        "eval",
        "--color",
        "never",
        "-E",
        "let a = b; b = a; in a",
    ]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("infinite recursion"), "{}", run.stderr);
}

#[test]
fn infinity_and_nan_have_no_json_form() {
    let run = Project::new("eval-inf-json").mlc(&[
        "eval",
        "--json",
        "--color",
        "never",
        "-E",
        "let inf = 1.0e308 * 10.0; in { a = inf; b = -(inf - inf); }",
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("error[E0901]"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("cannot convert infinity (`inf`) to JSON"),
        "{}",
        run.stderr
    );
}
