//! `mlc-lsp`, the mlc language server, speaking LSP over stdio.

fn main() -> std::process::ExitCode {
    match mlc_lsp::server::run_stdio() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("mlc-lsp: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
