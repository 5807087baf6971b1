//! End-to-end tests of the `mlc` binary: exit codes, rendered diagnostics, output formats.

mod common;

use common::Project;

#[test]
fn check_of_a_missing_file_exits_1_with_the_error() {
    let project = Project::new("missing");
    let run = project.mlc(&["check", "nope.mlc"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error[E0213]: cannot read `nope.mlc`: no such file\n"),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("error: could not continue because of 1 error"));
    assert_eq!(run.stdout, "");
}

#[test]
fn check_with_a_syntax_error_renders_it_with_the_source_line() {
    let project = Project::new("syntax").file("bad.mlc", "{ a = 1 }\n");
    let run = project.mlc(&["check", "bad.mlc"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.starts_with("error[E0101]: "), "{}", run.stderr);
    assert!(run.stderr.contains("─[ bad.mlc:1:"), "{}", run.stderr);
    assert!(run.stderr.contains(" 1 │ { a = 1 }"), "{}", run.stderr);
    assert!(run
        .stderr
        .contains("note: run `mlc explain E0101` for details"));
}

#[test]
fn diagnostics_are_json_lines_when_asked() {
    let project = Project::new("json");
    let run = project.mlc(&["--message-format", "json", "check", "a.mlc", "b.mlc"]);
    assert_eq!(run.code, Some(1));
    let lines: Vec<serde_json::Value> = run
        .stderr
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert_eq!(lines[0]["severity"], "error");
    assert_eq!(lines[0]["code"], "E0213");
    assert_eq!(lines[0]["file"], "a.mlc");
    assert_eq!(lines[1]["file"], "b.mlc");
    assert_eq!(lines[1]["labels"][0]["primary"], true);
}

#[test]
fn colour_follows_the_flag() {
    let project = Project::new("colour");
    let never = project.mlc(&["--color", "never", "check", "a.mlc"]);
    assert!(!never.stderr.contains('\u{1b}'), "{}", never.stderr);
    let always = project.mlc(&["check", "a.mlc", "--color", "always"]);
    assert!(always.stderr.contains('\u{1b}'), "{}", always.stderr);
    // Not a terminal: no colour by default.
    let auto = project.mlc(&["check", "a.mlc"]);
    assert!(!auto.stderr.contains('\u{1b}'), "{}", auto.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let project = Project::new("usage");
    for args in [
        &["frobnicate"][..],
        &["check"][..],
        &["--color", "sometimes", "check", "a.mlc"][..],
        &["explain", "E9999"][..],
    ] {
        let run = project.mlc(args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("error"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn explain_prints_the_long_explanation() {
    let project = Project::new("explain");
    let run = project.mlc(&["explain", "e0210"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.starts_with("E0210\n\nAn `import` names a file"));
    let list = project.mlc(&["explain"]);
    assert_eq!(list.code, Some(0));
    assert!(list.stdout.lines().any(|line| line.starts_with("E0101  ")));
    let unknown = project.mlc(&["explain", "E0219"]);
    assert!(
        unknown.stderr.contains("did you mean `E0210`?"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn help_and_version_succeed() {
    let project = Project::new("help");
    let help = project.mlc(&["--help"]);
    assert_eq!(help.code, Some(0));
    assert!(help.stdout.contains("check"));
    let version = project.mlc(&["--version"]);
    assert_eq!(version.code, Some(0));
    assert!(version.stdout.starts_with("mlc "));
}
