//! The standard library embedded in the binary: every file under `stdlib/` at the
//! repository root, listed by `build.rs`.
//!
//! Embedded files are addressed by virtual paths under [`ROOT`] (`<stdlib>/mlflow.mlc`), so
//! that diagnostics name them the same way on every machine and relative imports between
//! them resolve without touching the file system.

/// The virtual directory that embedded files live under.
pub const ROOT: &str = "<stdlib>";

/// Every embedded file as `(path relative to stdlib/, text)`, sorted by path.
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/stdlib_files.rs"));

/// A hash of [`FILES`] (paths and texts, computed by `build.rs`): the prepared types of the
/// standard library (`db::prepared`) are used only if they were made from these files.
pub const HASH: u64 = include!(concat!(env!("OUT_DIR"), "/stdlib_hash.rs"));

/// A set of embedded modules: the real standard library, or a stand-in that tests provide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stdlib {
    files: &'static [(&'static str, &'static str)],
    /// Whether `files` are [`FILES`] (a constant's address is not unique, so it is said).
    embedded: bool,
}

impl Default for Stdlib {
    fn default() -> Self {
        Stdlib {
            files: FILES,
            embedded: true,
        }
    }
}

impl Stdlib {
    /// A standard library made of `files` (`(relative path, text)`), for tests.
    pub const fn from_files(files: &'static [(&'static str, &'static str)]) -> Self {
        Stdlib {
            files,
            embedded: false,
        }
    }

    /// Whether this is the standard library embedded in the binary ([`FILES`]), not a
    /// stand-in.
    pub fn is_embedded(&self) -> bool {
        self.embedded
    }

    /// The text of the file at the virtual path `path` (`<stdlib>/mlflow/tls.mlc`).
    pub fn file(&self, path: &str) -> Option<&'static str> {
        let relative = path.strip_prefix(ROOT)?.strip_prefix('/')?;
        self.files
            .iter()
            .find(|(name, _)| *name == relative)
            .map(|(_, text)| *text)
    }

    /// The virtual path that `<name>` refers to (`mlflow/tls` → `<stdlib>/mlflow/tls.mlc`),
    /// if such a module is embedded.
    pub fn module_path(&self, name: &str) -> Option<String> {
        let path = format!("{ROOT}/{name}.mlc");
        self.file(&path).map(|_| path)
    }

    /// The names of every module that `<name>` can refer to, sorted (for completion and
    /// "did you mean").
    pub fn module_names(&self) -> Vec<&'static str> {
        self.files
            .iter()
            .filter_map(|(name, _)| name.strip_suffix(".mlc"))
            .collect()
    }
}

/// Whether `path` is a virtual path of an embedded file.
pub fn is_stdlib_path(path: &str) -> bool {
    path.strip_prefix(ROOT)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[(&str, &str)] = &[("mlflow.mlc", "{ }"), ("mlflow/tls.mlc", "{ tls = 1; }")];

    #[test]
    fn modules_resolve_to_virtual_paths() {
        let stdlib = Stdlib::from_files(FILES);
        assert_eq!(
            stdlib.module_path("mlflow/tls").as_deref(),
            Some("<stdlib>/mlflow/tls.mlc")
        );
        assert_eq!(stdlib.module_path("nope"), None);
        assert_eq!(stdlib.file("<stdlib>/mlflow.mlc"), Some("{ }"));
        assert_eq!(stdlib.module_names(), vec!["mlflow", "mlflow/tls"]);
    }

    #[test]
    fn only_the_virtual_root_is_stdlib() {
        assert!(is_stdlib_path("<stdlib>/a.mlc"));
        assert!(!is_stdlib_path("<stdlibx>/a.mlc"));
        assert!(!is_stdlib_path("/home/a.mlc"));
    }
}
