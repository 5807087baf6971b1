//! Does the long-lived server leak memory across evaluations? Evaluates
//! `examples/production.mlc` 200 times in one database, as the server does after each
//! save (each run preceded by an edit, so salsa re-evaluates), and prints the resident set
//! size (Linux `/proc/self/statm`) every 20 runs. A steady climb means each evaluation
//! leaves memory behind (for example `Rc` cycles between the evaluator's scopes and thunks).
//!
//! A control runs first: the same edits with only `check` (parse, imports, names), so a
//! climb in the second phase alone is the evaluation's.
//!
//! Measured (release, 2 cores): check only stays flat (+184 KiB over 200 runs, salsa's own
//! bookkeeping settling); evaluation climbs linearly, about +153 KiB per evaluation
//! (+30.7 MiB over 200). See ARCHITECTURE.md, "Known problems".
//!
//! The database frees replaced results on its background thread, as the server's does
//! (`mlc::db::background`, since session 7), so a thread that falls behind shows here too.
//!
//! Run: `cargo bench -p mlc-lsp --bench eval_memory`.

use mlc::db::{check, evaluate, AnalysisHost, Change};

/// The allocator of the `mlc-lsp` binary (`lsp/src/main.rs`), so that this measures it.
#[global_allocator]
static ALLOCATOR: mlc_alloc::MiMalloc = mlc_alloc::MiMalloc;

fn rss_kib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4)
}

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/production.mlc");
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("cannot read {path}");
        return;
    };
    mlc_ide::enable_background_work();
    let mut host = AnalysisHost::default();
    for phase in ["check only", "evaluate"] {
        let runs = 200;
        let mut first = None;
        for run in 0..=runs {
            // A different comment each time: a new revision, so the queries run again.
            let mut change = Change::default();
            change.set_text(path, format!("{text}\n# {phase} {run}\n"));
            host.apply_change(change);
            let db = host.db();
            let file = db.file_for_argument(path);
            let ok = if phase == "evaluate" {
                evaluate(db, file).is_ok()
            } else {
                check(db, file).is_empty()
            };
            assert!(ok, "examples/production.mlc must {phase} without errors");
            if run % 40 == 0 {
                let rss = rss_kib().unwrap_or(0);
                let base = *first.get_or_insert(rss);
                println!(
                    "{phase}: after {run:>3} runs: RSS {rss} KiB ({:+} KiB since the first)",
                    rss as i64 - base as i64
                );
            }
        }
    }
}
