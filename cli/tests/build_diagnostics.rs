//! Snapshots of what `mlc build` says about each case under `data/build/`: the checks
//! (errors and warnings, each with its code), the chart's refusals, waivers, and schema
//! errors of the objects. Each case is one `.mlc` file, built by the real binary without
//! colour, once for people and once with `--message-format json`; a first line
//! `# args: ...` gives command-line options, else the cases run with
//! `--allow no-resource-requests` (a warning of nearly every minimal deployment, which
//! would repeat in every snapshot; `no-resource-requests.mlc` shows it). The snapshot holds
//! the source, the exit code, stderr, and the objects printed (kind and name), so a check
//! that stops firing, or a build that starts failing, changes it. Every check of the table
//! has a case (`every_check_has_a_case`).

mod common;

use std::path::Path;

fn render(path: &Path) -> String {
    let source = std::fs::read_to_string(path).unwrap_or_default();
    let extra: Vec<&str> = source
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("# args:"))
        .map(|args| args.split_whitespace().collect())
        .unwrap_or_else(|| vec!["--allow", "no-resource-requests"]);
    let dir = path.parent().unwrap_or(Path::new("."));
    let file = path
        .file_name()
        .map(|name| name.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut args = vec!["build", "--color", "never", "-o", "json"];
    args.extend(extra);
    args.push(&file);
    let run = common::run_in(dir, &args);
    let mut json_args = vec!["--message-format", "json"];
    json_args.extend(args.iter().copied());
    let json = common::run_in(dir, &json_args);
    let mut out = format!(
        "----- SOURCE\n{source}----- EXIT CODE {}\n----- STDERR\n{}----- JSON\n{}",
        run.code
            .map_or_else(|| "none".to_string(), |c| c.to_string()),
        run.stderr,
        json.stderr
    );
    if !run.stdout.is_empty() {
        out.push_str("----- OBJECTS\n");
        match serde_json::from_str::<Vec<serde_json::Value>>(&run.stdout) {
            Ok(objects) => {
                for object in objects {
                    out.push_str(&format!(
                        "{} {}/{}\n",
                        object["apiVersion"].as_str().unwrap_or("?"),
                        object["kind"].as_str().unwrap_or("?"),
                        object["metadata"]["name"].as_str().unwrap_or("?")
                    ));
                }
            }
            Err(error) => out.push_str(&format!("not a JSON list ({error}):\n{}", run.stdout)),
        }
    }
    out
}

#[test]
fn every_check_has_a_case() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/build");
    let mut outputs = String::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    for path in names
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "mlc"))
    {
        outputs.push_str(&render(path));
    }
    for check in mlc::checks::CHECKS {
        assert!(
            outputs.contains(&format!("[{}]", check.code)),
            "no case under tests/data/build reports {} ({})",
            check.code,
            check.name
        );
    }
}

#[test]
fn every_build_diagnostic() {
    insta::glob!("data/build/*.mlc", |path| {
        insta::assert_snapshot!(render(path));
    });
}
