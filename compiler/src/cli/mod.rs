//! The `mlc` command line: argument parsing and the commands, driving the salsa database.

use std::process::ExitCode;

/// Runs the command line and returns the process exit code
/// (0 success, 1 errors in the input, 2 usage errors).
pub fn main() -> ExitCode {
    eprintln!("mlc: not yet");
    ExitCode::from(2)
}
