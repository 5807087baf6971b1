//! The `mlc` command line; all of its logic lives in [`mlc::cli`].

/// mimalloc (v2) instead of the system allocator: evaluation makes millions of small,
/// short-lived allocations, and glibc's malloc spent about 40% of `mlc eval`'s time on them
/// (issue 13; `bench/nix-yardstick.sh`). Only the `mlc` binary: the library and the
/// language server keep the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    mlc::cli::main()
}
