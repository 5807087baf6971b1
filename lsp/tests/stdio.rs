//! End-to-end test: starts the real `mlc-lsp` binary and speaks JSON-RPC to it over stdio.

mod support;

use std::io::Write;

use serde_json::{json, Value};
use support::{at, labels, Client, Workspace};

#[test]
fn initialize_open_change_diagnostics_shutdown() {
    let dir = std::env::temp_dir().join(format!("mlc-lsp-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("deploy.mlc");
    let uri = format!("file://{}", path.display());

    let mut client = Client::start();
    let init = client.request(1, "initialize", json!({"capabilities": {}}));
    assert_eq!(
        init["result"]["capabilities"]["textDocumentSync"]["change"],
        json!(2),
        "incremental sync: {init}"
    );
    client.notify("initialized", json!({}));

    // A file that imports a missing file gets an import diagnostic at the path literal.
    let text = "# ü😀\nlet x = import ./missing.mlc; in x\n";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "mlc", "version": 1, "text": text}}),
    );
    let first = client.diagnostics_for(&uri);
    assert_eq!(first["version"], json!(1));
    let diags = first["diagnostics"].as_array().expect("array");
    assert!(!diags.is_empty(), "expected diagnostics: {first}");

    // Incremental edit: replace the whole second line with a valid expression.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{
                "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 35}},
                "text": "let x = 1; in x"
            }]
        }),
    );
    let second = client.diagnostics_for(&uri);
    assert_eq!(second["version"], json!(2));
    // The server must see exactly the text the edit produced: its diagnostics are those of
    // the compiler's own parse of that text (none once the real parser is merged).
    let edited = "# ü😀\nlet x = 1; in x\n";
    let expected: Vec<String> = mlc::syntax::parse(edited)
        .errors
        .iter()
        .map(|e| e.message.clone())
        .collect();
    let got: Vec<String> = second["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            d["message"]
                .as_str()
                .unwrap_or("")
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(got, expected, "{second}");
    assert!(
        !got.iter().any(|m| m.contains("missing.mlc")),
        "the import error must be gone after the edit: {second}"
    );

    // A burst of edits: published versions only increase, and the last one is published.
    for version in 3..23 {
        let text = if version % 2 == 0 { "x" } else { "" };
        let end = if version % 2 == 0 { 0 } else { 1 };
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": end}},
                    "text": text
                }]
            }),
        );
    }
    let mut last = 2;
    while last != 22 {
        let version = client.diagnostics_for(&uri)["version"]
            .as_i64()
            .expect("version");
        assert!(version > last, "version {version} published after {last}");
        last = version;
    }

    let unknown = client.request(2, "textDocument/unknownThing", json!({}));
    assert_eq!(unknown["error"]["code"], json!(-32601), "{unknown}");

    let shutdown = client.request(3, "shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("wait");
    assert!(status.success(), "exit status {status}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn completion_of_relative_imports_in_incomplete_code() {
    let dir = std::env::temp_dir().join(format!("mlc-lsp-e2e-compl-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).expect("temp dir");
    std::fs::write(dir.join("values.mlc"), "{ }").expect("write");
    std::fs::write(dir.join("notes.txt"), "").expect("write");
    let uri = format!("file://{}", dir.join("deploy.mlc").display());

    let mut client = Client::start();
    client.request(1, "initialize", json!({"capabilities": {}}));
    client.notify("initialized", json!({}));
    // Unfinished code: the import path is half typed and nothing closes the `let`.
    let text = "# é😀\nlet v = import ./va";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "mlc", "version": 1, "text": text}}),
    );
    let reply = client.request(
        2,
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 19}}),
    );
    let items = reply["result"].as_array().expect("items");
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels, ["sub/", "values.mlc"], "{reply}");
    assert_eq!(
        items[1]["textEdit"]["range"],
        json!({"start": {"line": 1, "character": 17}, "end": {"line": 1, "character": 19}})
    );

    // Outside an import there is nothing to offer yet.
    let reply = client.request(
        3,
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}),
    );
    assert_eq!(reply["result"], Value::Null, "{reply}");

    client.request(4, "shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().expect("wait").success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn navigation_rename_hover_and_outline() {
    let ws = Workspace::new(
        "nav",
        &[(
            "lib.mlc",
            "{\n  # Says hello.\n  greet = name: \"hi ${name}\";\n}\n",
        )],
    );
    let cache = ws.0.join("cache");
    let uri = ws.uri("main.mlc");
    let text = "let\n  lib = import ./lib.mlc;\n  port = 80;\nin {\n  inherit port;\n  msg = lib.greet \"x\";\n  p = port + 1;\n  m = import <mlflow>;\n}\n";
    let mut client = Client::start_with_cache(&cache);
    let init = client.request(1, "initialize", json!({"capabilities": {}}));
    let caps = &init["result"]["capabilities"];
    for cap in [
        "definitionProvider",
        "referencesProvider",
        "hoverProvider",
        "documentSymbolProvider",
        "foldingRangeProvider",
        "documentFormattingProvider",
    ] {
        assert_eq!(caps[cap], json!(true), "{cap}: {init}");
    }
    assert_eq!(caps["renameProvider"]["prepareProvider"], json!(true));
    assert!(caps["semanticTokensProvider"]["legend"]["tokenTypes"].is_array());
    client.notify("initialized", json!({}));
    client.open(&uri, text);

    // `lib.greet` leads into lib.mlc.
    let reply = client.request(2, "textDocument/definition", at(&uri, 5, 13));
    assert_eq!(
        reply["result"][0]["uri"],
        json!(ws.uri("lib.mlc")),
        "{reply}"
    );
    assert_eq!(
        reply["result"][0]["range"]["start"],
        json!({"line": 2, "character": 2})
    );
    // `<mlflow>` leads to the read-only copy of the standard library.
    let reply = client.request(3, "textDocument/definition", at(&uri, 7, 16));
    let target = reply["result"][0]["uri"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        target.ends_with("/mlflow.mlc") && target.contains("/mlc/stdlib-"),
        "{reply}"
    );
    let copy = target.trim_start_matches("file://");
    assert_eq!(
        std::fs::read_to_string(copy).ok().as_deref(),
        Some(
            mlc::stdlib::Stdlib::default()
                .file("<stdlib>/mlflow.mlc")
                .unwrap_or_default()
        )
    );
    assert!(std::fs::metadata(copy)
        .map(|m| m.permissions().readonly())
        .unwrap_or(false));

    // References of `port`, with and without its declaration.
    let mut refs = at(&uri, 2, 3);
    refs["context"] = json!({"includeDeclaration": true});
    let reply = client.request(4, "textDocument/references", refs.clone());
    let lines: Vec<i64> = reply["result"]
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| l["range"]["start"]["line"].as_i64().unwrap_or(-1))
        .collect();
    assert_eq!(lines, [2, 4, 6], "{reply}");
    refs["context"] = json!({"includeDeclaration": false});
    let reply = client.request(5, "textDocument/references", refs);
    assert_eq!(reply["result"].as_array().map(Vec::len), Some(2), "{reply}");

    // Rename `port`: the `inherit port;` keeps the attribute's name.
    let reply = client.request(6, "textDocument/prepareRename", at(&uri, 6, 7));
    assert_eq!(reply["result"]["placeholder"], json!("port"), "{reply}");
    let mut params = at(&uri, 2, 3);
    params["newName"] = json!("listen");
    let reply = client.request(7, "textDocument/rename", params);
    let mut edits: Vec<(i64, i64, String)> = reply["result"]["changes"][&uri]
        .as_array()
        .expect("edits")
        .iter()
        .map(|e| {
            (
                e["range"]["start"]["line"].as_i64().unwrap_or(-1),
                e["range"]["start"]["character"].as_i64().unwrap_or(-1),
                e["newText"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    edits.sort();
    assert_eq!(
        edits,
        [
            (2, 2, "listen".to_string()),
            (4, 2, "port = listen;".to_string()),
            (6, 6, "listen".to_string())
        ],
        "{reply}"
    );
    // Builtins cannot be renamed; the error says why.
    let reply = client.request(8, "textDocument/prepareRename", at(&uri, 7, 7));
    assert!(
        reply["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("builtin"),
        "{reply}"
    );

    // Hover shows the doc comment from lib.mlc, and builtin documentation.
    let reply = client.request(9, "textDocument/hover", at(&uri, 5, 13));
    let value = reply["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(value.contains("Says hello."), "{reply}");
    let reply = client.request(10, "textDocument/hover", at(&uri, 7, 7));
    let value = reply["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(value.contains("import path"), "{reply}");

    // The outline: the let bindings, then the body's attributes.
    let reply = client.request(
        11,
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let names: Vec<&str> = reply["result"]
        .as_array()
        .expect("symbols")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, ["lib", "port", "port", "msg", "p", "m"], "{reply}");
    let reply = client.request(
        12,
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(
        reply["result"]
            .as_array()
            .is_some_and(|r| r.iter().any(|f| f["startLine"] == json!(3))),
        "{reply}"
    );
    let reply = client.request(
        13,
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
    let data = reply["result"]["data"].as_array().expect("data");
    assert_eq!(data.len() % 5, 0);
    // The first token is the keyword `let` at 0:0.
    assert_eq!(&data[..3], &[json!(0), json!(0), json!(3)], "{reply}");
    client.stop();
}

#[test]
fn completion_formatting_and_evaluation_while_typing() {
    let ws = Workspace::new("edit", &[]);
    let uri = ws.uri("main.mlc");
    let mut client = Client::start();
    client.request(1, "initialize", json!({"capabilities": {}}));
    client.notify("initialized", json!({}));
    // Unfinished code: no `;` and no `in` yet.
    let text = "let\n  port = 80;\n  host = builtins.toJS";
    client.open(&uri, text);
    let reply = client.request(2, "textDocument/completion", at(&uri, 2, 22));
    let offered = labels(&reply);
    assert!(
        offered.iter().any(|l| l == "toJSON") && !offered.iter().any(|l| l == "port"),
        "{reply}"
    );
    let reply = client.request(3, "textDocument/completion", at(&uri, 2, 11));
    let offered = labels(&reply);
    assert!(
        offered.iter().any(|l| l == "port") && offered.iter().any(|l| l == "map"),
        "{reply}"
    );

    // Formatting refuses code with syntax errors, and formats valid code.
    let format =
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}});
    let reply = client.request(4, "textDocument/formatting", format.clone());
    assert!(
        reply["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("syntax errors"),
        "{reply}"
    );
    let valid = "{a=1;\nb=throw \"boom\";}\n";
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": valid}]}),
    );
    let reply = client.request(5, "textDocument/formatting", format);
    let edits = reply["result"].as_array().expect("edits");
    assert!(!edits.is_empty(), "{reply}");
    // The whole build is checked while typing: the evaluation's `throw` is reported
    // without a save.
    let published = client.diagnostics_at(&uri, 2);
    let codes: Vec<&str> = published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.iter().any(|c| c.starts_with("E04")), "{published}");
    // The next edit that fixes it clears it.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "{ a = 1; }\n"}]}),
    );
    let published = client.diagnostics_at(&uri, 3);
    assert_eq!(published["diagnostics"], json!([]), "{published}");
    client.stop();
}

/// The type checker in the editor: the options of `mlflow.deployment` are completed with
/// their types and docs (also inside nested sets, after `storage.`, and the values of a
/// literal union in a string), hover on an option shows its documentation, and go to
/// definition on an option opens its declaration in the standard library.
#[test]
fn typed_completion_hover_and_definition_of_mlflow_options() {
    let ws = Workspace::new("typed", &[]);
    let cache = ws.0.join("cache");
    let uri = ws.uri("deploy.mlc");
    let text = "let mlflow = import <mlflow>; in\nmlflow.deployment {\n  storage.enabled = true;\n  service = { type = \"C\"; };\n  \n}\n";
    let mut client = Client::start_with_cache(&cache);
    client.request(1, "initialize", json!({"capabilities": {}}));
    client.notify("initialized", json!({}));
    client.open(&uri, text);

    // A new key in the deployment record: every option not written yet.
    let reply = client.request(2, "textDocument/completion", at(&uri, 4, 2));
    let options = labels(&reply);
    for option in [
        "replicaCount",
        "ingress",
        "tls",
        "garbageCollection",
        "mlflow",
    ] {
        assert!(
            options.contains(&option.to_string()),
            "{option}: {options:?}"
        );
    }
    assert!(
        !options.contains(&"service".to_string()),
        "already written: {options:?}"
    );
    let items = reply["result"].as_array().cloned().unwrap_or_default();
    let replicas = items
        .iter()
        .find(|item| item["label"] == "replicaCount")
        .cloned()
        .unwrap_or_default();
    assert_eq!(replicas["detail"], json!("Int(0..)? = 1"), "{replicas}");
    assert!(
        replicas["documentation"]["value"]
            .as_str()
            .is_some_and(|doc| doc.contains("How many MLflow server pods")),
        "{replicas}"
    );

    // Inside the nested `service = { ... }` set: the service's fields.
    let reply = client.request(3, "textDocument/completion", at(&uri, 3, 14));
    assert!(
        labels(&reply).contains(&"annotations".to_string()),
        "{reply}"
    );

    // Inside the string of a literal union: the allowed values.
    let reply = client.request(4, "textDocument/completion", at(&uri, 3, 22));
    assert_eq!(
        labels(&reply),
        ["ClusterIP", "NodePort", "LoadBalancer"],
        "{reply}"
    );

    // Hover on an option: its type, default and doc.
    let reply = client.request(5, "textDocument/hover", at(&uri, 2, 4));
    let hover = reply["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(hover.contains("storage :: "), "{hover}");
    assert!(hover.contains("PersistentVolumeClaim"), "{hover}");

    // Go to definition on an option: its declaration in the stdlib's copy.
    let reply = client.request(6, "textDocument/definition", at(&uri, 2, 12));
    let target = reply["result"][0]["uri"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(target.ends_with("mlflow/options.mlc"), "{reply}");

    // Completion after `storage.` written as a key.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 4, "character": 2}, "end": {"line": 4, "character": 2}}, "text": "storage."}]
        }),
    );
    let reply = client.request(7, "textDocument/completion", at(&uri, 4, 10));
    let fields = labels(&reply);
    for field in ["size", "accessMode", "storageClassName"] {
        assert!(fields.contains(&field.to_string()), "{field}: {fields:?}");
    }
    client.stop();
}

/// Types `text` at `line:character` of `uri`, one character per `didChange`, as an editor
/// does; `version` is the document's version before the first one.
fn type_chars(
    client: &mut Client,
    uri: &str,
    version: &mut i64,
    line: u32,
    character: u32,
    text: &str,
) {
    for (i, ch) in text.chars().enumerate() {
        *version += 1;
        let col = character + i as u32;
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": *version},
                "contentChanges": [{"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": ch.to_string()}]
            }),
        );
    }
}

/// A key being typed (no `=` yet) is completed as a key of the deployment's record, between
/// other bindings, at the end of the set, as the first key and in a nested set.
#[test]
fn completion_of_a_key_while_typing_it() {
    let ws = Workspace::new("typing", &[]);
    let cache = ws.0.join("cache");
    let uri = ws.uri("deploy.mlc");
    let text = "let mlflow = import <mlflow>; in\nmlflow.deployment {\n  replicaCount = 1;\n  \n  image.tag = \"3\";\n}\n";
    let mut client = Client::start_with_cache(&cache);
    client.request(1, "initialize", json!({"capabilities": {}}));
    client.notify("initialized", json!({}));
    client.open(&uri, text);
    let mut version = 1;
    type_chars(&mut client, &uri, &mut version, 3, 2, "sto");
    let reply = client.request(2, "textDocument/completion", at(&uri, 3, 5));
    let got = labels(&reply);
    assert!(got.contains(&"storage".to_string()), "{got:?}");
    assert!(!got.contains(&"map".to_string()), "{got:?}");
    assert!(
        !got.contains(&"replicaCount".to_string()),
        "written: {got:?}"
    );

    // Nested: `storage = { si` inside the set.
    type_chars(&mut client, &uri, &mut version, 3, 5, "rage = { si");
    let reply = client.request(3, "textDocument/completion", at(&uri, 3, 16));
    let got = labels(&reply);
    assert!(got.contains(&"size".to_string()), "{got:?}");
    assert!(!got.contains(&"storage".to_string()), "{got:?}");
    client.stop();
}

/// The `path:line:character` of each location of a reply, sorted.
fn places(ws: &Workspace, locations: &Value) -> Vec<String> {
    let root = format!("file://{}/", ws.0.display());
    let mut out: Vec<String> = locations
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|l| {
            format!(
                "{}:{}:{}",
                l["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .trim_start_matches(&root),
                l["range"]["start"]["line"],
                l["range"]["start"]["character"]
            )
        })
        .collect();
    out.sort();
    out
}

/// A workspace of files on disk, one of them open: references and rename cross files
/// (from a use, into a file never opened), workspace symbols list every file, an error in
/// an imported file is shown at the `import` with its real place as related information,
/// and editing the imported file republishes its importer.
#[test]
fn a_workspace_on_disk_across_files() {
    let ws = Workspace::new(
        "workspace",
        &[
            ("lib.mlc", "{\n  greet = 1;\n  other = 2;\n}\n"),
            (
                "main.mlc",
                "let lib = import ./lib.mlc; in\nlib.greet + lib.other\n",
            ),
            ("more.mlc", "(import ./lib.mlc).greet\n"),
        ],
    );
    let main = ws.uri("main.mlc");
    let lib = ws.uri("lib.mlc");
    let mut client = Client::start_in(&ws.0);
    client.open(
        &main,
        "let lib = import ./lib.mlc; in\nlib.greet + lib.other\n",
    );
    let published = client.diagnostics_for(&main);
    assert_eq!(published["diagnostics"], json!([]), "{published}");

    let reply = client.request(
        2,
        "textDocument/references",
        json!({"textDocument": {"uri": main}, "position": {"line": 1, "character": 5}, "context": {"includeDeclaration": true}}),
    );
    assert_eq!(
        places(&ws, &reply["result"]),
        ["lib.mlc:1:2", "main.mlc:1:4", "more.mlc:0:19"],
        "{reply}"
    );

    let reply = client.request(
        3,
        "textDocument/rename",
        json!({"textDocument": {"uri": main}, "position": {"line": 1, "character": 5}, "newName": "hello"}),
    );
    let changes = reply["result"]["changes"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut files: Vec<String> = changes
        .keys()
        .map(|k| k.rsplit('/').next().unwrap_or_default().to_string())
        .collect();
    files.sort();
    assert_eq!(files, ["lib.mlc", "main.mlc", "more.mlc"], "{reply}");

    let reply = client.request(4, "workspace/symbol", json!({"query": "oth"}));
    let names: Vec<String> = reply["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|s| s["name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(names, ["other"], "{reply}");

    // Break the imported file in the editor: the importer is checked again and shows the
    // error at its `import`, with the place in lib.mlc as related information.
    client.open(&lib, "{\n  greet = 1\n  other = 2;\n}\n");
    let published = loop {
        let published = client.diagnostics_for(&main);
        if published["diagnostics"] != json!([]) {
            break published;
        }
    };
    let diagnostic = published["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("lib.mlc:"))
        })
        .unwrap_or_default();
    assert_eq!(
        diagnostic["range"]["start"],
        json!({"line": 0, "character": 17}),
        "{published}"
    );
    let related = diagnostic["relatedInformation"][0]["location"]["uri"]
        .as_str()
        .unwrap_or_default();
    assert!(related.ends_with("/lib.mlc"), "{published}");
    // Fixing it clears the importer's diagnostic.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": lib, "version": 2}, "contentChanges": [{"text": "{\n  greet = 1;\n  other = 2;\n}\n"}]}),
    );
    loop {
        let published = client.diagnostics_for(&main);
        if published["diagnostics"] == json!([]) {
            break;
        }
    }
    client.stop();
}

/// Inlay hints, signature help, document highlight, selection ranges, code lens and pull
/// diagnostics, from the real binary; rename of a stdlib-declared option is refused.
#[test]
fn the_editor_features_beyond_navigation() {
    let text = "let mlflow = import <mlflow>;\n  port = 5000;\nin mlflow.deployment {\n  name = \"m\";\n  mlflow.backendStoreUri = \"sqlite:////m/m.db\";\n  replicaCount = builtins.sub port 4999;\n}\n";
    let ws = Workspace::new("features", &[("deploy.mlc", text)]);
    let uri = ws.uri("deploy.mlc");
    let mut client = Client::start_in(&ws.0);
    client.open(&uri, text);

    let reply = client.request(
        2,
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 7, "character": 0}}}),
    );
    let hints = reply["result"].as_array().cloned().unwrap_or_default();
    assert!(
        hints
            .iter()
            .any(|h| h["label"] == ":: Int" && h["position"] == json!({"line": 1, "character": 6})),
        "{reply}"
    );

    let reply = client.request(3, "textDocument/signatureHelp", at(&uri, 5, 35));
    let signature = &reply["result"]["signatures"][0];
    assert_eq!(signature["label"], "sub a b", "{reply}");
    assert_eq!(reply["result"]["activeParameter"], 1, "{reply}");

    let reply = client.request(4, "textDocument/documentHighlight", at(&uri, 5, 30));
    let kinds: Vec<i64> = reply["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|h| h["kind"].as_i64())
        .collect();
    assert_eq!(kinds, [3, 2], "write then read: {reply}");

    let reply = client.request(
        5,
        "textDocument/selectionRange",
        json!({"textDocument": {"uri": uri}, "positions": [{"line": 5, "character": 30}]}),
    );
    let first = &reply["result"][0];
    assert_eq!(
        first["range"]["start"],
        json!({"line": 5, "character": 30}),
        "{reply}"
    );
    assert!(first["parent"]["parent"].is_object(), "{reply}");

    let reply = client.request(
        6,
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    let title = reply["result"][0]["command"]["title"]
        .as_str()
        .unwrap_or_default();
    assert!(
        title.starts_with("builds ") && title.contains("Deployment"),
        "{reply}"
    );

    let reply = client.request(
        7,
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(reply["result"]["kind"], "full", "{reply}");
    // The check's warning (SQLite without a volume), at the option that trips it.
    let items = reply["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let item = items
        .iter()
        .find(|item| item["code"] == "W0510")
        .unwrap_or_else(|| panic!("no W0510: {reply}"));
    assert_eq!(
        item["range"]["start"],
        json!({"line": 4, "character": 2}),
        "{reply}"
    );

    let reply = client.request(8, "textDocument/prepareRename", at(&uri, 3, 3));
    let message = reply["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("standard library"), "{reply}");

    // While the file does not evaluate, the lens shows the last successful build.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": 5, "character": 17}, "end": {"line": 5, "character": 39}}, "text": "throw \"later\""}]}),
    );
    let reply = client.request(
        9,
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    let stale = reply["result"][0]["command"]["title"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(stale, format!("{title} (last successful build)"), "{reply}");
    client.stop();
}

/// Build diagnostics while typing: an error the evaluation finds (SQLite with several
/// replicas) appears on open and after an edit, pushed and pulled alike, with no save.
#[test]
fn build_diagnostics_on_open_and_while_typing() {
    let text = "let mlflow = import <mlflow>; in\nmlflow.deployment {\n  name = \"m\";\n  mlflow.backendStoreUri = \"sqlite:////m/m.db\";\n  replicaCount = 1;\n}\n";
    let ws = Workspace::new("build", &[("deploy.mlc", text)]);
    let uri = ws.uri("deploy.mlc");
    let mut client = Client::start_in(&ws.0);
    client.open(&uri, text);
    // On open: the check's warning (SQLite without a volume), from the evaluation.
    let published = client.diagnostics_at(&uri, 1);
    assert!(
        published["diagnostics"]
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["code"] == "W0510")),
        "{published}"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": 4, "character": 17}, "end": {"line": 4, "character": 18}}, "text": "3"}]}),
    );
    let published = client.diagnostics_at(&uri, 2);
    let pushed = published["diagnostics"].clone();
    assert!(
        pushed
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["severity"] == 1
                && d["message"].as_str().is_some_and(|m| m.contains("replica")))),
        "several replicas on SQLite must be reported: {published}"
    );
    let reply = client.request(
        2,
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(reply["result"]["items"], pushed, "{reply}");
    client.stop();
}

/// A malformed frame gets a -32700 answer and the server goes on; `exit` without
/// `shutdown` ends it with exit code 1.
#[test]
fn malformed_frames_and_exit_codes() {
    let mut client = Client::start();
    client.request(1, "initialize", json!({"capabilities": {}}));
    client.notify("initialized", json!({}));
    let garbage = "{this is not json";
    write!(
        client.stdin,
        "Content-Length: {}\r\n\r\n{garbage}",
        garbage.len()
    )
    .expect("write");
    client.stdin.flush().expect("flush");
    let error = client.receive();
    assert_eq!(error["error"]["code"], -32700, "{error}");
    assert_eq!(error["id"], Value::Null, "{error}");
    // Still answering.
    let reply = client.request(2, "textDocument/hover", at("file:///nowhere.mlc", 0, 0));
    assert!(reply["error"]["message"].as_str().is_some(), "{reply}");
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("wait");
    assert_eq!(status.code(), Some(1), "exit without shutdown");
}

/// A file changed on disk (not open in the editor) is read again on the client's file
/// event, and its importer is republished. A client that can watch files is asked to.
#[test]
fn a_file_changed_on_disk_republishes_its_importers() {
    let ws = Workspace::new(
        "watched",
        &[
            ("lib.mlc", "{ a = 1; }\n"),
            ("main.mlc", "let lib = import ./lib.mlc; in lib.a\n"),
        ],
    );
    let main = ws.uri("main.mlc");
    let mut client = Client::start_with_cache(&ws.0.join(".cache"));
    let root = format!("file://{}", ws.0.display());
    client.request(
        1,
        "initialize",
        json!({"capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}, "rootUri": root}),
    );
    client.notify("initialized", json!({}));
    let register = client.receive();
    assert_eq!(
        register["method"], "client/registerCapability",
        "{register}"
    );
    client.open(&main, "let lib = import ./lib.mlc; in lib.a\n");
    let published = client.diagnostics_for(&main);
    assert_eq!(published["diagnostics"], json!([]), "{published}");
    std::fs::write(ws.0.join("lib.mlc"), "{ a = 1 }\n").expect("write");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ws.uri("lib.mlc"), "type": 2}]}),
    );
    let published = client.diagnostics_for(&main);
    let message = published["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("lib.mlc:1:"), "{published}");
    client.stop();
}

/// A type error's label in the standard library (the option's declaration) becomes related
/// information pointing at the library's read-only copy.
#[test]
fn labels_in_the_standard_library_become_related_information() {
    let text =
        "let mlflow = import <mlflow>; in\nmlflow.deployment {\n  replicaCount = \"2\";\n}\n";
    let ws = Workspace::new("stdlib-related", &[("deploy.mlc", text)]);
    let uri = ws.uri("deploy.mlc");
    let mut client = Client::start_in(&ws.0);
    client.open(&uri, text);
    let published = client.diagnostics_at(&uri, 1);
    let diagnostics = published["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let related: Vec<String> = diagnostics
        .iter()
        .flat_map(|d| {
            d["relatedInformation"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|r| r["location"]["uri"].as_str().map(str::to_string))
        .collect();
    assert!(
        related
            .iter()
            .any(|uri| uri.ends_with("mlflow/options.mlc")),
        "{published}"
    );
    client.stop();
}
