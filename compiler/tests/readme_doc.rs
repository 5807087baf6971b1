//! The README's option reference is exactly what `mlc doc` generates from the standard
//! library's types, so the documentation cannot drift from the code.
#![allow(clippy::unwrap_used)] // A failing unwrap is a failing test.

#[test]
fn the_readme_option_reference_is_the_output_of_mlc_doc() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let (_, rest) = readme.split_once("<!-- mlc doc: begin -->\n").unwrap();
    let (documented, _) = rest.split_once("<!-- mlc doc: end -->").unwrap();
    let generated = mlc::reference::markdown("mlflow", "Options").unwrap();
    assert!(
        documented.trim_end() == generated.trim_end(),
        "README.md's option reference is out of date: run scripts/update-readme"
    );
    // Every option is documented.
    for line in generated.lines().skip(2) {
        assert!(
            !line.ends_with("|  |"),
            "an option without a doc comment: {line}"
        );
    }
}

#[test]
fn mlc_doc_refuses_unknown_modules_and_types() {
    let error = mlc::reference::markdown("mlfow", "Options").unwrap_err();
    assert!(error.contains("did you mean `mlflow`?"), "{error}");
    let error = mlc::reference::markdown("mlflow", "Option").unwrap_err();
    assert!(error.contains("did you mean `Options`?"), "{error}");
}
