//! The Argo CD config management plugin (`deploy/argocd/plugin.yaml`), run as Argo CD runs
//! it: its `generate` command, in the application's path, with only the environment Argo CD
//! gives a plugin (`ARGOCD_APP_*`, the `ARGOCD_ENV_*` parameters) and `mlc` on `PATH`. A good
//! application prints a YAML stream of objects, the same bytes wherever it runs; a bad one
//! exits non-zero with the diagnostics on stderr and nothing on stdout.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The plugin's `generate` command and arguments, as written in plugin.yaml.
fn generate_command() -> Vec<String> {
    let text = std::fs::read_to_string(repository().join("deploy/argocd/plugin.yaml"))
        .expect("read plugin.yaml");
    let plugin: serde_json::Value = serde_yaml::from_str(&text).expect("plugin.yaml is YAML");
    assert_eq!(plugin["kind"], "ConfigManagementPlugin");
    assert_eq!(plugin["spec"]["discover"]["fileName"], "*.mlc");
    let generate = &plugin["spec"]["generate"];
    let strings = |value: &serde_json::Value| -> Vec<String> {
        value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| item.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut command = strings(&generate["command"]);
    command.extend(strings(&generate["args"]));
    assert!(!command.is_empty(), "plugin.yaml has no generate command");
    command
}

/// Runs `generate` in `app` with Argo CD's environment plus `env`.
fn generate(app: &Path, env: &[(&str, &str)]) -> Output {
    let command = generate_command();
    let bin = Path::new(env!("CARGO_BIN_EXE_mlc"))
        .parent()
        .expect("the binary's directory")
        .to_path_buf();
    let mut process = Command::new(&command[0]);
    process
        .args(&command[1..])
        .current_dir(app)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("ARGOCD_APP_NAME", "mlflow")
        .env("ARGOCD_APP_NAMESPACE", "argocd")
        .env("ARGOCD_APP_REVISION", "0123456789abcdef")
        .env("ARGOCD_APP_SOURCE_PATH", "apps/mlflow")
        .env("ARGOCD_APP_SOURCE_REPO_URL", "https://example.com/repo.git")
        .env("ARGOCD_APP_SOURCE_TARGET_REVISION", "HEAD")
        .env("KUBE_VERSION", "1.33");
    for (key, value) in env {
        process.env(key, value);
    }
    process.output().expect("run the generate command")
}

fn documents(stdout: &[u8]) -> Vec<serde_json::Value> {
    let text = std::str::from_utf8(stdout).expect("UTF-8");
    serde_yaml::Deserializer::from_str(text)
        .map(|document| serde_json::Value::deserialize(document).expect("a YAML document"))
        .collect()
}

fn app(name: &str) -> common::Project {
    let quickstart =
        std::fs::read_to_string(repository().join("examples/quickstart.mlc")).expect("example");
    common::Project::new(name)
        .file("apps/mlflow/deploy.mlc", &quickstart)
        .file("apps/mlflow/other.mlc", "import ./deploy.mlc\n")
}

#[test]
fn generate_prints_a_yaml_stream_of_objects() {
    let project = app("argocd-good");
    let output = generate(&project.path("apps/mlflow"), &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let objects = documents(&output.stdout);
    assert_eq!(objects.len(), 4);
    for object in &objects {
        assert!(
            object["apiVersion"].is_string() && object["kind"].is_string(),
            "{object}"
        );
        assert!(object["metadata"]["name"].is_string(), "{object}");
    }

    // The parameters: another file, an ApplySet, more flags.
    let output = generate(
        &project.path("apps/mlflow"),
        &[
            ("ARGOCD_ENV_MLC_FILE", "other.mlc"),
            ("ARGOCD_ENV_MLC_APPLYSET", "mlflow-set"),
            ("ARGOCD_ENV_MLC_FLAGS", "--deny-warnings"),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let objects = documents(&output.stdout);
    assert_eq!(objects.len(), 5);
    assert!(objects
        .iter()
        .any(|o| o["kind"] == "Secret" && o["metadata"]["name"] == "mlflow-set"));
}

#[test]
fn the_same_input_gives_the_same_bytes_wherever_it_runs() {
    let first = app("argocd-same-a");
    let second = app("argocd-same-b");
    let reference = generate(&first.path("apps/mlflow"), &[]);
    assert!(reference.status.success());
    let elsewhere = generate(
        &second.path("apps/mlflow"),
        &[
            ("HOME", "/nonexistent"),
            ("LANG", "tr_TR.UTF-8"),
            ("LC_ALL", "tr_TR.UTF-8"),
            ("TZ", "Pacific/Kiritimati"),
            ("NO_COLOR", "1"),
            ("TERM", "xterm-256color"),
            ("ARGOCD_APP_NAME", "other"),
            ("ARGOCD_APP_REVISION", "fedcba9876543210"),
        ],
    );
    assert!(elsewhere.status.success());
    assert_eq!(reference.stdout, elsewhere.stdout);
    assert_eq!(reference.stderr, elsewhere.stderr);
    // And the same as `mlc build` of the file.
    let build = first.mlc(&["build", "apps/mlflow/deploy.mlc"]);
    assert_eq!(String::from_utf8_lossy(&reference.stdout), build.stdout);
}

#[test]
fn bad_input_fails_with_the_diagnostics_on_stderr() {
    let project = app("argocd-bad").file("apps/mlflow/deploy.mlc", "{ x = 1 ");
    let output = generate(&project.path("apps/mlflow"), &[]);
    assert!(!output.status.success());
    assert!(
        output.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error[E0101]"), "{stderr}");
    assert!(stderr.contains("deploy.mlc:1:"), "{stderr}");
    assert!(
        !stderr.contains("\x1b["),
        "no colours for Argo CD: {stderr}"
    );

    let missing = generate(
        &project.path("apps/mlflow"),
        &[("ARGOCD_ENV_MLC_FILE", "nope.mlc")],
    );
    assert!(!missing.status.success());
    assert!(missing.stdout.is_empty());
    assert!(!missing.stderr.is_empty());
}
