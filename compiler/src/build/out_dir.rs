//! `--out-dir DIR`: one YAML file per object, written so that a reader (kubectl, a GitOps
//! agent, an editor) never sees a half-written file, and rewritten only when its text
//! changed.
//!
//! Each file is written to a temporary file in the same directory and renamed over the
//! target: on one file system a rename replaces the file in one step. Across rebuilds
//! (`--watch`), an [`OutDir`] remembers the files it wrote and their text: an unchanged
//! object costs a check that its file still exists, not a read, and the files of objects
//! the latest build no longer has are removed; files it did not write are never touched.

use crate::k8s::{self, Manifest};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// An output directory, and the files of the last build with their text.
pub struct OutDir {
    dir: PathBuf,
    written: BTreeMap<String, String>,
}

/// What one [`OutDir::write`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Objects whose file was created or replaced.
    pub written: usize,
    /// Objects whose file already had this text.
    pub unchanged: usize,
    /// Files of objects that the previous build had and this one does not.
    pub removed: usize,
}

impl OutDir {
    pub fn new(dir: impl Into<PathBuf>) -> OutDir {
        OutDir {
            dir: dir.into(),
            written: BTreeMap::new(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes each object to `<kind>-<name>.yaml` (creating the directory if needed), then
    /// removes the files of objects written by an earlier call that `manifests` no longer
    /// has. Stops at the first file that cannot be written, with a message naming it.
    pub fn write(&mut self, manifests: &[Manifest]) -> Result<Written, String> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create `{}`: {e}", self.dir.display()))?;
        let mut written = Written::default();
        let mut files = BTreeMap::new();
        for manifest in manifests {
            let name = k8s::file_name(manifest);
            let text = k8s::to_yaml(std::slice::from_ref(manifest))?;
            if self.replace(&name, &text)? {
                written.written += 1;
            } else {
                written.unchanged += 1;
            }
            files.insert(name, text);
        }
        let names: BTreeSet<&String> = files.keys().collect();
        for stale in self.written.keys().filter(|name| !names.contains(name)) {
            match std::fs::remove_file(self.dir.join(stale)) {
                Ok(()) => written.removed += 1,
                // Already gone: someone else cleaned up, which is what we wanted.
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => {
                    return Err(format!(
                        "cannot remove `{}`: {error}",
                        self.dir.join(stale).display()
                    ))
                }
            }
        }
        self.written = files;
        Ok(written)
    }

    /// Puts `text` into the file `name` unless it holds it already (as this process last
    /// wrote it and the file is still there, or as found on disk); says whether it wrote.
    fn replace(&self, name: &str, text: &str) -> Result<bool, String> {
        let target = self.dir.join(name);
        let unchanged = if self.written.get(name).is_some_and(|last| last == text) {
            target.is_file()
        } else {
            std::fs::read(&target).is_ok_and(|old| old == text.as_bytes())
        };
        if unchanged {
            return Ok(false);
        }
        let temporary = self.dir.join(format!(".{name}.tmp"));
        std::fs::write(&temporary, text)
            .and_then(|()| std::fs::rename(&temporary, &target))
            .map_err(|e| {
                let _ = std::fs::remove_file(&temporary);
                format!("cannot write `{}`: {e}", target.display())
            })?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(kind: &str, name: &str, data: &str) -> Manifest {
        Manifest {
            kind: kind.to_string(),
            name: name.to_string(),
            value: serde_json::json!({
                "apiVersion": "v1",
                "kind": kind,
                "metadata": { "name": name },
                "data": { "x": data },
            }),
            origin: None,
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mlc-out-dir-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|entry| entry.ok())
                    .map(|entry| entry.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn writes_changed_files_only_and_removes_the_files_of_dropped_objects() {
        let dir = scratch("rewrite");
        let mut out = OutDir::new(dir.join("nested"));
        let first = [
            manifest("ConfigMap", "a", "1"),
            manifest("Secret", "b", "1"),
        ];
        assert_eq!(
            out.write(&first),
            Ok(Written {
                written: 2,
                unchanged: 0,
                removed: 0
            })
        );
        assert_eq!(listing(out.path()), ["configmap-a.yaml", "secret-b.yaml"]);

        // A file someone else put there is left alone.
        std::fs::write(out.path().join("notes.txt"), "mine").expect("write notes");
        let second = [manifest("ConfigMap", "a", "2")];
        assert_eq!(
            out.write(&second),
            Ok(Written {
                written: 1,
                unchanged: 0,
                removed: 1
            })
        );
        assert_eq!(listing(out.path()), ["configmap-a.yaml", "notes.txt"]);
        let text = std::fs::read_to_string(out.path().join("configmap-a.yaml"));
        assert!(text.is_ok_and(|text| text.contains("x: '2'")));

        assert_eq!(
            out.write(&second),
            Ok(Written {
                written: 0,
                unchanged: 1,
                removed: 0
            })
        );

        // A file removed behind its back is written again.
        std::fs::remove_file(out.path().join("configmap-a.yaml")).expect("remove a file");
        assert_eq!(out.write(&second).map(|w| w.written), Ok(1));
        assert!(out.path().join("configmap-a.yaml").is_file());

        // A new session finds the files of an earlier one on disk and leaves them be.
        let mut again = OutDir::new(out.path());
        assert_eq!(again.write(&second).map(|w| w.unchanged), Ok(1));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_directory_that_cannot_be_made_is_an_error_naming_it() {
        let dir = scratch("blocked");
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        let file = dir.join("file");
        std::fs::write(&file, "").expect("write file");
        let mut out = OutDir::new(file.join("out"));
        let error = out.write(&[manifest("ConfigMap", "a", "1")]);
        assert!(
            error
                .as_ref()
                .is_err_and(|message| message.starts_with("cannot create `")),
            "{error:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
