//! Which attributes an expression has, read from the source alone (no evaluation, no
//! types): a set literal, a `let ... in { }`, a variable bound to one, `import ./file.mlc`
//! or `import <module>` whose file is one, a selection from one, `a // b`, or the `@` name
//! of a function pattern. Best effort: anything computed (`mapAttrs`, a function call)
//! has no known attributes.
//!
//! A [`SetView`] is the list of bindings that build a set, possibly across files, so that
//! `a = { x = 1; }; a.y = 2;` and nested paths (`a.b.c = 1;`) merge as Nix merges them.

use mlc::db::{imports, name_resolution, parse, Db, ImportTarget, SourceFile};
use mlc::names::{DefId, DefKind, RefKind, Resolution};
use mlc::syntax::walk::{is_import_function, strip_parens};
use mlc::syntax::{
    AttrName, BinaryOp, Binding, BindingKind, Expr, ExprKind, Param, PatField, Span,
};

use super::tree::{expr_at, static_name as static_text};

/// How far definitions are followed: enough for real code, and a stop for `let a = a.x;`.
const MAX_DEPTH: u32 = 24;

/// A span in some file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileSpan {
    pub file: SourceFile,
    pub span: Span,
}

/// The bindings (and pattern fields) that make up one attribute set.
#[derive(Clone, Debug, Default)]
pub struct SetView<'db> {
    entries: Vec<Entry<'db>>,
}

#[derive(Clone, Copy, Debug)]
enum Entry<'db> {
    /// A binding whose path's first `depth` names lead to this set.
    Binding {
        file: SourceFile,
        binding: &'db Binding,
        depth: usize,
    },
    /// A field of a function pattern (the set is the function's argument).
    Field {
        file: SourceFile,
        field: &'db PatField,
    },
}

/// One attribute of a [`SetView`]: everywhere it is defined and what its value is made of.
#[derive(Clone, Debug, Default)]
pub struct Attr<'db> {
    /// The attribute's name as written at each definition.
    pub defs: Vec<FileSpan>,
    /// The whole binding (or field) of each definition, for documentation.
    pub bindings: Vec<FileSpan>,
    sources: Vec<Source<'db>>,
    nested: Vec<Entry<'db>>,
}

/// Where an attribute's value comes from.
#[derive(Clone, Copy, Debug)]
enum Source<'db> {
    Expr(SourceFile, &'db Expr),
    /// `inherit x;`: the value of the name `x` at this span.
    Inherited(SourceFile, Span),
    /// `inherit (from) x;`
    Member(SourceFile, &'db Expr, &'db str),
}

/// One attribute name of a set, for completion and outlines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub def: FileSpan,
    pub binding: FileSpan,
}

/// The analysis, over one database snapshot.
#[derive(Clone, Copy)]
pub struct Sets<'db> {
    pub db: &'db dyn Db,
}

impl<'db> Sets<'db> {
    pub fn new(db: &'db dyn Db) -> Self {
        Sets { db }
    }

    /// The set `expr` (in `file`) evaluates to, if the source says.
    pub fn set_of(&self, file: SourceFile, expr: &'db Expr) -> Option<SetView<'db>> {
        self.set_of_depth(file, expr, 0)
    }

    fn set_of_depth(&self, file: SourceFile, expr: &'db Expr, depth: u32) -> Option<SetView<'db>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let expr = strip_parens(expr);
        match &expr.kind {
            ExprKind::AttrSet { bindings, .. } => Some(self.bindings_view(file, bindings)),
            ExprKind::Let { body, .. }
            | ExprKind::With { body, .. }
            | ExprKind::Assert { body, .. } => self.set_of_depth(file, body, depth + 1),
            ExprKind::Var(_) => {
                let names = name_resolution(self.db, file);
                let reference = names.references.iter().find(|r| r.span == expr.span)?;
                match reference.resolution {
                    Resolution::Local(def) => self.set_of_def(file, def, depth + 1),
                    _ => None,
                }
            }
            ExprKind::Apply { func, arg } if is_import_function(func) => {
                let target = self.import_target(file, strip_parens(arg).span)?;
                let root: &'db Expr = &parse(self.db, target).root;
                self.set_of_depth(target, root, depth + 1)
            }
            ExprKind::Select {
                expr: receiver,
                path,
                default: None,
            } => {
                let mut view = self.set_of_depth(file, receiver, depth + 1)?;
                for name in path {
                    let name = static_text(name)?;
                    view = self
                        .lookup_depth(&view, name, depth + 1)?
                        .set_depth(self, depth + 1)?;
                }
                Some(view)
            }
            ExprKind::Binary {
                op: BinaryOp::Update,
                lhs,
                rhs,
                ..
            } => {
                let left = self.set_of_depth(file, lhs, depth + 1);
                let right = self.set_of_depth(file, rhs, depth + 1);
                match (left, right) {
                    (None, None) => None,
                    (left, right) => {
                        let mut entries = left.map(|v| v.entries).unwrap_or_default();
                        entries.extend(right.map(|v| v.entries).unwrap_or_default());
                        Some(SetView { entries })
                    }
                }
            }
            _ => None,
        }
    }

    /// The bindings of a `let` or set seen as a set (what a `let`'s names make up).
    pub fn bindings_view(&self, file: SourceFile, bindings: &'db [Binding]) -> SetView<'db> {
        SetView {
            entries: bindings
                .iter()
                .map(|binding| Entry::Binding {
                    file,
                    binding,
                    depth: 0,
                })
                .collect(),
        }
    }

    /// The file that the import path literal at `span` in `file` names.
    pub fn import_target(&self, file: SourceFile, span: Span) -> Option<SourceFile> {
        imports(self.db, file)
            .iter()
            .find(|import| import.span == span)
            .and_then(|import| match import.target {
                ImportTarget::File(target) => Some(target),
                ImportTarget::UnknownModule => None,
            })
    }

    /// The set a definition of `file` is bound to.
    pub fn set_of_def(&self, file: SourceFile, def: DefId, depth: u32) -> Option<SetView<'db>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let names = name_resolution(self.db, file);
        let definition = names.definition(def);
        match definition.kind {
            DefKind::Param | DefKind::PatField => None,
            DefKind::PatBind => {
                let lambda = self.owner_expr(file, definition.scope)?;
                let ExprKind::Lambda { param, .. } = &lambda.kind else {
                    return None;
                };
                let Param::Pattern { fields, .. } = &**param else {
                    return None;
                };
                Some(SetView {
                    entries: fields
                        .iter()
                        .map(|field| Entry::Field { file, field })
                        .collect(),
                })
            }
            DefKind::Let { .. } | DefKind::RecAttr { .. } => {
                // The scope's own bindings, seen as a set: the definition is one attribute.
                let owner = self.owner_expr(file, definition.scope)?;
                let bindings = match &owner.kind {
                    ExprKind::Let { bindings, .. } | ExprKind::AttrSet { bindings, .. } => bindings,
                    _ => return None,
                };
                let view = self.bindings_view(file, bindings);
                self.lookup_depth(&view, &definition.name, depth + 1)?
                    .set_depth(self, depth + 1)
            }
        }
    }

    /// The expression that creates scope `scope` of `file` (a `let`, `rec` set or lambda).
    pub fn owner_expr(&self, file: SourceFile, scope: mlc::names::ScopeId) -> Option<&'db Expr> {
        let names = name_resolution(self.db, file);
        let root: &'db Expr = &parse(self.db, file).root;
        expr_at(root, names.scope(scope).span)
    }

    /// The attribute `name` of `view`.
    pub fn lookup(&self, view: &SetView<'db>, name: &str) -> Option<Attr<'db>> {
        self.lookup_depth(view, name, 0)
    }

    fn lookup_depth(&self, view: &SetView<'db>, name: &str, depth: u32) -> Option<Attr<'db>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut attr = Attr::default();
        for entry in &view.entries {
            match *entry {
                Entry::Field { file, field } => {
                    if &*field.name == name {
                        attr.defined(file, field.span, field.span);
                    }
                }
                Entry::Binding {
                    file,
                    binding,
                    depth: at,
                } => match &binding.kind {
                    BindingKind::Attr { path, value } => {
                        let Some(component) = path.get(at) else {
                            continue;
                        };
                        if static_text(component) != Some(name) {
                            continue;
                        }
                        attr.defined(file, component.span, binding.span);
                        if path.len() == at + 1 {
                            attr.sources.push(Source::Expr(file, value));
                        } else {
                            attr.nested.push(Entry::Binding {
                                file,
                                binding,
                                depth: at + 1,
                            });
                        }
                    }
                    BindingKind::Inherit { from, names } if at == 0 => {
                        for written in names.iter().filter(|n| static_text(n) == Some(name)) {
                            attr.defined(file, written.span, binding.span);
                            attr.sources.push(match from {
                                Some(from) => Source::Member(file, from, static_str(written)),
                                None => Source::Inherited(file, written.span),
                            });
                        }
                    }
                    BindingKind::Inherit { .. } | BindingKind::TypeDecl { .. } => {}
                },
            }
        }
        (!attr.defs.is_empty()).then_some(attr)
    }

    /// Every attribute name of `view`, each once, in the order first written.
    pub fn members(&self, view: &SetView<'db>) -> Vec<Member> {
        let mut out: Vec<Member> = Vec::new();
        let mut push = |name: &str, def: FileSpan, binding: FileSpan| {
            if !name.is_empty() && !out.iter().any(|m| m.name == name) {
                out.push(Member {
                    name: name.to_string(),
                    def,
                    binding,
                });
            }
        };
        for entry in &view.entries {
            match *entry {
                Entry::Field { file, field } => {
                    let at = FileSpan {
                        file,
                        span: field.span,
                    };
                    push(&field.name, at, at);
                }
                Entry::Binding {
                    file,
                    binding,
                    depth,
                } => {
                    let whole = FileSpan {
                        file,
                        span: binding.span,
                    };
                    let names: Vec<&AttrName> = match &binding.kind {
                        BindingKind::Attr { path, .. } => path.get(depth).into_iter().collect(),
                        BindingKind::Inherit { names, .. } if depth == 0 => names.iter().collect(),
                        BindingKind::Inherit { .. } | BindingKind::TypeDecl { .. } => Vec::new(),
                    };
                    for name in names {
                        if let Some(text) = static_text(name) {
                            let def = FileSpan {
                                file,
                                span: name.span,
                            };
                            push(text, def, whole);
                        }
                    }
                }
            }
        }
        out
    }
}

impl<'db> Attr<'db> {
    /// Records one definition: the name written at `name`, in the binding at `binding`.
    fn defined(&mut self, file: SourceFile, name: Span, binding: Span) {
        self.defs.push(FileSpan { file, span: name });
        self.bindings.push(FileSpan {
            file,
            span: binding,
        });
    }

    /// The set this attribute's value is, when the source says.
    pub fn set(&self, sets: &Sets<'db>) -> Option<SetView<'db>> {
        self.set_depth(sets, 0)
    }

    fn set_depth(&self, sets: &Sets<'db>, depth: u32) -> Option<SetView<'db>> {
        let mut entries = self.nested.clone();
        let mut known = !entries.is_empty();
        for source in &self.sources {
            let view = match *source {
                Source::Expr(file, expr) => sets.set_of_depth(file, expr, depth + 1),
                Source::Inherited(file, span) => {
                    let names = name_resolution(sets.db, file);
                    names
                        .references
                        .iter()
                        .find(|r| r.span == span && matches!(r.kind, RefKind::Inherit { .. }))
                        .and_then(|reference| match reference.resolution {
                            Resolution::Local(def) => sets.set_of_def(file, def, depth + 1),
                            _ => None,
                        })
                }
                Source::Member(file, from, name) => sets
                    .set_of_depth(file, from, depth + 1)
                    .and_then(|view| sets.lookup_depth(&view, name, depth + 1))
                    .and_then(|attr| attr.set_depth(sets, depth + 1)),
            };
            if let Some(view) = view {
                known = true;
                entries.extend(view.entries);
            }
        }
        known.then_some(SetView { entries })
    }

    /// Whether `other` is the same attribute (they share a definition).
    pub fn same_as(&self, other: &Attr<'_>) -> bool {
        self.defs.iter().any(|def| other.defs.contains(def))
    }
}

fn static_str(name: &AttrName) -> &str {
    static_text(name).unwrap_or_default()
}
