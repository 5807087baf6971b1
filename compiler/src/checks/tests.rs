use super::*;
use crate::db::RootDatabase;
use crate::stdlib::Stdlib;
use std::collections::HashSet;

/// The names of the checks the standard library reports (`check = "name";`).
fn stdlib_check_names() -> HashSet<String> {
    let mut names = HashSet::new();
    for module in ["mlflow/validate.mlc", "mlflow/refusals.mlc"] {
        let text =
            std::fs::read_to_string(format!("{}/../stdlib/{module}", env!("CARGO_MANIFEST_DIR")))
                .unwrap_or_default();
        for line in text.lines() {
            if let Some(rest) = line.trim().strip_prefix("check = \"") {
                if let Some(name) = rest.split('"').next() {
                    names.insert(name.to_string());
                }
            }
        }
    }
    names
}

#[test]
fn the_table_is_well_formed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for check in CHECKS {
        assert!(codes.insert(check.code), "{} twice", check.code);
        assert!(names.insert(check.name), "{} twice", check.name);
        assert!(
            check
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            check.name
        );
        let prefix = match check.level {
            Level::Error => "E05",
            Level::Warning => "W05",
        };
        assert!(check.code.as_str().starts_with(prefix), "{}", check.code);
        assert!(check.explanation.contains("Example:"), "{}", check.name);
        assert!(
            codes::explain(check.code.as_str()).is_none(),
            "{} in codes.rs too",
            check.code
        );
        assert_eq!(check.code.explanation(), Some(check.explanation));
    }
}

#[test]
fn the_library_reports_exactly_the_checks_of_the_table() {
    let reported = stdlib_check_names();
    let built_wide = ["duplicate-object", "selector-matches-nothing"];
    for name in &reported {
        assert!(
            table::find(name).is_some(),
            "the library reports `{name}`, not in the table"
        );
    }
    for check in CHECKS {
        assert!(
            reported.contains(check.name) || built_wide.contains(&check.name),
            "`{}` is in the table but nothing reports it",
            check.name
        );
    }
}

#[test]
fn docs_list_every_check_as_the_table_says() {
    let path = format!("{}/../docs/checks.md", env!("CARGO_MANIFEST_DIR"));
    let expected = table::markdown();
    if std::env::var_os("MLC_UPDATE_DOCS").is_some() {
        let _ = std::fs::write(&path, &expected);
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == expected,
        "docs/checks.md is not the table's: run `MLC_UPDATE_DOCS=1 cargo test -p mlc --lib checks`"
    );
}

#[test]
fn policies_take_names_and_codes_and_refuse_the_rest() {
    let allow =
        |args: &[&str]| Policy::new(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>(), &[]);
    assert!(allow(&["sqlite-replicas", "e0512", "W0518"]).is_ok());
    let unknown = allow(&["sqlite-replica"]).err().unwrap_or_default();
    assert!(
        unknown.contains("did you mean `sqlite-replicas`?"),
        "{unknown}"
    );
    assert!(allow(&["backend-store-required"]).is_err());
    let both = Policy::new(&["rwo-replicas".to_string()], &["E0512".to_string()]);
    assert!(both.is_err());
}

fn build(text: &str, policy: &Policy) -> crate::build::Build {
    let mut db = RootDatabase::new(Stdlib::default(), Some("/p"), None);
    let file = db.set_file_text("/p/main.mlc", text);
    let options = crate::build::Options {
        policy: policy.clone(),
        ..Default::default()
    };
    crate::build::build(&db, file, &options)
}

const SQLITE_TWO_REPLICAS: &str = r#"let mlflow = import <mlflow>; in
let base = { replicaCount = 2; };
in mlflow.deployment (base // {
  mlflow.backendStoreUri = "sqlite:////mlflow/mlflow.db";
  storage = { enabled = true; accessMode = "ReadWriteMany"; };
  resources.requests.cpu = "1";
  WAIVERS
})
"#;

#[test]
fn a_finding_is_at_the_option_written_even_through_a_let_and_an_update() {
    let text = SQLITE_TWO_REPLICAS.replace("WAIVERS", "");
    let build = build(&text, &Policy::default());
    let finding = build
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "E0513")
        .cloned();
    let Some(finding) = finding else {
        panic!("no sqlite-replicas: {:?}", build.diagnostics);
    };
    assert_eq!(&text[finding.primary.span.range()], "replicaCount = 2;");
    assert_eq!(
        &text[finding.secondary[0].span.range()],
        "mlflow.backendStoreUri = \"sqlite:////mlflow/mlflow.db\";"
    );
    let fix = finding.fix.clone().unwrap_or_else(|| panic!("no fix"));
    assert_eq!(
        (&text[fix.span.range()], fix.replacement.as_str()),
        ("2", "1")
    );
    assert!(finding
        .frames
        .iter()
        .all(|f| f.file.starts_with("<stdlib>")));
    assert!(build.manifests.is_none());
}

#[test]
fn a_waiver_with_a_reason_lifts_a_finding_and_deny_restores_it() {
    let text = SQLITE_TWO_REPLICAS.replace(
        "WAIVERS",
        "waivers.sqlite-replicas = \"single writer, see runbook\";",
    );
    let waived = build(&text, &Policy::default());
    assert!(waived.manifests.is_some(), "{:?}", waived.diagnostics);
    let note = waived
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "E0513");
    assert_eq!(
        note.and_then(|d| d.waived.as_deref()),
        Some("single writer, see runbook")
    );
    let denied = build(
        &text,
        &Policy::new(&[], &["sqlite-replicas".to_string()]).unwrap_or_default(),
    );
    assert!(denied.manifests.is_none());
}

#[test]
fn allow_on_the_command_line_reproduces_the_chart_output() {
    let text = SQLITE_TWO_REPLICAS.replace("WAIVERS", "");
    let allowed = build(
        &text,
        &Policy::new(&["E0513".to_string()], &[]).unwrap_or_default(),
    );
    assert!(allowed.manifests.is_some(), "{:?}", allowed.diagnostics);
}

#[test]
fn waivers_are_checked_themselves() {
    let text = SQLITE_TWO_REPLICAS.replace(
        "WAIVERS",
        "waivers = { sqlite-replica = \"x\"; tls-secret-name = \"old\"; sqlite-replicas = \"\"; backend-store-required = \"no\"; };",
    );
    let build = build(&text, &Policy::default());
    let codes: Vec<&str> = build.diagnostics.iter().map(|d| d.code.as_str()).collect();
    for code in ["E0513", "E0530", "W0530", "E0531"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let unknown = build
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "E0530");
    assert_eq!(
        unknown.and_then(|d| d.help.clone()).as_deref(),
        Some("did you mean `sqlite-replicas`?")
    );
}

#[test]
fn every_finding_is_reported_at_once_in_source_order() {
    let text = r#"let mlflow = import <mlflow>; in
mlflow.deployment {
  mlflow.backendStoreUri = "sqlite:////mlflow/mlflow.db";
  replicaCount = 2;
  tls = { enabled = true; secretName = ""; };
  metrics = { enabled = true; path = "metrics"; };
}
"#;
    let build = build(text, &Policy::default());
    let codes: Vec<&str> = build.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes,
        ["W0518", "W0510", "E0513", "E0518", "W0516"],
        "{:?}",
        build.diagnostics
    );
}

#[test]
fn two_deployments_with_one_name_make_duplicate_objects() {
    let text = r#"let mlflow = import <mlflow>; d = ns: mlflow.deployment {
  namespace = ns;
  mlflow.backendStoreUri = "postgresql://db/mlflow";
  resources.requests.cpu = "1";
  cluster_rbac.extraRules = [ { apiGroups = [ "" ]; resources = [ "pods" ]; verbs = [ "get" ]; } ];
}; in
[ (d "a") (d "b") ]
"#;
    let build = build(text, &Policy::default());
    let duplicates: Vec<&Diagnostic> = build
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "W0521")
        .collect();
    assert_eq!(duplicates.len(), 2, "{:?}", build.diagnostics);
    assert!(duplicates[0]
        .message
        .contains("ClusterRole `mlflow-mlflow`"));
    assert_eq!(&text[duplicates[0].primary.span.range()], "(d \"b\")");
}

#[test]
fn a_service_selecting_no_pod_is_found() {
    let text = r#"[
  { apiVersion = "v1"; kind = "Service"; metadata = { name = "s"; namespace = "n"; };
    spec = { selector.app = "web"; ports = [ { port = 80; } ]; }; }
  { apiVersion = "v1"; kind = "Pod"; metadata = { name = "p"; namespace = "n"; labels.app = "wbe"; };
    spec.containers = [ { name = "c"; image = "nginx:1.27"; } ]; }
]
"#;
    let build = build(text, &Policy::default());
    let codes: Vec<&str> = build.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["W0522"]);
}

#[test]
fn a_selector_matches_only_the_pods_of_its_own_namespace() {
    let text = r#"[
  { apiVersion = "v1"; kind = "Service"; metadata = { name = "s"; namespace = "n"; };
    spec = { selector.app = "web"; ports = [ { port = 80; } ]; }; }
  { apiVersion = "v1"; kind = "Service"; metadata = { name = "t"; namespace = "m"; };
    spec = { selector.app = "web"; ports = [ { port = 80; } ]; }; }
  { apiVersion = "v1"; kind = "Pod"; metadata = { name = "p"; namespace = "m"; labels.app = "web"; };
    spec.containers = [ { name = "c"; image = "nginx:1.27"; } ]; }
]
"#;
    let build = build(text, &Policy::default());
    let found: Vec<&str> = build
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("Service `s`"), "{found:?}");
}

const SERVER_OPTIONS: &str = r#"let mlflow = import <mlflow>; in
mlflow.deployment {
  mlflow.backendStoreUri = "postgresql://db/mlflow";
  mlflow.defaultArtifactRoot = "s3://bucket/mlflow";
  resources.requests.cpu = "1";
  OPTIONS
}
"#;

/// The codes of a build with `options` and the server's command line, if it builds.
fn server_build(options: &str, policy: &Policy) -> (Vec<String>, Option<Vec<String>>) {
    let build = build(&SERVER_OPTIONS.replace("OPTIONS", options), policy);
    let codes = build
        .diagnostics
        .iter()
        .filter(|d| d.waived.is_none())
        .map(|d| d.code.as_str().to_string())
        .collect();
    let command = build.manifests.and_then(|manifests| {
        let deployment = manifests.into_iter().find(|m| m.kind == "Deployment")?;
        let command = &deployment.value["spec"]["template"]["spec"]["containers"][0]["command"];
        serde_json::from_value(serde_json::to_value(command).ok()?).ok()
    });
    (codes, command)
}

/// The literal strings of `ty` (under names, lists, unions and `?`).
fn literals(ty: &crate::types::Type, out: &mut Vec<String>) {
    use crate::types::Type;
    match ty.shape() {
        Type::Literal(text) => out.push(text.to_string()),
        Type::List(item) => literals(item, out),
        Type::Union(members) => members.iter().for_each(|m| literals(m, out)),
        _ => {}
    }
}

#[test]
fn every_flag_and_option_of_the_type_is_one_the_check_knows() {
    let db = RootDatabase::default();
    let options = crate::reference::record_type(&db, "mlflow", "Options").expect("Options");
    let server = options
        .as_record()
        .and_then(|r| r.field("server"))
        .and_then(|f| f.ty.as_record().cloned())
        .expect("server");
    let mut flags = Vec::new();
    literals(&server.field("flag_options").expect("flags").ty, &mut flags);
    assert!(flags.len() >= 7, "{flags:?}");
    for flag in &flags {
        let (codes, command) = server_build(
            &format!("server.flag_options = [ \"{flag}\" ];"),
            &Policy::default(),
        );
        assert!(!codes.contains(&"E0520".to_string()), "{flag}: {codes:?}");
        let dashed = format!("--{}", flag.replace('_', "-"));
        assert!(command.unwrap_or_default().contains(&dashed), "{flag}");
    }
    let values = server.field("value_options").expect("values");
    let record = values.ty.as_record().expect("a record");
    assert!(
        record.open,
        "other keys reach the check, which `--allow` lifts"
    );
    for field in &record.fields {
        let value = if field.ty.to_string().contains("Int") || field.name.contains("port") {
            "30"
        } else {
            "\"x\""
        };
        let (codes, _) = server_build(
            &format!("server.value_options.{} = {value};", field.name),
            &Policy::default(),
        );
        assert!(
            !codes.contains(&"E0520".to_string()),
            "{}: {codes:?}",
            field.name
        );
    }
}

#[test]
fn an_unknown_server_option_is_refused_unless_allowed_then_passed_as_the_chart_does() {
    let options =
        "server.value_options.workres = 2; server.flag_options = [ \"enable_workspace\" ];";
    let (codes, command) = server_build(options, &Policy::default());
    assert_eq!(
        codes.iter().filter(|c| *c == "E0520").count(),
        2,
        "{codes:?}"
    );
    assert!(command.is_none());
    let allow = Policy::new(&["unknown-server-option".to_string()], &[]).unwrap_or_default();
    let (codes, command) = server_build(options, &allow);
    assert!(!codes.contains(&"E0520".to_string()), "{codes:?}");
    let command = command.unwrap_or_default();
    assert!(command.contains(&"--workres=2".to_string()), "{command:?}");
    assert!(
        command.contains(&"--enable-workspace".to_string()),
        "{command:?}"
    );
    // Set to null, an option is not passed at all, so it cannot stop the server.
    let (codes, command) = server_build("server.value_options.workres = null;", &Policy::default());
    assert!(!codes.contains(&"E0520".to_string()), "{codes:?}");
    assert!(!command
        .unwrap_or_default()
        .iter()
        .any(|a| a.starts_with("--workres")));
}

#[test]
fn both_spellings_of_an_option_work_as_in_the_chart() {
    // The chart writes each `_` as `-`: `serve-artifacts` and `serve_artifacts` are one flag,
    // and MLflow reads `--allowed-hosts` for both keys. Checks read either spelling.
    let (codes, command) = server_build(
        "server.flag_options = [ \"serve-artifacts\" ]; server.value_options.\"allowed-hosts\" = \"a.example.com\";",
        &Policy::default(),
    );
    assert!(!codes.contains(&"E0520".to_string()), "{codes:?}");
    let command = command.unwrap_or_default();
    assert!(command.contains(&"--serve-artifacts".to_string()));
    assert!(command.contains(&"--allowed-hosts=a.example.com".to_string()));
    // `app-name` is the basic-auth app too, so its secret key is checked.
    let (codes, _) = server_build(
        "server.value_options.app-name = \"basic-auth\";",
        &Policy::default(),
    );
    assert!(codes.contains(&"E0515".to_string()), "{codes:?}");
    // A value is checked against the option's type in either spelling.
    let (codes, command) = server_build(
        "server.value_options.secrets-cache-ttl = 5;",
        &Policy::default(),
    );
    assert!(codes.contains(&"E0305".to_string()), "{codes:?}");
    assert!(command.is_none());
    // A flag given a value, and an option given none, are refused with what to write.
    let (codes, _) = server_build(
        "server.value_options.dev = true; server.flag_options = [ \"workers\" ];",
        &Policy::default(),
    );
    assert_eq!(
        codes.iter().filter(|c| *c == "E0520").count(),
        2,
        "{codes:?}"
    );
}
