//! The static layout of one file's scopes, computed once per file from its name resolution
//! ([`crate::names`]), so that the evaluator looks no variable up by name: each `let`, `rec`
//! set and function is a frame of slots (its names in sorted order), and each variable is a
//! pair (how many frames out, which slot). Only names that a `with` may provide are looked
//! up while the program runs, in the sets of the enclosing `with`s.
//!
//! A layout is plain shared data (`Send + Sync`): the database computes it once per file
//! from its `name_resolution` query (the resolution the checker uses too) and hands it to
//! every evaluation through the loader, so no evaluation resolves a file's names again.

use crate::names::{DefId, NameResolution, Resolution, ScopeId, ScopeKind};
use crate::syntax::{Expr, Name};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Where a variable's value is, as name resolution decided it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Var {
    /// Bound lexically: slot `slot` of the frame `depth` scopes out (0 is the innermost).
    Local { depth: u32, slot: u32 },
    /// A global name: its index in [`crate::builtins::global_names`], the order of the
    /// global frame's slots.
    Global(u32),
    /// Bound by no lexical scope: only an enclosing `with` may provide it.
    With,
    /// Bound nowhere.
    Unbound,
}

/// One use of a name: a variable, or the name of an `inherit x;`.
struct Use {
    name: Name,
    var: Var,
    scope: Option<ScopeId>,
}

/// The layout of one file: its frames and where each of its variables is.
pub struct Layout {
    /// The uses of names, by the offset where each is written.
    uses: FxHashMap<u32, Use>,
    /// The slot names (sorted) of each `let`, `rec` set and function, by the offset of the
    /// expression that makes the scope.
    frames: FxHashMap<u32, Arc<[Name]>>,
    resolution: Arc<NameResolution>,
}

impl Layout {
    /// The layout of the file whose names `resolution` resolved.
    pub fn new(resolution: Arc<NameResolution>) -> Layout {
        let mut frames = FxHashMap::default();
        // The slot of each definition that a frame's names map to: its name's place in the
        // sorted names.
        let mut slots = vec![u32::MAX; resolution.definitions.len()];
        for scope in &resolution.scopes {
            let mut sorted: Vec<(&Name, DefId)> =
                scope.names.iter().map(|(name, &def)| (name, def)).collect();
            sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
            if !matches!(scope.kind, ScopeKind::With { .. }) {
                frames.insert(
                    scope.span.start,
                    sorted.iter().map(|(name, _)| Name::clone(name)).collect(),
                );
            }
            for (slot, (_, def)) in sorted.iter().enumerate() {
                if let Some(entry) = slots.get_mut(def.0 as usize) {
                    *entry = slot as u32;
                }
            }
        }
        let mut uses = FxHashMap::default();
        uses.reserve(resolution.references.len());
        for reference in &resolution.references {
            let var = match reference.resolution {
                Resolution::Local(id) => {
                    let def = resolution.definition(id);
                    let depth = resolution
                        .ancestors(reference.scope)
                        .position(|scope| scope == def.scope);
                    // A definition its scope's names do not map to (the second of a
                    // name defined twice) has the slot of the one they map to.
                    let slot = match slots.get(id.0 as usize) {
                        Some(&slot) if slot != u32::MAX => Some(slot),
                        _ => resolution
                            .scope(def.scope)
                            .names
                            .get(&def.name)
                            .and_then(|named| slots.get(named.0 as usize).copied())
                            .filter(|slot| *slot != u32::MAX),
                    };
                    match (depth, slot) {
                        (Some(depth), Some(slot)) => Var::Local {
                            depth: depth as u32,
                            slot,
                        },
                        _ => Var::Unbound,
                    }
                }
                Resolution::Global => resolution
                    .globals
                    .iter()
                    .position(|global| *global == reference.name)
                    .map_or(Var::Unbound, |index| Var::Global(index as u32)),
                Resolution::With(_) => Var::With,
                Resolution::Unbound => Var::Unbound,
            };
            uses.insert(
                reference.span.start,
                Use {
                    name: reference.name.clone(),
                    var,
                    scope: reference.scope,
                },
            );
        }
        Layout {
            uses,
            frames,
            resolution,
        }
    }

    /// The layout of the tree `root`, resolving its names first (a host without the
    /// database's resolution: tests, the fuzzer).
    pub fn resolve(root: &Expr) -> Arc<Layout> {
        let names = crate::names::resolve(root, &crate::builtins::global_names());
        Arc::new(Layout::new(Arc::new(names)))
    }

    /// The name resolution the layout was computed from.
    pub fn resolution(&self) -> &NameResolution {
        &self.resolution
    }

    /// Where the variable `name` written at offset `start` is; `None` for a name that name
    /// resolution did not see there (one the evaluator wrote itself).
    #[inline]
    pub fn var(&self, start: u32, name: &str) -> Option<Var> {
        self.uses
            .get(&start)
            // The use shares the tree's name, so the text is rarely compared.
            .filter(|found| std::ptr::eq(&*found.name, name) || &*found.name == name)
            .map(|found| found.var)
    }

    /// The slot names, in slot order, of the scope the expression at `start` makes.
    pub fn frame(&self, start: u32) -> Option<&Arc<[Name]>> {
        self.frames.get(&start)
    }

    /// The names visible lexically where the name at `start` is used (for "did you mean").
    pub fn visible(&self, start: u32) -> Vec<Name> {
        let scope = self.uses.get(&start).and_then(|found| found.scope);
        let mut names: Vec<Name> = self
            .resolution
            .visible(scope)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        names.extend(self.resolution.globals.iter().cloned());
        names
    }
}

/// The slot of `name` in a frame's sorted slot names.
pub fn slot_of(slots: &[Name], name: &str) -> Option<usize> {
    slots.binary_search_by(|slot| (**slot).cmp(name)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, ExprKind};

    fn layout_of(source: &str) -> (Arc<Layout>, Arc<Expr>) {
        let parse = parse(source);
        assert!(parse.errors.is_empty(), "{:?}", parse.errors);
        (Layout::resolve(&parse.root), parse.root)
    }

    fn var_at(layout: &Layout, source: &str, needle: &str, name: &str) -> Option<Var> {
        let start = source.rfind(needle).map(|offset| offset as u32)?;
        layout.var(start, name)
    }

    #[test]
    fn variables_are_depth_and_slot_pairs() {
        let source = "let b = 1; a = 2; in x: { y }: a + b + x + y + map";
        let (layout, root) = layout_of(source);
        // `{ y }:` is the innermost scope, then `x:`, then the `let`.
        assert_eq!(
            var_at(&layout, source, "y +", "y"),
            Some(Var::Local { depth: 0, slot: 0 })
        );
        assert_eq!(
            var_at(&layout, source, "x +", "x"),
            Some(Var::Local { depth: 1, slot: 0 })
        );
        // The `let` frame's slots are its names sorted: `a` 0, `b` 1.
        assert_eq!(
            var_at(&layout, source, "a +", "a"),
            Some(Var::Local { depth: 2, slot: 0 })
        );
        assert_eq!(
            var_at(&layout, source, "b +", "b"),
            Some(Var::Local { depth: 2, slot: 1 })
        );
        let map = crate::builtins::global_names()
            .iter()
            .position(|name| *name == "map")
            .map(|index| index as u32);
        assert_eq!(var_at(&layout, source, "map", "map"), map.map(Var::Global));
        let ExprKind::Let { .. } = root.kind else {
            panic!("not a let")
        };
        let names: Vec<&str> = layout
            .frame(root.span.start)
            .into_iter()
            .flat_map(|names| names.iter())
            .map(|name| &**name)
            .collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn only_names_a_with_may_provide_stay_dynamic() {
        let source = "let a = 1; in with { b = 2; }; a + b";
        let (layout, _) = layout_of(source);
        assert_eq!(
            var_at(&layout, source, "a +", "a"),
            Some(Var::Local { depth: 1, slot: 0 })
        );
        assert_eq!(var_at(&layout, source, "b", "b"), Some(Var::With));
        // A name the evaluator made up is not in the layout, even at a known offset.
        assert_eq!(var_at(&layout, source, "b", "c"), None);
    }

    #[test]
    fn inherited_names_are_looked_up_around_the_binding() {
        let source = "x: let inherit x; y = x; in y";
        let (layout, _) = layout_of(source);
        // `inherit x;` reads the parameter, outside the `let`.
        assert_eq!(
            var_at(&layout, source, "x; y", "x"),
            Some(Var::Local { depth: 0, slot: 0 })
        );
        // `y = x;` reads the `let`'s own `x` (slot 0 of `x`, `y`).
        assert_eq!(
            var_at(&layout, source, "x; in", "x"),
            Some(Var::Local { depth: 0, slot: 0 })
        );
    }
}
