//! The type checker of one file: walks the tree once, inferring a type for every
//! expression (`synth`) or checking it against the type its context expects (`check`,
//! which reaches into attribute sets, lists, branches and lambdas so errors point at the
//! exact key or element).
//!
//! Variables are not looked up here: name resolution ([`crate::names`], the file's
//! `name_resolution`) says what each one refers to (a definition, a global, "maybe from
//! `with`"), and the checker keeps a type per definition. Since one scope may be walked
//! more than once (when an expected type flows into it again), each walk of a scope has
//! its own [`Frame`] of types, found by the scope's id: the innermost walk's. `let` and
//! `rec` bindings are typed lazily, when first looked up (or at the end of their scope),
//! once per frame, with a guard that makes a binding that needs its own type `Dyn`
//! instead of looping. Type names (`type T = ...;`) are a namespace of their own that name
//! resolution does not cover: [`Env`] holds the declarations in scope. Names the checker
//! cannot see through (`with` of an unknown set, dynamic keys, imports it cannot resolve)
//! are `Dyn`.
//!
//! One file per construct, as Gleam's `type_/` is split: `scope` (frames and what a
//! variable refers to), `attrs` (attribute sets, their fields against a record type),
//! `expr` (inference of each expression), `expected` (checking against an expected type),
//! `lambda` (functions, parameters inferred from their uses, application, `import`), `ops`
//! (operators), `annotation` (annotations and `type` declarations). `types::lower`,
//! `types::flow` and `types::merge` extend the same `Checker`.

mod annotation;
mod attrs;
mod expected;
mod expr;
mod lambda;
mod ops;
mod scope;

use super::ty::{Field, Record, Site, Type};
use super::TypeHost;
use crate::diagnostic::{Diagnostic, FileName};
use crate::names::{self, DefId, NameResolution, ScopeId};
use crate::syntax::{AttrName, Binding, Expr, Span};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// The type declarations in scope, innermost first: `let`, `rec { }` and plain sets
/// declare types for everything inside them.
pub(super) type Env<'a> = Option<Rc<TypeScope<'a>>>;

pub(super) struct TypeScope<'a> {
    pub types: HashMap<Arc<str>, &'a Binding>,
    pub parent: Env<'a>,
}

/// The types of one walk of a scope that name resolution found.
pub(super) struct Frame<'a> {
    /// Unique among the frames of one check: with a definition, what its type is
    /// remembered by.
    pub id: u32,
    pub kind: FrameKind<'a>,
}

pub(super) enum FrameKind<'a> {
    /// The definitions of a `let` or `rec { }`, and the type declarations their values see.
    Values {
        values: HashMap<DefId, ValueDef<'a>>,
        env: Env<'a>,
    },
    /// A lambda's parameters.
    Params(HashMap<DefId, Type>),
    /// `with e;`: the type of `e`.
    With(Type),
}

/// A frame entered for a scope, until [`Checker::leave`].
pub(super) type Entered<'a> = Option<(ScopeId, Rc<Frame<'a>>)>;

/// A name bound by `let` or `rec`: the bindings that define it (`a.b = 1; a.c = 2;` are two).
pub(super) enum ValueDef<'a> {
    Bindings(Vec<&'a Binding>),
    /// `inherit x;` (from the enclosing scope) or `inherit (e) x;`.
    Inherit {
        from: Option<&'a Expr>,
        span: Span,
    },
}

/// What name resolution found in the text being checked (the file, or a field default,
/// which is resolved on its own: only global names are visible there), and the frames of
/// its scopes being walked.
pub(super) struct Resolved<'a> {
    pub names: Cow<'a, NameResolution>,
    /// The definition whose name is written at an offset.
    defs: HashMap<u32, DefId>,
    /// The `with` scope of a body, by the body's span.
    withs: HashMap<(u32, u32), ScopeId>,
    /// The frames of each scope being walked, innermost walk last.
    frames: HashMap<ScopeId, Vec<Rc<Frame<'a>>>>,
}

impl<'a> Resolved<'a> {
    pub fn new(names: Cow<'a, NameResolution>) -> Self {
        let mut defs = HashMap::default();
        for (index, definition) in names.definitions.iter().enumerate() {
            for span in &definition.spans {
                defs.insert(span.start, DefId(index as u32));
            }
        }
        let withs = names
            .scopes
            .iter()
            .enumerate()
            .filter(|(_, scope)| matches!(scope.kind, names::ScopeKind::With { .. }))
            .map(|(index, scope)| ((scope.span.start, scope.span.end), ScopeId(index as u32)))
            .collect();
        Resolved {
            names,
            defs,
            withs,
            frames: HashMap::default(),
        }
    }

    /// The frame of the innermost walk of `scope`.
    pub(super) fn frame(&self, scope: ScopeId) -> Option<Rc<Frame<'a>>> {
        self.frames.get(&scope)?.last().cloned()
    }
}

/// Memo key of a `let`/`rec` definition's type: the frame and the definition.
type MemoKey = (u32, DefId);

pub(super) struct Checker<'a> {
    pub file: FileName,
    pub host: &'a dyn TypeHost,
    /// What each name refers to, and the frames of the scopes being walked.
    pub(super) resolved: Resolved<'a>,
    /// The number of frames made so far (the next frame's id).
    frames_made: u32,
    /// References to a definition whose scope had no frame: always 0, unless the walk and
    /// name resolution disagree (the tests check it).
    pub(super) missing_frames: u32,
    pub diagnostics: Vec<Diagnostic>,
    /// The lowered type of every annotation, by the start of its type expression.
    pub annotations: HashMap<u32, Type>,
    /// The type of every name where it is defined (for hover), by the name's span start.
    pub definitions: HashMap<u32, Type>,
    memo: HashMap<MemoKey, Type>,
    in_progress: HashSet<MemoKey>,
    pub(super) type_memo: RefCell<HashMap<usize, Type>>,
    pub(super) type_in_progress: RefCell<HashSet<usize>>,
    /// Inside a record field's default, where only global names may be used.
    pub(super) in_default: u32,
    /// Where the type being checked against was declared, innermost last: the second
    /// label of a mismatch ("expected because of this").
    pub(super) expected_from: Vec<Site>,
    /// Every attribute set checked against a record type, with that type: what completion
    /// offers inside it.
    pub records: Vec<(Span, Arc<Record>)>,
    /// Every attribute name checked against a declared field: what hover shows and where
    /// go-to-definition leads.
    pub keys: Vec<(Span, Field)>,
    /// Unannotated parameters being inferred from their uses (by the start of the name),
    /// with what each use demands of them.
    inferring: HashMap<u32, Vec<Type>>,
    /// Inside a branch (`if`, the right of `&&`/`||`, `or` defaults): uses there may be
    /// guarded by a type test, so they demand nothing.
    conditional: u32,
    /// Let-bound values being checked through a name (by the start of the value), so that
    /// names bound to each other do not loop (`flow`).
    pub(super) flowing: HashSet<u32>,
    /// Every diagnostic reported so far, to report each once.
    reported: HashSet<Diagnostic>,
}

/// One attribute of a set being built: its remaining path and value.
pub(super) struct Def<'a> {
    pub path: &'a [AttrName],
    pub value: &'a Expr,
    pub binding: &'a Binding,
}

impl<'a> Checker<'a> {
    pub fn new(file: FileName, host: &'a dyn TypeHost, names: &'a NameResolution) -> Self {
        Checker {
            file,
            host,
            resolved: Resolved::new(Cow::Borrowed(names)),
            frames_made: 0,
            missing_frames: 0,
            diagnostics: Vec::new(),
            annotations: HashMap::default(),
            definitions: HashMap::default(),
            memo: HashMap::default(),
            in_progress: HashSet::default(),
            type_memo: RefCell::new(HashMap::default()),
            type_in_progress: RefCell::new(HashSet::default()),
            in_default: 0,
            expected_from: Vec::new(),
            records: Vec::new(),
            keys: Vec::new(),
            inferring: HashMap::default(),
            conditional: 0,
            flowing: HashSet::default(),
            reported: HashSet::default(),
        }
    }

    pub(super) fn site(&self, span: Span) -> Site {
        Site {
            file: self.file.clone(),
            span,
        }
    }

    pub(super) fn error(&mut self, diagnostic: Diagnostic) {
        // A value checked through a name as well as typed where it is written may show the
        // same problem twice.
        if self.reported.insert(diagnostic.clone()) {
            self.diagnostics.push(diagnostic);
        }
    }
}

/// The record a value checked against `expected` must be: the type itself, or the record
/// member of `Record?`.
pub(super) fn expected_record(expected: &Type) -> Option<Arc<Record>> {
    match expected.shape() {
        Type::Record(record) => Some(record.clone()),
        Type::Union(members) => {
            let mut records = members.iter().filter_map(|m| m.as_record());
            let record = records.next()?;
            records.next().is_none().then(|| record.clone())
        }
        _ => None,
    }
}
