#![allow(clippy::unwrap_used)] // A failing unwrap is a failing test.

use super::*;
use crate::db::{self, RootDatabase};

fn import_text(text: &str) -> Result<String, Box<Error>> {
    let mut db = RootDatabase::default();
    let entry = db.set_expr_text("(import <mlflow>).defaults");
    let defaults = db::evaluate(&db, entry)
        .as_ref()
        .ok()
        .and_then(|e| e.data.to_json().ok())
        .expect("defaults");
    let options = crate::reference::record_type(&db, "mlflow", "Options").expect("Options");
    let chart = Chart {
        options: &options,
        defaults: &defaults,
    };
    import(&chart, "values.yaml", text, "mlflow", "ml")
}

#[test]
fn keeps_order_comments_and_writes_single_keys_as_paths() {
    let text = "\
# Storage for SQLite.
storage:
  enabled: true
  size: 10Gi
mlflow:
  # The database.
  backendStoreUri: sqlite:////mlflow/mlflow.db
  defaultArtifactRoot: s3://bucket
replicaCount: 1
";
    insta::assert_snapshot!(import_text(text).unwrap());
}

#[test]
fn keeps_comments_at_the_end_of_a_line_where_a_person_expects_them() {
    let text = "\
replicaCount: 2  # two pods
metrics:  # Prometheus
  enabled: true # scraped by the cluster's Prometheus
ingress:   # public
  enabled: true
  className: nginx  #the controller
  hosts:  # one host
    - host: mlflow.example.com # the DNS name
      paths: [{path: /, pathType: Prefix}]
image: {tag: v3.12.0-full}  # pinned
podAnnotations: {}  # none
";
    let file = import_text(text).unwrap();
    assert_eq!(crate::fmt::format(&file).unwrap(), file, "fmt-clean");
    insta::assert_snapshot!(file);
}

#[test]
fn the_output_is_formatted() {
    let text = "ingress:\n  enabled: on\n  hosts:\n    - host: a.example.com\n      paths: [{path: /, pathType: Prefix}]\npodLabels: {if: x, \"app.kubernetes.io/part-of\": mlflow}\nmlflow: {backendStoreUri: \"postgresql://db/${x}\"}\n";
    let file = import_text(text).unwrap();
    assert_eq!(crate::fmt::format(&file).unwrap(), file);
    assert!(file.contains("ingress = {\n    enabled = true;"), "{file}");
    assert!(file.contains("\"if\" = \"x\";"), "{file}");
    assert!(file.contains("\"postgresql://db/\\${x}\""), "{file}");
}

#[test]
fn nulls_and_numbers_written_as_strings_are_read_as_helm_uses_them() {
    let text = "podSecurityContext: {runAsUser: null, fsGroup: null}\nreplicaCount: \"3\"\nserver: {value_options: {port: \"8080\", workers: null}}\nimage: {tag: \"3\"}\n";
    let file = import_text(text).unwrap();
    assert!(
        file.contains("podSecurityContext = {\n    runAsUser = null;\n    fsGroup = null;\n  };"),
        "{file}"
    );
    assert!(file.contains("replicaCount = 3;"), "{file}");
    assert!(file.contains("port = 8080;"), "{file}");
    assert!(file.contains("tag = \"3\";"), "{file}");
}

#[test]
fn an_unknown_key_is_an_error_with_the_closest_option() {
    let error = import_text("storage:\n  enabled: true\n  sise: 1Gi\n").unwrap_err();
    assert_eq!(error.pos, Pos { line: 3, column: 3 });
    assert_eq!(
        error.message,
        "`storage.sise` is not an option of the MLflow chart"
    );
    assert_eq!(error.help.as_deref(), Some("did you mean `storage.size`?"));
    let top = import_text("replicaCont: 2\n").unwrap_err();
    assert_eq!(top.help.as_deref(), Some("did you mean `replicaCount`?"));
    // Free-form maps take any key. So does `server.value_options`: `mlc build` refuses an
    // option `mlflow server` does not have (`unknown-server-option`), which a migration may
    // allow to reproduce Helm's output, so the import carries it through.
    assert!(import_text("podAnnotations: {anything: x}\nnodeSelector: {disk: ssd}\n").is_ok());
    let flag = import_text("server: {value_options: {dev: true}}\n").unwrap();
    assert!(flag.contains("server.value_options.dev = true;"), "{flag}");
}

#[test]
fn a_values_file_that_is_not_a_mapping_is_an_error() {
    let error = import_text("- a\n- b\n").unwrap_err();
    assert!(
        error.message.contains("this one is a list"),
        "{}",
        error.message
    );
    assert!(import_text("").is_ok());
}
