//! End-to-end tests of `mlc build --watch`: the real binary watching a scratch project while
//! the test edits, breaks, deletes and recreates an imported file, then stops it with Ctrl-C
//! (SIGINT). Every wait polls with a generous timeout, so a slow machine is only slower.

#![cfg(unix)]

mod common;

use common::Project;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);

fn config_map(name: &str, value: &str) -> String {
    format!(
        "{{ apiVersion = \"v1\"; kind = \"ConfigMap\"; metadata.name = \"{name}\"; data.value = \"{value}\"; }}\n"
    )
}

/// A running `mlc` whose output is collected as it comes; killed when dropped.
struct Running {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Running {
    fn start(dir: &Path, args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mlc"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start mlc");
        let stdout = collect(child.stdout.take());
        let stderr = collect(child.stderr.take());
        Running {
            child,
            stdout,
            stderr,
        }
    }

    fn stdout(&self) -> String {
        self.stdout.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Waits until `condition` holds, failing the test with the output so far if it does
    /// not within the timeout.
    #[track_caller]
    fn wait_for(&self, what: &str, condition: impl Fn(&Running) -> bool) {
        let start = Instant::now();
        while !condition(self) {
            assert!(
                start.elapsed() < TIMEOUT,
                "timed out waiting for {what}\n--- stderr:\n{}\n--- stdout:\n{}",
                self.stderr(),
                self.stdout()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends Ctrl-C's signal and waits for the process to end.
    fn interrupt(&mut self) -> ExitStatus {
        let sent = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for mlc") {
                return status;
            }
            assert!(start.elapsed() < TIMEOUT, "mlc did not stop after SIGINT");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads a pipe to its end on a thread, into a string the test can look at any time.
fn collect(pipe: Option<impl Read + Send + 'static>) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    if let Some(mut pipe) = pipe {
        let sink = text.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(read) = pipe.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                if let Ok(mut text) = sink.lock() {
                    text.push_str(&String::from_utf8_lossy(&buffer[..read]));
                }
            }
        });
    }
    text
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Saves like an editor that writes a temporary file and renames it over the original.
fn atomic_save(path: &Path, text: &str) {
    let temporary = path.with_extension("mlc.swp");
    std::fs::write(&temporary, text).expect("write temporary");
    std::fs::rename(&temporary, path).expect("rename over the file");
}

#[test]
fn rebuilds_on_change_keeps_the_last_good_output_and_stops_on_ctrl_c() {
    let project = Project::new("watch-out-dir")
        .file("main.mlc", "[ (import ./a.mlc) (import ./lib/b.mlc) ]\n")
        .file("a.mlc", &config_map("a", "one"))
        .file("lib/b.mlc", &config_map("b", "one"));
    let out_a = project.path("out/configmap_a.yaml");
    let mut mlc = Running::start(
        &project.path(""),
        &["build", "main.mlc", "--watch", "--out-dir", "out"],
    );
    mlc.wait_for("the first build and the watch", |mlc| {
        mlc.stderr()
            .contains("mlc: watching main.mlc and 2 files it imports")
    });
    assert!(read(&out_a).contains("value: one"), "{}", mlc.stderr());
    assert!(read(&project.path("out/configmap_b.yaml")).contains("value: one"));

    // An edit of one import is rebuilt.
    std::fs::write(project.path("a.mlc"), config_map("a", "two")).expect("edit a.mlc");
    mlc.wait_for("the edit to reach the output", |_| {
        read(&out_a).contains("value: two")
    });
    mlc.wait_for("the summary line", |mlc| {
        mlc.stderr().contains("mlc: built main.mlc in")
            && mlc
                .stderr()
                .contains("2 objects, 1 written to out, 1 unchanged")
    });

    // A broken file is a diagnostic, and the last good output stays.
    std::fs::write(project.path("a.mlc"), "{ x = 1 ").expect("break a.mlc");
    mlc.wait_for("the syntax error", |mlc| {
        mlc.stderr().contains("error[E0101]")
            && mlc.stderr().contains("`out` keeps the last good build")
    });
    assert!(read(&out_a).contains("value: two"));

    // A deleted file is a diagnostic too; when it comes back, the build recovers.
    std::fs::remove_file(project.path("a.mlc")).expect("delete a.mlc");
    mlc.wait_for("the missing file", |mlc| {
        mlc.stderr()
            .contains("cannot import `./a.mlc`: no such file")
    });
    assert!(read(&out_a).contains("value: two"));
    atomic_save(&project.path("a.mlc"), &config_map("a", "three"));
    mlc.wait_for("the recovered build", |_| {
        read(&out_a).contains("value: three")
    });

    let status = mlc.interrupt();
    assert_eq!(status.code(), Some(130), "{}", mlc.stderr());
    let stderr = mlc.stderr();
    assert!(!stderr.contains("internal error"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The temporary files of the writes were renamed into place, none left over.
    let leftovers: Vec<String> = std::fs::read_dir(project.path("out"))
        .expect("out dir")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".mlc-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn without_out_dir_prints_each_changed_build_to_stdout() {
    let project = Project::new("watch-stdout")
        .file("main.mlc", "import ./a.mlc\n")
        .file("a.mlc", &config_map("a", "one"))
        .file("c.mlc", &config_map("c", "one"));
    let mut mlc = Running::start(&project.path(""), &["build", "main.mlc", "--watch"]);
    mlc.wait_for("the first build", |mlc| {
        mlc.stdout().contains("# mlc: build 1 of main.mlc\n---\n")
            && mlc
                .stderr()
                .contains("mlc: watching main.mlc and 1 file it imports")
    });

    // An import added by an edit is followed, and then watched.
    std::fs::write(
        project.path("main.mlc"),
        "[ (import ./a.mlc) (import ./c.mlc) ]\n",
    )
    .expect("edit main.mlc");
    mlc.wait_for("the build with the new import", |mlc| {
        mlc.stdout().contains("# mlc: build 2 of main.mlc")
            && mlc
                .stderr()
                .contains("mlc: watching main.mlc and 2 files it imports")
    });
    std::fs::write(project.path("c.mlc"), config_map("c", "two")).expect("edit c.mlc");
    mlc.wait_for("the build of the edited import", |mlc| {
        let stdout = mlc.stdout();
        let last = stdout.rsplit("# mlc: build").next().unwrap_or_default();
        last.contains("value: two") && last.contains("name: a")
    });

    // A comment changes nothing in the output: nothing more is printed.
    let before = mlc.stdout();
    std::fs::write(
        project.path("c.mlc"),
        format!("# a comment\n{}", config_map("c", "two")),
    )
    .expect("comment c.mlc");
    mlc.wait_for("the unchanged build", |mlc| {
        mlc.stderr().contains("2 objects, output unchanged")
    });
    assert_eq!(mlc.stdout(), before);

    let status = mlc.interrupt();
    assert_eq!(status.code(), Some(130), "{}", mlc.stderr());
}
