//! The embedded standard library as real, read-only files, so that go-to-definition can
//! open `<stdlib>/mlflow.mlc` in any editor (editors only open `file://` URIs).
//!
//! The files are written once per version to `$XDG_CACHE_HOME/mlc/stdlib-<version>-<hash>/`
//! (`~/.cache/...` without `XDG_CACHE_HOME`, the temporary directory without a home); the
//! hash of the embedded texts keeps development builds apart. They are written to a
//! temporary directory first and renamed into place, so a concurrent server never sees half
//! of them, and made read-only: they are a view of what the binary embeds, and edits to them
//! would change nothing. When such a file is open, the server maps it back to its virtual
//! `<stdlib>/` path and never writes the editor's buffer into the database.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use mlc::stdlib::{self, FILES};

/// The directory for this binary's standard library, written on first use; `None` when it
/// cannot be written (then stdlib locations are simply not offered).
pub fn dir() -> Option<&'static Path> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = cache_root()?.join(dir_name());
        materialize(&dir, FILES).ok()?;
        Some(dir)
    })
    .as_deref()
}

fn cache_root() -> Option<PathBuf> {
    let from_env = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    let root = from_env("XDG_CACHE_HOME")
        .or_else(|| from_env("HOME").map(|home| home.join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    Some(root.join("mlc"))
}

/// `stdlib-<version>-<hash of every embedded path and text>`.
fn dir_name() -> String {
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, text) in FILES {
        for byte in path.bytes().chain([0]).chain(text.bytes()).chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("stdlib-{}-{:08x}", env!("CARGO_PKG_VERSION"), hash >> 32)
}

/// Writes `files` under `dir` unless a complete copy is there already.
pub fn materialize(dir: &Path, files: &[(&str, &str)]) -> std::io::Result<()> {
    if dir.join(".complete").exists() {
        return Ok(());
    }
    let parent = dir.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent)?;
    let staging = parent.join(format!(".stdlib-staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = (|| {
        for (path, text) in files {
            let target = staging.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&target, text)?;
            let mut permissions = std::fs::metadata(&target)?.permissions();
            permissions.set_readonly(true);
            std::fs::set_permissions(&target, permissions)?;
        }
        std::fs::write(staging.join(".complete"), "")?;
        std::fs::rename(&staging, dir)
    })();
    if result.is_err() {
        // Read-only files inside: make the tree writable again so it can be removed.
        let _ = make_writable(&staging);
        let _ = std::fs::remove_dir_all(&staging);
        // Another server may have won the race: its copy is as good as ours.
        if dir.join(".complete").exists() {
            return Ok(());
        }
    }
    result
}

fn make_writable(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            make_writable(&path)?;
        } else {
            let mut permissions = std::fs::metadata(&path)?.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            permissions.set_readonly(false);
            std::fs::set_permissions(&path, permissions)?;
        }
    }
    Ok(())
}

/// The real file for a virtual `<stdlib>/...` path.
pub fn real_path(virtual_path: &str) -> Option<PathBuf> {
    let relative = virtual_path.strip_prefix(stdlib::ROOT)?.strip_prefix('/')?;
    Some(dir()?.join(relative))
}

/// The virtual `<stdlib>/...` path of a file in the copy, if `path` is one.
pub fn virtual_path(path: &Path) -> Option<String> {
    let dir = dir()?;
    let relative = path.strip_prefix(dir).ok()?;
    let relative = relative.to_str()?.replace('\\', "/");
    Some(format!("{}/{relative}", stdlib::ROOT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_once_read_only_and_survives_a_second_call() {
        let root = std::env::temp_dir().join(format!("mlc-stdlib-test-{}", std::process::id()));
        let dir = root.join("stdlib-x");
        let files: &[(&str, &str)] = &[("a.mlc", "{ }"), ("sub/b.mlc", "1")];
        materialize(&dir, files).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(dir.join("sub/b.mlc"))
                .ok()
                .as_deref(),
            Some("1")
        );
        let readonly = std::fs::metadata(dir.join("a.mlc")).map(|m| m.permissions().readonly());
        assert_eq!(readonly.ok(), Some(true));
        materialize(&dir, files).unwrap_or_else(|e| panic!("{e}"));
        let _ = make_writable(&root);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn virtual_and_real_paths_round_trip() {
        let Some(real) = real_path("<stdlib>/mlflow/tls.mlc") else {
            return; // no writable cache directory on this machine
        };
        assert!(real.exists());
        assert_eq!(
            virtual_path(&real).as_deref(),
            Some("<stdlib>/mlflow/tls.mlc")
        );
        assert_eq!(virtual_path(Path::new("/elsewhere/a.mlc")), None);
        assert!(dir_name().starts_with("stdlib-"));
    }
}
