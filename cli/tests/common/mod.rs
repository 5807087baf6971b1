//! Helpers shared by the end-to-end tests: a scratch project directory and a way to run the
//! real `mlc` binary in it.

#![allow(dead_code)] // Each test binary uses its own subset.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch directory with `.mlc` files, removed when dropped.
pub struct Project {
    dir: PathBuf,
}

impl Project {
    pub fn new(name: &str) -> Project {
        let dir = std::env::temp_dir().join(format!("mlc-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create project dir");
        Project { dir }
    }

    pub fn file(self, name: &str, text: &str) -> Project {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dir");
        }
        std::fs::write(path, text).expect("write file");
        self
    }

    /// The path of `name` inside the project directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Runs `mlc` with `args` in the project directory.
    pub fn mlc(&self, args: &[&str]) -> Run {
        run_in(&self.dir, args)
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_mlc"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("run mlc");
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Every `.mlc` file under `dir`, recursively, in name order.
pub fn mlc_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            mlc_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "mlc") {
            out.push(path);
        }
    }
}
