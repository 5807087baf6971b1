//! Every example in the `mlc explain` texts raises the code it explains. An example is the
//! first indented block after a line starting with `Example` and ending with `:`; later
//! blocks show the fix. Conventions of the texts, followed here:
//! - an example may use `mlflow` and `lib`, the standard modules;
//! - a block of bindings (`service.type = "clusterIP";`) is options of `mlflow.deployment`;
//! - `# name.mlc` lines split a block into files (the first is built);
//! - a block starting with `mlc ` is a command line, run as written.
//!
//! Errors of evaluation (`E04xx`) are looked for with the static checks off, as
//! `--no-typecheck` does: the checker finds some of them earlier, under its own code.

mod common;

use mlc::build::{build, Options};
use mlc::db::RootDatabase;
use mlc::diagnostic::codes;

/// The first indented block after each `Example...:` line of `text`.
fn examples(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if !(line.starts_with("Example") && line.ends_with(':')) {
            continue;
        }
        let block: Vec<&str> = lines[index + 1..]
            .iter()
            .skip_while(|l| l.trim().is_empty())
            .take_while(|l| l.starts_with("    ") || l.trim().is_empty())
            .map(|l| l.strip_prefix("    ").unwrap_or(""))
            .collect();
        found.push(block.join("\n").trim().to_string());
    }
    found
}

/// The files of an example: `(name, text)`, the one to build first.
fn files(example: &str) -> Vec<(String, String)> {
    if !example.starts_with("# ") {
        let text = if mlc::syntax::parse(example).errors.is_empty()
            || !mlc::syntax::parse(&format!("{{ {example} }}"))
                .errors
                .is_empty()
        {
            example.to_string()
        } else {
            format!("mlflow.deployment {{\n  name = \"mlflow\";\n{example}\n}}")
        };
        let text = format!("let mlflow = import <mlflow>; lib = import <lib>; in\n{text}\n");
        return vec![("example.mlc".to_string(), text)];
    }
    let mut files: Vec<(String, String)> = Vec::new();
    for line in example.lines() {
        match line
            .strip_prefix("# ")
            .filter(|name| name.ends_with(".mlc"))
        {
            Some(name) => files.push((name.to_string(), String::new())),
            None => {
                if let Some((_, text)) = files.last_mut() {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
    }
    files
}

/// The codes `example` raises.
fn raised(code: &str, example: &str) -> Vec<String> {
    if let Some(command) = example.strip_prefix("mlc ") {
        // `mlc eval --json -E '{ f = x: x; }'`: words, and one single-quoted argument.
        let mut args: Vec<String> = Vec::new();
        for (index, part) in command.split('\'').enumerate() {
            if index % 2 == 1 {
                args.push(part.to_string());
            } else {
                args.extend(part.split_whitespace().map(str::to_string));
            }
        }
        args.splice(0..0, ["--message-format".to_string(), "json".to_string()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = common::run_in(std::path::Path::new("."), &args);
        // Diagnostics are JSON lines; a usage error is a plain line ending in its code
        // (`error: ... [E0902]`).
        return run
            .stderr
            .lines()
            .filter_map(
                |line| match serde_json::from_str::<serde_json::Value>(line) {
                    Ok(json) => json["code"].as_str().map(str::to_string),
                    Err(_) => line
                        .strip_suffix(']')
                        .and_then(|rest| rest.rsplit_once('['))
                        .map(|(_, code)| code.to_string()),
                },
            )
            .collect();
    }
    let mut db = RootDatabase::default();
    let mut entry = None;
    for (name, text) in files(example) {
        let file = db.set_file_text(&format!("/explain/{name}"), &text);
        entry.get_or_insert(file);
    }
    let Some(entry) = entry else {
        return Vec::new();
    };
    let options = Options {
        skip_type_errors: code.starts_with("E04"),
        ..Options::default()
    };
    build(&db, entry, &options)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect()
}

#[test]
fn every_explained_example_raises_its_code() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for (code, text) in codes::ALL {
        for example in examples(text) {
            checked += 1;
            let raised = raised(code.as_str(), &example);
            if !raised.iter().any(|r| r == code.as_str()) {
                problems.push(format!(
                    "{code}: the example raises {raised:?}, not {code}:\n{example}"
                ));
            }
        }
    }
    assert!(checked >= 25, "only {checked} examples found");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
