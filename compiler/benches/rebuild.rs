//! Benchmark of `mlc build --watch`'s rebuild step, without the file watcher or its
//! debounce: a one-line edit of `examples/production.mlc` saved to disk (two versions, in
//! turn), then read back and rebuilt through one [`Session`] (check, evaluation, manifests,
//! and their YAML or the `--out-dir` files). The goal: under 5 ms. For comparison,
//! the same build on a fresh database, as `mlc build` does it.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use mlc::build::{Options, OutDir, Session};
use mlc::db::RootDatabase;
use std::path::{Path, PathBuf};

/// The production example and a copy with one line changed.
fn versions() -> (String, String) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/production.mlc");
    let original = std::fs::read_to_string(example).expect("read examples/production.mlc");
    let edited = original.replace("replicaCount = 2;", "replicaCount = 3;");
    assert_ne!(original, edited, "the edited line is in the example");
    (original, edited)
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mlc-bench-rebuild-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn rebuild(c: &mut Criterion) {
    let (original, edited) = versions();
    let dir = scratch_dir();
    let file = dir.join("production.mlc");
    let path = file.to_string_lossy().into_owned();
    std::fs::write(&file, &original).expect("write the example");
    let mut session = Session::new(RootDatabase::default(), &path, Options::default());
    assert!(session.build().manifests.is_some());
    let mut out = OutDir::new(dir.join("out")).expect("an output directory");

    // Saving the file is the editor's work, so it is done outside the measured part.
    let mut turn = false;
    let mut save_edit = || {
        turn = !turn;
        let text = if turn { &edited } else { &original };
        std::fs::write(&file, text).expect("save the edit");
    };

    c.bench_function("rebuild production.mlc after a one-line edit (YAML)", |b| {
        b.iter_batched(
            &mut save_edit,
            |()| {
                assert!(session.reload([path.as_str()]));
                let manifests = session.build().manifests.expect("it builds");
                mlc::k8s::to_yaml(&manifests).expect("it renders")
            },
            BatchSize::PerIteration,
        )
    });
    c.bench_function(
        "rebuild production.mlc after a one-line edit (--out-dir)",
        |b| {
            b.iter_batched(
                &mut save_edit,
                |()| {
                    assert!(session.reload([path.as_str()]));
                    let manifests = session.build().manifests.expect("it builds");
                    out.write(&manifests).expect("it writes")
                },
                BatchSize::PerIteration,
            )
        },
    );
    c.bench_function("build production.mlc on a fresh database (YAML)", |b| {
        b.iter(|| {
            let session = Session::new(RootDatabase::default(), &path, Options::default());
            let manifests = session.build().manifests.expect("it builds");
            mlc::k8s::to_yaml(&manifests).expect("it renders")
        })
    });
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, rebuild);
criterion_main!(benches);
