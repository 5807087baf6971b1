//! Inputs that once crashed, hung or exhausted `mlc` (issue 16): each must end with a
//! diagnostic and exit code 1 (or with the value Nix gives), never a stack overflow abort,
//! a panic or memory exhaustion. The real binary runs each one, so an abort fails the test
//! instead of killing the test process.

mod common;

use common::Project;

/// Evaluates `source` with `mlc eval` and expects an error with `code`.
fn eval_fails_with(name: &str, source: &str, code: &str) {
    let project = Project::new(&format!("hostile-{name}")).file("main.mlc", source);
    let run = project.mlc(&["--color", "never", "eval", "main.mlc"]);
    assert_eq!(
        run.code,
        Some(1),
        "{name}: expected exit 1, got {:?}\nstderr: {}",
        run.code,
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(
        run.stderr.contains(&format!("error[{code}]")),
        "{name}: expected {code}, got:\n{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(
        run.stderr.len() < 20_000,
        "{name}: {} bytes of diagnostics",
        run.stderr.len()
    );
}

fn eval_prints(name: &str, source: &str, expected: &str) {
    let project = Project::new(&format!("hostile-{name}")).file("main.mlc", source);
    let run = project.mlc(&["eval", "main.mlc"]);
    assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
    assert_eq!(run.stdout.trim(), expected, "{name}");
}

#[test]
fn a_functor_that_returns_itself_is_a_depth_error() {
    eval_fails_with("functor", "{ __functor = self: self; } 1", "E0409");
}

#[test]
fn comparing_values_that_contain_themselves_is_a_depth_error() {
    eval_fails_with("list-eq", "let x = [ x ]; y = [ y ]; in x == y", "E0409");
    eval_fails_with("list-lt", "let x = [ x ]; y = [ y ]; in x < y", "E0409");
    eval_fails_with(
        "set-eq",
        "let x = { a = x; }; y = { a = y; }; in x == y",
        "E0409",
    );
}

#[test]
fn a_to_string_that_returns_itself_is_a_depth_error() {
    eval_fails_with("tostring", "toString { __toString = self: self; }", "E0409");
}

#[test]
fn a_value_that_grows_without_end_is_a_depth_error() {
    eval_fails_with("grows", "let f = n: { a = f (n + 1); }; in f 0", "E0409");
}

#[test]
fn printing_a_value_that_contains_itself_is_an_error() {
    eval_fails_with("cycle-print", "let x = { a = x; }; in x", "E0402");
    eval_fails_with("cycle-list", "let x = [ 1 x ]; in x", "E0402");
}

#[test]
fn resource_budgets_give_a_diagnostic() {
    eval_fails_with(
        "genlist",
        "builtins.genList (x: x) 9223372036854775807",
        "E0416",
    );
    eval_fails_with(
        "string-doubling",
        "let f = s: n: if n == 0 then s else f (s + s) (n - 1); in builtins.stringLength (f \"a\" 40)",
        "E0416",
    );
    eval_fails_with(
        "list-doubling",
        "let f = l: n: if n == 0 then l else f (l ++ l) (n - 1); in builtins.length (f [ 1 ] 40)",
        "E0416",
    );
}

#[test]
fn strings_and_lists_built_from_pieces_keep_to_the_budget() {
    // Each doubles its input forty times: 2^40 bytes or items, far past the budgets, so each
    // must stop at the builtin that crosses the line instead of taking the memory first.
    let doubling = |step: &str| {
        format!(
            "let f = s: n: if n == 0 then s else f ({step}) (n - 1); in builtins.stringLength (f \"ab\" 40)"
        )
    };
    eval_fails_with(
        "concat-strings-sep",
        &doubling("builtins.concatStringsSep s [ s s ]"),
        "E0416",
    );
    eval_fails_with(
        "replace-strings",
        &doubling("builtins.replaceStrings [ \"a\" ] [ s ] s"),
        "E0416",
    );
    eval_fails_with("interpolation", &doubling("\"${s}${s}\""), "E0416");
    eval_fails_with("to-string-list", &doubling("toString [ s s ]"), "E0416");
    let list_doubling = |step: &str| {
        format!(
            "let f = l: n: if n == 0 then l else f ({step}) (n - 1); in builtins.length (f [ 1 ] 40)"
        )
    };
    eval_fails_with(
        "concat-lists",
        &list_doubling("builtins.concatLists [ l l ]"),
        "E0416",
    );
    eval_fails_with(
        "concat-map",
        &list_doubling("builtins.concatMap (x: [ x x ]) l"),
        "E0416",
    );
}

/// `a0 = [ 1 ]; a1 = [ a0 a0 ]; ...`: a list whose tree has 2^n leaves in n lines.
fn shared_dag(levels: usize) -> String {
    let mut source = String::from("let a0 = [ 1 ];");
    for i in 1..=levels {
        source.push_str(&format!(" a{i} = [ a{0} a{0} ];", i - 1));
    }
    source
}

#[test]
fn deep_seq_visits_a_shared_value_once() {
    // Nix returns at once: each list is forced once, however often it is shared.
    eval_prints(
        "deepseq-dag",
        &format!("{} in builtins.deepSeq a64 true", shared_dag(64)),
        "true",
    );
    eval_prints(
        "deepseq-cycle",
        "let x = { a = x; }; in builtins.deepSeq x 1",
        "1",
    );
}

#[test]
fn printing_an_exponentially_large_value_is_a_budget_error() {
    eval_fails_with("print-dag", &format!("{} in a64", shared_dag(64)), "E0416");
}

#[test]
fn a_long_optional_chain_in_a_type_is_a_nesting_error() {
    let source = format!("let x :: Int{} = 1; in x", "?".repeat(3000));
    eval_fails_with("optional-chain", &source, "E0104");
    let project = Project::new("hostile-optional-check").file("main.mlc", &source);
    let run = project.mlc(&["check", "main.mlc"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
}

/// `(x :: "${(x :: "${...`: to tell a typed parameter `(x :: T): body` from an ascription,
/// the parser scans to the `)` and parses the strings it meets, whose interpolations asked
/// the same question again: each level doubled the work (24 levels took 8 s, 40 would take
/// hours). Found by the `parse_eval` fuzz target.
#[test]
fn nested_typed_parameters_in_strings_parse_in_linear_time() {
    let source = "(x :: \"${".repeat(60);
    let project = Project::new("hostile-typed-param-nesting").file("main.mlc", &source);
    for command in ["check", "fmt"] {
        let run = project.mlc(&["--color", "never", command, "main.mlc"]);
        assert_eq!(run.code, Some(1), "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains("error[E01"),
            "{command}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_long_has_attr_chain_is_a_nesting_error_in_every_command() {
    let source = format!("{{ }}{}", " ? a\n".repeat(20_000));
    eval_fails_with("has-attr-chain", &source, "E0104");
    let project = Project::new("hostile-has-attr-fmt").file("main.mlc", &source);
    for command in [&["fmt", "--check", "main.mlc"][..], &["check", "main.mlc"]] {
        let run = project.mlc(command);
        assert_eq!(run.code, Some(1), "{command:?}: {}", run.stderr);
        assert!(run.stderr.contains("E0104"), "{command:?}: {}", run.stderr);
        // One error, not one per level beyond the limit.
        assert_eq!(run.stderr.matches("error[").count(), 1, "{}", run.stderr);
    }
}

#[test]
fn a_nesting_error_on_one_long_line_prints_a_short_diagnostic() {
    // 80 KB on one line: the snippet shows a window of it (the size check is in
    // `eval_fails_with`).
    eval_fails_with(
        "has-attr-line",
        &format!("{{ }}{}", " ? a".repeat(20_000)),
        "E0104",
    );
}

#[test]
fn a_nesting_error_at_the_end_of_the_file_points_inside_it() {
    // 600 `[` and nothing after: the error is at the end, with an empty span, not past it.
    let source = "[".repeat(600);
    let parse = mlc::syntax::parse(&source);
    assert!(!parse.errors.is_empty());
    for error in &parse.errors {
        assert!(error.span.end as usize <= source.len(), "{:?}", error.span);
    }
}

#[test]
fn a_deeply_nested_attribute_path_evaluates_and_prints() {
    let depth = 2000;
    let source = format!("{{ {} = 1; }}", vec!["a"; depth].join("."));
    let project = Project::new("hostile-deep-path").file("main.mlc", &source);
    let run = project.mlc(&["eval", "main.mlc"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // `{ a = { a = ... 1 ...; }; }`: linear in the depth, not 8 MB of indentation.
    assert!(run.stdout.len() < 40 * depth, "{} bytes", run.stdout.len());
    assert_eq!(run.stdout.matches("a =").count(), depth);
}

/// Runs `mlc args` in `dir` with its output read by nobody: the pipe is closed before mlc
/// writes. It must end quietly, as `mlc doc | head -1` does.
fn with_closed_stdout(dir: &std::path::Path, args: &[&str]) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mlc"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run mlc");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    assert!(
        !stderr.contains("internal error") && !stderr.contains("panicked"),
        "{args:?}: {stderr}"
    );
}

/// A project for every command that prints, and those commands.
fn printing_commands() -> (Project, [&'static [&'static str]; 9]) {
    let project = Project::new("hostile-pipe")
        .file(
            "cm.mlc",
            "{ apiVersion = \"v1\"; kind = \"ConfigMap\"; metadata.name = \"settings\"; data.a = \"b\"; }",
        )
        .file("values.yaml", "replicaCount: 2\n");
    let commands = [
        &["doc"][..],
        &["explain"],
        &["explain", "E0101"],
        &["explain", "sqlite-replicas"],
        &["import", "values.yaml"],
        &["eval", "-E", "builtins.genList (x: x) 1000"],
        &["eval", "--json", "cm.mlc"],
        &["build", "cm.mlc"],
        &["build", "-o", "json", "cm.mlc"],
    ];
    (project, commands)
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let (project, commands) = printing_commands();
    for args in commands {
        with_closed_stdout(&project.path(""), args);
    }
}

#[test]
fn output_that_cannot_be_written_fails_every_command() {
    // `/dev/full` takes nothing (Linux): no command may pass for written.
    let (project, commands) = printing_commands();
    for args in commands {
        let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
            eprintln!("skipped: no /dev/full here");
            return;
        };
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_mlc"))
            .args(args)
            .current_dir(project.path(""))
            .stdout(full)
            .output()
            .expect("run mlc");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write the output"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn an_empty_out_dir_is_a_usage_error() {
    let project = Project::new("hostile-out-dir").file(
        "cm.mlc",
        "{ apiVersion = \"v1\"; kind = \"ConfigMap\"; metadata.name = \"settings\"; }",
    );
    let run = project.mlc(&["build", "--out-dir", "", "cm.mlc"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(!project.path("configmap-settings.yaml").exists());
}

/// Builds `source` and expects an error with `code` whose message contains `message`, at
/// line `line` of the file.
fn build_fails_with(name: &str, source: &str, code: &str, message: &str, line: usize) {
    let project = Project::new(&format!("hostile-{name}")).file("main.mlc", source);
    let run = project.mlc(&["--color", "never", "build", "main.mlc"]);
    assert_eq!(run.code, Some(1), "{name}: {}", run.stderr);
    assert!(
        run.stderr.contains(&format!("error[{code}]")) && run.stderr.contains(message),
        "{name}: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("main.mlc:{line}:")),
        "{name}: not at line {line}: {}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{name}: printed {}", run.stdout);
}

#[test]
fn names_kubernetes_rejects_are_errors_at_the_value() {
    build_fails_with(
        "bad-name",
        "{\n  apiVersion = \"v1\";\n  kind = \"ConfigMap\";\n  metadata.name = \"Bad_Name!\";\n}",
        "E0503",
        "`Bad_Name!` is not a valid name for a ConfigMap",
        4,
    );
    build_fails_with(
        "long-service",
        &format!(
            "{{\n  apiVersion = \"v1\";\n  kind = \"Service\";\n  metadata.name =\n    \"{}\";\n  spec.ports = [ {{ port = 80; }} ];\n}}",
            "s".repeat(70)
        ),
        "E0503",
        "70 characters, at most 63",
        5,
    );
    build_fails_with(
        "bad-namespace",
        "{\n  apiVersion = \"v1\";\n  kind = \"ConfigMap\";\n  metadata = {\n    name = \"ok\";\n    namespace = \"Not.A.Label\";\n  };\n}",
        "E0503",
        "not a valid namespace",
        6,
    );
}

#[test]
fn an_unknown_field_set_to_null_is_reported() {
    build_fails_with(
        "null-field",
        "{\n  apiVersion = \"v1\";\n  kind = \"ConfigMap\";\n  metadata.name = \"ok\";\n  dat = null;\n}",
        "E0502",
        "`dat` is not a field of ConfigMap",
        5,
    );
}
