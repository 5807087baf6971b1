//! Common mistakes, one per file under `data/mistakes/`, each with the diagnostics it must
//! give: a header line `# expect: E0101 at line 5 with fix` per diagnostic (code, line of
//! the primary label, and whether it carries a machine-applicable fix), and optionally
//! `# args: ...` for the command line. One mistake gives exactly the expected diagnostics,
//! at the line the user wrote, in `mlc build` and `mlc check` (the real binary, JSON
//! output) and in the language server's view of the file (`Analysis::file_diagnostics`,
//! for mistakes found before evaluation). The human rendering of `mlc build` is snapshot.

mod common;

use mlc::db::RootDatabase;
use std::path::Path;

/// One expected diagnostic: code, line, and whether it has a fix.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Expected {
    code: String,
    line: usize,
    fix: bool,
}

fn expectations(source: &str) -> Vec<Expected> {
    let mut expected: Vec<Expected> = source
        .lines()
        .filter_map(|line| line.strip_prefix("# expect:"))
        .map(|rest| {
            let words: Vec<&str> = rest.split_whitespace().collect();
            match words.as_slice() {
                [code, "at", "line", line, tail @ ..] => Expected {
                    code: code.to_string(),
                    line: line
                        .parse()
                        .unwrap_or_else(|_| panic!("bad line in `{rest}`")),
                    fix: tail == ["with", "fix"],
                },
                _ => panic!("cannot read `# expect:{rest}`"),
            }
        })
        .collect();
    expected.sort();
    expected
}

fn args(source: &str) -> Vec<String> {
    source
        .lines()
        .find_map(|line| line.strip_prefix("# args:"))
        .map(|args| args.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// What `mlc COMMAND --message-format json FILE` reports, as expectations.
fn reported_by_cli(
    dir: &Path,
    command: &str,
    extra: &[String],
    file: &str,
) -> (Vec<Expected>, Option<i32>) {
    let mut args = vec![command, "--color", "never", "--message-format", "json"];
    args.extend(extra.iter().map(String::as_str));
    args.push(file);
    let run = common::run_in(dir, &args);
    let mut found: Vec<Expected> = run
        .stderr
        .lines()
        .map(|line| {
            let json: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{command} {file}: not JSON ({e}): {line}"));
            Expected {
                code: json["code"].as_str().unwrap_or_default().to_string(),
                line: json["line_start"].as_u64().unwrap_or_default() as usize,
                fix: !json["fix"].is_null(),
            }
        })
        .collect();
    found.sort();
    (found, run.code)
}

#[test]
fn each_mistake_gives_its_diagnostics_at_its_line() {
    insta::glob!("data/mistakes/*.mlc", |path| {
        let source = std::fs::read_to_string(path).unwrap_or_default();
        let expected = expectations(&source);
        assert!(
            !expected.is_empty(),
            "{}: no `# expect:` line",
            path.display()
        );
        let extra = args(&source);
        let dir = path.parent().unwrap_or(Path::new("."));
        let file = path
            .file_name()
            .map(|name| name.to_string_lossy().to_string())
            .unwrap_or_default();

        let (built, code) = reported_by_cli(dir, "build", &extra, &file);
        assert_eq!(built, expected, "mlc build {file}");
        assert_eq!(code, Some(1), "mlc build {file} must fail");

        let before_evaluation = expected.iter().all(|e| !e.code.starts_with("E04"))
            || expected
                .iter()
                .all(|e| e.code == "E0411" || e.code == "E0407");
        if before_evaluation {
            let (checked, code) = reported_by_cli(dir, "check", &extra, &file);
            assert_eq!(checked, expected, "mlc check {file}");
            assert_eq!(code, Some(1), "mlc check {file} must fail");
            if extra.is_empty() {
                // The diagnostics of the file as an open document (the language server
                // shows these, and adds the evaluation's).
                let mut db = RootDatabase::default();
                let name = format!("/mistakes/{file}");
                db.set_file_text(&name, &source);
                let document = db.file_for_argument(&name);
                let diagnostics = mlc::db::file_diagnostics(&db, document);
                let mut found: Vec<Expected> = diagnostics
                    .iter()
                    .map(|d| Expected {
                        code: d.code.as_str().to_string(),
                        line: source[..d.primary.span.start as usize]
                            .matches('\n')
                            .count()
                            + 1,
                        fix: d.fix.is_some(),
                    })
                    .collect();
                found.sort();
                assert_eq!(found, expected, "language server on {file}");
            }
        }

        let mut args = vec!["build", "--color", "never"];
        args.extend(extra.iter().map(String::as_str));
        args.push(&file);
        let human = common::run_in(dir, &args);
        insta::assert_snapshot!(format!(
            "----- SOURCE\n{source}----- STDERR\n{}",
            human.stderr
        ));
    });
}
