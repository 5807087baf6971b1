//! Completion of names: variables in scope (`let`, lambda parameters, `rec` attributes,
//! attributes of `with` sets the source shows), global builtins and keywords; after a dot,
//! the attributes of the receiver (`builtins.` members, sets the source shows).
//!
//! The receiver of `a.b.` is read from the text before the cursor, and the scope from the
//! error-tolerant parse, so completion works in code that does not parse yet (a missing
//! `;`, `}` or `in` while typing).
//!
//! Extension point: [`CompletionSource`]. The syntactic source here knows only what the
//! source shows; the type checker plugs in a source that knows the fields of a record type
//! (`mlflow.deployment { <here> }`, `config.server.<here>`) by implementing the trait and
//! listing it in `sources` before [`Syntactic`].

use rustc_hash::FxHashSet;
use std::sync::LazyLock;

use mlc::builtins::{self, global_names, names as builtin_names};
use mlc::db::{name_resolution, parse, Db, SourceFile};
use mlc::names::{DefKind, Resolution, ScopeKind};
use mlc::syntax::{Expr, ExprKind};

use super::sets::{Member, Sets};
use super::tree::{ancestors_at, expr_at};

/// One thing to offer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub label: String,
    pub kind: CandidateKind,
    /// One line shown next to the label (a builtin's signature, where a name comes from).
    pub detail: Option<String>,
    /// Longer documentation (markdown).
    pub documentation: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CandidateKind {
    Variable,
    Parameter,
    /// A builtin function.
    Function,
    /// An attribute of a set.
    Attribute,
    /// `builtins`.
    Namespace,
    Keyword,
    /// A standard library module name after `import <`.
    Module,
    /// A `.mlc` file after `import ./`.
    File,
    /// A directory after `import ./` (the label ends in `/`).
    Folder,
}

/// What the cursor is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Position {
    /// After `a.b.`: the receiver's names, as written.
    Member { chain: Vec<String> },
    /// Where a binding's name goes, in the set or `let` whose span starts at `owner`.
    Key { owner: u32 },
    /// Where an expression goes.
    Expression,
}

/// What a completion source is asked.
pub struct Query<'a> {
    pub db: &'a dyn Db,
    pub file: SourceFile,
    /// Where the cursor is.
    pub offset: u32,
    /// Where to look the scope up: the cursor moved back over the word being typed and
    /// the white space before it (the tree's spans end at the last token, so a cursor after
    /// trailing spaces of unfinished code is outside them).
    pub scope_offset: u32,
}

/// A source of completions for member and key positions. Return `None` to let the next
/// source answer.
pub trait CompletionSource {
    fn members(&self, query: &Query<'_>, chain: &[String]) -> Option<Vec<Candidate>>;
    fn keys(&self, query: &Query<'_>, owner: u32) -> Option<Vec<Candidate>>;
}

/// The candidates and the byte offset where the replaced word starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub start: u32,
    pub items: Vec<Candidate>,
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'\'' | b'-')
}

/// The start of the identifier that ends at `offset`.
fn word_start(text: &[u8], offset: usize) -> usize {
    let mut start = offset;
    while start > 0 && is_ident_byte(text[start - 1]) {
        start -= 1;
    }
    start
}

/// What the cursor at `offset` is in.
pub fn position_at(root: &Expr, text: &str, offset: u32) -> Position {
    let bytes = text.as_bytes();
    let offset = (offset as usize).min(bytes.len());
    let start = word_start(bytes, offset);
    if start > 0 && bytes[start - 1] == b'.' {
        let mut chain = Vec::new();
        let mut end = start - 1;
        loop {
            let segment_start = word_start(bytes, end);
            if segment_start == end {
                break;
            }
            chain.push(text[segment_start..end].to_string());
            if segment_start > 0 && bytes[segment_start - 1] == b'.' {
                end = segment_start - 1;
            } else {
                break;
            }
        }
        chain.reverse();
        return Position::Member { chain };
    }
    // Inside the bindings of a set or `let` but in no value: a key goes here. A key being
    // typed (`sto` with no `=` yet) parses as a binding whose value is an empty error node
    // at the cursor: that node is no value the user wrote, so its set is the owner.
    let innermost = ancestors_at(root, offset as u32)
        .into_iter()
        .rev()
        .find(|expr| !matches!(expr.kind, ExprKind::Error));
    if let Some(owner) = innermost {
        if let ExprKind::AttrSet { bindings, .. } | ExprKind::Let { bindings, .. } = &owner.kind {
            let body_start = match &owner.kind {
                ExprKind::Let { body, .. } => body.span.start as usize,
                _ => usize::MAX,
            };
            // After `=` in the binding being written, a value goes here.
            let binding = bindings
                .iter()
                .rev()
                .find(|b| (b.span.start as usize) <= start);
            let after_equals = binding.is_some_and(|b| {
                text.get(b.span.start as usize..start)
                    .is_some_and(|written| {
                        written.contains('=') && !written.trim_end().ends_with(';')
                    })
            });
            let after_in = text
                .get(..start)
                .is_some_and(|before| before.trim_end().ends_with(" in") || start >= body_start);
            if !after_equals && !after_in {
                return Position::Key {
                    owner: owner.span.start,
                };
            }
        }
    }
    Position::Expression
}

/// The completion sources, asked in order for attributes and keys: the type checker's
/// first.
fn sources() -> [&'static dyn CompletionSource; 2] {
    [&super::typed::Typed, &Syntactic]
}

/// Every completion at `offset` of `file` (at database path `path`): an import path being
/// typed, a literal union's values inside a string, else names, attributes and keys.
pub fn completions(db: &dyn Db, file: SourceFile, path: &str, offset: u32) -> Completion {
    let text = file.source_text(db);
    if let Some(found) = super::import_context::import_completion(db, path, &text, offset) {
        return found;
    }
    if let Some((start, items)) = super::typed::union_values(db, file, offset) {
        return Completion { start, items };
    }
    complete(db, file, &text, offset, &sources())
}

/// Completions at `offset` of `file` (whose text is `text`), asking `sources` in order for
/// member and key positions.
pub fn complete(
    db: &dyn Db,
    file: SourceFile,
    text: &str,
    offset: u32,
    sources: &[&dyn CompletionSource],
) -> Completion {
    let parsed = parse(db, file);
    let root: &Expr = &parsed.root;
    let in_comment = parsed
        .comments
        .iter()
        .any(|c| c.span.start < offset && offset <= c.span.end);
    if in_comment || in_string_text(root, offset) {
        return Completion {
            start: offset,
            items: Vec::new(),
        };
    }
    let position = position_at(root, text, offset);
    let start = word_start(text.as_bytes(), (offset as usize).min(text.len()));
    let scope_offset = if start < offset as usize {
        start
    } else {
        text.get(..start)
            .map_or(start, |before| before.trim_end().len())
    };
    let start = start as u32;
    let query = Query {
        db,
        file,
        offset,
        scope_offset: scope_offset as u32,
    };
    let items = match &position {
        Position::Member { chain } => sources
            .iter()
            .find_map(|source| source.members(&query, chain))
            .unwrap_or_default(),
        Position::Key { owner } => sources
            .iter()
            .find_map(|source| source.keys(&query, *owner))
            .unwrap_or_default(),
        Position::Expression => expression_candidates(db, file, query.scope_offset),
    };
    Completion { start, items }
}

/// Whether `offset` is in the literal text of a string (not in an interpolation).
fn in_string_text(root: &Expr, offset: u32) -> bool {
    ancestors_at(root, offset).last().is_some_and(|expr| {
        matches!(expr.kind, ExprKind::Str { .. })
            && expr.span.start < offset
            && offset < expr.span.end
    })
}

/// Names that can start an expression at `offset`.
fn expression_candidates(db: &dyn Db, file: SourceFile, offset: u32) -> Vec<Candidate> {
    let root: &Expr = &parse(db, file).root;
    let names = name_resolution(db, file);
    let scope = names.scope_at(offset);
    let visible = names.visible(scope);
    // Whether a name is offered already: bound by a scope around (each a hash lookup: a
    // file can have thousands of names in scope), or by an inner `with` set.
    let in_scope = |name: &str| {
        names
            .ancestors(scope)
            .any(|id| names.scope(id).names.contains_key(name))
    };
    let mut from_inner_with: FxHashSet<&str> = FxHashSet::default();
    // Room for the globals and keywords too, so thousands of items are not moved again.
    let mut items: Vec<Candidate> =
        Vec::with_capacity(visible.len() + GLOBALS.len() + KEYWORDS.len());
    items.extend(visible.iter().map(|(name, def)| {
        let kind = names.definition(*def).kind;
        Candidate {
            label: name.to_string(),
            kind: if kind.is_parameter() {
                CandidateKind::Parameter
            } else {
                CandidateKind::Variable
            },
            detail: Some(
                match kind {
                    DefKind::Let { .. } => "let binding",
                    DefKind::RecAttr { .. } => "attribute of this rec set",
                    DefKind::Param | DefKind::PatBind => "function argument",
                    DefKind::PatField => "field of the function's argument",
                }
                .to_string(),
            ),
            documentation: None,
        }
    }));
    // Attributes of `with` sets the source shows, innermost first, unless shadowed.
    let sets = Sets::new(db);
    let mut from_with = Vec::new();
    for with in names.enclosing_withs(scope) {
        let ScopeKind::With { scope: set } = names.scope(with).kind else {
            continue;
        };
        let members = expr_at(root, set)
            .and_then(|set| sets.set_of(file, set))
            .map(|view| sets.members(&view))
            .unwrap_or_default();
        from_with.extend(members);
    }
    for member in &from_with {
        if !in_scope(&member.name) && from_inner_with.insert(&member.name) {
            items.push(attribute(db, member, "from `with`"));
        }
    }
    items.extend(
        GLOBALS
            .iter()
            .filter(|global| {
                !in_scope(&global.label) && !from_inner_with.contains(global.label.as_str())
            })
            .cloned(),
    );
    for keyword in KEYWORDS {
        items.push(Candidate {
            label: keyword.to_string(),
            kind: CandidateKind::Keyword,
            detail: None,
            documentation: None,
        });
    }
    items
}

/// The keywords that can start an expression or follow one.
const KEYWORDS: [&str; 9] = [
    "let", "in", "if", "then", "else", "with", "assert", "rec", "inherit",
];

/// The global names and their candidates, made once: every completion in an expression
/// offers them (looking each builtin's documentation up in the table every time was half
/// of a completion's cost).
static GLOBALS: LazyLock<Vec<Candidate>> =
    LazyLock::new(|| global_names().into_iter().map(builtin).collect());

fn builtin(name: &str) -> Candidate {
    let (kind, detail, documentation) = match name {
        "builtins" => (
            CandidateKind::Namespace,
            Some("the builtin functions".to_string()),
            None,
        ),
        _ => {
            let doc = builtins::doc(name);
            let kind = if matches!(name, "true" | "false" | "null") {
                CandidateKind::Keyword
            } else {
                CandidateKind::Function
            };
            (
                kind,
                doc.map(|(signature, _)| signature.to_string()),
                doc.map(|(_, text)| text.to_string()),
            )
        }
    };
    Candidate {
        label: name.to_string(),
        kind,
        detail,
        documentation,
    }
}

fn attribute(db: &dyn Db, member: &Member, detail: &str) -> Candidate {
    let text = member.binding.file.source_text(db);
    let comments = &parse(db, member.binding.file).comments;
    Candidate {
        label: member.name.clone(),
        kind: CandidateKind::Attribute,
        detail: Some(detail.to_string()),
        documentation: mlc::syntax::doc_comment(comments, &text, member.binding.span.start),
    }
}

/// Completions from the source alone: `builtins.` members, attributes of sets that
/// variables are bound to (through `let`, `rec`, imports and `with`). No keys.
pub struct Syntactic;

impl CompletionSource for Syntactic {
    fn members(&self, query: &Query<'_>, chain: &[String]) -> Option<Vec<Candidate>> {
        let (first, rest) = chain.split_first()?;
        let db = query.db;
        let names = name_resolution(db, query.file);
        let scope = names.scope_at(query.scope_offset);
        let resolution = names.lookup(scope, first);
        if resolution == Resolution::Global && first == "builtins" && rest.is_empty() {
            let mut items: Vec<Candidate> = builtin_names().into_iter().map(builtin).collect();
            items.extend(["true", "false", "null"].map(builtin));
            return Some(items);
        }
        let sets = Sets::new(db);
        let mut view = match resolution {
            Resolution::Local(def) => sets.set_of_def(query.file, def, 0)?,
            Resolution::With(with) => {
                let ScopeKind::With { scope: set } = names.scope(with).kind else {
                    return None;
                };
                let root: &Expr = &parse(db, query.file).root;
                let set = expr_at(root, set)?;
                let with_view = sets.set_of(query.file, set)?;
                sets.lookup(&with_view, first)?.set(&sets)?
            }
            Resolution::Global | Resolution::Unbound => return None,
        };
        for name in rest {
            view = sets.lookup(&view, name)?.set(&sets)?;
        }
        let detail = format!("attribute of `{}`", chain.join("."));
        Some(
            sets.members(&view)
                .iter()
                .map(|member| attribute(db, member, &detail))
                .collect(),
        )
    }

    fn keys(&self, _query: &Query<'_>, _owner: u32) -> Option<Vec<Candidate>> {
        // Which keys a set may have is a question of types: the type checker's source
        // answers it.
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{fixture, single, Fixture};

    fn labels(f: &Fixture) -> Vec<String> {
        complete(&f.db, f.file, &f.text, f.offset, &[&Syntactic])
            .items
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    fn has(f: &Fixture, wanted: &[&str]) {
        let got = labels(f);
        for w in wanted {
            assert!(got.iter().any(|g| g == w), "`{w}` missing from {got:?}");
        }
    }

    #[test]
    fn names_in_scope_and_builtins() {
        let f = single("let port = 1; f = { host, ... }@args: ho$0; in f");
        has(
            &f,
            &[
                "port", "f", "host", "args", "map", "toString", "builtins", "import",
            ],
        );
        let f = single("let a = 1; in x: $0");
        has(&f, &["a", "x", "true"]);
        // Names of an inner scope are not offered outside it.
        let f = single("[ (x: x) $0 ]");
        assert!(!labels(&f).contains(&"x".to_string()));
    }

    #[test]
    fn completion_in_incomplete_code() {
        // No `;`, no `in`: the parse still has the `let` and its scope.
        let f = single("let port = 1;\n  other = po$0");
        has(&f, &["port", "other"]);
        // An unclosed set inside a `let`.
        let f = single("let port = 1; in { a = $0");
        has(&f, &["port"]);
        let f = single("let s = { a = 1; b = 2; }; in { x = s.$0");
        assert_eq!(labels(&f), ["a", "b"]);
    }

    #[test]
    fn members_of_builtins_sets_imports_and_with() {
        let f = single("builtins.ma$0");
        has(&f, &["map", "mapAttrs", "attrNames", "foldl'", "true"]);
        let f = fixture(&[
            (
                "/fx/main.mlc",
                "let lib = import ./lib.mlc; in lib.helpers.$0",
            ),
            (
                "/fx/lib.mlc",
                "{ helpers = {\n  # Says hello.\n  greet = 1;\n  inherit (x) y; }; }",
            ),
        ]);
        let items = complete(&f.db, f.file, &f.text, f.offset, &[&Syntactic]).items;
        let greet = items.iter().find(|c| c.label == "greet");
        assert_eq!(
            greet.and_then(|c| c.documentation.clone()).as_deref(),
            Some("Says hello.")
        );
        assert_eq!(items.len(), 2);
        let f = single("with { alpha = 1; }; al$0");
        has(&f, &["alpha"]);
        let f = single("args@{ port, ... }: args.$0");
        assert_eq!(labels(&f), ["port"]);
    }

    #[test]
    fn nothing_in_comments_and_strings() {
        assert!(labels(&single("# a com$0ment\n1")).is_empty());
        assert!(labels(&single("\"te$0xt\"")).is_empty());
        assert!(!labels(&single("let a = 1; in \"${a$0}\"")).is_empty());
    }

    #[test]
    fn key_positions_offer_only_what_a_source_knows() {
        let f = single("let x = 1; in { $0 }");
        assert_eq!(
            position_at(&parse(&f.db, f.file).root, &f.text, f.offset),
            Position::Key { owner: 14 }
        );
        assert!(labels(&f).is_empty());
        struct Keys;
        impl CompletionSource for Keys {
            fn members(&self, _: &Query<'_>, _: &[String]) -> Option<Vec<Candidate>> {
                None
            }
            fn keys(&self, _: &Query<'_>, _: u32) -> Option<Vec<Candidate>> {
                Some(vec![Candidate {
                    label: "typed".to_string(),
                    kind: CandidateKind::Attribute,
                    detail: None,
                    documentation: None,
                }])
            }
        }
        let items = complete(&f.db, f.file, &f.text, f.offset, &[&Keys, &Syntactic]).items;
        assert_eq!(items.len(), 1);
    }
}
