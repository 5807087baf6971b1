//! `mlc-lsp`, the mlc language server, speaking LSP over stdio.

/// mimalloc (v2), as in `mlc`: every keystroke parses, resolves and checks the file again
/// and answers completions of thousands of items, all small allocations, and threads free
/// what others allocated (old results go on the background thread). The benches in
/// `lsp/benches/` use it too, so they measure this binary's allocator.
#[global_allocator]
static ALLOCATOR: mlc_alloc::MiMalloc = mlc_alloc::MiMalloc;

fn main() -> std::process::ExitCode {
    match mlc_lsp::server::run_stdio() {
        // `exit` after `shutdown`: 0; `exit` without it, or the input ending first: 1.
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::FAILURE,
        Err(err) => {
            eprintln!("mlc-lsp: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
