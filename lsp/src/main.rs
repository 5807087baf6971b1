//! `mlc-lsp`, the mlc language server over stdio. Not written yet: see issue "mlc-lsp".

fn main() -> std::process::ExitCode {
    eprintln!("mlc-lsp: not yet");
    std::process::ExitCode::from(2)
}
