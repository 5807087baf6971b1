//! `--out-dir DIR`: one YAML file per object, in a directory whose `.yaml` files mlc owns.
//!
//! - **Names**: `<kind>_<namespace>_<name>.yaml` (`<kind>_<name>.yaml` for cluster-scoped
//!   objects), lower case, each part made of portable characters only (`a-z 0-9 . -`; anything
//!   else becomes `-`, so a part never holds a `/` or the `_` separator), the whole name
//!   bounded (a long one is cut and ends with a hash of the full one). A name never starts
//!   with `.`, so it is never `.`, `..` or a hidden file. Two objects that map to one file
//!   are an error naming both.
//! - **Ownership**: the index file `.mlc-out-dir` (no `.yaml`/`.json` extension, so that
//!   `kubectl apply -f DIR` does not read it) lists the files the last build wrote. A build
//!   removes the files of that list that it no longer writes, and never a file it did not
//!   list (an index entry that is not a name mlc makes is ignored).
//! - **All or nothing**: a build first writes every changed file into a fresh temporary
//!   directory inside DIR (same file system), and only when all were written moves them into
//!   place, one rename each (a reader never sees a half-written file), then writes the index
//!   and removes stale files. A failure before the renames leaves DIR as it was.
//!
//! Across rebuilds (`--watch`) an [`OutDir`] remembers the text of each file it wrote: an
//! unchanged object costs a check that its file still exists, not a read.

use crate::k8s::{self, Manifest};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The index file of an output directory.
pub const INDEX: &str = ".mlc-out-dir";
/// The first line of the index file.
const INDEX_HEADER: &str =
    "# Files written by `mlc build --out-dir`; mlc removes those that are no longer built.";
/// The longest file name mlc makes, `.yaml` included (file systems allow 255 bytes).
const MAX_FILE_NAME: usize = 200;

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
    /// The output directory `dir`; an empty path is refused (it would be the working
    /// directory).
    pub fn new(dir: impl Into<PathBuf>) -> Result<OutDir, String> {
        let dir = dir.into();
        if dir.as_os_str().is_empty() {
            return Err("the output directory is empty: give `--out-dir` a directory".into());
        }
        Ok(OutDir {
            dir,
            written: BTreeMap::new(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes each object to its file (creating the directory if needed), then removes the
    /// files that an earlier build wrote (this one's memory, or the index on disk) and this
    /// one does not. Nothing changes in the directory unless every file could be written.
    pub fn write(&mut self, manifests: &[Manifest]) -> Result<Written, String> {
        let files = files_of(manifests)?;
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create `{}`: {e}", self.dir.display()))?;
        let mut previous = self.read_index();
        previous.extend(self.written.keys().cloned());

        let changed: Vec<&String> = files
            .iter()
            .filter(|(name, text)| !self.holds(name, text))
            .map(|(name, _)| name)
            .collect();
        let mut written = Written {
            written: changed.len(),
            unchanged: files.len() - changed.len(),
            removed: 0,
        };
        // What could make a rename fail (a directory in the way) fails the build before
        // anything moved.
        for name in &changed {
            let target = self.dir.join(name);
            if target.symlink_metadata().is_ok_and(|m| m.is_dir()) {
                return Err(format!(
                    "cannot write `{}`: a directory is in the way",
                    target.display()
                ));
            }
        }
        let index = index_text(files.keys());
        let index_changed = std::fs::read_to_string(self.dir.join(INDEX))
            .ok()
            .as_deref()
            != Some(&index);
        if !changed.is_empty() || index_changed {
            let staging = Staging::new(&self.dir)?;
            for name in &changed {
                staging.put(name, &files[*name])?;
            }
            staging.put(INDEX, &index)?;
            // Every file is written: move them in place, the index last.
            for name in changed.iter().map(|name| name.as_str()).chain([INDEX]) {
                staging.commit(name)?;
            }
        }
        for stale in previous.iter().filter(|name| !files.contains_key(*name)) {
            let path = self.dir.join(stale);
            match std::fs::remove_file(&path) {
                Ok(()) => written.removed += 1,
                // Already gone: someone else cleaned up, which is what we wanted.
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(format!("cannot remove `{}`: {error}", path.display())),
            }
        }
        self.written = files;
        Ok(written)
    }

    /// Whether the file `name` holds `text` already (as this process last wrote it and the
    /// file is still there, or as found on disk).
    fn holds(&self, name: &str, text: &str) -> bool {
        let target = self.dir.join(name);
        if self.written.get(name).is_some_and(|last| last == text) {
            target.is_file()
        } else {
            std::fs::read(&target).is_ok_and(|old| old == text.as_bytes())
        }
    }

    /// The files the index on disk lists, keeping only names mlc could have made.
    fn read_index(&self) -> BTreeSet<String> {
        let Ok(text) = std::fs::read_to_string(self.dir.join(INDEX)) else {
            return BTreeSet::new();
        };
        text.lines()
            .filter(|line| !line.starts_with('#') && is_own_file_name(line))
            .map(str::to_string)
            .collect()
    }
}

/// Each object's file name and text; two objects with one file name are an error.
fn files_of(manifests: &[Manifest]) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    for manifest in manifests {
        let name = file_name(manifest);
        let owner = describe(manifest);
        if let Some(first) = owners.get(&name) {
            return Err(format!(
                "{first} and {owner} would both be written to `{name}`: rename one of them"
            ));
        }
        files.insert(name.clone(), k8s::to_yaml(std::slice::from_ref(manifest))?);
        owners.insert(name, owner);
    }
    Ok(files)
}

/// `ConfigMap `a` in namespace `ns``, for messages.
fn describe(manifest: &Manifest) -> String {
    match namespace(manifest) {
        Some(namespace) => format!(
            "{} `{}` in namespace `{namespace}`",
            manifest.kind, manifest.name
        ),
        None => format!("{} `{}`", manifest.kind, manifest.name),
    }
}

fn namespace(manifest: &Manifest) -> Option<&str> {
    manifest.value["metadata"]["namespace"]
        .as_str()
        .filter(|namespace| !namespace.is_empty())
}

/// The file `--out-dir` writes an object to: `<kind>_<namespace>_<name>.yaml`, or
/// `<kind>_<name>.yaml` without a namespace, each part sanitised (see the module comment).
pub fn file_name(manifest: &Manifest) -> String {
    let mut parts = vec![sanitise(&manifest.kind)];
    parts.extend(namespace(manifest).map(sanitise));
    parts.push(sanitise(&manifest.name));
    let stem = parts.join("_");
    let limit = MAX_FILE_NAME - ".yaml".len();
    if stem.len() <= limit {
        return format!("{stem}.yaml");
    }
    // Cut (on a character boundary: the stem is ASCII) and keep it unique with a hash of
    // the whole identity.
    let identity = format!(
        "{}\0{}\0{}",
        manifest.kind,
        namespace(manifest).unwrap_or_default(),
        manifest.name
    );
    let hash = Sha256::digest(identity.as_bytes());
    let hex: String = hash[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{hex}.yaml", &stem[..limit - hex.len() - 1])
}

/// One part of a file name: lower case, `a-z 0-9 . -` only, never empty, never starting
/// with `.`.
fn sanitise(part: &str) -> String {
    let mut out: String = part
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '.' | '-') => c,
            _ => '-',
        })
        .collect();
    if out.is_empty() || out.starts_with('.') {
        out.insert(0, '-');
    }
    out
}

/// Whether `name` is a file name [`file_name`] can make (for index entries: a tampered index
/// must not make mlc remove anything else).
fn is_own_file_name(name: &str) -> bool {
    name.len() <= MAX_FILE_NAME
        && !name.starts_with('.')
        && name.ends_with(".yaml")
        && name
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_'))
}

fn index_text<'a>(files: impl Iterator<Item = &'a String>) -> String {
    let mut text = format!("{INDEX_HEADER}\n");
    for file in files {
        text.push_str(file);
        text.push('\n');
    }
    text
}

/// A temporary directory inside the output directory, removed when dropped.
struct Staging {
    dir: PathBuf,
    target: PathBuf,
}

impl Staging {
    fn new(target: &Path) -> Result<Staging, String> {
        let mut attempt = 0u32;
        loop {
            let dir = target.join(format!(".mlc-tmp-{}-{attempt}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => {
                    return Ok(Staging {
                        dir,
                        target: target.to_path_buf(),
                    })
                }
                Err(error)
                    if error.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 =>
                {
                    attempt += 1
                }
                Err(error) => {
                    return Err(format!("cannot create `{}`: {error}", dir.display()));
                }
            }
        }
    }

    fn put(&self, name: &str, text: &str) -> Result<(), String> {
        let path = self.dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
    }

    fn commit(&self, name: &str) -> Result<(), String> {
        let target = self.target.join(name);
        std::fs::rename(self.dir.join(name), &target)
            .map_err(|e| format!("cannot write `{}`: {e}", target.display()))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `v1` object of `kind` whose `data.x` is `data`, so that two objects of one name
    /// can differ.
    fn object(kind: &str, namespace: Option<&str>, name: &str, data: &str) -> Manifest {
        let mut object = crate::testing::manifest("v1", kind, namespace, name);
        object.value.set(
            &["data"],
            crate::eval::Data::from_json(&serde_json::json!({ "x": data })),
        );
        object
    }

    fn manifest(kind: &str, name: &str, data: &str) -> Manifest {
        object(kind, None, name, data)
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

    fn out_dir(dir: &Path) -> OutDir {
        OutDir::new(dir).expect("a directory")
    }

    #[test]
    fn writes_changed_files_only_and_removes_the_files_of_dropped_objects() {
        let dir = scratch("rewrite");
        let mut out = out_dir(&dir.join("nested"));
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
        assert_eq!(
            listing(out.path()),
            [INDEX, "configmap_a.yaml", "secret_b.yaml"]
        );

        // A file someone else put there is left alone.
        std::fs::write(out.path().join("notes.yaml"), "mine").expect("write notes");
        let second = [manifest("ConfigMap", "a", "2")];
        assert_eq!(
            out.write(&second),
            Ok(Written {
                written: 1,
                unchanged: 0,
                removed: 1
            })
        );
        assert_eq!(
            listing(out.path()),
            [INDEX, "configmap_a.yaml", "notes.yaml"]
        );
        let text = std::fs::read_to_string(out.path().join("configmap_a.yaml"));
        assert!(text.is_ok_and(|text| text.contains("x: '2'")));

        assert_eq!(
            out.write(&second),
            Ok(Written {
                written: 0,
                unchanged: 1,
                removed: 0
            })
        );

        // An unchanged build rewrites nothing, not even the index.
        let index_time = std::fs::metadata(out.path().join(INDEX)).and_then(|m| m.modified());
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(out.write(&second).map(|w| w.written), Ok(0));
        let again = std::fs::metadata(out.path().join(INDEX)).and_then(|m| m.modified());
        assert_eq!(index_time.ok(), again.ok());

        // A file removed behind its back is written again.
        std::fs::remove_file(out.path().join("configmap_a.yaml")).expect("remove a file");
        assert_eq!(out.write(&second).map(|w| w.written), Ok(1));
        assert!(out.path().join("configmap_a.yaml").is_file());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_new_run_removes_the_files_the_index_lists_and_nothing_else() {
        let dir = scratch("index");
        out_dir(&dir)
            .write(&[
                manifest("ConfigMap", "a", "1"),
                manifest("Secret", "b", "1"),
            ])
            .expect("first build");
        std::fs::write(dir.join("mine.yaml"), "mine").expect("write a file of the user");
        // An index entry mlc could not have made is never followed.
        std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
        std::fs::write(dir.join("sub/kept.yaml"), "kept").expect("write");
        let index = std::fs::read_to_string(dir.join(INDEX)).expect("the index");
        std::fs::write(
            dir.join(INDEX),
            format!("{index}mine.txt\nsub/kept.yaml\n../outside.yaml\n.hidden.yaml\n"),
        )
        .expect("tamper with the index");

        let mut again = out_dir(&dir);
        let written = again.write(&[manifest("ConfigMap", "a", "1")]);
        assert_eq!(
            written,
            Ok(Written {
                written: 0,
                unchanged: 1,
                removed: 1
            })
        );
        assert_eq!(
            listing(&dir),
            [INDEX, "configmap_a.yaml", "mine.yaml", "sub"]
        );
        assert!(dir.join("sub/kept.yaml").is_file());
        let index = std::fs::read_to_string(dir.join(INDEX)).expect("the index");
        assert_eq!(index, format!("{INDEX_HEADER}\nconfigmap_a.yaml\n"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn file_names_are_portable_bounded_and_stay_inside_the_directory() {
        let hostile = object("/./../../x/abs", Some("../.."), "a/b\\c", "1");
        let name = file_name(&hostile);
        assert_eq!(name, "-.-..-..-x-abs_-..-.._a-b-c.yaml");
        assert!(is_own_file_name(&name));
        assert_eq!(
            file_name(&object("Deployment", Some("prod"), "mlflow", "1")),
            "deployment_prod_mlflow.yaml"
        );
        assert_eq!(file_name(&object("", None, "", "1")), "-_-.yaml");
        assert_eq!(
            file_name(&object("ConfigMap", Some(""), ".x", "1")),
            "configmap_-.x.yaml"
        );
        let long = "n".repeat(300);
        let cut = file_name(&object("ConfigMap", Some("ns"), &long, "1"));
        let other = file_name(&object("ConfigMap", Some("ns"), &format!("{long}x"), "1"));
        assert_eq!(cut.len(), MAX_FILE_NAME);
        assert!(is_own_file_name(&cut));
        assert_ne!(cut, other);

        let dir = scratch("hostile");
        let mut out = out_dir(&dir.join("out"));
        assert_eq!(out.write(&[hostile]).map(|w| w.written), Ok(1));
        assert_eq!(listing(&dir), ["out"]);
        assert_eq!(listing(&dir.join("out")), [name.as_str(), INDEX]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn two_objects_with_one_file_are_an_error_and_nothing_is_written() {
        let dir = scratch("clash");
        let mut out = out_dir(&dir);
        out.write(&[manifest("ConfigMap", "old", "1")])
            .expect("first build");
        let clash = [
            object("ConfigMap", Some("a"), "x", "1"),
            object("configmap", Some("A"), "x", "2"),
        ];
        let error = out.write(&clash);
        assert_eq!(
            error,
            Err("ConfigMap `x` in namespace `a` and configmap `x` in namespace `A` would both be written to `configmap_a_x.yaml`: rename one of them".to_string())
        );
        assert_eq!(listing(&dir), [INDEX, "configmap_old.yaml"]);
        // One name in two namespaces is two files.
        let apart = [
            object("ConfigMap", Some("a"), "x", "1"),
            object("ConfigMap", Some("b"), "x", "2"),
        ];
        assert_eq!(out.write(&apart).map(|w| w.written), Ok(2));
        assert_eq!(
            listing(&dir),
            [INDEX, "configmap_a_x.yaml", "configmap_b_x.yaml"]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_write_changes_nothing() {
        let dir = scratch("failure");
        let mut out = out_dir(&dir);
        out.write(&[manifest("ConfigMap", "a", "1")])
            .expect("first build");
        let before = std::fs::read_to_string(dir.join("configmap_a.yaml")).expect("read");
        // A directory in the way of the second file: the first file must not be replaced.
        std::fs::create_dir_all(dir.join("configmap_b.yaml/blocker")).expect("mkdir");
        let error = out.write(&[
            manifest("ConfigMap", "a", "2"),
            manifest("ConfigMap", "b", "2"),
        ]);
        assert!(error.is_err(), "{error:?}");
        let after = std::fs::read_to_string(dir.join("configmap_a.yaml")).expect("read");
        assert_eq!(before, after);
        assert!(
            !listing(&dir)
                .iter()
                .any(|name| name.starts_with(".mlc-tmp")),
            "{:?}",
            listing(&dir)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_empty_directory_and_one_that_cannot_be_made_are_errors() {
        assert!(OutDir::new("").is_err());
        let dir = scratch("blocked");
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        let file = dir.join("file");
        std::fs::write(&file, "").expect("write file");
        let mut out = out_dir(&file.join("out"));
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
