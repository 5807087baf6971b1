//! `mlc-lsp`, the mlc language server, speaking LSP over stdio.

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
