//! End-to-end tests of `mlc fmt`: in place, `--check`, stdin, and refusal of broken files.
#![allow(clippy::unwrap_used)] // A failing unwrap is a failing test.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn mlc(args: &[&str], dir: &PathBuf, stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mlc"))
        .args(args)
        .arg("--color=never")
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mlc runs");
    if let Some(text) = stdin {
        use std::io::Write;
        let _ = child.stdin.take().map(|mut s| s.write_all(text.as_bytes()));
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("mlc finishes")
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mlc-fmt-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn formats_in_place_and_check_prints_the_diff_of_unformatted_files_only() {
    let dir = scratch_dir("inplace");
    std::fs::write(dir.join("messy.mlc"), "{a=1;b=[1 2];}").unwrap();
    std::fs::write(dir.join("tidy.mlc"), "{ a = 1; }\n").unwrap();

    let check = mlc(&["fmt", "--check", "messy.mlc", "tidy.mlc"], &dir, None);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&check.stdout),
        "--- messy.mlc\n+++ messy.mlc (formatted)\n@@ -1 +1,4 @@\n-{a=1;b=[1 2];}\n\\ No newline at end of file\n+{\n+  a = 1;\n+  b = [ 1 2 ];\n+}\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("messy.mlc")).unwrap(),
        "{a=1;b=[1 2];}",
        "--check must not write"
    );

    let fmt = mlc(&["fmt", "messy.mlc", "tidy.mlc"], &dir, None);
    assert_eq!(fmt.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.join("messy.mlc")).unwrap(),
        "{\n  a = 1;\n  b = [ 1 2 ];\n}\n"
    );
    let check = mlc(&["fmt", "--check", "messy.mlc", "tidy.mlc"], &dir, None);
    assert_eq!(check.status.code(), Some(0));
    let leftovers = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(leftovers, 2, "no temporary file is left behind");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn files_with_syntax_errors_are_reported_and_left_untouched() {
    let dir = scratch_dir("broken");
    std::fs::write(dir.join("bad.mlc"), "{ a = ; }").unwrap();
    let out = mlc(&["fmt", "bad.mlc"], &dir, None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[E0101]"), "{stderr}");
    assert!(stderr.contains("bad.mlc:1:7"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("bad.mlc")).unwrap(),
        "{ a = ; }"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn dash_formats_stdin_to_stdout() {
    let dir = scratch_dir("stdin");
    let out = mlc(&["fmt", "-"], &dir, Some("[1   2]"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "[ 1 2 ]\n");
    let _ = std::fs::remove_dir_all(&dir);
}
