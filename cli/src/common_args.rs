//! The command lines most runs are, read without clap: `mlc build FILE`, `mlc eval FILE`
//! and `mlc eval -E EXPR`, with no option. Building clap's parser (every subcommand and
//! option) and running it was a quarter of the instructions of `mlc eval -E 1` (issue 13).
//!
//! clap stays the parser of record: any other command line, and any of these whose value
//! clap might read differently (empty, starting with `-`, not UTF-8), goes to clap, so help,
//! errors and every other form are clap's own. A test holds each form read here to what clap
//! reads from it.

use super::build::{BuildArgs, Format};
use super::eval::EvalArgs;
use super::{Cli, ColorChoice, Command, MessageFormat};
use std::ffi::OsString;

/// The [`Cli`] of `args` (the program name first) when it is one of the common forms, as
/// clap would read it; `None` for clap to read.
pub fn read(args: &[OsString]) -> Option<Cli> {
    let words: Vec<&str> = args
        .get(1..)?
        .iter()
        .map(|arg| arg.to_str())
        .collect::<Option<_>>()?;
    let command = match words.as_slice() {
        ["build", file] if plain(file) => Command::Build(BuildArgs {
            file: file.to_string(),
            output: Format::Yaml,
            out_dir: None,
            applyset: None,
            watch: false,
        }),
        ["eval", file] if plain(file) => Command::Eval(EvalArgs {
            file: Some(file.to_string()),
            expr: None,
            json: false,
        }),
        ["eval", "-E", expr] if plain(expr) => Command::Eval(EvalArgs {
            file: None,
            expr: Some(expr.to_string()),
            json: false,
        }),
        _ => return None,
    };
    Some(Cli {
        color: ColorChoice::Auto,
        message_format: MessageFormat::Human,
        deny_warnings: false,
        no_typecheck: false,
        allow: Vec::new(),
        deny: Vec::new(),
        verbose: false,
        root: None,
        command,
    })
}

/// A value clap takes as it is: not empty, and not something that could be an option.
fn plain(value: &str) -> bool {
    !value.is_empty() && !value.starts_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(words: &[&str]) -> Vec<OsString> {
        std::iter::once("mlc")
            .chain(words.iter().copied())
            .map(OsString::from)
            .collect()
    }

    /// Each form read here is exactly what clap reads from it.
    #[test]
    fn the_common_forms_read_as_clap_reads_them() {
        let common: &[&[&str]] = &[
            &["build", "examples/production.mlc"],
            &["build", "help"],
            &["build", "a file with spaces.mlc"],
            &["eval", "x.mlc"],
            &["eval", "-E", "1"],
            &["eval", "-E", "{ a = 1; }"],
            &["eval", "-E", "E"],
        ];
        for words in common {
            let argv = args(words);
            let fast = read(&argv).unwrap_or_else(|| panic!("{words:?} is a common form"));
            let clap = Cli::try_parse_from(&argv).expect("clap takes it");
            assert_eq!(format!("{fast:?}"), format!("{clap:?}"), "{words:?}");
        }
    }

    /// Everything else, including the forms whose value clap might read otherwise, is left
    /// to clap (its help, its errors, the other options).
    #[test]
    fn every_other_command_line_is_left_to_clap() {
        let others: &[&[&str]] = &[
            &[],
            &["build"],
            &["build", "--help"],
            &["build", "-h"],
            &["build", "-"],
            &["build", "--"],
            &["build", ""],
            &["build", "-o", "json", "f.mlc"],
            &["build", "f.mlc", "-o", "json"],
            &["build", "f.mlc", "--watch"],
            &["--color", "never", "build", "f.mlc"],
            &["help", "build"],
            &["help"],
            &["--version"],
            &["eval"],
            &["eval", "-E"],
            &["eval", "-E", "-1"],
            &["eval", "-E", ""],
            &["eval", "-E1"],
            &["eval", "--expr", "1"],
            &["eval", "--json", "x.mlc"],
            &["eval", "x.mlc", "--json"],
            &["eval", "-E", "1", "x.mlc"],
            &["check", "f.mlc"],
            &["fmt", "f.mlc"],
            &["biuld", "f.mlc"],
        ];
        for words in others {
            assert!(read(&args(words)).is_none(), "{words:?} is for clap");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_value_that_is_not_utf8_is_left_to_clap() {
        use std::os::unix::ffi::OsStringExt;
        let argv = vec![
            OsString::from("mlc"),
            OsString::from("build"),
            OsString::from_vec(vec![0x66, 0xff]),
        ];
        assert!(read(&argv).is_none());
    }
}
