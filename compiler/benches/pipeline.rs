//! Benchmarks of the pipeline on a generated 10,000-line file: parsing alone, type checking
//! a parsed file (goal: under 30 ms), and parsing plus evaluation through the salsa
//! database (goal: under 20 ms on one core).

use criterion::{criterion_group, criterion_main, Criterion};
use std::fmt::Write as _;

/// A deployment-like file of `lines` lines: many bindings of records, lists, strings with
/// interpolation and function calls, all forced by the result.
fn generated_file(lines: usize) -> String {
    let items = lines.saturating_sub(6) / 5;
    let mut text = String::from("let\n  double = x: x * 2 + 1;\n");
    for i in 0..items {
        let _ = write!(
            text,
            "  item{i} = {{\n    name = \"item-${{toString {i}}}\";\n    value = double {i};\n    tags = [ \"a\" \"b\" {i} ];\n  }};\n"
        );
    }
    text.push_str("in\nmap (item: item.value) [\n");
    for i in 0..items {
        let _ = write!(text, " item{i}");
    }
    text.push_str("\n]\n");
    text
}

fn parse(c: &mut Criterion) {
    let text = generated_file(10_000);
    c.bench_function("parse 10k lines", |b| b.iter(|| mlc::syntax::parse(&text)));
}

/// Type checking alone, on a file with annotations, records and function calls.
fn typecheck(c: &mut Criterion) {
    let text = typed_file(10_000);
    let parse = mlc::syntax::parse(&text);
    assert!(parse.errors.is_empty());
    let names = mlc::names::resolve(&parse.root, &mlc::builtins::global_names());
    c.bench_function("typecheck 10k lines", |b| {
        b.iter(|| {
            let types =
                mlc::types::check_file(&parse, &names, "bench.mlc".into(), &mlc::types::NoImports);
            assert!(types.diagnostics.is_empty());
        })
    });
}

/// Like [`generated_file`], with a record type and annotated bindings.
fn typed_file(lines: usize) -> String {
    let items = lines.saturating_sub(12) / 6;
    let mut text = String::from(
        "let
  type Item = { name :: String, value :: Int, tags :: [String] = [ ], port :: Port = 80 };
  double = (x :: Int): x * 2 + 1;
",
    );
    for i in 0..items {
        let _ = write!(
            text,
            "  item{i} :: Item = {{
    name = \"item-${{toString {i}}}\";
    value = double {i};
    tags = [ \"a\" \"b\" ];
  }};
"
        );
    }
    text.push_str("in\nmap (item: item.value) [\n");
    for i in 0..items {
        let _ = write!(text, " item{i}");
    }
    text.push_str("\n]\n");
    text
}

/// Parse and evaluate from scratch each iteration, through a fresh salsa database, as
/// `mlc eval` does.
fn parse_and_eval(c: &mut Criterion) {
    let text = generated_file(10_000);
    c.bench_function("parse+eval 10k lines", |b| {
        b.iter(|| {
            let mut db = mlc::db::RootDatabase::default();
            let file = db.set_expr_text(&text);
            let result = mlc::db::evaluate(&db, file);
            assert!(result.is_ok());
        })
    });
}

criterion_group!(benches, parse, typecheck, parse_and_eval);
criterion_main!(benches);
