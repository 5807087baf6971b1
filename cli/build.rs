//! Links the `mlc` binary as a position-dependent executable on GNU/Linux (see
//! [`link_without_pie`]).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    link_without_pie();
}

/// Links the `mlc` binary as a position-dependent executable on GNU/Linux. As a PIE, the
/// dynamic loader applied about 20,000 relocations to it at every start and dirtied the
/// pages they touch: a fifth of the instructions of `mlc eval -E 1` (callgrind, issue 13).
/// Only the binary: the library, the language server and the tests are linked as before.
fn link_without_pie() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bin=mlc=-no-pie");
    }
}
