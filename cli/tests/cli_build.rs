//! End-to-end tests of `mlc build`: output formats, `--out-dir`, and the errors a
//! deployment file can have.

mod common;

use common::Project;

const QUICKSTART: &str = "let mlflow = import <mlflow>; in mlflow.deployment {\n  storage.enabled = true;\n  mlflow.backendStoreUri = \"sqlite:////mlflow/mlflow.db\";\n}\n";

#[test]
fn prints_yaml_in_install_order_and_the_same_every_time() {
    let project = Project::new("build-yaml").file("deploy.mlc", QUICKSTART);
    let first = project.mlc(&["build", "deploy.mlc"]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let kinds: Vec<&str> = first
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("kind: "))
        .collect();
    assert_eq!(
        kinds,
        [
            "ServiceAccount",
            "PersistentVolumeClaim",
            "Service",
            "Deployment"
        ]
    );
    let second = project.mlc(&["build", "deploy.mlc"]);
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn prints_a_json_list() {
    let project = Project::new("build-json").file("deploy.mlc", QUICKSTART);
    let run = project.mlc(&["build", "-o", "json", "deploy.mlc"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let list: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(list.as_array().map(Vec::len), Some(4));
}

#[test]
fn writes_one_file_per_object() {
    let project = Project::new("build-dir").file("deploy.mlc", QUICKSTART);
    let run = project.mlc(&["build", "deploy.mlc", "--out-dir", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mut files: Vec<String> = std::fs::read_dir(project.path("out"))
        .expect("out dir")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            ".mlc-out-dir",
            "deployment_mlflow_mlflow-mlflow.yaml",
            "persistentvolumeclaim_mlflow_mlflow-mlflow.yaml",
            "service_mlflow_mlflow-mlflow.yaml",
            "serviceaccount_mlflow_mlflow-mlflow.yaml"
        ]
    );
}

/// `--out-dir` owns the files it wrote: a build removes those of objects that are gone,
/// keeps files it did not write, and never writes outside the directory.
#[test]
fn out_dir_removes_the_files_of_objects_that_are_gone_and_nothing_else() {
    let object = |kind: &str, name: &str| {
        format!(
            "{{ apiVersion = \"v1\"; kind = \"{kind}\"; metadata.name = \"{name}\"; metadata.namespace = \"ns\"; data.x = \"1\"; }}"
        )
    };
    let project = Project::new("build-dir-prune")
        .file(
            "two.mlc",
            &format!(
                "[ {} {} ]",
                object("ConfigMap", "a"),
                object("ConfigMap", "b")
            ),
        )
        .file("one.mlc", &format!("[ {} ]", object("ConfigMap", "a")))
        .file("escape.mlc", &object("/./../../x/abs", "a"))
        .file(
            "clash.mlc",
            &format!(
                "[ {} {} ]",
                object("ConfigMap", "a"),
                object("configmap", "a")
            ),
        );
    let listing = |dir: &str| {
        let mut files: Vec<String> = std::fs::read_dir(project.path(dir))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    };
    assert_eq!(
        project
            .mlc(&["build", "two.mlc", "--out-dir", "out/x"])
            .code,
        Some(0)
    );
    std::fs::write(project.path("out/x/mine.yaml"), "mine").expect("a file of the user");
    assert_eq!(
        project
            .mlc(&["build", "one.mlc", "--out-dir", "out/x"])
            .code,
        Some(0)
    );
    assert_eq!(
        listing("out/x"),
        [".mlc-out-dir", "configmap_ns_a.yaml", "mine.yaml"]
    );

    // A kind that looks like a path stays a file name inside the directory.
    let run = project.mlc(&["build", "escape.mlc", "--out-dir", "out/x"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(listing("out"), ["x"]);
    assert_eq!(
        listing("out/x"),
        ["-.-..-..-x-abs_ns_a.yaml", ".mlc-out-dir", "mine.yaml"]
    );

    // Two objects for one file: an error, and the directory is left as it was.
    let run = project.mlc(&[
        "build",
        "clash.mlc",
        "--out-dir",
        "out/x",
        "--color",
        "never",
    ]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("would both be written to `configmap_ns_a.yaml`"),
        "{}",
        run.stderr
    );
    assert_eq!(
        listing("out/x"),
        ["-.-..-..-x-abs_ns_a.yaml", ".mlc-out-dir", "mine.yaml"]
    );

    let run = project.mlc(&["build", "one.mlc", "--out-dir", ""]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}

#[test]
fn a_field_kubernetes_does_not_know_is_an_error_at_its_source() {
    let project = Project::new("build-unknown-field").file(
        "deploy.mlc",
        "let mlflow = import <mlflow>; in mlflow.deployment {\n  mlflow.backendStoreUri = \"postgresql://db/mlflow\";\n  extraContainers = [ { name = \"sidecar\"; imag = \"busybox\"; } ];\n}\n",
    );
    let run = project.mlc(&["build", "--color", "never", "deploy.mlc"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains(
            "error[E0502]: `spec.template.spec.containers[1].imag` is not a field of Deployment"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("deploy.mlc:3:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("help: did you mean `image`?"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "no half output: {}", run.stdout);
}

#[test]
fn chart_refusals_are_errors() {
    let project =
        Project::new("build-no-backend").file("deploy.mlc", "(import <mlflow>).deployment { }\n");
    let run = project.mlc(&["build", "--color", "never", "deploy.mlc"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("mlflow.backendStoreUri or mlflow.backendStoreUriFrom is required"),
        "{}",
        run.stderr
    );
}

#[test]
fn values_that_are_not_objects_are_errors() {
    let project = Project::new("build-not-object").file(
        "deploy.mlc",
        "[ { kind = \"ConfigMap\"; metadata.name = \"x\"; } \"text\" ]\n",
    );
    let run = project.mlc(&["build", "--color", "never", "deploy.mlc"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("it has no `apiVersion`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("found a string"), "{}", run.stderr);
}

#[test]
fn infinity_in_an_object_is_an_error_at_the_value() {
    let project = Project::new("build-inf").file(
        "deploy.mlc",
        "{ apiVersion = \"example.com/v1\"; kind = \"Widget\"; metadata.name = \"x\";\n  spec.ratio = 1.0e308 * 10.0; }\n",
    );
    let run = project.mlc(&["build", "--color", "never", "deploy.mlc"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("a manifest cannot hold infinity (`inf`)"),
        "{}",
        run.stderr
    );
    // At the value, on the second line.
    assert!(run.stderr.contains("deploy.mlc:2:"), "{}", run.stderr);
}

#[test]
fn a_misspelt_chart_option_is_an_error_at_its_key_with_a_suggestion() {
    let project = Project::new("build-unknown-option").file(
        "deploy.mlc",
        "let mlflow = import <mlflow>; in\nmlflow.deployment {\n  mlflow.backendStoreUri = \"postgresql://db/mlflow\";\n  tsl.enabled = true;\n  storage.sise = \"1Gi\";\n  service.type = \"clusterIP\";\n}\n",
    );
    let run = project.mlc(&["build", "--color", "never", "deploy.mlc"]);
    assert_eq!(run.code, Some(1));
    // Every mistake is reported in one run, each at the key the user wrote.
    for expected in [
        "error[E0301]: unknown field `tsl`",
        "deploy.mlc:4:3",
        "help: did you mean `tls`?",
        "error[E0301]: unknown field `sise`",
        "deploy.mlc:5:11",
        "help: did you mean `size`?",
        "error[E0304]: \"clusterIP\" is not one of the allowed values",
        "help: did you mean \"ClusterIP\"?",
    ] {
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    }
}

/// Builds a deployment with `options` and returns (exit code, stderr).
fn build_with(test: &str, options: &str, extra_args: &[&str]) -> (Option<i32>, String) {
    let project = Project::new(test).file(
        "deploy.mlc",
        &format!("let lib = import <lib>; mlflow = import <mlflow>; in\nmlflow.deployment {{\n{options}\n}}\n"),
    );
    let mut args = vec!["build", "--color", "never"];
    args.extend_from_slice(extra_args);
    args.push("deploy.mlc");
    let run = project.mlc(&args);
    (run.code, run.stderr)
}

#[test]
fn checks_beyond_the_chart_are_errors_at_the_option_written() {
    let cases = [
        (
            "replicas-rwo",
            "mlflow.backendStoreUri = \"postgresql://db/m\"; storage.enabled = true; replicaCount = 2;",
            "error[E0512]",
            "a ReadWriteOnce volume can be mounted by one node only",
        ),
        (
            "replicas-sqlite",
            "mlflow.backendStoreUri = \"sqlite:////mlflow/m.db\"; storage = { enabled = true; accessMode = \"ReadWriteMany\"; }; replicaCount = 2;",
            "error[E0513]",
            "a SQLite database cannot be shared",
        ),
        (
            "workspaces-file-store",
            "mlflow.backendStoreUri = \"/mlflow/store\"; storage.enabled = true; mlflow.defaultArtifactRoot = \"s3://b\"; server.flag_options = [ \"enable_workspaces\" ];",
            "error[E0514]",
            "the server will not start: workspaces need a SQL backend store",
        ),
        (
            "basic-auth-no-key",
            "mlflow.backendStoreUri = \"postgresql://db/m\"; server.value_options.app_name = \"basic-auth\";",
            "error[E0515]",
            "the server will not start: the basic-auth app needs MLFLOW_FLASK_SERVER_SECRET_KEY",
        ),
        (
            "ingress-host-not-allowed",
            "mlflow.backendStoreUri = \"postgresql://db/m\"; ingress = { enabled = true; hosts = [ { host = \"mlflow.example.com\"; paths = [ { path = \"/\"; pathType = \"Prefix\"; } ]; } ]; };",
            "error[E0519]",
            "with HTTP 403",
        ),
    ];
    for (name, options, code, message) in cases {
        let (exit, stderr) = build_with(name, options, &[]);
        assert_eq!(exit, Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains(code) && stderr.contains(message),
            "{name}: {stderr}"
        );
        // The options are on line 3 of the file: the finding is there, not at the call.
        assert!(
            stderr.contains("deploy.mlc:3:"),
            "{name} points at the option: {stderr}"
        );
        assert!(
            !stderr.contains("<stdlib>"),
            "{name} shows no library frame: {stderr}"
        );
        let (exit, stderr) = build_with(
            &format!("{name}-allowed"),
            options,
            &[
                "--allow",
                code.trim_start_matches("error[").trim_end_matches(']'),
            ],
        );
        assert_eq!(exit, Some(0), "{name} with --allow: {stderr}");
    }
}

#[test]
fn checks_beyond_the_chart_are_warnings_that_can_be_denied() {
    let cases = [
        ("sqlite-no-storage", "mlflow.backendStoreUri = \"sqlite:////tmp/m.db\";", "warning[W0510]", "is lost when the pod restarts"),
        (
            "workspaces-no-root",
            "mlflow.backendStoreUri = \"postgresql://db/m\"; server.flag_options = [ \"enable_workspaces\" ];",
            "warning[W0511]",
            "keep every artifact in `./mlartifacts` inside the container",
        ),
        (
            "all-workspaces-without-workspaces",
            "mlflow.backendStoreUri = \"postgresql://db/m\"; garbageCollection = { enabled = true; allWorkspaces = true; };",
            "warning[W0512]",
            "allWorkspaces has no effect",
        ),
        (
            "inline-password",
            "mlflow.backendStoreUri = \"postgresql://mlflow:hunter2@db/m\";",
            "warning[W0513]",
            "has a password written into it",
        ),
    ];
    for (name, options, code, message) in cases {
        let (exit, stderr) = build_with(name, options, &[]);
        assert_eq!(exit, Some(0), "{name}: {stderr}");
        assert!(
            stderr.contains(code) && stderr.contains(message),
            "{name}: {stderr}"
        );
        let (exit, stderr) = build_with(&format!("{name}-denied"), options, &["--deny-warnings"]);
        assert_eq!(exit, Some(1), "{name} with --deny-warnings: {stderr}");
    }
}

/// Every example builds without a warning, and its YAML holds the same objects as its JSON
/// (the YAML writer reads back exactly). Examples of scenarios the chart refuses must fail.
#[test]
fn every_example_builds_and_its_yaml_reads_back_as_its_json() {
    use serde::Deserialize;
    let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut examples = Vec::new();
    common::mlc_files(&repository.join("examples"), &mut examples);
    let mut built = 0;
    for example in &examples {
        let name = example
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let file = example.to_string_lossy().to_string();
        // hello.mlc evaluates to a plain value, not to manifests.
        if name == "hello" {
            continue;
        }
        let json = common::run_in(
            &repository,
            &[
                "build",
                "--color",
                "never",
                "--deny-warnings",
                "-o",
                "json",
                &file,
            ],
        );
        let refused = example.parent().is_some_and(|p| p.ends_with("conformance"))
            && repository
                .join("tests/conformance")
                .join(&name)
                .join("error.txt")
                .exists();
        if refused {
            assert_eq!(
                json.code,
                Some(1),
                "{file} must be refused:\n{}",
                json.stdout
            );
            continue;
        }
        assert_eq!(json.code, Some(0), "{file}:\n{}", json.stderr);
        assert!(json.stderr.is_empty(), "{file} warns:\n{}", json.stderr);
        let objects: serde_json::Value = serde_json::from_str(&json.stdout).expect("a JSON list");
        let yaml = common::run_in(&repository, &["build", "--color", "never", &file]);
        assert_eq!(yaml.code, Some(0), "{file}:\n{}", yaml.stderr);
        let documents: Vec<serde_json::Value> = serde_yaml::Deserializer::from_str(&yaml.stdout)
            .map(|document| serde_json::Value::deserialize(document).expect("YAML"))
            .collect();
        assert_eq!(serde_json::Value::from(documents), objects, "{file}");
        built += 1;
    }
    assert!(built >= 25, "only {built} examples built");
}

/// `createNamespace` emits the Namespace first, as Helm's `--create-namespace` creates it;
/// it is off by default.
#[test]
fn create_namespace_emits_the_namespace_first() {
    let project = Project::new("build-namespace")
        .file("off.mlc", QUICKSTART)
        .file(
            "on.mlc",
            &QUICKSTART.replace(
                "storage.enabled",
                "namespace = \"team-a\";\n  createNamespace = true;\n  storage.enabled",
            ),
        );
    let off = project.mlc(&["build", "off.mlc", "-o", "json"]);
    assert_eq!(off.code, Some(0), "{}", off.stderr);
    assert!(!off.stdout.contains("\"Namespace\""), "{}", off.stdout);
    let on = project.mlc(&["build", "on.mlc", "-o", "json"]);
    assert_eq!(on.code, Some(0), "{}", on.stderr);
    let objects: Vec<serde_json::Value> = serde_json::from_str(&on.stdout).expect("JSON");
    assert_eq!(
        objects[0],
        serde_json::json!({
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": { "name": "team-a", "labels": { "name": "team-a" } },
        })
    );
    assert!(objects[1..]
        .iter()
        .all(|object| object["metadata"]["namespace"] == "team-a"));
}

/// `--applyset NAME`: every object is labelled as a member and the parent Secret is added;
/// without it the output has no ApplySet label at all.
#[test]
fn applyset_labels_members_and_adds_the_parent() {
    let project = Project::new("build-applyset").file("deploy.mlc", QUICKSTART);
    let plain = project.mlc(&["build", "deploy.mlc"]);
    assert_eq!(plain.code, Some(0), "{}", plain.stderr);
    assert!(!plain.stdout.contains("applyset"), "{}", plain.stdout);

    let run = project.mlc(&[
        "build",
        "deploy.mlc",
        "--applyset",
        "mlflow-set",
        "-o",
        "json",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let objects: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("JSON");
    let id = mlc::k8s::applyset::id("mlflow-set", "mlflow", "Secret", "");
    let parent = objects
        .iter()
        .find(|o| o["kind"] == "Secret")
        .expect("the parent");
    assert_eq!(
        parent["metadata"]["labels"]["applyset.kubernetes.io/id"],
        *id
    );
    assert_eq!(
        parent["metadata"]["annotations"]["applyset.kubernetes.io/contains-group-kinds"],
        "Deployment.apps,PersistentVolumeClaim,Service,ServiceAccount"
    );
    assert_eq!(
        parent["metadata"]["annotations"]["applyset.kubernetes.io/tooling"],
        format!("mlc/{}", env!("CARGO_PKG_VERSION"))
    );
    for object in objects.iter().filter(|o| o["kind"] != "Secret") {
        assert_eq!(
            object["metadata"]["labels"]["applyset.kubernetes.io/part-of"],
            *id
        );
    }

    let bad = project.mlc(&["build", "deploy.mlc", "--applyset", "Not_A_Name"]);
    assert_eq!(bad.code, Some(1), "{}", bad.stderr);
    assert!(
        bad.stderr.contains("cannot name the ApplySet's parent"),
        "{}",
        bad.stderr
    );
}
