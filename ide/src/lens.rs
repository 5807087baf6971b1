//! Code lens on a `mlflow.deployment { ... }` call: the Kubernetes objects the file builds
//! (how many of each kind), from its evaluation; while the file does not evaluate, the
//! front end shows the last successful one. The lens sits on the first `….deployment`
//! application.

use std::collections::BTreeMap;

use mlc::db::{evaluate, parse, Db, SourceFile};
use mlc::syntax::walk::strip_parens;
use mlc::syntax::{ExprKind, Span};

use super::tree::{for_each_expr, static_name};

/// The span of the function of the first `….deployment { ... }` application in the file:
/// the sign that the file is a deployment whose objects are built.
pub fn deployment_call(db: &dyn Db, file: SourceFile) -> Option<Span> {
    let root = &parse(db, file).root;
    let mut call = None;
    for_each_expr(root, &mut |expr| {
        if call.is_some() {
            return;
        }
        if let ExprKind::Apply { func, .. } = &expr.kind {
            if let ExprKind::Select { path, .. } = &strip_parens(func).kind {
                if path.last().and_then(static_name) == Some("deployment") {
                    call = Some(func.span);
                }
            }
        }
    });
    call
}

/// The lens of the deployment call: its span, and what it builds when the file evaluates
/// and lowers now (`None` when it does not: the front end may show the last success).
pub fn code_lens(db: &dyn Db, file: SourceFile) -> Vec<(Span, Option<String>)> {
    let Some(span) = deployment_call(db, file) else {
        return Vec::new();
    };
    vec![(span, objects(db, file))]
}

/// "builds 4 objects: 1 Deployment, ..." for the file's value, if it evaluates and lowers.
fn objects(db: &dyn Db, file: SourceFile) -> Option<String> {
    let evaluated = evaluate(db, file).as_ref().ok()?;
    let built = mlc::k8s::manifests(&evaluated.data, file.name(db)).ok()?;
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for manifest in &built.manifests {
        *kinds.entry(manifest.kind.as_str()).or_default() += 1;
    }
    let parts: Vec<String> = kinds
        .iter()
        .map(|(kind, count)| format!("{count} {kind}"))
        .collect();
    let total = built.manifests.len();
    let noun = if total == 1 { "object" } else { "objects" };
    Some(format!("builds {total} {noun}: {}", parts.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::single;

    #[test]
    fn a_deployment_call_shows_the_objects_it_builds() {
        let f = single(
            "let mlflow = import <mlflow>; in mlflow.deployment {\n  name = \"m\";\n  mlflow.backendStoreUri = \"sqlite:////m/m.db\";\n}",
        );
        let lens = code_lens(&f.db, f.file);
        let [(span, label)] = lens.as_slice() else {
            panic!("{lens:?}");
        };
        assert_eq!(f.at(*span), "mlflow.deployment");
        let label = label.clone().unwrap_or_default();
        assert!(label.starts_with("builds "), "{label}");
        assert!(label.contains("1 Deployment"), "{label}");
        assert!(label.contains("1 Service,"), "{label}");
    }
}
