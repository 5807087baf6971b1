//! Helm's install order: kinds that others depend on first (namespaces, policies,
//! accounts, secrets, storage, RBAC, services, workloads, ingress), unknown kinds last;
//! objects of one kind by name.

/// Kinds in the order Helm installs them (helm/pkg/release/util/kind_sorter.go).
const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

fn rank(kind: &str) -> usize {
    INSTALL_ORDER
        .iter()
        .position(|known| *known == kind)
        .unwrap_or(INSTALL_ORDER.len())
}

/// Sorts objects by install order, then kind (for unknown kinds), then name. Each object's
/// rank is looked up once, not at every comparison.
pub fn sort(objects: &mut Vec<super::Manifest>) {
    let mut ranked: Vec<(usize, super::Manifest)> = objects
        .drain(..)
        .map(|object| (rank(&object.kind), object))
        .collect();
    ranked.sort_by(|(rank_a, a), (rank_b, b)| {
        rank_a
            .cmp(rank_b)
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.name.cmp(&b.name))
    });
    objects.extend(ranked.into_iter().map(|(_, object)| object));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::Manifest;

    fn object(kind: &str, name: &str) -> Manifest {
        Manifest {
            kind: kind.to_string(),
            name: name.to_string(),
            value: crate::eval::Data::from_json(&serde_json::Value::Null),
            origin: None,
        }
    }

    #[test]
    fn installs_dependencies_first_then_by_name() {
        let mut objects = vec![
            object("Deployment", "b"),
            object("ServiceMonitor", "m"),
            object("Service", "z"),
            object("ServiceAccount", "a"),
            object("Deployment", "a"),
            object("ExternalSecret", "e"),
        ];
        sort(&mut objects);
        let order: Vec<String> = objects
            .iter()
            .map(|o| format!("{}/{}", o.kind, o.name))
            .collect();
        assert_eq!(
            order,
            [
                "ServiceAccount/a",
                "Service/z",
                "Deployment/a",
                "Deployment/b",
                "ExternalSecret/e",
                "ServiceMonitor/m"
            ]
        );
    }
}
