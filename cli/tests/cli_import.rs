//! `mlc import`'s errors through the real binary: diagnostics of the one model, shown in the
//! values file at the line and column of the mistake, as the terminal and
//! `--message-format json` print them (snapshots), with the exit code of input errors.

mod common;

use common::Project;

/// The values files that `mlc import` refuses, one per kind of error.
const CASES: &[(&str, &str)] = &[
    (
        "unknown-key",
        "# Storage for the database.\nstorage:\n  enabled: true\n  sise: 10Gi\n",
    ),
    ("unknown-top-level-key", "replicaCont: 2\n"),
    ("release-name", "name: mlflow\n"),
    ("quoted-key", "storage:\n  \"sise\": 10Gi\n"),
    (
        "duplicate-key",
        "replicaCount: 1\nimage:\n  tag: v1\nreplicaCount: 2\n",
    ),
    ("malformed", "ingress:\n  hosts: [a.example.com\n"),
    ("not-a-mapping", "- replicaCount: 2\n"),
];

fn import(name: &str, values: &str, format: &str) -> (Option<i32>, String) {
    let project = Project::new(&format!("import-{name}-{format}")).file("values.yaml", values);
    let run = project.mlc(&[
        "--color",
        "never",
        "--message-format",
        format,
        "import",
        "values.yaml",
    ]);
    assert!(run.stdout.is_empty(), "{name}: printed {}", run.stdout);
    (run.code, run.stderr)
}

#[test]
fn import_errors_are_diagnostics_in_the_values_file() {
    for (name, values) in CASES {
        let (code, human) = import(name, values, "human");
        assert_eq!(code, Some(1), "{name}: {human}");
        insta::assert_snapshot!(format!("{name}-human"), human);
        let (code, json) = import(name, values, "json");
        assert_eq!(code, Some(1), "{name}: {json}");
        let line: serde_json::Value = serde_json::from_str(json.trim()).unwrap_or_else(|e| {
            panic!("{name}: not one JSON line ({e}): {json}");
        });
        let pretty = serde_json::to_string_pretty(&line).unwrap_or_default();
        insta::assert_snapshot!(format!("{name}-json"), pretty);
    }
}

#[test]
fn a_json_fix_renames_the_misspelt_key_in_the_values_file() {
    let (_, json) = import("fix", "storage:\n  enabled: true\n  sise: 10Gi\n", "json");
    let line: serde_json::Value = serde_json::from_str(json.trim()).expect("one JSON line");
    assert_eq!(line["code"], "E0602");
    assert_eq!(line["fix"]["replacement"], "size", "{line}");
}

#[test]
fn sarif_output_names_the_values_file() {
    let (code, sarif) = import("sarif", "replicaCont: 2\n", "sarif");
    assert_eq!(code, Some(1));
    let log: serde_json::Value = serde_json::from_str(sarif.trim()).expect("a SARIF log");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "E0602", "{result}");
    let location = &result["locations"][0]["physicalLocation"];
    assert!(
        location["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|uri| uri.ends_with("values.yaml")),
        "{location}"
    );
    assert_eq!(location["region"]["startLine"], 1, "{location}");
}
