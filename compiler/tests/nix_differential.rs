//! The differential test against real Nix: every expression of `tests/nix-corpus/` must
//! evaluate in `mlc eval --json` to exactly what `nix-instantiate --eval --strict --json`
//! gives (stored beside it as `.expected.json`, made by `regenerate.sh`), and every
//! `errors/` case must fail in both.
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

fn mlc_eval(file: &Path) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_mlc"))
        .args(["eval", "--json", "--color", "never"])
        .arg(file)
        .current_dir(corpus_dir())
        .output()
        .expect("run mlc");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).trim().to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

fn nix_eval(file: &Path) -> Option<(bool, String)> {
    let output = Command::new("nix-instantiate")
        .args(["--eval", "--strict", "--json"])
        .arg(file)
        .current_dir(corpus_dir())
        .output()
        .ok()?;
    Some((
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).trim().to_string(),
    ))
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
                Some((true, nix)) if nix == expected => {}
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

#[test]
fn errors_fail_in_both() {
    let files = cases(&corpus_dir().join("errors"));
    assert!(files.len() >= 20, "only {} error cases", files.len());
    let with_nix = nix_available();
    let mut problems = Vec::new();
    for file in &files {
        if with_nix && nix_eval(file).is_some_and(|(ok, _)| ok) {
            problems.push(format!("{}: Nix accepts it", file.display()));
        }
        let (ok, got, stderr) = mlc_eval(file);
        if ok {
            problems.push(format!("{}: mlc accepts it, giving {got}", file.display()));
        } else if !stderr.contains("error[E") {
            problems.push(format!(
                "{}: mlc failed without a diagnostic:\n{stderr}",
                file.display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
