//! Name resolution: for one parsed file, which binding every variable refers to.
//!
//! [`resolve`] walks the tree once and builds the lexical [`Scope`]s (`let`, `rec { }`,
//! lambdas, `with`), the [`Definition`]s they hold (let bindings, attributes of recursive
//! sets, lambda parameters, pattern fields and `@` names, names brought in by `inherit`)
//! and one [`Reference`] per use of a name (every `Var`, and every name of an
//! `inherit x;` without a source, which both uses `x` from the scope around and defines it).
//!
//! Resolution follows Nix: lexical scopes, innermost first, then the global names
//! (`builtins`, `map`, `true`, ...), and only then the attribute sets of enclosing `with`
//! expressions, innermost first. A name that only a `with` can provide is
//! [`Resolution::With`] ("maybe from `with`"): which set has it is known only when the
//! program runs. Anything else is [`Resolution::Unbound`], reported by [`diagnostics`].
//!
//! This module is plain data over the syntax tree (no salsa, no evaluation): the evaluator
//! uses it to reject unbound names before it runs and to give every variable its frame and
//! slot (`eval::layout`), the database wraps it in the
//! `name_resolution` query, and the language server answers definition, references,
//! rename, hover and completion from it.

mod diagnostics;
mod resolve;
#[cfg(test)]
mod tests;

pub use diagnostics::diagnostics;
pub use resolve::resolve;

use crate::syntax::{Name, Span};
use indexmap::IndexMap;
use rustc_hash::FxBuildHasher;
use smallvec::SmallVec;

/// The index of a [`Scope`] in [`NameResolution::scopes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeId(pub u32);

/// The index of a [`Definition`] in [`NameResolution::definitions`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DefId(pub u32);

/// Everything name resolution found in one file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NameResolution {
    pub scopes: Vec<Scope>,
    pub definitions: Vec<Definition>,
    /// Every use of a name, in source order.
    pub references: Vec<Reference>,
    /// The names visible everywhere, after every lexical scope and before any `with`.
    pub globals: Vec<Name>,
}

/// A lexical scope. Scopes nest: `parent` is the enclosing one, `None` the file's top level
/// (where only the global names are visible).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub parent: Option<ScopeId>,
    pub kind: ScopeKind,
    /// The text where the scope's names are visible (for "which names are in scope here").
    pub span: Span,
    /// The names this scope defines, in the order they are first defined.
    pub names: ScopeNames,
}

/// The names of one scope and their definitions, in the order of their definitions (the
/// order of their [`DefId`]s): a hash map, since a scope can define thousands of names and
/// resolution runs again after every edit in an editor (a sorted map's string comparisons
/// were half of it). Whoever needs them sorted sorts them (`eval::layout`).
pub type ScopeNames = IndexMap<Name, DefId, FxBuildHasher>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// `let ... in body`: the bindings and the body.
    Let,
    /// `rec { ... }`: the values of its bindings.
    RecSet,
    /// `param: body`: the pattern's defaults and the body.
    Lambda,
    /// `with scope; body`: the body, where names may come from the set `scope` (whose
    /// span is given).
    With { scope: Span },
}

/// A name bound by a binding, parameter or pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    pub name: Name,
    pub kind: DefKind,
    /// Every place the name is written as defined, in source order: usually one (kept
    /// inline, without an allocation), several when nested paths extend it
    /// (`a.x = 1; a.y = 2;` both define `a`).
    pub spans: SmallVec<[Span; 1]>,
    /// The whole binding, parameter or field that defines it (for documentation).
    pub binding_span: Span,
    pub scope: ScopeId,
}

impl Definition {
    /// Where the name is first defined.
    pub fn span(&self) -> Span {
        self.spans.first().copied().unwrap_or(self.binding_span)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefKind {
    /// A binding of `let`; `inherit` says whether it was `inherit x;` (from the scope
    /// around) or `inherit (from) x;`.
    Let { inherit: Inherit },
    /// An attribute of a `rec { }` set, which its values see as a variable.
    RecAttr { inherit: Inherit },
    /// `x` in `x: body`.
    Param,
    /// `a` in `{ a, b ? 1 }: body`.
    PatField,
    /// `args` in `args@{ ... }: body`.
    PatBind,
}

impl DefKind {
    /// How the definition is written.
    pub fn inherit(self) -> Inherit {
        match self {
            DefKind::Let { inherit } | DefKind::RecAttr { inherit } => inherit,
            DefKind::Param | DefKind::PatField | DefKind::PatBind => Inherit::No,
        }
    }

    /// Whether this is a function parameter (plain, pattern field or `@` name).
    pub fn is_parameter(self) -> bool {
        matches!(self, DefKind::Param | DefKind::PatField | DefKind::PatBind)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inherit {
    /// `name = value;`
    No,
    /// `inherit name;`: the value is the same name in the scope around.
    Lexical,
    /// `inherit (from) name;`: the value is `from.name`.
    From,
}

/// One use of a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub name: Name,
    pub span: Span,
    /// The scope the name is looked up in.
    pub scope: Option<ScopeId>,
    pub kind: RefKind,
    pub resolution: Resolution,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// A variable in an expression.
    Var,
    /// A name of `inherit x;`. `defines` is the `let` or `rec` scope that the binding
    /// defines `x` in (`None` in a plain set, where it defines an attribute only).
    Inherit { defines: Option<ScopeId> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// A binding of this file.
    Local(DefId),
    /// A global name (`builtins`, `map`, `true`, ...).
    Global,
    /// Not bound lexically, but under `with`: the innermost enclosing `with` scope may
    /// provide it when the program runs.
    With(ScopeId),
    /// Bound nowhere: an error.
    Unbound,
}

impl NameResolution {
    pub fn scope(&self, id: ScopeId) -> &Scope {
        &self.scopes[id.0 as usize]
    }

    pub fn definition(&self, id: DefId) -> &Definition {
        &self.definitions[id.0 as usize]
    }

    /// The scope and its ancestors, innermost first.
    pub fn ancestors(&self, scope: Option<ScopeId>) -> impl Iterator<Item = ScopeId> + '_ {
        std::iter::successors(scope, |&id| self.scope(id).parent)
    }

    /// What `name` means when looked up in `scope`.
    pub fn lookup(&self, scope: Option<ScopeId>, name: &str) -> Resolution {
        let mut innermost_with = None;
        for id in self.ancestors(scope) {
            let current = self.scope(id);
            if let Some(&def) = current.names.get(name) {
                return Resolution::Local(def);
            }
            if innermost_with.is_none() && matches!(current.kind, ScopeKind::With { .. }) {
                innermost_with = Some(id);
            }
        }
        if self.globals.iter().any(|global| &**global == name) {
            return Resolution::Global;
        }
        innermost_with.map_or(Resolution::Unbound, Resolution::With)
    }

    /// The reference written at `offset` (its span contains it), if any.
    pub fn reference_at(&self, offset: u32) -> Option<&Reference> {
        self.references
            .iter()
            .find(|reference| reference.span.contains(offset))
    }

    /// The reference written exactly at `span` (a variable, a name of `inherit x;`, the
    /// module of a qualified type name), if any.
    pub fn reference_spanning(&self, span: Span) -> Option<&Reference> {
        let index = self
            .references
            .binary_search_by_key(&(span.start, span.end), |reference| {
                (reference.span.start, reference.span.end)
            })
            .ok()?;
        self.references.get(index)
    }

    /// The definition whose name is written at `offset`, if any.
    pub fn definition_at(&self, offset: u32) -> Option<DefId> {
        self.definitions
            .iter()
            .position(|def| def.spans.iter().any(|span| span.contains(offset)))
            .map(|index| DefId(index as u32))
    }

    /// Every reference that resolves to `def`, in source order.
    pub fn references_to(&self, def: DefId) -> impl Iterator<Item = &Reference> + '_ {
        self.references
            .iter()
            .filter(move |reference| reference.resolution == Resolution::Local(def))
    }

    /// The innermost scope whose names are visible at `offset`.
    pub fn scope_at(&self, offset: u32) -> Option<ScopeId> {
        // Scopes nest and are created outside-in, so among those containing the offset
        // the last created is the innermost.
        self.scopes
            .iter()
            .rposition(|scope| scope.span.contains(offset))
            .map(|index| ScopeId(index as u32))
    }

    /// The names visible in `scope`, innermost first, each once (shadowed ones left out),
    /// with their definitions.
    pub fn visible(&self, scope: Option<ScopeId>) -> Vec<(Name, DefId)> {
        let mut out = Vec::new();
        // The names of the scopes inside the current one: they shadow its names.
        let mut inner: Vec<&ScopeNames> = Vec::new();
        for id in self.ancestors(scope) {
            let names = &self.scope(id).names;
            out.extend(
                names
                    .iter()
                    .filter(|(name, _)| !inner.iter().any(|shadow| shadow.contains_key(*name)))
                    .map(|(name, &def)| (name.clone(), def)),
            );
            inner.push(names);
        }
        out
    }

    /// The `with` scopes around `scope`, innermost first.
    pub fn enclosing_withs(&self, scope: Option<ScopeId>) -> Vec<ScopeId> {
        self.ancestors(scope)
            .filter(|&id| matches!(self.scope(id).kind, ScopeKind::With { .. }))
            .collect()
    }

    /// The references that nothing binds, in source order.
    pub fn unbound(&self) -> impl Iterator<Item = &Reference> + '_ {
        self.references
            .iter()
            .filter(|reference| reference.resolution == Resolution::Unbound)
    }
}
