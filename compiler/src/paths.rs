//! Paths as the database keys files by and as path values are in the language: normalised absolute paths for files on disk and
//! virtual paths under `<stdlib>/` for embedded modules, both as `/`-separated strings.
//!
//! Normalisation is lexical (`.` and `..` are resolved without asking the file system), as
//! Nix does for path literals, so that a file reached through two spellings is one input.

use crate::stdlib;
use std::path::{Component, Path};

/// Makes `path` absolute against `base` (an absolute directory) and resolves `.` and `..`
/// lexically. Virtual `<stdlib>/` paths stay virtual: `..` never climbs out of the root.
pub fn normalize(base: &str, path: &str) -> String {
    if stdlib::is_stdlib_path(path) {
        return normalize_under(stdlib::ROOT, path.trim_start_matches(stdlib::ROOT));
    }
    if Path::new(path).is_absolute() {
        return normalize_under("", path);
    }
    let joined = format!("{}/{}", base.trim_end_matches('/'), path);
    if stdlib::is_stdlib_path(base) {
        normalize_under(stdlib::ROOT, joined.trim_start_matches(stdlib::ROOT))
    } else {
        normalize_under("", &joined)
    }
}

/// Resolves `.` and `..` in `rest` and puts the result under `root` (`""` for `/`).
fn normalize_under(root: &str, rest: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for component in Path::new(rest).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str().unwrap_or_default()),
            Component::ParentDir => {
                parts.pop();
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    format!("{root}/{}", parts.join("/"))
}

/// The directory that relative imports inside the file at `path` are resolved against.
pub fn parent_dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(index) => &path[..index],
        None => ".",
    }
}

/// How diagnostics name the file at `path`: relative to `display_root` when it lies under
/// it (`examples/a.mlc`), else the path itself.
pub fn display_name(display_root: Option<&str>, path: &str) -> String {
    if let Some(root) = display_root {
        let root = root.trim_end_matches('/');
        if let Some(rest) = path.strip_prefix(root).and_then(|r| r.strip_prefix('/')) {
            if !rest.is_empty() {
                return rest.to_string();
            }
        }
    }
    path.to_string()
}

/// The current directory as a normalised string, or `/` when it cannot be read.
pub fn current_dir() -> String {
    std::env::current_dir()
        .ok()
        .and_then(|dir| dir.to_str().map(|dir| normalize("/", dir)))
        .unwrap_or_else(|| "/".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_join_the_base_and_lose_dots() {
        assert_eq!(normalize("/work/a", "./b.mlc"), "/work/a/b.mlc");
        assert_eq!(normalize("/work/a", "../lib/./c.mlc"), "/work/lib/c.mlc");
        assert_eq!(normalize("/work/a", "/etc/x.mlc"), "/etc/x.mlc");
        assert_eq!(normalize("/", "../../x.mlc"), "/x.mlc");
    }

    #[test]
    fn stdlib_paths_stay_under_the_virtual_root() {
        assert_eq!(
            normalize("<stdlib>/mlflow", "./tls.mlc"),
            "<stdlib>/mlflow/tls.mlc"
        );
        assert_eq!(normalize("<stdlib>", "../../x.mlc"), "<stdlib>/x.mlc");
        assert_eq!(normalize("/cwd", "<stdlib>/a/../b.mlc"), "<stdlib>/b.mlc");
    }

    #[test]
    fn parents_and_display_names() {
        assert_eq!(parent_dir("/work/a/b.mlc"), "/work/a");
        assert_eq!(parent_dir("/b.mlc"), "/");
        assert_eq!(parent_dir("<stdlib>/mlflow.mlc"), "<stdlib>");
        assert_eq!(display_name(Some("/work"), "/work/a/b.mlc"), "a/b.mlc");
        assert_eq!(display_name(Some("/work/"), "/other/b.mlc"), "/other/b.mlc");
        assert_eq!(display_name(None, "/work/b.mlc"), "/work/b.mlc");
        assert_eq!(
            display_name(Some("/work"), "<stdlib>/m.mlc"),
            "<stdlib>/m.mlc"
        );
    }
}
