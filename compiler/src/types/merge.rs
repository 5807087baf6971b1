//! How the definitions of one attribute merge, as in Nix: `a.x = 1; a = { y = 2; };` is one
//! set, a set literal joins other literals and nested keys, any other value stands alone;
//! a definition that conflicts with an earlier one is reported (`E0411`, in the words the
//! evaluator uses) and left out, so the rest is checked as if it were not there.

use super::check::{Checker, Def};
use super::report;
use crate::syntax::{AttrNameKind, Binding, BindingKind, ExprKind, Span};

impl<'a> Checker<'a> {
    /// The definitions of one attribute (`a = ...;`, `a.b = ...;`, paths stripped up to
    /// `a`) as Nix merges them: a set literal joins nested keys and other literals
    /// (`a.x = 1; a = { y = 2; };`), any other value stands alone. A definition that
    /// conflicts with an earlier one is reported (`E0411`, in the evaluator's words) and
    /// left out, so the rest is checked as if it were not there.
    pub(super) fn merge_definitions(&mut self, defs: Vec<Def<'a>>) -> Vec<Def<'a>> {
        let mut kept: Vec<Def<'a>> = Vec::new();
        let mut standalone: Option<usize> = None;
        for def in defs {
            let is_value = def.path.is_empty();
            let conflict = if is_value && literal_bindings(&def).is_none() {
                (!kept.is_empty()).then_some(0)
            } else {
                standalone
            };
            if let Some(first) = conflict {
                let diagnostic = report::defined_twice(self, &def, &kept[first]);
                self.error(diagnostic);
                continue;
            }
            if is_value && literal_bindings(&def).is_none() {
                standalone = Some(kept.len());
            }
            kept.push(def);
        }
        if kept.len() < 2 {
            return kept;
        }
        // Several definitions that merge: the literals' own bindings join the nested keys.
        let mut merged = Vec::with_capacity(kept.len());
        for def in kept {
            match literal_bindings(&def) {
                Some(bindings)
                    if bindings
                        .iter()
                        .all(|b| matches!(b.kind, BindingKind::Attr { .. })) =>
                {
                    for binding in bindings {
                        if let BindingKind::Attr { path, value } = &binding.kind {
                            merged.push(Def {
                                path,
                                value,
                                binding,
                            });
                        }
                    }
                }
                _ => merged.push(def),
            }
        }
        merged
    }
}

/// The bindings of a definition whose value is a plain set literal without annotation
/// (`a = { ... };`), which other definitions of `a` may extend.
fn literal_bindings<'a>(def: &Def<'a>) -> Option<&'a [Binding]> {
    match (&def.value.kind, &def.binding.ty, def.path) {
        (
            ExprKind::AttrSet {
                rec: false,
                bindings,
            },
            None,
            [],
        ) => Some(bindings),
        _ => None,
    }
}

/// The key of `def` at the level its path has been stripped to (the `enabled` of
/// `storage.enabled = ...;` once `storage` is grouped), and the keys up to it as written
/// (`storage.enabled`). A binding spliced in from a set literal starts a new path.
pub(super) fn def_key(def: &Def<'_>) -> Option<(Span, String)> {
    let BindingKind::Attr { path, .. } = &def.binding.kind else {
        return None;
    };
    let index = path.len().checked_sub(def.path.len() + 1)?;
    let shown: Vec<String> = path[..=index]
        .iter()
        .map(|name| match &name.kind {
            AttrNameKind::Static(text) => text.to_string(),
            AttrNameKind::Dynamic(_) => "${...}".to_string(),
        })
        .collect();
    Some((path[index].span, shown.join(".")))
}
