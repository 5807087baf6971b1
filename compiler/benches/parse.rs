//! The parser alone, on the two workloads it meets most: the generated 2,000-line file of
//! `ide/benches/completion.rs` (what the language server parses again after every edit)
//! and every module of the embedded standard library (what each small `mlc build` parses
//! again). Run: `cargo bench -p mlc --bench parse`; compare two versions with criterion's
//! `--save-baseline before` on the old commit and `--baseline before` on the new one.
//!
//! Figures (`docs/performance.md`, "Session 5: the parser"): instructions of the parse alone
//! (callgrind, exact), release binaries of `7c79a5c` and of session 5: the 2,000-line file
//! 24.04 M -> 13.56 M (0.56x); the stdlib with `examples/production.mlc` 8.69 M -> 5.06 M
//! (0.58x). Criterion's paired runs of this bench were not made yet.
//!
//! Session 6: `reparse_2000_lines_after_an_edit` (the benches' one-character edit, the
//! binding parsed again and spliced into a copy of the tree) took 0.84x the full parse's
//! time in the same run: copying and dropping the tree costs about as much as parsing it.

use criterion::{criterion_group, criterion_main, Criterion};
use std::time::Duration;

fn benches(c: &mut Criterion) {
    let text = mlc::testing::two_thousand_lines(None);
    assert!(mlc::syntax::parse(&text).errors.is_empty());
    let mut group = c.benchmark_group("parse");
    group.bench_function("2000_lines", |b| b.iter(|| mlc::syntax::parse(&text)));
    // What the language server does after the benches' one-character edit: the edited
    // binding parsed again and spliced into a copy of the old tree.
    let edited = mlc::testing::two_thousand_lines(Some(998));
    let old = mlc::syntax::parse(&text);
    assert!(mlc::syntax::try_reparse(&text, &old, &edited).is_some());
    group.bench_function("reparse_2000_lines_after_an_edit", |b| {
        b.iter(|| mlc::syntax::reparse(&text, &old, &edited))
    });
    group.bench_function("stdlib", |b| {
        b.iter(|| {
            for (_, source) in mlc::stdlib::FILES {
                std::hint::black_box(mlc::syntax::parse(source));
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = parse;
    config = Criterion::default()
        .sample_size(30)
        .measurement_time(Duration::from_secs(4));
    targets = benches
}
criterion_main!(parse);
