//! The project root of one command: the directory `--root DIR` names, or else the directory
//! of the entry file (with several files, the deepest directory holding them all; for
//! `-E`, the current directory). Imports read only files inside it (see
//! [`mlc::db::ProjectRoot`]).

use mlc::db::RootDatabase;
use mlc::paths;

/// The database of a command whose entry files are `entries` (as the user wrote them).
pub fn database(root: Option<&str>, entries: &[&str]) -> RootDatabase {
    RootDatabase::default().with_project_root(Some(&project_root(root, entries)))
}

/// The root directory, normalised and absolute.
pub fn project_root(root: Option<&str>, entries: &[&str]) -> String {
    let cwd = paths::current_dir();
    if let Some(root) = root {
        return paths::normalize(&cwd, root);
    }
    let mut dirs = entries
        .iter()
        .map(|entry| paths::parent_dir(&paths::normalize(&cwd, entry)).to_string());
    let Some(first) = dirs.next() else {
        return cwd;
    };
    dirs.fold(first, |common, dir| common_ancestor(&common, &dir))
}

/// The deepest directory that holds both `a` and `b` (normalised absolute paths).
fn common_ancestor(a: &str, b: &str) -> String {
    let shared: Vec<&str> = a
        .split('/')
        .zip(b.split('/'))
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect();
    let joined = shared.join("/");
    if joined.is_empty() {
        "/".to_string()
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_the_flag_or_the_entry_files_directory() {
        assert_eq!(project_root(Some("/p/q/.."), &["/x/a.mlc"]), "/p");
        assert_eq!(project_root(None, &["/p/q/a.mlc"]), "/p/q");
        assert_eq!(project_root(None, &["/p/q/a.mlc", "/p/r/b.mlc"]), "/p");
        assert_eq!(project_root(None, &["/p/qq/a.mlc", "/p/q/b.mlc"]), "/p");
        assert_eq!(project_root(None, &["/a.mlc", "/p/b.mlc"]), "/");
        assert_eq!(project_root(None, &[]), paths::current_dir());
    }
}
