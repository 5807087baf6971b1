//! Snapshots of what `mlc build` says about each case under `data/build/`: the MLflow
//! library's checks (errors and warnings), the chart's refusals, and schema errors of the
//! objects. Each case is one `.mlc` file, built by the real binary without colour; a first
//! line `# args: ...` adds command-line options. The snapshot holds the source, the exit
//! code, stderr, and the objects printed (kind and name), so a check that stops firing, or
//! a build that starts failing, changes it.

mod common;

use std::path::Path;

fn render(path: &Path) -> String {
    let source = std::fs::read_to_string(path).unwrap_or_default();
    let extra: Vec<&str> = source
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("# args:"))
        .map(|args| args.split_whitespace().collect())
        .unwrap_or_default();
    let dir = path.parent().unwrap_or(Path::new("."));
    let file = path
        .file_name()
        .map(|name| name.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut args = vec!["build", "--color", "never", "-o", "json"];
    args.extend(extra);
    args.push(&file);
    let run = common::run_in(dir, &args);
    let mut out = format!(
        "----- SOURCE\n{source}----- EXIT CODE {}\n----- STDERR\n{}",
        run.code
            .map_or_else(|| "none".to_string(), |c| c.to_string()),
        run.stderr
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
fn every_build_diagnostic() {
    insta::glob!("data/build/*.mlc", |path| {
        insta::assert_snapshot!(render(path));
    });
}
