//! Runtime values of one evaluation: lazily evaluated thunks, attribute sets, closures and
//! partially applied builtins. `'a` is the lifetime of the syntax trees being evaluated.
//!
//! Values use `Rc` and `RefCell` (one evaluation runs on one thread); the thread-safe,
//! fully forced form handed to other stages is [`super::Data`].

use super::builtins::Builtin;
use crate::syntax::{Expr, Param, Span};
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Index of a file in the evaluation's file table.
pub type FileId = u32;

/// Where a value or error comes from: a file and a span in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Site {
    pub file: FileId,
    pub span: Span,
}

#[derive(Clone)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(Rc<str>),
    Path(Rc<str>),
    List(Rc<Vec<Thunk<'a>>>),
    Attrs(Rc<Attrs<'a>>),
    Lambda(Rc<Lambda<'a>>),
    Builtin(Rc<BuiltinApp<'a>>),
}

impl Value<'_> {
    /// The type's name as `builtins.typeOf` says it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::String(_) => "string",
            Value::Path(_) => "path",
            Value::List(_) => "list",
            Value::Attrs(_) => "set",
            Value::Lambda(_) | Value::Builtin(_) => "lambda",
        }
    }

    /// The type's name in messages ("a string", "an integer").
    pub fn described(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a Boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::String(_) => "a string",
            Value::Path(_) => "a path",
            Value::List(_) => "a list",
            Value::Attrs(_) => "an attribute set",
            Value::Lambda(_) | Value::Builtin(_) => "a function",
        }
    }
}

/// An attribute set: names in sorted order, each with a lazily evaluated value, in one
/// exact-size slice (a `BTreeMap` node took 280 bytes even for a set of two names, and most
/// sets are small and never change); found by binary search.
#[derive(Default)]
pub struct Attrs<'a> {
    entries: Box<[(Rc<str>, Thunk<'a>)]>,
}

impl<'a> Attrs<'a> {
    /// A set of `entries`, which must be sorted by name without duplicates.
    pub fn from_sorted(entries: Vec<(Rc<str>, Thunk<'a>)>) -> Self {
        debug_assert!(entries.windows(2).all(|pair| pair[0].0 < pair[1].0));
        Attrs {
            entries: entries.into_boxed_slice(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Thunk<'a>> {
        let name = name.as_bytes();
        self.entries
            .binary_search_by(|(key, _)| compare_names(key.as_bytes(), name))
            .ok()
            .map(|index| &self.entries[index].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The names and values, in name order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Rc<str>, &Thunk<'a>)> {
        self.entries.iter().map(|(key, value)| (key, value))
    }

    pub fn keys(&self) -> impl ExactSizeIterator<Item = &Rc<str>> + use<'_, 'a> {
        self.entries.iter().map(|(key, _)| key)
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = &Thunk<'a>> {
        self.entries.iter().map(|(_, value)| value)
    }

    /// `self // other`: one merge of two sorted runs, `other` winning on equal names.
    pub fn update(&self, other: &Attrs<'a>) -> Attrs<'a> {
        let (mut left, mut right) = (
            self.entries.iter().peekable(),
            other.entries.iter().peekable(),
        );
        let mut merged = Vec::with_capacity(self.len() + other.len());
        loop {
            let next = match (left.peek(), right.peek()) {
                (Some((a, _)), Some((b, _))) => match a.cmp(b) {
                    std::cmp::Ordering::Less => left.next(),
                    std::cmp::Ordering::Greater => right.next(),
                    std::cmp::Ordering::Equal => {
                        left.next();
                        right.next()
                    }
                },
                (Some(_), None) => left.next(),
                (None, _) => right.next(),
            };
            match next {
                Some(entry) => merged.push(entry.clone()),
                None => break,
            }
        }
        Attrs::from_sorted(merged)
    }

    /// The set with only the names `keep` accepts.
    pub fn filter(&self, mut keep: impl FnMut(&str) -> bool) -> Attrs<'a> {
        Attrs::from_sorted(
            self.entries
                .iter()
                .filter(|(key, _)| keep(key))
                .cloned()
                .collect(),
        )
    }
}

/// Two names in the order of `str` (bytewise). Names are short, and many of a set share a
/// prefix (`server`, `service`, `storage`): the first eight bytes are compared as one
/// big-endian word, the rest of a short name byte by byte, cheaper than a call to
/// `memcmp`; a long one is left to `memcmp`.
#[inline]
pub(super) fn compare_names(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    const SHORT: usize = 16;
    const WORD: usize = 8;
    let common = a.len().min(b.len());
    if common > SHORT {
        return a.cmp(b);
    }
    let mut start = 0;
    if let (Some(x), Some(y)) = (a.first_chunk::<WORD>(), b.first_chunk::<WORD>()) {
        let (x, y) = (u64::from_be_bytes(*x), u64::from_be_bytes(*y));
        if x != y {
            return x.cmp(&y);
        }
        start = WORD;
    }
    for index in start..common {
        if a[index] != b[index] {
            return a[index].cmp(&b[index]);
        }
    }
    a.len().cmp(&b.len())
}

impl<'a> From<BTreeMap<Rc<str>, Thunk<'a>>> for Attrs<'a> {
    fn from(map: BTreeMap<Rc<str>, Thunk<'a>>) -> Self {
        Attrs::from_sorted(map.into_iter().collect())
    }
}

impl<'a> FromIterator<(Rc<str>, Thunk<'a>)> for Attrs<'a> {
    /// Later entries win over earlier ones with the same name, as in a map.
    fn from_iter<I: IntoIterator<Item = (Rc<str>, Thunk<'a>)>>(entries: I) -> Self {
        let mut entries: Vec<_> = entries.into_iter().collect();
        // A stable sort keeps equal names in their order: the last of each run wins.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut unique: Vec<(Rc<str>, Thunk<'a>)> = Vec::with_capacity(entries.len());
        for entry in entries {
            match unique.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => unique.push(entry),
            }
        }
        Attrs::from_sorted(unique)
    }
}

impl<'s, 'a> IntoIterator for &'s Attrs<'a> {
    type Item = (&'s Rc<str>, &'s Thunk<'a>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'s, (Rc<str>, Thunk<'a>)>,
        fn(&'s (Rc<str>, Thunk<'a>)) -> (&'s Rc<str>, &'s Thunk<'a>),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(key, value)| (key, value))
    }
}

/// A function written in the language: its parameter, body and the scope it closes over.
pub struct Lambda<'a> {
    pub param: &'a Param,
    pub body: &'a Expr,
    pub env: Env<'a>,
    pub file: FileId,
    pub span: Span,
}

/// A builtin with the arguments it has received so far.
pub struct BuiltinApp<'a> {
    pub builtin: &'static Builtin,
    pub args: Vec<Thunk<'a>>,
}

/// A value that is computed when first needed, at most once. Once computed, the value is
/// stored in place ([`OnceCell`]) and read by reference: forcing a forced thunk moves
/// nothing. The state beside it (what to compute, or where it was written) is a `Cell`
/// moved out and back while it is evaluated, so no borrow flag is kept, and a thunk takes
/// 64 bytes with its counts.
#[derive(Clone)]
pub struct Thunk<'a>(Rc<ThunkCell<'a>>);

struct ThunkCell<'a> {
    value: OnceCell<Value<'a>>,
    state: Cell<ThunkState<'a>>,
}

pub enum ThunkState<'a> {
    /// An expression to evaluate in a scope.
    Expr {
        expr: &'a Expr,
        env: Env<'a>,
        file: FileId,
    },
    /// A variable (`expr`, written in `file`) whose bound thunk was not computed when this
    /// one was made: that thunk, forced when this one is. Holding the bound thunk rather
    /// than the scope keeps no scope alive and looks nothing up when forced; the place is
    /// the variable's, where the checks' findings point (see `Evaluator::variable`).
    Alias {
        target: Thunk<'a>,
        expr: &'a Expr,
        file: FileId,
    },
    /// A function application deferred by a builtin (`map f xs` elements). Boxed: a
    /// function value and a place are larger than the other states.
    Apply(Box<Application<'a>>),
    /// A value checked against an annotation's type when forced (see `contract`). Boxed:
    /// a type is large, and few thunks carry one.
    Contract(Box<Checked<'a>>),
    /// Being evaluated right now: forcing it again is infinite recursion.
    Forcing { site: Option<Site> },
    /// Computed (the value is in the thunk's cell): where the expression that computed it
    /// was written, kept so that [`super::Data`] and the checks can say where a value came
    /// from.
    Done(Option<Site>),
}

/// `func arg`, applied when the thunk is forced.
pub struct Application<'a> {
    pub func: Value<'a>,
    pub arg: Thunk<'a>,
    pub site: Site,
}

/// A value and the type it is checked against when forced.
pub struct Checked<'a> {
    pub value: Thunk<'a>,
    pub ty: crate::types::Type,
    /// Where the annotation is written.
    pub annotation: Site,
}

impl<'a> ThunkState<'a> {
    /// Where the thunk's expression was written, before or after it was forced.
    pub fn site(&self) -> Option<Site> {
        match self {
            ThunkState::Expr { expr, file, .. } | ThunkState::Alias { expr, file, .. } => {
                Some(Site {
                    file: *file,
                    span: expr.span,
                })
            }
            ThunkState::Apply(application) => Some(application.site),
            ThunkState::Contract(checked) => checked.value.site(),
            ThunkState::Forcing { site } => *site,
            ThunkState::Done(site) => *site,
        }
    }
}

impl<'a> Thunk<'a> {
    pub fn new(state: ThunkState<'a>) -> Self {
        Thunk(Rc::new(ThunkCell {
            value: OnceCell::new(),
            state: Cell::new(state),
        }))
    }

    pub fn value(value: Value<'a>) -> Self {
        Thunk::done_at(value, None)
    }

    /// A value already computed, written at `site`.
    pub fn value_at(value: Value<'a>, site: Site) -> Self {
        Thunk::done_at(value, Some(site))
    }

    fn done_at(value: Value<'a>, site: Option<Site>) -> Self {
        Thunk(Rc::new(ThunkCell {
            value: OnceCell::from(value),
            state: Cell::new(ThunkState::Done(site)),
        }))
    }

    /// `func arg`, applied when forced, at `site`.
    pub fn apply(func: Value<'a>, arg: Thunk<'a>, site: Site) -> Self {
        Thunk::new(ThunkState::Apply(Box::new(Application { func, arg, site })))
    }

    pub fn expr(expr: &'a Expr, env: Env<'a>, file: FileId) -> Self {
        // Literals need no suspension: evaluating them later costs more than now.
        let site = Site {
            file,
            span: expr.span,
        };
        match &expr.kind {
            crate::syntax::ExprKind::Int(n) => Thunk::value_at(Value::Int(*n), site),
            crate::syntax::ExprKind::Float(f) => Thunk::value_at(Value::Float(*f), site),
            _ => Thunk::new(ThunkState::Expr { expr, env, file }),
        }
    }

    /// `value`, checked against `ty` (written at `annotation`) when forced.
    pub fn contract(value: Thunk<'a>, ty: crate::types::Type, annotation: Site) -> Self {
        Thunk::new(ThunkState::Contract(Box::new(Checked {
            value,
            ty,
            annotation,
        })))
    }

    /// Whether the two are one thunk.
    pub fn same(&self, other: &Thunk<'a>) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// A reference to the thunk that does not keep it alive.
    pub fn downgrade(&self) -> WeakThunk<'a> {
        WeakThunk(Rc::downgrade(&self.0))
    }

    /// Lets go of the thunk an alias not forced yet points to (see [`ThunkState::Alias`]),
    /// which breaks a cycle through it (`let x = { a = x; }`: the set holds an alias of
    /// `x`, whose thunk holds the set). Only for the end of an evaluation: forcing the
    /// thunk afterwards is an error.
    pub fn release_alias(&self) {
        let state = self.0.state.replace(ThunkState::Forcing { site: None });
        if let ThunkState::Alias { .. } = state {
            let site = state.site();
            drop(state);
            self.put(ThunkState::Done(site));
        } else {
            self.put(state);
        }
    }

    /// The value, borrowed in place, if it was already computed.
    pub fn ready(&self) -> Option<&Value<'a>> {
        self.0.value.get()
    }

    /// Takes the state out to evaluate it, leaving `Forcing` (with the state's place) in
    /// its stead; returns the state and its place.
    pub fn begin(&self) -> (ThunkState<'a>, Option<Site>) {
        let state = self.0.state.replace(ThunkState::Forcing { site: None });
        let site = state.site();
        self.put(ThunkState::Forcing { site });
        (state, site)
    }

    /// Stores the computed `value`: the thunk is `Done` from now on.
    pub fn finish(&self, value: Value<'a>, site: Option<Site>) {
        // Only `force` finishes a thunk, once: a second value is never offered.
        let _ = self.0.value.set(value);
        self.put(ThunkState::Done(site));
    }

    /// Puts `state` back (after a failed evaluation, so that forcing it again fails again).
    pub fn restore(&self, state: ThunkState<'a>) {
        self.put(state);
    }

    /// Puts `state` in the place of the `Forcing` that [`Thunk::begin`] left.
    fn put(&self, state: ThunkState<'a>) {
        // What is replaced is a `Forcing`, which owns nothing: it is not dropped (the drop
        // would test its variant at run time, on every force).
        std::mem::forget(self.0.state.replace(state));
    }

    /// What `read` makes of the thunk's state. The state is moved out while `read` runs
    /// (`read` cannot reach this thunk: it only sees the state) and back afterwards.
    fn read<T>(&self, read: impl FnOnce(&ThunkState<'a>) -> T) -> T {
        let state = self.0.state.replace(ThunkState::Forcing { site: None });
        let result = read(&state);
        self.0.state.set(state);
        result
    }

    /// The value if it was already computed.
    pub fn done(&self) -> Option<Value<'a>> {
        self.ready().cloned()
    }

    /// Where the thunk's expression was written, before or after it was forced.
    pub fn site(&self) -> Option<Site> {
        self.read(ThunkState::site)
    }
}

/// A thunk held without keeping it alive.
pub struct WeakThunk<'a>(std::rc::Weak<ThunkCell<'a>>);

impl<'a> WeakThunk<'a> {
    pub fn upgrade(&self) -> Option<Thunk<'a>> {
        self.0.upgrade().map(Thunk)
    }
}

/// A lexical scope: a chain of frames, innermost first, as the file's [`super::layout`]
/// numbers them.
pub type Env<'a> = Rc<Scope<'a>>;

pub struct Scope<'a> {
    pub frame: Frame<'a>,
    pub parent: Option<Env<'a>>,
}

pub enum Frame<'a> {
    /// The names bound by a `let`, a `rec` set, a function with a set pattern or the global
    /// scope, in the slots the layout gives them (the names in sorted order). Filled after
    /// creation for recursive scopes (bindings refer to the scope that holds them).
    Slots(RefCell<Vec<Thunk<'a>>>),
    /// The one name of an `x: body` lambda: the most common frame, one slot.
    Param(Thunk<'a>),
    /// `with e;`: names of the set `e`, looked up only when no lexical binding has the name.
    With(Thunk<'a>),
}

impl<'a> Frame<'a> {
    /// What the frame holds in `slot`.
    pub fn slot(&self, slot: u32) -> Option<Thunk<'a>> {
        match self {
            Frame::Slots(slots) => slots.borrow().get(slot as usize).cloned(),
            Frame::Param(thunk) => (slot == 0).then(|| thunk.clone()),
            Frame::With(_) => None,
        }
    }
}

impl<'a> Scope<'a> {
    pub fn slots(parent: Option<Env<'a>>, slots: Vec<Thunk<'a>>) -> Env<'a> {
        Rc::new(Scope {
            frame: Frame::Slots(RefCell::new(slots)),
            parent,
        })
    }

    /// The scope `depth` frames out from this one (0 is this one).
    pub fn outer(&self, depth: u32) -> Option<&Scope<'a>> {
        let mut scope = self;
        for _ in 0..depth {
            scope = scope.parent.as_deref()?;
        }
        Some(scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_as_strs_are() {
        let names = [
            "",
            "a",
            "ab",
            "b",
            "B",
            "aa",
            "a-b",
            "é",
            "z",
            "zz",
            "_",
            "serviceAccountName",
            "serviceAccountNamf",
            "serviceAccount",
            "app.kubernetes.io/name",
            "app.kubernetes.io/instance",
            "abcdefg",
            "abcdefgh",
            "abcdefgi",
            "abcdefghi",
            "abcdefgh\u{0}",
            "abcdefga",
            "storage",
            "storageClass",
        ];
        for a in names {
            for b in names {
                assert_eq!(
                    compare_names(a.as_bytes(), b.as_bytes()),
                    a.cmp(b),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn a_thunk_takes_64_bytes() {
        // One allocation per thunk: its two counts, the value and the state. A larger state
        // (a type held inline, a borrow flag) makes every lazy value of every evaluation
        // larger.
        assert_eq!(std::mem::size_of::<ThunkCell<'_>>(), 48);
        assert_eq!(std::mem::size_of::<ThunkCell<'_>>() + 16, 64);
    }
}
