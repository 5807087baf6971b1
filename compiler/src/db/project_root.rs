//! Which files the database may read: the project root (and which directory it is for a
//! set of entry files, [`ProjectRoot::dir_for`]) and the kinds of file that are source
//! files.
//!
//! A build is hermetic: an `import` reads only files inside the project root (the entry
//! file's directory, or the directory given with `--root`; in the language server, the
//! workspace folders and the directory of each open file outside them). A path outside it
//! (an absolute
//! `/proc/self/environ`, `../../etc/hostname` above the root, a symbolic link leading out)
//! is refused before anything is opened, so no diagnostic can ever quote such a file. Only
//! regular files are read, and only up to [`MAX_SOURCE_BYTES`], whatever the root: a FIFO
//! would block, `/dev/zero` would never end.

use crate::paths;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest source file read (a deployment file is a few kilobytes).
pub const MAX_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

/// The directories imports must stay inside: one for a command (`--root DIR` or the entry's
/// directory), the workspace folders in an editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectRoot {
    dirs: Vec<RootDir>,
    /// How a user lets a refused file in, for the message.
    hint: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct RootDir {
    /// As given (normalised, absolute): how messages name it.
    lexical: String,
    /// With symbolic links resolved, to compare resolved files against.
    resolved: PathBuf,
}

impl RootDir {
    fn new(dir: &str) -> RootDir {
        let resolved = std::fs::canonicalize(dir).unwrap_or_else(|_| PathBuf::from(dir));
        RootDir {
            lexical: dir.trim_end_matches('/').to_string(),
            resolved,
        }
    }

    /// The directory, as messages name it.
    fn dir(&self) -> &str {
        if self.lexical.is_empty() {
            "/"
        } else {
            &self.lexical
        }
    }

    /// Whether the normalised absolute `path` lies inside the directory as written.
    fn contains_lexically(&self, path: &str) -> bool {
        self.lexical.is_empty()
            || path
                .strip_prefix(self.lexical.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

impl ProjectRoot {
    /// The root directory of a command or session whose entry files are `entries` (as the
    /// user wrote them, relative to the current directory): `dir` (`--root DIR`) when
    /// given, or else the deepest directory holding every entry (for none, as for `-E`, the
    /// current directory); normalised and absolute.
    pub fn dir_for(dir: Option<&str>, entries: &[&str]) -> String {
        let cwd = paths::current_dir();
        if let Some(dir) = dir {
            return paths::normalize(&cwd, dir);
        }
        let mut dirs = entries
            .iter()
            .map(|entry| paths::parent_dir(&paths::normalize(&cwd, entry)).to_string());
        let Some(first) = dirs.next() else {
            return cwd;
        };
        dirs.fold(first, |common, dir| common_ancestor(&common, &dir))
    }

    /// The root of a command at `dir`, a normalised absolute path.
    pub fn new(dir: &str) -> ProjectRoot {
        ProjectRoot {
            dirs: vec![RootDir::new(dir)],
            hint: "name another root with `--root DIR`",
        }
    }

    /// The roots of an editor: none until [`ProjectRoot::add`] adds the workspace folders
    /// (until then only the standard library and the editor's buffers can be read).
    pub fn workspace() -> ProjectRoot {
        ProjectRoot {
            dirs: Vec::new(),
            hint: "open a folder that holds it as the workspace",
        }
    }

    /// Adds the normalised absolute directory `dir`; `false` if it was inside a root already.
    pub fn add(&mut self, dir: &str) -> bool {
        let dir = RootDir::new(dir);
        if self
            .dirs
            .iter()
            .any(|root| root.contains_lexically(&dir.lexical) || root.lexical == dir.lexical)
        {
            return false;
        }
        self.dirs.push(dir);
        true
    }

    /// The directories, as messages name them.
    fn named(&self) -> String {
        let dirs: Vec<String> = self
            .dirs
            .iter()
            .map(|root| format!("`{}`", root.dir()))
            .collect();
        match dirs.len() {
            0 => "the project root (none is set yet)".to_string(),
            1 => format!("the project root {}", dirs[0]),
            _ => format!("the project roots {}", dirs.join(", ")),
        }
    }

    /// `Ok` when `path` may be read: inside a root, also once symbolic links are resolved.
    fn admit(&self, path: &str) -> Result<(), String> {
        if !self.dirs.iter().any(|root| root.contains_lexically(path)) {
            return Err(format!(
                "it is outside {}: imports read only files inside it ({})",
                self.named(),
                self.hint
            ));
        }
        // A missing file is reported as missing by the read itself.
        if let Ok(resolved) = std::fs::canonicalize(path) {
            if !self
                .dirs
                .iter()
                .any(|root| resolved.starts_with(&root.resolved))
            {
                return Err(format!(
                    "it is a symbolic link that leads outside {}",
                    self.named()
                ));
            }
        }
        Ok(())
    }
}

/// Reads the source file at `path` (normalised, absolute) for a new input: its text, or a
/// short lowercase reason. With a root, files outside it are refused unread.
pub(crate) fn read_source(path: &str, root: Option<&ProjectRoot>) -> Result<Arc<str>, String> {
    if let Some(root) = root {
        root.admit(path)?;
    }
    // Look before opening: opening a FIFO blocks until someone writes to it.
    let metadata = std::fs::metadata(path).map_err(|e| describe_io_error(&e))?;
    if metadata.is_dir() {
        return Err("it is a directory".to_string());
    }
    if !metadata.is_file() {
        return Err("it is not a regular file (a device, a FIFO or a socket)".to_string());
    }
    let file = std::fs::File::open(Path::new(path)).map_err(|e| describe_io_error(&e))?;
    // Read one byte more than allowed, to tell a file at the limit from a larger one (files
    // under /proc say they are empty, so the size in the metadata is not enough).
    let mut bytes = Vec::new();
    file.take(MAX_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| describe_io_error(&e))?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(format!(
            "it is larger than {} MiB, too large for a source file",
            MAX_SOURCE_BYTES / (1024 * 1024)
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Arc::from(text)),
        Err(_) => Err("the file is not valid UTF-8".to_string()),
    }
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

fn describe_io_error(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no such file".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::IsADirectory => "it is a directory".to_string(),
        _ => {
            // Fall back to the OS wording, in our style: lowercase, no "(os error N)".
            let text = error.to_string();
            let text = text.split(" (os error").next().unwrap_or_default();
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => "cannot be read".to_string(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_the_flag_or_the_entry_files_directory() {
        let dir_for = ProjectRoot::dir_for;
        assert_eq!(dir_for(Some("/p/q/.."), &["/x/a.mlc"]), "/p");
        assert_eq!(dir_for(None, &["/p/q/a.mlc"]), "/p/q");
        assert_eq!(dir_for(None, &["/p/q/a.mlc", "/p/r/b.mlc"]), "/p");
        assert_eq!(dir_for(None, &["/p/qq/a.mlc", "/p/q/b.mlc"]), "/p");
        assert_eq!(dir_for(None, &["/a.mlc", "/p/b.mlc"]), "/");
        assert_eq!(dir_for(None, &[]), paths::current_dir());
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mlc-root-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("project/sub")).expect("scratch dir");
        dir
    }

    fn text(path: &Path) -> String {
        path.to_string_lossy().into_owned()
    }

    #[test]
    fn files_inside_the_root_are_read() {
        let dir = scratch("inside");
        let file = dir.join("project/sub/a.mlc");
        std::fs::write(&file, "1").expect("write");
        let root = ProjectRoot::new(&text(&dir.join("project")));
        assert_eq!(read_source(&text(&file), Some(&root)).as_deref(), Ok("1"));
    }

    #[test]
    fn files_outside_the_root_are_refused_unread() {
        let dir = scratch("outside");
        let secret = dir.join("secret.mlc");
        std::fs::write(&secret, "\"the secret\"").expect("write");
        let root = ProjectRoot::new(&text(&dir.join("project")));
        for path in [
            text(&secret),
            "/proc/self/environ".to_string(),
            "/etc/hostname".to_string(),
        ] {
            let error = read_source(&path, Some(&root)).expect_err("refused");
            assert!(error.contains("outside the project root"), "{error}");
            assert!(!error.contains("secret\""), "{error}");
        }
        // A sibling whose name starts like the root is outside too.
        let sibling = dir.join("project-other.mlc");
        std::fs::write(&sibling, "1").expect("write");
        assert!(read_source(&text(&sibling), Some(&root)).is_err());
    }

    #[test]
    fn a_symbolic_link_leading_out_is_refused() {
        let dir = scratch("symlink");
        std::fs::write(dir.join("secret.mlc"), "\"the secret\"").expect("write");
        let link = dir.join("project/link.mlc");
        if std::os::unix::fs::symlink(dir.join("secret.mlc"), &link).is_err() {
            return;
        }
        let root = ProjectRoot::new(&text(&dir.join("project")));
        let error = read_source(&text(&link), Some(&root)).expect_err("refused");
        assert!(error.contains("symbolic link"), "{error}");
        // Inside the root, a link to a file inside it is fine.
        std::fs::write(dir.join("project/real.mlc"), "2").expect("write");
        let inner = dir.join("project/inner.mlc");
        if std::os::unix::fs::symlink(dir.join("project/real.mlc"), &inner).is_ok() {
            assert_eq!(read_source(&text(&inner), Some(&root)).as_deref(), Ok("2"));
        }
    }

    #[test]
    fn an_editor_root_is_its_workspace_folders() {
        let dir = scratch("workspace");
        std::fs::create_dir_all(dir.join("other")).expect("dir");
        let inside = text(&dir.join("project/a.mlc"));
        let other = text(&dir.join("other/b.mlc"));
        std::fs::write(&inside, "1").expect("write");
        std::fs::write(&other, "2").expect("write");
        let mut root = ProjectRoot::workspace();
        let error = read_source(&inside, Some(&root)).expect_err("no folder yet");
        assert!(error.contains("none is set yet"), "{error}");
        assert!(root.add(&text(&dir.join("project"))));
        assert!(!root.add(&text(&dir.join("project/sub"))), "inside already");
        assert_eq!(read_source(&inside, Some(&root)).as_deref(), Ok("1"));
        let error = read_source(&other, Some(&root)).expect_err("outside");
        assert!(error.contains("outside the project root `"), "{error}");
        assert!(error.contains("workspace"), "{error}");
        assert!(!error.contains("--root"), "{error}");
        assert!(root.add(&text(&dir.join("other"))));
        assert_eq!(read_source(&other, Some(&root)).as_deref(), Ok("2"));
        let error = read_source("/etc/hostname", Some(&root)).expect_err("outside");
        assert!(error.contains("outside the project roots `"), "{error}");
    }

    #[test]
    fn a_file_refused_before_its_folder_was_added_is_read_then() {
        use crate::db::{Db, RootDatabase};
        let dir = scratch("grow");
        let path = text(&dir.join("project/a.mlc"));
        std::fs::write(&path, "1").expect("write");
        let mut db =
            RootDatabase::new(crate::stdlib::Stdlib::default(), None, None).with_workspace_root();
        let file = db.file(&path);
        assert!(file.text(&db).is_err());
        db.add_project_root(&text(&dir.join("project")));
        assert_eq!(file.text(&db).as_deref().ok(), Some("1"));
        // An unconfined database stays unconfined.
        let mut open = RootDatabase::new(crate::stdlib::Stdlib::default(), None, None);
        open.add_project_root(&text(&dir.join("project/sub")));
        assert!(open.project_root().is_none());
    }

    #[test]
    fn only_regular_files_are_read() {
        let error = read_source("/dev/zero", None).expect_err("a device");
        assert!(error.contains("not a regular file"), "{error}");
        let dir = scratch("fifo");
        let fifo = dir.join("project/pipe.mlc");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|status| status.success()) {
            let error = read_source(&text(&fifo), None).expect_err("a FIFO");
            assert!(error.contains("not a regular file"), "{error}");
        }
        let error = read_source(&text(&dir), None).expect_err("a directory");
        assert!(error.contains("directory"), "{error}");
    }
}
