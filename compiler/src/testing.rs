//! Helpers for tests, shared by this crate's unit tests and the integration tests of this
//! crate and of `mlc-lsp` (which is why the module is public, and hidden from the docs):
//! a fixed-seed random generator, so that a failing property test or random session is
//! reproduced from its seed, and small fixtures (a Kubernetes object as a [`Manifest`]).

use crate::k8s::Manifest;

/// A xorshift generator (Marsaglia's 13/7/17): the same numbers for the same seed, on
/// every machine. Not for anything but tests.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator started at `seed` (0 would stay 0, so it is replaced by 1).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Each of `pieces`, then `count` strings of 1 to `most` pieces each, drawn by a fixed
/// [`Rng`]: property tests get the same strings every run, so a failure names a string
/// that fails again.
pub fn generated_strings(pieces: &[&str], count: usize, most: u64) -> Vec<String> {
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    let mut strings: Vec<String> = pieces.iter().map(|p| p.to_string()).collect();
    for _ in 0..count {
        let length = (rng.next_u64() % most) as usize + 1;
        strings.push(
            (0..length)
                .map(|_| pieces[rng.below(pieces.len())])
                .collect(),
        );
    }
    strings
}

/// Every file under `dirs` (paths relative to the repository's root) whose extension is
/// one of `extensions`, in no particular order.
pub fn files_under(dirs: &[&str], extensions: &[&str]) -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs: Vec<std::path::PathBuf> = dirs.iter().map(|dir| root.join(dir)).collect();
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .is_some_and(|e| extensions.iter().any(|x| e == *x))
            {
                files.push(path);
            }
        }
    }
    files
}

/// What random edits insert, in the property tests of the reparse and of the language
/// server: tokens of the language, brackets, pieces that open strings, interpolations and
/// comments, keywords, and text whose UTF-16 length differs from its UTF-8 length.
pub const EDIT_PIECES: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ":",
    "::",
    "=",
    ".",
    ",",
    "?",
    "let ",
    " in ",
    "\"",
    "''",
    "${",
    "$",
    "#",
    "/*",
    "*/",
    "\n",
    "\t",
    " ",
    "x",
    "1",
    " mlflow.",
    "Int",
    "é",
    "😀",
    "日本",
    "import ",
    "<mlflow>",
    "./other.mlc",
    "type T = { a :: Int };",
    "-> ",
    "//",
    "inherit ",
    "or",
    "rec ",
    "type ",
    "+",
    "-",
    "!",
    "@",
    "...",
    "\\",
    "'",
    "a = 1;",
    "{ a, b }: ",
    "# doc\n",
    "if ",
    "then",
    "else",
];

/// The lines of [`two_thousand_lines`].
pub const BENCH_LINES: usize = 2000;

/// The 2,000-line file of the parser's, the editor layer's and the language server's
/// benchmarks (and of the reparse tests): a `let` of 1,997 small records, one per line
/// from line 2, then a body that selects from one of them. `prefixed`: the binding (0 is
/// the first) whose name gets an `x` in front, the edit those benchmarks make.
pub fn two_thousand_lines(prefixed: Option<usize>) -> String {
    let bindings: String = (0..BENCH_LINES - 3)
        .map(|i| {
            let x = if prefixed == Some(i) { "x" } else { "" };
            format!("  {x}option{i} = {{ value = {i}; name = \"n{i}\"; }};\n")
        })
        .collect();
    format!("let\n{bindings}in {{\n  x = option1.value;\n}}\n")
}

/// A minimal Kubernetes object as the build stage returns it: `apiVersion`, `kind` and
/// `metadata` (`name`, and `namespace` when given), made by no user file. Tests add the
/// fields they look at to its `value`.
pub fn manifest(api_version: &str, kind: &str, namespace: Option<&str>, name: &str) -> Manifest {
    let mut value = serde_json::json!({
        "apiVersion": api_version,
        "kind": kind,
        "metadata": { "name": name },
    });
    if let Some(namespace) = namespace {
        value["metadata"]["namespace"] = namespace.into();
    }
    Manifest {
        kind: kind.to_string(),
        name: name.to_string(),
        value: crate::eval::Data::from_json(&value),
        origin: None,
    }
}
