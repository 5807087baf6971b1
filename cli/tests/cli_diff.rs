//! End-to-end tests of `mlc diff` with the real binary: two files, one file at a git
//! revision, human and JSON output (snapshots), and the exit codes (0 no change, 16
//! changes, 1 an input error, 2 a usage error).

mod common;

use common::Project;

const OLD: &str = r#"let mlflow = import <mlflow>; in
mlflow.deployment {
  resources.requests = { cpu = "500m"; memory = "1Gi"; };
  storage.enabled = true;
  storage.size = "10Gi";
  mlflow.backendStoreUri = "sqlite:////mlflow/mlflow.db";
}
"#;

/// A new MLflow version, a smaller shared volume, an Ingress, a second replica, a new
/// backend store, a token for the pods.
const NEW: &str = r#"let mlflow = import <mlflow>; in
mlflow.deployment {
  resources.requests = { cpu = "500m"; memory = "1Gi"; };
  image.tag = "v3.13.0-full";
  storage.enabled = true;
  storage.size = "5Gi";
  storage.accessMode = "ReadWriteMany";
  ingress.enabled = true;
  server.value_options.allowed_hosts = "mlflow.local";
  replicaCount = 2;
  mlflow.backendStoreUri = "postgresql://db.example.com/mlflow";
  serviceAccount.automountServiceAccountToken = true;
}
"#;

#[test]
fn says_what_changes_and_what_each_change_does() {
    let project = Project::new("diff-human")
        .file("old.mlc", OLD)
        .file("new.mlc", NEW);
    let run = project.mlc(&["diff", "old.mlc", "new.mlc", "--color", "never"]);
    assert_eq!(run.code, Some(16), "{}", run.stderr);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!(run.stdout);

    let same = project.mlc(&["diff", "old.mlc", "old.mlc"]);
    assert_eq!(same.code, Some(0), "{}", same.stderr);
    assert_eq!(same.stdout, "mlc: no changes from old.mlc to old.mlc\n");

    let colour = project.mlc(&["diff", "old.mlc", "new.mlc", "--color", "always"]);
    assert_eq!(colour.code, Some(16));
    assert!(colour.stdout.contains("\x1b[31m"), "{}", colour.stdout);
}

#[test]
fn json_output_for_tools() {
    let project = Project::new("diff-json")
        .file("old.mlc", OLD)
        .file("new.mlc", NEW);
    let run = project.mlc(&["diff", "old.mlc", "new.mlc", "--message-format", "json"]);
    assert_eq!(run.code, Some(16), "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON object");
    insta::assert_snapshot!(serde_json::to_string_pretty(&value).expect("JSON"));
}

#[test]
fn one_file_at_a_git_revision() {
    let project = Project::new("diff-rev")
        .file("deploy/main.mlc", "import ./app.mlc\n")
        .file("deploy/app.mlc", OLD);
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(project.path(""))
            .output()
            .expect("run git");
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "first"]);
    // Only the imported file changes: the old side must build with the old import.
    std::fs::write(project.path("deploy/app.mlc"), NEW).expect("edit");
    let run = project.mlc(&[
        "diff",
        "deploy/main.mlc",
        "--rev",
        "HEAD",
        "--color",
        "never",
    ]);
    assert_eq!(run.code, Some(16), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("mlc diff deploy/main.mlc@HEAD → deploy/main.mlc\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("+ Ingress mlflow/mlflow-mlflow"),
        "{}",
        run.stdout
    );
    // The repository's own index is untouched.
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(project.path(""))
        .output()
        .expect("git status");
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        " M deploy/app.mlc\n"
    );

    git(&["add", "."]);
    git(&["commit", "-q", "-m", "second"]);
    let none = project.mlc(&["diff", "deploy/main.mlc", "--rev", "HEAD"]);
    assert_eq!(none.code, Some(0), "{}", none.stderr);

    std::fs::write(project.path("deploy/new.mlc"), OLD).expect("a new file");
    let new = project.mlc(&["diff", "deploy/new.mlc", "--rev", "HEAD"]);
    assert_eq!(new.code, Some(1), "{}", new.stderr);
    assert!(
        new.stderr
            .contains("`deploy/new.mlc` does not exist at `HEAD`"),
        "{}",
        new.stderr
    );

    let bad = project.mlc(&["diff", "deploy/main.mlc", "--rev", "no-such-rev"]);
    assert_eq!(bad.code, Some(2), "{}", bad.stderr);
    assert!(
        bad.stderr.contains("`no-such-rev` is not a revision"),
        "{}",
        bad.stderr
    );
}

#[test]
fn errors_and_usage_keep_their_exit_codes() {
    let project = Project::new("diff-errors")
        .file("old.mlc", OLD)
        .file("broken.mlc", "{ x = 1 ");
    let run = project.mlc(&["diff", "old.mlc", "broken.mlc", "--color", "never"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("error[E0101]"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(project.mlc(&["diff", "old.mlc"]).code, Some(2));
    assert_eq!(
        project
            .mlc(&["diff", "old.mlc", "old.mlc", "--rev", "HEAD"])
            .code,
        Some(2)
    );
}
