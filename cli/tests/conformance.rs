//! Conformance with the official MLflow Helm chart: for every scenario under
//! `tests/conformance/` (copied from the chart renders in `shared/conformance/`),
//! `mlc build examples/conformance/<s>.mlc`
//! must give the same objects as Helm's `rendered.yaml`, compared as data, with only the
//! differences CHART.md allows (no `helm.sh/chart` label, `app.kubernetes.io/managed-by:
//! mlc`, `metadata.namespace` on namespaced objects). Scenarios the chart refuses
//! (`error.txt`) must fail in mlc with the same message.
//!
//! `tests/helm-regressions/` holds values files that the differential test against Helm
//! (tests/helm-diff) found mlc getting wrong, each with Helm's render: `mlc import` +
//! `mlc build` of each must give Helm's objects (with the checks its `allow.txt` names
//! allowed, as a migration allows them). A field set to null is compared as left out,
//! which is how Kubernetes reads it.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance")
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Objects by `Kind/name`, normalised to what the comparison allows to differ.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

fn normalise(objects: Vec<Value>) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for mut object in objects.into_iter().map(without_nulls) {
        if object.is_null() {
            continue;
        }
        if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            metadata.remove("namespace");
            if let Some(labels) = metadata.get_mut("labels").and_then(Value::as_object_mut) {
                labels.remove("helm.sh/chart");
                if labels.contains_key("app.kubernetes.io/managed-by") {
                    labels.insert("app.kubernetes.io/managed-by".into(), Value::from("mlc"));
                }
            }
        }
        let key = format!(
            "{}/{}",
            object["kind"].as_str().unwrap_or("?"),
            object["metadata"]["name"].as_str().unwrap_or("?")
        );
        out.insert(key, object);
    }
    out
}

fn helm_objects(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("read rendered.yaml");
    serde_yaml::Deserializer::from_str(&text)
        .map(|document| Value::deserialize(document).expect("rendered.yaml is YAML"))
        .collect()
}

fn mlc(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_mlc"))
        .args(args)
        .current_dir(repository())
        .output()
        .expect("run mlc");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

fn scenarios() -> Vec<String> {
    let dir = conformance_dir();
    assert!(
        dir.is_dir(),
        "{} is missing: the conformance scenarios are part of the repository",
        dir.display()
    );
    let mut scenarios: Vec<String> = std::fs::read_dir(&dir)
        .expect("read tests/conformance")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().to_string())
        .collect();
    scenarios.sort();
    assert!(!scenarios.is_empty(), "no scenarios in {}", dir.display());
    scenarios
}

/// Builds `file` and compares the result with the scenario's render (or refusal); returns
/// every difference found.
fn compare(scenario: &str, file: &Path) -> Vec<String> {
    compare_in(&conformance_dir().join(scenario), scenario, file)
}

fn compare_in(dir: &Path, scenario: &str, file: &Path) -> Vec<String> {
    let file = file.to_string_lossy();
    // `allow.txt`: checks of mlc's own, one a line, allowed as a migration allows them
    // (`mlc build --allow NAME`) to get the chart's objects.
    let allowed = std::fs::read_to_string(dir.join("allow.txt")).unwrap_or_default();
    let mut args = vec!["build", "-o", "json", "--color", "never"];
    for check in allowed.lines().map(str::trim).filter(|l| !l.is_empty()) {
        args.extend(["--allow", check]);
    }
    args.push(&file);
    let (ok, stdout, stderr) = mlc(&args);
    let error_file = dir.join("error.txt");
    if error_file.exists() {
        let expected = std::fs::read_to_string(&error_file).unwrap_or_default();
        let message = expected
            .rsplit("): ")
            .next()
            .unwrap_or(&expected)
            .trim()
            .to_string();
        if ok || !stderr.contains(&message) {
            return vec![format!(
                "{scenario}: should fail with `{message}`, got:\n{stderr}"
            )];
        }
        return Vec::new();
    }
    if !ok {
        return vec![format!("{scenario}: mlc build {file} failed:\n{stderr}")];
    }
    let ours: Vec<Value> = serde_json::from_str(&stdout).expect("mlc -o json prints a JSON list");
    let ours = normalise(ours);
    let theirs = normalise(helm_objects(&dir.join("rendered.yaml")));
    let mut failures = Vec::new();
    for key in theirs
        .keys()
        .chain(ours.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        match (theirs.get(key), ours.get(key)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) => failures.push(format!(
                "{scenario}: {key} differs\n--- helm\n{}\n--- mlc ({file})\n{}",
                serde_yaml::to_string(a).unwrap_or_default(),
                serde_yaml::to_string(b).unwrap_or_default()
            )),
            (Some(_), None) => failures.push(format!("{scenario}: mlc does not emit {key}")),
            (None, _) => failures.push(format!(
                "{scenario}: mlc emits {key}, which the chart does not"
            )),
        }
    }
    failures
}

#[test]
fn every_scenario_matches_the_chart() {
    let mut failures = Vec::new();
    for scenario in scenarios() {
        let example = repository().join(format!("examples/conformance/{scenario}.mlc"));
        if !example.exists() {
            failures.push(format!(
                "{scenario}: examples/conformance/{scenario}.mlc is missing"
            ));
            continue;
        }
        failures.extend(compare(&scenario, &example));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `mlc import values.yaml` must give a file that builds to the same objects as the chart.
#[test]
fn imported_values_build_to_the_chart_objects() {
    let scratch =
        std::env::temp_dir().join(format!("mlc-conformance-import-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("create scratch dir");
    let mut failures = Vec::new();
    for scenario in scenarios() {
        let values = conformance_dir().join(&scenario).join("values.yaml");
        let (ok, stdout, stderr) = mlc(&["import", &values.to_string_lossy()]);
        if !ok {
            failures.push(format!("{scenario}: mlc import failed:\n{stderr}"));
            continue;
        }
        let file = scratch.join(format!("{scenario}.mlc"));
        std::fs::write(&file, stdout).expect("write imported file");
        failures.extend(compare(&scenario, &file));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every values file of `tests/helm-regressions/`, imported and built, gives Helm's objects.
#[test]
fn differential_regressions_build_to_the_chart_objects() {
    let dir = repository().join("tests/helm-regressions");
    let scratch = std::env::temp_dir().join(format!("mlc-helm-regressions-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("create scratch dir");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read tests/helm-regressions")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 6, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let (ok, stdout, stderr) = mlc(&["import", &case.join("values.yaml").to_string_lossy()]);
        if !ok {
            failures.push(format!("{name}: mlc import failed:\n{stderr}"));
            continue;
        }
        let file = scratch.join(format!("{name}.mlc"));
        std::fs::write(&file, stdout).expect("write imported file");
        failures.extend(compare_in(case, &name, &file));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
