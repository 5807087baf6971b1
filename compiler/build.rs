//! Embeds the standard library: lists every file under `stdlib/` (at the repository root)
//! into `$OUT_DIR/stdlib_files.rs`, which `src/stdlib.rs` includes.
//!
//! The list is generated rather than written by hand so that adding a module is only adding
//! a file. Paths are sorted so that the binary is the same whatever order the file system
//! lists them in.
//!
//! It also writes `$OUT_DIR/stdlib_hash.rs`, a hash of the files' paths and texts, which
//! tells whether the embedded prepared types (`src/db/prepared.rs`) were made from them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let stdlib_dir = manifest_dir.join("..").join("stdlib");
    println!("cargo:rerun-if-changed={}", stdlib_dir.display());

    let mut files = Vec::new();
    collect(&stdlib_dir, &stdlib_dir, &mut files);
    files.sort();

    let mut out = String::from("&[\n");
    let mut hash = Fnv::default();
    for (relative, absolute) in &files {
        hash.write(relative.as_bytes());
        match std::fs::read(absolute) {
            Ok(text) => hash.write(&text),
            Err(error) => panic!("cannot read {}: {error}", absolute.display()),
        }
        println!("cargo:rerun-if-changed={}", absolute.display());
        let _ = writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            absolute.display().to_string()
        );
    }
    out.push_str("]\n");

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(error) = std::fs::write(out_dir.join("stdlib_files.rs"), out) {
        panic!("cannot write the embedded stdlib list: {error}");
    }
    let hash = format!("{:#018x}\n", hash.0);
    if let Err(error) = std::fs::write(out_dir.join("stdlib_hash.rs"), hash) {
        panic!("cannot write the embedded stdlib hash: {error}");
    }
}

/// FNV-1a, 64 bits: each input ends with a zero byte, so that moving text from one file's
/// end to the next file's path changes the hash.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes.iter().chain([&0]) {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Collects `(path relative to stdlib/ with `/` separators, absolute path)` for every file.
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        // No stdlib directory yet: embed nothing.
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Directories are watched too, so that a new file triggers a rebuild.
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else if let Ok(relative) = path.strip_prefix(root) {
            let relative: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push((relative.join("/"), path));
        }
    }
}
