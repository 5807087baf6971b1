//! What completion right after an edit costs, without the server around it, on the
//! 2,000-line file of `lsp/benches/server.rs`: the parse alone, name resolution alone, and
//! `Analysis::completions` after a one-character edit (which parses and resolves names
//! again) and without one, and after an edit with the parse done before the clock starts
//! (`completions_after_an_edit_and_its_parse_2000_lines`: what a fast parser would leave).
//! Run: `cargo bench -p mlc-ide --bench completion`.
//!
//! Session 5, instructions per call (callgrind; wall times at load ~16 were noise), against
//! commit 7c79a5c: after an edit and its parse 9.89 M before, 5.74 M with names resolved
//! only around the cursor (0.58x), but then 5.73 M with no edit against 4.52 M (1.27x),
//! since that resolution ran on every request where the whole file's is a query computed
//! once per text; it was dropped again. Where a completion's instructions went before:
//! `NameResolution::visible` (a hash set of every name, 1.6 M), the ~76 builtin candidates
//! rebuilt with a linear search of the table each, and a `getcwd` per request: the first is
//! replaced by a scan of the few enclosing scopes, the others made once. The final commit:
//! after an edit and its parse 5.75 M (0.58x), with no edit 2.32 M (0.51x).
//!
//! Session 6, with the edited binding reparsed alone (`syntax::reparse`), against 8894dd7:
//! instructions (callgrind) per edit and completion 25.6 M before, 15.0 M after (0.59x; the
//! `parse` query 16.4 M -> 6.5 M, of which 5.3 M copy the tree); criterion at load 4-5,
//! paired runs: `completions_after_an_edit_2000_lines` 3.66 ms -> 1.75 ms (0.48x).
//!
//! Session 7: this bench does not turn on `mlc::db::background` (the server does), so it
//! still frees old results and copies the tree on its own thread, as before; the server
//! bench shows what moving them off the main loop gains.
//!
//! Session 9: `name_resolution_2000_lines` 413 µs -> 169 µs (0.41x) with a scope's names in
//! a hash map and a definition's one span inline (`mlc::names`).

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use mlc_ide::{AnalysisHost, Change};

const PATH: &str = "/bench/deploy.mlc";
const LINES: usize = mlc::testing::BENCH_LINES;

/// The file, and (`variant` odd) the file after the edit: an `x` before a name on line 1,000.
fn text(variant: usize) -> String {
    mlc::testing::two_thousand_lines((variant % 2 == 1).then_some(998))
}

/// The offset of the completion in the body, where every name is in scope.
fn offset(text: &str) -> u32 {
    (text.rfind("option1.value").unwrap_or_default() + "option".len()) as u32
}

fn benches(c: &mut Criterion) {
    let texts = [text(0), text(1)];
    c.bench_function("parse_2000_lines", |b| {
        b.iter(|| mlc::syntax::parse(&texts[0]))
    });
    let parsed = mlc::syntax::parse(&texts[0]);
    let globals = mlc::builtins::global_names();
    c.bench_function("name_resolution_2000_lines", |b| {
        b.iter(|| mlc::names::resolve(&parsed.root, &globals))
    });
    let mut host = AnalysisHost::default();
    let mut version = 0;
    c.bench_function("completions_after_an_edit_2000_lines", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                version += 1;
                let text = &texts[version % 2];
                let start = Instant::now();
                let mut change = Change::default();
                change.set_text(PATH, text.as_str());
                host.apply_change(change);
                let found = host.analysis().completions(PATH, offset(text));
                total += start.elapsed();
                assert!(found.is_ok_and(|c| c.items.len() > LINES));
            }
            total
        })
    });
    // The same without the parse: what a fast parser would leave (the parse is forced
    // before the clock starts, as the diagnostics worker does in the server).
    c.bench_function("completions_after_an_edit_and_its_parse_2000_lines", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                version += 1;
                let text = &texts[version % 2];
                let mut change = Change::default();
                change.set_text(PATH, text.as_str());
                host.apply_change(change);
                let analysis = host.analysis();
                assert!(analysis.folding(PATH).is_ok());
                let start = Instant::now();
                let found = analysis.completions(PATH, offset(text));
                total += start.elapsed();
                assert!(found.is_ok_and(|c| c.items.len() > LINES));
            }
            total
        })
    });
    c.bench_function("completions_2000_lines", |b| {
        let text = &texts[version % 2];
        b.iter(|| host.analysis().completions(PATH, offset(text)))
    });
}

criterion_group! {
    name = completion;
    config = Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(4));
    targets = benches
}
criterion_main!(completion);
