//! `mlc diff FILE --rev REV`: the files of a git revision, checked out into a temporary
//! directory without touching the repository (its own index file, `git checkout-index`
//! with a prefix), so that FILE builds at REV with the imports of REV.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary copy of a revision's tree, removed when dropped.
pub struct Checkout {
    dir: PathBuf,
}

impl Drop for Checkout {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Why a revision could not be read: the revision is wrong (a usage error) or git failed.
pub enum GitError {
    UnknownRevision(String),
    Failed(String),
}

/// Checks out the tree of `rev` of the repository holding `file`; returns the checkout and
/// the path of `file` in it.
pub fn file_at(file: &str, rev: &str) -> Result<(Checkout, PathBuf), GitError> {
    let path = Path::new(file);
    let name = path
        .file_name()
        .ok_or_else(|| GitError::Failed(format!("`{file}` is not a file name")))?;
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let parent = parent
        .canonicalize()
        .map_err(|e| GitError::Failed(format!("cannot read `{}`: {e}", parent.display())))?;
    let top = git(&parent, &["rev-parse", "--show-toplevel"], None)
        .map_err(|e| GitError::Failed(format!("`{file}` is not in a git repository: {e}")))?;
    let top = PathBuf::from(top.trim_end());
    let relative = parent
        .strip_prefix(&top)
        .map_err(|_| {
            GitError::Failed(format!(
                "`{file}` is outside its repository `{}`",
                top.display()
            ))
        })?
        .join(name);
    let commit = format!("{rev}^{{commit}}");
    git(&top, &["rev-parse", "--verify", "--quiet", &commit], None).map_err(|_| {
        GitError::UnknownRevision(format!("`{rev}` is not a revision of `{}`", top.display()))
    })?;

    let dir = scratch_dir().map_err(GitError::Failed)?;
    let checkout = Checkout { dir };
    let index = checkout.dir.join("index");
    let tree = checkout.dir.join("tree");
    git(&top, &["read-tree", &commit], Some(&index)).map_err(GitError::Failed)?;
    let prefix = format!("{}/", tree.display());
    git(
        &top,
        &[
            "checkout-index",
            "--all",
            "--force",
            &format!("--prefix={prefix}"),
        ],
        Some(&index),
    )
    .map_err(GitError::Failed)?;
    let at = tree.join(&relative);
    if !at.is_file() {
        return Err(GitError::Failed(format!(
            "`{file}` does not exist at `{rev}` (`{}` in the repository)",
            relative.display()
        )));
    }
    Ok((checkout, at))
}

/// A fresh directory under the system's temporary directory.
fn scratch_dir() -> Result<PathBuf, String> {
    for attempt in 0..100 {
        let dir = std::env::temp_dir().join(format!("mlc-diff-{}-{attempt}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(format!("cannot create `{}`: {error}", dir.display())),
        }
    }
    Err("cannot create a temporary directory".into())
}

/// Runs git in `dir` (with its own index file if given); its stdout, or its stderr.
fn git(dir: &Path, args: &[&str], index: Option<&Path>) -> Result<String, String> {
    let mut command = Command::new("git");
    command.arg("-C").arg(dir).args(args);
    if let Some(index) = index {
        command.env("GIT_INDEX_FILE", index);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}
