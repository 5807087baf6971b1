//! The field-by-field difference of two JSON values: each change is a path, the old value
//! (none when the field is added) and the new one (none when removed).

use super::Effect;
use serde_json::Value;
use std::collections::BTreeSet;

/// One step of a path into an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
    /// The item of a list whose items are matched by their `name`.
    Named(String),
}

/// One changed field.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub path: Vec<Segment>,
    pub old: Option<Value>,
    pub new: Option<Value>,
    /// What the change does to a running server (filled in by [`super::effects`]).
    pub effects: Vec<Effect>,
}

impl Change {
    /// `spec.template.spec.containers[name=mlflow].image`.
    pub fn path_text(&self) -> String {
        path_text(&self.path)
    }

    /// The keys of the path, without list steps: `["spec", "template", "spec", ...]`.
    pub fn keys(&self) -> Vec<&str> {
        self.path
            .iter()
            .filter_map(|segment| match segment {
                Segment::Key(key) => Some(key.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Whether the path starts with these keys (list steps skipped).
    pub fn under(&self, prefix: &[&str]) -> bool {
        self.keys().starts_with(prefix)
    }

    /// Whether the path names this list item (`env[name=X]`).
    pub fn names(&self, name: &str) -> bool {
        self.path
            .iter()
            .any(|segment| matches!(segment, Segment::Named(n) if n == name))
    }
}

pub fn path_text(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
            Segment::Named(name) => out.push_str(&format!("[name={name}]")),
        }
    }
    out
}

/// Every changed field from `old` to `new`, in key order.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    walk(&mut Vec::new(), Some(old), Some(new), &mut changes);
    changes
}

fn walk(path: &mut Vec<Segment>, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                path.push(Segment::Key(key.clone()));
                walk(path, a.get(key), b.get(key), out);
                path.pop();
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => match (names(a), names(b)) {
            (Some(old_names), Some(new_names)) => {
                for (name, item) in &new_names {
                    let before = old_names.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
                    path.push(Segment::Named(name.clone()));
                    walk(path, before, Some(item), out);
                    path.pop();
                }
                for (name, item) in &old_names {
                    if !new_names.iter().any(|(n, _)| n == name) {
                        path.push(Segment::Named(name.clone()));
                        walk(path, Some(item), None, out);
                        path.pop();
                    }
                }
            }
            _ => {
                // Equal items are matched (a longest common subsequence), so one inserted
                // argument is one added item; between matches, items pair up by position.
                for (i, j) in align(a, b) {
                    path.push(Segment::Index(j.or(i).unwrap_or_default()));
                    walk(path, i.map(|i| &a[i]), j.map(|j| &b[j]), out);
                    path.pop();
                }
            }
        },
        (a, b) if a == b => {}
        (a, b) => out.push(Change {
            path: path.clone(),
            old: a.cloned(),
            new: b.cloned(),
            effects: Vec::new(),
        }),
    }
}

/// The longest list that mlc aligns item by item; longer ones pair up by position.
const MAX_ALIGNED: usize = 1000;

/// Pairs of (old index, new index) covering both lists in order: equal items of a longest
/// common subsequence together, and between them the others by position (an unpaired one
/// is added or removed). Equal pairs are included; they produce no change.
fn align(a: &[Value], b: &[Value]) -> Vec<(Option<usize>, Option<usize>)> {
    let positional = |from_a: std::ops::Range<usize>, from_b: std::ops::Range<usize>| {
        let (len_a, len_b) = (from_a.len(), from_b.len());
        (0..len_a.max(len_b)).map(move |k| {
            (
                (k < len_a).then(|| from_a.start + k),
                (k < len_b).then(|| from_b.start + k),
            )
        })
    };
    if a.len() > MAX_ALIGNED || b.len() > MAX_ALIGNED {
        return positional(0..a.len(), 0..b.len()).collect();
    }
    // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lengths = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lengths[i][j] = if a[i] == b[j] {
                lengths[i + 1][j + 1] + 1
            } else {
                lengths[i + 1][j].max(lengths[i][j + 1])
            };
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    let (mut run_a, mut run_b) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            pairs.extend(positional(run_a..i, run_b..j));
            pairs.push((Some(i), Some(j)));
            i += 1;
            j += 1;
            run_a = i;
            run_b = j;
        } else if lengths[i + 1][j] >= lengths[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs.extend(positional(run_a..a.len(), run_b..b.len()));
    pairs
}

/// The items of a list by name, when every item is an object with a distinct string `name`.
fn names(items: &[Value]) -> Option<Vec<(String, &Value)>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for item in items {
        let name = item.get("name")?.as_str()?;
        if !seen.insert(name) {
            return None;
        }
        out.push((name.to_string(), item));
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(old: Value, new: Value) -> Vec<(String, Option<Value>, Option<Value>)> {
        diff(&old, &new)
            .into_iter()
            .map(|c| (c.path_text(), c.old, c.new))
            .collect()
    }

    #[test]
    fn fields_are_compared_one_by_one() {
        assert_eq!(
            paths(
                json!({ "a": 1, "b": { "c": 2, "d": 3 } }),
                json!({ "a": 1, "b": { "c": 4 }, "e": [1] })
            ),
            [
                ("b.c".to_string(), Some(json!(2)), Some(json!(4))),
                ("b.d".to_string(), Some(json!(3)), None),
                ("e".to_string(), None, Some(json!([1]))),
            ]
        );
        assert!(paths(json!({ "a": [1, 2] }), json!({ "a": [1, 2] })).is_empty());
    }

    #[test]
    fn an_inserted_item_is_one_change() {
        let old = json!({ "args": ["server", "--host=0", "--port=1"] });
        let new = json!({ "args": ["server", "--hosts=a", "--host=0", "--port=2"] });
        assert_eq!(
            paths(old, new),
            [
                ("args[1]".to_string(), None, Some(json!("--hosts=a"))),
                (
                    "args[3]".to_string(),
                    Some(json!("--port=1")),
                    Some(json!("--port=2"))
                ),
            ]
        );
        assert_eq!(
            paths(json!([1, 2, 3]), json!([3])),
            [
                ("[0]".to_string(), Some(json!(1)), None),
                ("[1]".to_string(), Some(json!(2)), None),
            ]
        );
    }

    #[test]
    fn named_items_are_matched_by_name_and_others_by_index() {
        let old = json!({ "env": [ { "name": "A", "value": "1" }, { "name": "B", "value": "2" } ], "args": ["x", "y"] });
        let new = json!({ "env": [ { "name": "NEW", "value": "0" }, { "name": "A", "value": "1" } ], "args": ["x"] });
        assert_eq!(
            paths(old, new),
            [
                ("args[1]".to_string(), Some(json!("y")), None),
                (
                    "env[name=NEW]".to_string(),
                    None,
                    Some(json!({ "name": "NEW", "value": "0" }))
                ),
                (
                    "env[name=B]".to_string(),
                    Some(json!({ "name": "B", "value": "2" })),
                    None
                ),
            ]
        );
    }
}
