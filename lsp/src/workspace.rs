//! The workspace on disk: the folders the client names at `initialize` (or its root URI)
//! and every `.mlc` file under them, which the server hands to `mlc-ide` for references,
//! rename and workspace symbols across files. Hidden directories, `target/` and
//! `node_modules/` are skipped, and the walk stops at [`MAX_FILES`].

use std::path::{Path, PathBuf};

use lsp_types::InitializeParams;

/// More files than this are not collected (a home directory opened as a workspace).
pub const MAX_FILES: usize = 10_000;

/// The workspace folders of `params`, as local directories.
#[allow(deprecated)] // `root_uri` and `root_path` are the fallbacks of older clients.
pub fn folders(params: &InitializeParams) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|folder| folder.uri.to_file_path().ok())
        .collect();
    if out.is_empty() {
        out.extend(
            params
                .root_uri
                .as_ref()
                .and_then(|uri| uri.to_file_path().ok()),
        );
    }
    if out.is_empty() {
        out.extend(params.root_path.as_ref().map(PathBuf::from));
    }
    out
}

/// Whether the client lets the server register for file events.
pub fn can_watch(params: &InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false)
}

/// The `client/registerCapability` params asking for events on every `.mlc` file.
pub fn watch_registration() -> serde_json::Value {
    serde_json::json!({
        "registrations": [{
            "id": "mlc-files",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": {"watchers": [{"globPattern": "**/*.mlc"}]},
        }]
    })
}

/// Every `.mlc` file under `folders`, as absolute paths, sorted.
pub fn files(folders: &[PathBuf]) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = folders.to_vec();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if !(name.starts_with('.') || name == "target" || name == "node_modules") {
                    stack.push(path);
                }
            } else if kind.is_file() && is_mlc(&path) {
                out.push(path.to_string_lossy().into_owned());
                if out.len() >= MAX_FILES {
                    out.sort();
                    return out;
                }
            }
        }
    }
    out.sort();
    out
}

fn is_mlc(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "mlc")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_mlc_files_and_skips_hidden_and_build_directories() {
        let dir = std::env::temp_dir().join(format!("mlc-lsp-ws-{}", std::process::id()));
        for sub in ["a", ".git", "target", "a/b"] {
            let _ = std::fs::create_dir_all(dir.join(sub));
        }
        for file in [
            "x.mlc",
            "a/y.mlc",
            "a/b/z.mlc",
            ".git/h.mlc",
            "target/t.mlc",
            "a/n.txt",
        ] {
            let _ = std::fs::write(dir.join(file), "1");
        }
        let found: Vec<String> = files(std::slice::from_ref(&dir))
            .into_iter()
            .map(|p| p.trim_start_matches(&*dir.to_string_lossy()).to_string())
            .collect();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(found, ["/a/b/z.mlc", "/a/y.mlc", "/x.mlc"]);
    }
}
