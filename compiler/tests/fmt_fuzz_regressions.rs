//! Inputs the `fmt` fuzz target found (compiler/fuzz, docs/fuzzing.md): the formatted text
//! means what the input meant (the same tree, spans aside) and formats to itself.

use mlc::syntax::dump::dump;

fn assert_formats_faithfully(source: &str) {
    let formatted = mlc::fmt::format(source).unwrap_or_else(|e| panic!("{source:?}: {e:?}"));
    let strip = |text: &str| {
        dump(&mlc::syntax::parse(text).root)
            .lines()
            .map(|line| line.split(" @").next().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strip(source),
        strip(&formatted),
        "{source:?} became {formatted:?}"
    );
    let again = mlc::fmt::format(&formatted).unwrap_or_default();
    assert_eq!(formatted, again, "not idempotent on {source:?}");
}

#[test]
fn a_minus_before_a_path_stays_apart_from_it() {
    // `-` glued to `---/x` or `a/b` would lex as one path.
    for source in ["---\r---/---x", "- a/b", "- ./a", "- -/x", "- ~/x"] {
        assert_formats_faithfully(source);
    }
    // A path longer than the 256 characters the printer once looked at (found by a
    // 10-minute run of the `fmt` target).
    let long_path = format!("---\r-{}e/o", "u".repeat(300));
    assert_formats_faithfully(&long_path);
    // and an interpolated path right after a minus (the next run found it).
    assert_formats_faithfully("-----/${ame/${ame}..-}..---s - t");
    let crash = include_bytes!("../fuzz/seeds/fmt/minus-before-path.mlc");
    let text = String::from_utf8_lossy(crash);
    if mlc::fmt::format(&text).is_ok() {
        assert_formats_faithfully(&text);
    }
}

#[test]
fn a_select_after_a_path_or_an_integer_stays_a_select() {
    // A `.` glued to `/a.` would extend the path (the second input the fuzzer found).
    for source in [
        "l /oMMMMMt.\n  #ype Port2 =MMMMMt\n.r  typE",
        "./a .b",
        "(1).a or 2",
    ] {
        assert_formats_faithfully(source);
    }
}
