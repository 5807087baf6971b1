//! Imports stay inside the project root (issue 16): the entry file's directory, or `--root
//! DIR`. Files outside it, symbolic links leading out, and files that are not regular files
//! are refused with a diagnostic that never shows their content; the standard library works.

mod common;

use common::Project;

/// Runs `mlc eval` on `main.mlc` with `source` and expects a refusal that says `reason`
/// and never shows `secret`.
fn refused(project: &Project, reason: &str, secret: &str) {
    let run = project.mlc(&["--color", "never", "eval", "main.mlc"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains(reason), "{}", run.stderr);
    assert!(
        secret.trim().is_empty() || !run.stderr.contains(secret.trim()),
        "the diagnostic shows the refused file:\n{}",
        run.stderr
    );
}

#[test]
fn absolute_paths_outside_the_root_are_refused_without_their_content() {
    let project = Project::new("root-proc").file("main.mlc", "import /proc/self/environ");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_mlc"))
        .args(["--color", "never", "eval", "main.mlc"])
        .current_dir(project.path(""))
        .env("MLC_TEST_SECRET", "hunter2-very-secret")
        .output()
        .expect("run mlc");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("outside the project root"), "{stderr}");
    assert!(
        !stderr.contains("hunter2"),
        "the environment leaked:\n{stderr}"
    );
}

#[test]
fn parent_directories_above_the_root_are_refused() {
    let hostname = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let project =
        Project::new("root-parent").file("main.mlc", "import ../../../../../../etc/hostname");
    refused(&project, "outside the project root", &hostname);
    let project = Project::new("root-dev-zero").file("main.mlc", "import /dev/zero");
    refused(&project, "outside the project root", "");
}

#[test]
fn a_symbolic_link_leading_out_is_refused() {
    let outside = Project::new("root-outside").file("secret.mlc", "\"classified-value\"");
    let project = Project::new("root-link").file("main.mlc", "import ./link.mlc");
    if std::os::unix::fs::symlink(outside.path("secret.mlc"), project.path("link.mlc")).is_err() {
        return;
    }
    refused(&project, "symbolic link", "classified-value");
}

#[test]
fn a_fifo_is_refused_instead_of_blocking() {
    let project = Project::new("root-fifo").file("main.mlc", "import ./pipe.mlc");
    let made = std::process::Command::new("mkfifo")
        .arg(project.path("pipe.mlc"))
        .status();
    if !made.is_ok_and(|status| status.success()) {
        return;
    }
    refused(&project, "not a regular file", "");
}

#[test]
fn imports_inside_the_root_and_the_standard_library_work() {
    let project = Project::new("root-inside")
        .file(
            "deploy/main.mlc",
            "let lib = import <lib>; in lib.toUpper (import ../shared/name.mlc)",
        )
        .file("shared/name.mlc", "\"mlflow\"");
    // The entry's directory is the root: `../shared` is above it.
    let run = project.mlc(&["--color", "never", "eval", "deploy/main.mlc"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("outside the project root"),
        "{}",
        run.stderr
    );
    // Naming the project's top directory lets it in.
    let run = project.mlc(&["--root", ".", "eval", "deploy/main.mlc"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "\"MLFLOW\"");
    // `mlc check` follows the same rule.
    let run = project.mlc(&["--root", ".", "check", "deploy/main.mlc"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn expressions_are_rooted_in_the_current_directory() {
    let project = Project::new("root-expr").file("a.mlc", "1");
    let run = project.mlc(&["eval", "-E", "import ./a.mlc + 1"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "2");
    let run = project.mlc(&["eval", "-E", "import /etc/hostname"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("outside the project root"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_empty_root_is_a_usage_error() {
    let project = Project::new("root-empty").file("a.mlc", "1");
    let run = project.mlc(&["--root", "", "eval", "a.mlc"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}
