//! How `mlc diff` prints: for people (one line per object, one per changed field with its
//! effects, then what the upgrade does as a whole), or one JSON object for tools. Plain
//! text in, text out: the command line decides colour and where it goes.

use super::{show, Effect, ObjectDiff};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const MAGENTA: &str = "\x1b[35m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

struct Paint(bool);

impl Paint {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.0 {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// `[restarts-pods, needs-migration]`, or nothing.
fn tags(effects: &[Effect], paint: &Paint) -> String {
    if effects.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = effects.iter().map(|e| e.name()).collect();
    format!(
        "  {}",
        paint.paint(MAGENTA, &format!("[{}]", names.join(", ")))
    )
}

/// The report for people, `old` and `new` naming the two sides (ANSI colours if `colour`).
pub fn human(diffs: &[ObjectDiff], old: &str, new: &str, colour: bool) -> String {
    let paint = Paint(colour);
    if diffs.is_empty() {
        return format!("mlc: no changes from {old} to {new}\n");
    }
    let mut out = paint.paint(BOLD, &format!("mlc diff {old} → {new}"));
    out.push('\n');
    let (mut added, mut removed, mut changed) = (0, 0, 0);
    for diff in diffs {
        let id = diff.id().display();
        match diff {
            ObjectDiff::Added { effects, .. } => {
                added += 1;
                out.push_str(&format!(
                    "{}{}\n",
                    paint.paint(GREEN, &format!("+ {id}")),
                    tags(effects, &paint)
                ));
            }
            ObjectDiff::Removed { effects, .. } => {
                removed += 1;
                out.push_str(&format!(
                    "{}{}\n",
                    paint.paint(RED, &format!("- {id}")),
                    tags(effects, &paint)
                ));
            }
            ObjectDiff::Changed { changes, .. } => {
                changed += 1;
                out.push_str(&format!("{}\n", paint.paint(YELLOW, &format!("~ {id}"))));
                for change in changes {
                    let what = match (&change.old, &change.new) {
                        (Some(old), Some(new)) => format!(
                            "{} → {}",
                            paint.paint(RED, &show(old)),
                            paint.paint(GREEN, &show(new))
                        ),
                        (None, Some(new)) => format!("added {}", paint.paint(GREEN, &show(new))),
                        (Some(old), None) => format!("removed {}", paint.paint(RED, &show(old))),
                        (None, None) => String::new(),
                    };
                    out.push_str(&format!(
                        "    {}: {what}{}\n",
                        change.path_text(),
                        tags(&change.effects, &paint)
                    ));
                }
            }
        }
    }
    let mut by_effect: BTreeMap<Effect, Vec<String>> = BTreeMap::new();
    for diff in diffs {
        for effect in diff.effects() {
            by_effect
                .entry(effect)
                .or_default()
                .push(diff.id().display());
        }
    }
    if !by_effect.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            paint.paint(BOLD, "What this upgrade does:")
        ));
        for (effect, objects) in &by_effect {
            out.push_str(&format!(
                "  {}: {} ({})\n",
                paint.paint(MAGENTA, effect.name()),
                effect.explain(),
                objects.join(", ")
            ));
        }
    }
    out.push_str(&format!(
        "\n{added} added, {removed} removed, {changed} changed\n"
    ));
    out
}

/// The report for tools: one JSON object (counts, effects, and each object with its fields).
pub fn json(diffs: &[ObjectDiff]) -> String {
    let names = |effects: &[Effect]| -> Vec<&str> { effects.iter().map(|e| e.name()).collect() };
    let objects: Vec<Value> = diffs
        .iter()
        .map(|diff| {
            let id = diff.id();
            let mut object = json!({
                "apiVersion": id.api_version,
                "kind": id.kind,
                "namespace": id.namespace,
                "name": id.name,
                "effects": names(&diff.effects()),
            });
            match diff {
                ObjectDiff::Added { .. } => object["change"] = "added".into(),
                ObjectDiff::Removed { .. } => object["change"] = "removed".into(),
                ObjectDiff::Changed { changes, .. } => {
                    object["change"] = "changed".into();
                    object["fields"] = changes
                        .iter()
                        .map(|change| {
                            json!({
                                "path": change.path_text(),
                                "old": change.old,
                                "new": change.new,
                                "effects": names(&change.effects),
                            })
                        })
                        .collect();
                }
            }
            object
        })
        .collect();
    let mut effects: Vec<Effect> = diffs.iter().flat_map(|d| d.effects()).collect();
    effects.sort();
    effects.dedup();
    let count = |what: fn(&ObjectDiff) -> bool| diffs.iter().filter(|d| what(d)).count();
    let mut text = json!({
        "changes": !diffs.is_empty(),
        "added": count(|d| matches!(d, ObjectDiff::Added { .. })),
        "removed": count(|d| matches!(d, ObjectDiff::Removed { .. })),
        "changed": count(|d| matches!(d, ObjectDiff::Changed { .. })),
        "effects": names(&effects),
        "objects": objects,
    })
    .to_string();
    text.push('\n');
    text
}
