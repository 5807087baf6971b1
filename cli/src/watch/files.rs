//! Which directories the file watcher watches, and which of its events concern the build.
//!
//! Editors often save by writing a new file and renaming it over the old one, which ends a
//! watch on the file itself. So the watcher watches the parent directory of each file
//! (not recursively) and keeps the events whose path is one of the files; a directory that
//! does not exist yet is replaced by its nearest existing ancestor, and an event on a
//! directory on the way to a file counts too, so a file appearing in a new directory is
//! noticed.

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// The files of the build and the directories to watch for them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WatchSet {
    /// Each file as the database names it, and as the operating system may report it
    /// (symbolic links resolved).
    files: HashSet<PathBuf>,
    dirs: BTreeSet<PathBuf>,
}

impl WatchSet {
    pub fn new(files: &[String]) -> WatchSet {
        let mut set = WatchSet::default();
        for file in files {
            let file = PathBuf::from(file);
            let dir = existing_ancestor(&file);
            if let (Some(parent), Some(name)) = (file.parent(), file.file_name()) {
                if let Ok(real) = parent.canonicalize() {
                    set.files.insert(real.join(name));
                }
            }
            set.files.insert(file);
            set.dirs.extend(dir);
        }
        set
    }

    /// The directories to watch, not recursively.
    #[cfg(test)]
    fn dirs(&self) -> &BTreeSet<PathBuf> {
        &self.dirs
    }

    /// Whether `event` may have changed one of the files: a change (not a read) of a file,
    /// or of a directory on the way to one, or a watcher that lost track of events.
    pub fn is_relevant(&self, event: &notify::Event) -> bool {
        if event.need_rescan() {
            return true;
        }
        let is_change = match event.kind {
            // Opening and reading (the build itself reads the files) change nothing.
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            EventKind::Access(_) => false,
            _ => true,
        };
        is_change && event.paths.iter().any(|path| self.concerns(path))
    }

    fn concerns(&self, path: &Path) -> bool {
        self.files.contains(path)
            || self
                .files
                .iter()
                .any(|file| file != path && file.starts_with(path))
    }
}

/// The nearest directory above `file` that exists.
fn existing_ancestor(file: &Path) -> Option<PathBuf> {
    file.ancestors()
        .skip(1)
        .find(|dir| dir.is_dir())
        .map(Path::to_path_buf)
}

/// A file watcher kept in step with a [`WatchSet`].
pub struct FileWatcher<W: Watcher> {
    watcher: W,
    set: WatchSet,
}

impl<W: Watcher> FileWatcher<W> {
    pub fn new(watcher: W) -> Self {
        FileWatcher {
            watcher,
            set: WatchSet::default(),
        }
    }

    pub fn set(&self) -> &WatchSet {
        &self.set
    }

    /// Watches the directories of `files` (and stops watching those no file needs any
    /// more). Returns the directories that could not be watched, with why.
    pub fn update(&mut self, files: &[String]) -> Vec<(PathBuf, notify::Error)> {
        let set = WatchSet::new(files);
        let mut failures = Vec::new();
        for gone in self.set.dirs.difference(&set.dirs) {
            // The directory may have been removed, which ended its watch already.
            let _ = self.watcher.unwatch(gone);
        }
        for new in set.dirs.difference(&self.set.dirs) {
            if let Err(error) = self.watcher.watch(new, RecursiveMode::NonRecursive) {
                failures.push((new.clone(), error));
            }
        }
        self.set = set;
        failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind, RemoveKind};

    fn event(kind: EventKind, path: &Path) -> notify::Event {
        notify::Event::new(kind).add_path(path.to_path_buf())
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mlc-watch-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        dir
    }

    fn string(path: &Path) -> String {
        path.to_string_lossy().into_owned()
    }

    #[test]
    fn watches_parent_directories_and_keeps_events_on_the_files() {
        let dir = scratch("set");
        let sub = dir.join("sub");
        std::fs::create_dir_all(&sub).expect("create sub");
        let files = [string(&dir.join("a.mlc")), string(&sub.join("b.mlc"))];
        let set = WatchSet::new(&files);
        assert_eq!(
            set.dirs().iter().collect::<Vec<_>>(),
            [&dir, &sub],
            "{set:?}"
        );
        let modify = EventKind::Modify(ModifyKind::Any);
        assert!(set.is_relevant(&event(modify, &dir.join("a.mlc"))));
        assert!(set.is_relevant(&event(
            EventKind::Remove(RemoveKind::File),
            &sub.join("b.mlc")
        )));
        assert!(!set.is_relevant(&event(modify, &dir.join("other.mlc"))));
        assert!(!set.is_relevant(&event(modify, &dir.join(".a.mlc.swp"))));
        let open = EventKind::Access(AccessKind::Open(AccessMode::Read));
        assert!(!set.is_relevant(&event(open, &dir.join("a.mlc"))));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_directory_is_watched_through_its_nearest_ancestor() {
        let dir = scratch("missing");
        let file = dir.join("new").join("deeper").join("c.mlc");
        let set = WatchSet::new(&[string(&file)]);
        assert_eq!(set.dirs().iter().collect::<Vec<_>>(), [&dir]);
        // Creating `new` is on the way to the file; a sibling is not.
        let create = EventKind::Create(CreateKind::Folder);
        assert!(set.is_relevant(&event(create, &dir.join("new"))));
        assert!(!set.is_relevant(&event(create, &dir.join("newer"))));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_lost_event_queue_is_always_relevant() {
        let set = WatchSet::new(&["/nowhere/a.mlc".to_string()]);
        let rescan = notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        assert!(set.is_relevant(&rescan));
    }
}
