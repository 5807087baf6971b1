//! The `mlc` command line; all of its logic lives in [`mlc::cli`].

fn main() -> std::process::ExitCode {
    mlc::cli::main()
}
