//! Benchmarks of `mlc build` on generated files declaring N MLflow deployments (N = 100, 500
//! and 1,000; each a team's tracking server with PostgreSQL, S3 artifacts, an Ingress and
//! resources, so four objects and 150 lines of YAML: `bench/team-deployment.mlc.in`). Each
//! stage is timed on its own, so growth can be read per stage: evaluation (through a fresh
//! salsa database, as `mlc build` does), lowering (collecting, schema checks, ordering) and
//! rendering YAML.
//! The goal: 1,000 deployments in under a second in all, growing linearly with N.
//!
//! `bench/build-scaling.sh` times the whole `mlc build` process on the same files.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mlc::db::RootDatabase;
use std::time::Duration;

const SIZES: [usize; 3] = [100, 500, 1000];

/// One deployment, with `@ID@` for its number (shared with `bench/build-scaling.sh`).
const TEAM: &str = include_str!("../../bench/team-deployment.mlc.in");

/// A file declaring `n` MLflow deployments, one per team.
fn deployments(n: usize) -> String {
    let mut text = String::from("let mlflow = import <mlflow>; in\n[\n");
    for i in 0..n {
        text.push_str(&TEAM.replace("@ID@", &format!("{i:04}")));
    }
    text.push_str("]\n");
    text
}

/// Evaluates `text` in a fresh database and hands the result to `then`.
fn evaluate<T>(text: &str, then: impl FnOnce(&mlc::eval::Data) -> T) -> T {
    let mut db = RootDatabase::default();
    let file = db.set_expr_text(text);
    match mlc::db::evaluate(&db, file) {
        Ok(evaluated) => then(&evaluated.data),
        Err(errors) => panic!("the generated file does not evaluate: {errors:?}"),
    }
}

fn stages(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    for n in SIZES {
        let text = deployments(n);
        let data = evaluate(&text, mlc::eval::Data::clone);
        let entry: mlc::diagnostic::FileName = "<bench>".into();
        let built = mlc::k8s::manifests(&data, &entry).expect("the objects are valid");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("evaluate", n), &text, |b, text| {
            b.iter(|| evaluate(text, |_| ()))
        });
        group.bench_with_input(BenchmarkId::new("lower", n), &data, |b, data| {
            b.iter(|| mlc::k8s::manifests(data, &entry))
        });
        group.bench_with_input(
            BenchmarkId::new("render_yaml", n),
            &built.manifests,
            |b, manifests| b.iter(|| mlc::k8s::to_yaml(manifests)),
        );
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
