//! The language server confines imports as `mlc build` does (issue 16): the project roots
//! are the workspace folders, and the directory of a file opened outside them. An absolute
//! path (`/proc/self/environ`), `..` above the root, a symbolic link leading out and a FIFO
//! are refused with a diagnostic at the `import` that never shows the refused file's
//! content, and the server neither blocks nor leaks. Against the real `mlc-lsp` binary.

mod support;

use serde_json::{json, Value};
use support::{Client, Workspace};

/// The published diagnostics' messages by line, and everything published, as text.
fn by_line(published: &Value) -> (Vec<(u64, String)>, String) {
    let mut out: Vec<(u64, String)> = published["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    (out, published.to_string())
}

fn message_at(lines: &[(u64, String)], line: u64) -> String {
    lines
        .iter()
        .filter(|(l, _)| *l == line)
        .map(|(_, m)| m.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn imports_outside_the_workspace_folder_are_refused_unread() {
    let ws = Workspace::new(
        "root",
        &[
            ("secret.mlc", "\"classified-value\"\n"),
            ("project/lib.mlc", "{ a = 1; }\n"),
        ],
    );
    let project = ws.0.join("project");
    let linked = std::os::unix::fs::symlink(ws.0.join("secret.mlc"), project.join("link.mlc"));
    let fifo = std::process::Command::new("mkfifo")
        .arg(project.join("pipe.mlc"))
        .status()
        .is_ok_and(|status| status.success());
    let text = "{\n  env = import /proc/self/environ;\n  up = import ../secret.mlc;\n  \
                host = import ../../../../../../../../../../etc/hostname;\n  \
                link = import ./link.mlc;\n  pipe = import ./pipe.mlc;\n  \
                lib = (import ./lib.mlc).a;\n}\n";
    std::fs::write(project.join("main.mlc"), text).expect("write");
    let mut client = Client::start_with(
        &ws.0.join(".cache"),
        &[("MLC_TEST_SECRET", "hunter2-very-secret")],
    );
    client.initialize_in(&project);
    let uri = format!("file://{}", project.join("main.mlc").display());
    client.open(&uri, text);
    let published = client.diagnostics_for(&uri);
    let (lines, everything) = by_line(&published);
    for (line, reason) in [
        (1, "outside the project root"),
        (2, "outside the project root"),
        (3, "outside the project root"),
    ] {
        let message = message_at(&lines, line);
        assert!(message.contains(reason), "line {line}: {published}");
        assert!(message.contains("workspace"), "line {line}: {published}");
    }
    if linked.is_ok() {
        assert!(
            message_at(&lines, 4).contains("symbolic link that leads outside"),
            "{published}"
        );
    }
    if fifo {
        assert!(
            message_at(&lines, 5).contains("not a regular file"),
            "{published}"
        );
    }
    assert_eq!(
        message_at(&lines, 6),
        "",
        "the file inside is read: {published}"
    );
    // Once each, as `mlc build` says it (not again as an error "in" the refused file).
    for line in 1..=5 {
        let count = lines.iter().filter(|(l, _)| *l == line).count();
        assert!(
            count <= 1,
            "line {line} reported {count} times: {published}"
        );
    }
    let hostname = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    for secret in ["hunter2", "classified-value", hostname.trim()] {
        assert!(
            secret.len() < 4 || !everything.contains(secret),
            "a refused file's content is shown: {published}"
        );
    }
    // Hover and go-to-definition on the refused imports read nothing either.
    let reply = client.request(2, "textDocument/hover", support::at(&uri, 2, 20));
    assert!(!reply.to_string().contains("classified-value"), "{reply}");
    client.stop();
}

/// With no workspace folder, a file's directory is its root, as for `mlc build FILE`: the
/// file beside it is read, the one above it is not.
#[test]
fn without_a_workspace_the_open_files_directory_is_the_root() {
    let ws = Workspace::new(
        "root-single",
        &[
            ("secret.mlc", "\"classified-value\"\n"),
            ("dir/lib.mlc", "{ a = 1; }\n"),
        ],
    );
    let mut client = Client::start_with_cache(&ws.0.join(".cache"));
    client.request(1, "initialize", json!({"capabilities": {}}));
    client.notify("initialized", json!({}));
    let uri = ws.uri("dir/main.mlc");
    let text = "{\n  lib = (import ./lib.mlc).a;\n  up = import ../secret.mlc;\n}\n";
    client.open(&uri, text);
    let published = client.diagnostics_for(&uri);
    let (lines, everything) = by_line(&published);
    assert_eq!(message_at(&lines, 1), "", "{published}");
    assert!(
        message_at(&lines, 2).contains("outside the project root"),
        "{published}"
    );
    assert!(!everything.contains("classified-value"), "{published}");
    client.stop();
}
