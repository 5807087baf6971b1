//! The custom resources mlc checks (ServiceMonitor, SecretStore, ExternalSecret,
//! HTTPRoute): their types are generated from the upstream CRDs by the `mlc-crds` crate
//! (`crds/`, which says how), re-exported here; this module checks what the CRDs say
//! beyond types and that the crate keeps as data: `minProperties`/`maxProperties`
//! ([`PropertyCount`], such as ESO's "exactly one provider"). Patterns, lengths, ranges and
//! CEL rules are left to the API server.

use super::reader::Error;
use crate::eval::{Data, DataKind};

pub use mlc_crds::*;

/// The objects of `object` that have too few or too many fields set (a field set to null
/// is unset, as Kubernetes reads it).
pub fn property_counts(counts: &[PropertyCount], object: &Data) -> Vec<Error> {
    let mut errors = Vec::new();
    for count in counts {
        let mut at = Vec::new();
        visit(count, count.path, object, &mut at, &mut errors);
    }
    errors
}

fn visit(
    count: &PropertyCount,
    rest: &[&str],
    value: &Data,
    at: &mut Vec<String>,
    errors: &mut Vec<Error>,
) {
    let Some((step, rest)) = rest.split_first() else {
        if let Some(fields) = value.as_attrs() {
            let set: Vec<&str> = fields
                .iter()
                .filter(|(_, value)| value.kind != DataKind::Null)
                .map(|(name, _)| name.as_str())
                .collect();
            if let Some(message) = wrong_count(count, &set) {
                errors.push(Error::at(at.clone(), message));
            }
        }
        return;
    };
    let children: Vec<(String, &Data)> = match (*step, &value.kind) {
        ("*", DataKind::List(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| (i.to_string(), item))
            .collect(),
        ("*", DataKind::Attrs(entries)) => entries.iter().map(|(k, v)| (k.clone(), v)).collect(),
        (name, DataKind::Attrs(entries)) => entries
            .get(name)
            .map(|v| vec![(name.to_string(), v)])
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    for (step, child) in children {
        at.push(step);
        visit(count, rest, child, at, errors);
        at.pop();
    }
}

/// What is wrong with `set` being the fields set, if anything.
fn wrong_count(count: &PropertyCount, set: &[&str]) -> Option<String> {
    let what = count.path.last().copied().unwrap_or("the object");
    let quoted = |names: &[&str]| {
        names
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let exactly_one = count.min == Some(1) && count.max == Some(1);
    if count.min.is_some_and(|min| set.len() < min) {
        let mut choices = quoted(&count.fields[..count.fields.len().min(6)]);
        if count.fields.len() > 6 {
            choices.push_str(", ...");
        }
        return Some(match (set.len(), exactly_one, choices.is_empty()) {
            (0, true, false) => {
                format!("nothing is set in `{what}`: give exactly one of {choices}")
            }
            (_, _, true) => format!(
                "`{what}` has {} fields set, and needs at least {}",
                set.len(),
                count.min.unwrap_or(0)
            ),
            _ => format!(
                "`{what}` has {} fields set, and needs at least {} of {choices}",
                set.len(),
                count.min.unwrap_or(0)
            ),
        });
    }
    if count.max.is_some_and(|max| set.len() > max) {
        let max = count.max.unwrap_or(0);
        return Some(if exactly_one {
            format!(
                "{} fields are set in `{what}` ({}): it takes exactly one",
                set.len(),
                quoted(set)
            )
        } else {
            format!(
                "{} fields are set in `{what}` ({}): it takes at most {max}",
                set.len(),
                quoted(set)
            )
        });
    }
    None
}

#[cfg(test)]
mod tests;
