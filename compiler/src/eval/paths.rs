//! Path values: joining a literal to the directory of its file, normalising `.` and `..`.
//! Standard library files live under the virtual root `<stdlib>`, which `..` never leaves.

use crate::stdlib::ROOT as STDLIB_ROOT;

/// Resolves `path` (as written) against `dir`: absolute paths stay, `~/x` stays, relative
/// ones are joined; the result is normalised.
pub fn join(dir: &str, path: &str) -> String {
    if path.starts_with('/') || path.starts_with('~') {
        return normalize(path);
    }
    normalize(&format!("{dir}/{path}"))
}

/// Removes `.` segments, resolves `..` and repeated slashes.
pub fn normalize(path: &str) -> String {
    let (root, rest) = match path.strip_prefix(STDLIB_ROOT) {
        Some(rest) => (STDLIB_ROOT, rest),
        None if path.starts_with('/') => ("", path),
        None => ("", path),
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in rest.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let joined = segments.join("/");
    if root.is_empty() {
        if path.starts_with('~') {
            joined
        } else {
            format!("/{joined}")
        }
    } else {
        format!("{root}/{joined}")
    }
}

/// The directory a file's relative paths resolve against.
pub fn parent(path: &str) -> String {
    match path.rfind('/') {
        Some(0) => "/".to_string(),
        Some(index) => path[..index].to_string(),
        None => ".".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_normalises() {
        assert_eq!(join("/a/b", "./c.mlc"), "/a/b/c.mlc");
        assert_eq!(join("/a/b", "../c.mlc"), "/a/c.mlc");
        assert_eq!(join("/a/b", "/x/./y"), "/x/y");
        assert_eq!(
            join("<stdlib>", "./mlflow/tls.mlc"),
            "<stdlib>/mlflow/tls.mlc"
        );
        assert_eq!(join("<stdlib>/mlflow", "../lib.mlc"), "<stdlib>/lib.mlc");
        assert_eq!(join("<stdlib>", "../../x.mlc"), "<stdlib>/x.mlc");
        assert_eq!(parent("/a/b/c.mlc"), "/a/b");
        assert_eq!(parent("<stdlib>/mlflow.mlc"), "<stdlib>");
    }
}
