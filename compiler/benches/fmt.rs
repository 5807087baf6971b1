//! Benchmark of `mlc fmt` on a generated 10,000-line file (the goal: under 50 ms).

use criterion::{criterion_group, criterion_main, Criterion};
use std::fmt::Write as _;

/// A deployment-like file of about `lines` lines, written untidily (so the formatter has work
/// to do): bindings with comments, nested records, lists, operator chains, lambdas and
/// strings with interpolation.
fn generated_file(lines: usize) -> String {
    let items = lines.saturating_sub(4) / 8;
    let mut text = String::from("{ lib, replicas ? 1, ... }:\nlet\n");
    for i in 0..items {
        let _ = write!(
            text,
            "  # item {i}\n  item{i} = {{ name = \"item-${{toString {i}}}\"; # its name\n    value = if replicas > {i} then {i} * 2 + 1 else {i};\n    tags = [ \"alpha\" \"beta\" \"gamma\" \"delta\" \"epsilon\" \"zeta\" {i} ];\n    merged = {{ a = 1; }} // {{ b = {i}; }};\n    f = x: x + {i};\n    chain = [ \"a\" ] ++ lib.optional (replicas > 1) \"b\" ++ [ \"some-long-element-{i}\" ];\n  }};\n"
        );
    }
    text.push_str("in\n[\n");
    for i in 0..items {
        let _ = write!(text, " item{i}");
    }
    text.push_str("\n]\n");
    text
}

fn format(c: &mut Criterion) {
    let text = generated_file(10_000);
    assert!(mlc::fmt::format(&text).is_ok());
    c.bench_function("fmt 10k lines", |b| b.iter(|| mlc::fmt::format(&text)));
    // The share of parsing in the above.
    c.bench_function("fmt 10k lines: parse only", |b| {
        b.iter(|| mlc::syntax::parse(&text))
    });
}

criterion_group!(benches, format);
criterion_main!(benches);
