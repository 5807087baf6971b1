//! The differential test against real Nix: every expression of `tests/nix-corpus/` must
//! evaluate in `mlc eval --json` to exactly what `nix-instantiate --eval --strict --json`
//! gives (stored beside it as `.expected.json`, made by `regenerate.sh`), and every
//! `errors/` case must fail in both with the same kind of error: Nix's message (stored as
//! `.expected-error`) says which codes mlc may give.
//!
//! When `nix-instantiate` is installed (CI installs Debian's nix-bin), the stored
//! expectations are also checked against Nix itself, so the oracle stays live. Without it
//! the test fails, unless `MLC_SKIP_NIX_ORACLE=1` says to trust the stored files.

use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/nix-corpus")
}

fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "nix"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Runs `program args file` in the corpus: whether it succeeded, stdout (trimmed), stderr.
fn run(program: &str, args: &[&str], file: &Path) -> Option<(bool, String, String)> {
    let output = Command::new(program)
        .args(args)
        .arg(file)
        .current_dir(corpus_dir())
        .output()
        .ok()?;
    Some((
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).trim().to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    ))
}

fn mlc_eval(file: &Path) -> (bool, String, String) {
    let mlc = env!("CARGO_BIN_EXE_mlc");
    run(mlc, &["eval", "--json", "--color", "never"], file).expect("run mlc")
}

fn nix_eval(file: &Path) -> Option<(bool, String, String)> {
    run("nix-instantiate", &["--eval", "--strict", "--json"], file)
}

fn nix_available() -> bool {
    let available = Command::new("nix-instantiate")
        .arg("--version")
        .output()
        .is_ok();
    if !available && std::env::var_os("MLC_SKIP_NIX_ORACLE").is_none() {
        panic!("nix-instantiate is not installed (apt-get install nix-bin), and MLC_SKIP_NIX_ORACLE is not set");
    }
    available
}

fn parse_json(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(text).ok()
}

#[test]
fn mlc_agrees_with_nix_on_the_corpus() {
    let dir = corpus_dir();
    let files = cases(&dir);
    assert!(
        files.len() >= 150,
        "the corpus has only {} cases",
        files.len()
    );
    let with_nix = nix_available();
    let mut mismatches = Vec::new();
    for file in &files {
        let expected_path = file.with_extension("expected.json");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let expected = expected.trim();
        if with_nix {
            match nix_eval(file) {
                Some((true, nix, _)) if nix == expected => {}
                other => mismatches.push(format!(
                    "{}: the stored expectation is stale (run regenerate.sh): Nix gives {other:?}",
                    file.display()
                )),
            }
        }
        let (ok, got, stderr) = mlc_eval(file);
        if !ok || parse_json(&got) != parse_json(expected) || parse_json(expected).is_none() {
            mismatches.push(format!(
                "{}\n  expected: {expected}\n  mlc gave: {got}\n  {}",
                file.display(),
                stderr.trim().replace('\n', "\n  ")
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ:\n\n{}",
        mismatches.len(),
        files.len(),
        mismatches.join("\n\n")
    );
}

/// Nix's error messages, by what they say, and the codes mlc may give for that kind of
/// error: the evaluator's, and the checker's when it finds the same mistake statically.
const ERROR_KINDS: &[(&str, &[&str])] = &[
    ("evaluation aborted", &["E0415"]),
    ("assertion '", &["E0404"]),
    (
        "attempt to call something which is not a function",
        &["E0405", "E0306"],
    ),
    ("cannot compare", &["E0401", "E0303"]),
    ("while a set was expected", &["E0401", "E0309"]),
    ("was expected", &["E0401", "E0303"]),
    ("division by zero", &["E0403"]),
    ("already defined", &["E0411"]),
    ("is out of bounds", &["E0412"]),
    ("infinite recursion", &["E0402"]),
    ("called without required argument", &["E0406", "E0302"]),
    ("called with unexpected argument", &["E0406", "E0301"]),
    ("missing", &["E0408", "E0309"]),
    ("cannot convert a function to JSON", &["E0401", "E0901"]),
    ("cannot coerce", &["E0401", "E0303"]),
    ("cannot add", &["E0401", "E0303"]),
    ("undefined variable", &["E0407"]),
];

/// The codes an error case may give: by the kind of Nix's message; a message of none of
/// those kinds is the text of a `throw`.
fn expected_codes(nix_message: &str) -> &'static [&'static str] {
    ERROR_KINDS
        .iter()
        .find(|(pattern, _)| nix_message.contains(pattern))
        .map_or(&["E0414"], |(_, codes)| codes)
}

/// Nix's message as `regenerate.sh` stores it: the first `error:` line, without positions.
fn nix_error(file: &Path) -> Option<String> {
    let (ok, _, stderr) = nix_eval(file)?;
    if ok {
        return None;
    }
    let line = stderr.lines().find_map(|l| l.strip_prefix("error: "))?;
    let positions = regex::Regex::new(r" at [^ ]*:[0-9]+:[0-9]+").ok()?;
    Some(positions.replace_all(line, "").trim().to_string())
}

/// The code of the first diagnostic of `mlc eval` on `file`, if it failed with one.
fn mlc_error_code(file: &Path) -> Option<String> {
    let mlc = env!("CARGO_BIN_EXE_mlc");
    let (ok, _, stderr) = run(mlc, &["eval", "--json", "--message-format", "json"], file)?;
    if ok {
        return None;
    }
    let first: serde_json::Value = serde_json::from_str(stderr.lines().next()?).ok()?;
    first["code"].as_str().map(str::to_string)
}

#[test]
fn errors_fail_in_both_with_the_same_kind_of_error() {
    let files = cases(&corpus_dir().join("errors"));
    assert!(files.len() >= 20, "only {} error cases", files.len());
    let with_nix = nix_available();
    let mut problems = Vec::new();
    for file in &files {
        let stored = std::fs::read_to_string(file.with_extension("expected-error"))
            .unwrap_or_default()
            .trim()
            .to_string();
        if stored.is_empty() {
            problems.push(format!(
                "{}: no .expected-error (run regenerate.sh)",
                file.display()
            ));
            continue;
        }
        if with_nix {
            match nix_error(file) {
                Some(message) if message == stored => {}
                other => problems.push(format!(
                    "{}: the stored error is stale (run regenerate.sh): Nix gives {other:?}",
                    file.display()
                )),
            }
        }
        let allowed = expected_codes(&stored);
        match mlc_error_code(file) {
            Some(code) if allowed.contains(&code.as_str()) => {}
            Some(code) => problems.push(format!(
                "{}: Nix says `{stored}`, so mlc must give one of {allowed:?}, not {code}",
                file.display()
            )),
            None => {
                let (_, got, stderr) = mlc_eval(file);
                problems.push(format!(
                    "{}: mlc did not fail with a diagnostic (gave {got}):\n{stderr}",
                    file.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
