//! The house style is `mlc fmt`'s: every example, every `nix` snippet of the README and
//! (once formatted at merge time) the standard library are exactly what `mlc fmt` prints,
//! so what newcomers copy is what the formatter makes.

mod common;

use std::path::{Path, PathBuf};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The names of the texts that `mlc fmt` would change, with what it would make of them.
fn unformatted(texts: &[(String, String)]) -> Vec<String> {
    texts
        .iter()
        .filter_map(|(name, text)| match mlc::fmt::format(text) {
            Ok(formatted) if formatted == *text => None,
            Ok(formatted) => Some(format!("{name} would be:\n{formatted}")),
            Err(errors) => Some(format!("{name} does not parse: {errors:?}")),
        })
        .collect()
}

fn files_under(dir: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    common::mlc_files(&repository().join(dir), &mut files);
    assert!(!files.is_empty(), "no .mlc file under {dir}");
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("read an .mlc file");
            (path.display().to_string(), text)
        })
        .collect()
}

fn assert_formatted(texts: &[(String, String)]) {
    let wrong = unformatted(texts);
    assert!(
        wrong.is_empty(),
        "not in the house style (run `mlc fmt` on them):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_examples_are_formatted() {
    assert_formatted(&files_under("examples"));
}

#[test]
fn the_readme_snippets_are_formatted() {
    let readme = std::fs::read_to_string(repository().join("README.md")).expect("README.md");
    let mut snippets = Vec::new();
    let mut rest = readme.as_str();
    while let Some((_, after)) = rest.split_once("```nix\n") {
        let Some((snippet, after)) = after.split_once("```") else {
            break;
        };
        snippets.push((
            format!("README.md snippet {}", snippets.len() + 1),
            snippet.to_string(),
        ));
        rest = after;
    }
    assert!(!snippets.is_empty(), "the README has no nix snippet");
    assert_formatted(&snippets);
}

#[test]
fn the_standard_library_is_formatted() {
    assert_formatted(&files_under("stdlib"));
}

/// Lines within 80 columns where the formatter allows it: a longer line holds a string,
/// which the formatter never breaks. Comments are wrapped by hand (`mlc doc` joins a doc
/// comment's lines with spaces, hover keeps them as Markdown soft breaks).
#[test]
fn the_standard_library_fits_in_80_columns_but_for_strings() {
    let long: Vec<String> = files_under("stdlib")
        .iter()
        .flat_map(|(name, text)| {
            text.lines()
                .enumerate()
                .filter(|(_, line)| line.chars().count() > 80 && !line.contains('"'))
                .map(move |(i, line)| format!("{name}:{}: {line}", i + 1))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        long.is_empty(),
        "lines over 80 columns:\n{}",
        long.join("\n")
    );
}
