//! Checks of the whole build's objects: two objects with the same kind, namespace and name
//! (`duplicate-object`); a Service or NetworkPolicy selector that matches no pod template
//! of the build (`selector-matches-nothing`). Each finding is at the user-written place
//! that made the object ([`Manifest::origin`]): the object itself, or the call that
//! returned it.

use crate::eval::{DataAttrs, Finding};
use crate::k8s::Manifest;
use std::collections::HashMap;

/// The findings of the build-wide checks over `manifests`.
pub fn check(manifests: &[Manifest]) -> Vec<Finding> {
    let mut findings = duplicates(manifests);
    findings.extend(selectors(manifests));
    findings
}

fn finding(check: &str, manifest: &Manifest, message: String, label: &str) -> Finding {
    let place = manifest.origin.clone();
    Finding {
        check: check.to_string(),
        message,
        label: label.to_string(),
        option: None,
        at: place.clone(),
        value: None,
        call: None,
        raised: place.unwrap_or_else(|| ("<build>".into(), Default::default())),
        related: Vec::new(),
        help: None,
        fix: None,
    }
}

fn namespace(manifest: &Manifest) -> &str {
    manifest.value["metadata"]["namespace"]
        .as_str()
        .unwrap_or("")
}

fn duplicates(manifests: &[Manifest]) -> Vec<Finding> {
    let mut first: HashMap<(&str, &str, &str), &Manifest> = HashMap::new();
    let mut findings = Vec::new();
    for manifest in manifests {
        let key = (
            manifest.kind.as_str(),
            namespace(manifest),
            manifest.name.as_str(),
        );
        match first.get(&key) {
            None => {
                first.insert(key, manifest);
            }
            Some(earlier) => {
                let place = match key.1 {
                    "" => String::new(),
                    namespace => format!(" in namespace `{namespace}`"),
                };
                let mut found = finding(
                    "duplicate-object",
                    manifest,
                    format!(
                        "two objects are {} `{}`{place}: `kubectl apply` keeps only the last",
                        manifest.kind, manifest.name
                    ),
                    "makes it a second time",
                );
                if let Some(origin) = &earlier.origin {
                    found
                        .related
                        .push((origin.clone(), "made here first".to_string()));
                }
                found.help = Some(
                    "give each deployment its own `name` (or `fullnameOverride`), or rename the object"
                        .to_string(),
                );
                findings.push(found);
            }
        }
    }
    findings
}

/// The labels of every pod template of the build, by the namespace it runs in (a selector
/// looks only at its own namespace's pods, which keeps the check linear in the build).
fn pod_labels(manifests: &[Manifest]) -> HashMap<&str, Vec<&DataAttrs>> {
    let mut pods: HashMap<&str, Vec<&DataAttrs>> = HashMap::new();
    for manifest in manifests {
        let labels = match manifest.kind.as_str() {
            "Pod" => &manifest.value["metadata"]["labels"],
            "CronJob" => {
                &manifest.value["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
            }
            _ => &manifest.value["spec"]["template"]["metadata"]["labels"],
        };
        if let Some(labels) = labels.as_attrs() {
            pods.entry(namespace(manifest)).or_default().push(labels);
        }
    }
    pods
}

fn selectors(manifests: &[Manifest]) -> Vec<Finding> {
    let pods = pod_labels(manifests);
    let mut findings = Vec::new();
    for manifest in manifests {
        let selector = match manifest.kind.as_str() {
            "Service" => manifest.value["spec"]["selector"].as_attrs(),
            "NetworkPolicy" => manifest.value["spec"]["podSelector"]["matchLabels"].as_attrs(),
            _ => None,
        };
        // No selector (a Service of external endpoints), or an empty one (every pod), or
        // expressions mlc does not evaluate: nothing to say.
        let Some(selector) = selector.filter(|s| !s.is_empty()) else {
            continue;
        };
        if manifest.kind == "NetworkPolicy"
            && manifest.value["spec"]["podSelector"]["matchExpressions"]
                .as_list()
                .is_some()
        {
            continue;
        }
        // Labels and selectors are maps of strings (the schema checks held them to it).
        let pods_here = pods.get(namespace(manifest)).map_or(&[][..], Vec::as_slice);
        let matches = pods_here.iter().any(|labels| {
            selector.iter().all(|(key, value)| {
                labels.get(key).and_then(|label| label.as_str()) == value.as_str()
            })
        });
        if !matches {
            let wanted = selector
                .iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("?")))
                .collect::<Vec<_>>()
                .join(",");
            let mut found = finding(
                "selector-matches-nothing",
                manifest,
                format!(
                    "the selector of {} `{}` ({wanted}) matches no pod of the build",
                    manifest.kind, manifest.name
                ),
                "selects no pod",
            );
            found.help = Some(
                "use the labels of the pod template you mean; for pods made outside this build, waive the check"
                    .to_string(),
            );
            findings.push(found);
        }
    }
    findings
}
