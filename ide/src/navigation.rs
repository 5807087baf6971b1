//! What the name under the cursor is, where it is defined, and where it is used in the
//! file: the base of go-to-definition, references, rename and hover.

use mlc::db::{imports, name_resolution, parse, Db, ImportTarget, SourceFile};
use mlc::names::{DefId, DefKind, Inherit, RefKind, Resolution, ScopeKind};
use mlc::syntax::{BindingKind, Expr, ExprKind, Span};

use super::sets::{Attr, FileSpan, Sets};
use super::tree::{attr_site_at, attr_sites, expr_at, for_each_expr, static_name, AttrSite};

/// What a name at the cursor stands for.
#[derive(Clone, Debug)]
pub enum Target<'db> {
    /// A binding of this file (and, for attributes of `rec` sets and pattern fields, the
    /// attribute it also is).
    Local(DefId),
    /// A global name such as `map` or `builtins`.
    Global(String),
    /// A name only a `with` can provide; `set` is the `with`'s set, when the source says.
    With {
        name: String,
        attr: Option<Attr<'db>>,
    },
    /// A name nothing binds.
    Unbound(String),
    /// An attribute of a set whose definition the source shows.
    Attr { name: String, attr: Attr<'db> },
    /// An attribute whose set is not known (computed, or a function's argument).
    UnknownAttr(String),
    /// An import path literal, and the file it names.
    Import(SourceFile),
}

/// The target under the cursor and the span of the name written there.
#[derive(Clone, Debug)]
pub struct AtCursor<'db> {
    pub target: Target<'db>,
    pub span: Span,
}

/// What is at byte `offset` of `file`.
pub fn at_cursor(db: &dyn Db, file: SourceFile, offset: u32) -> Option<AtCursor<'_>> {
    let sets = Sets::new(db);
    for import in imports(db, file) {
        if import.span.contains(offset) {
            if let ImportTarget::File(target) = import.target {
                return Some(AtCursor {
                    target: Target::Import(target),
                    span: import.span,
                });
            }
        }
    }
    let names = name_resolution(db, file);
    if let Some(reference) = names.reference_at(offset) {
        let name = reference.name.to_string();
        let target = match reference.resolution {
            Resolution::Local(def) => Target::Local(def),
            Resolution::Global => Target::Global(name),
            Resolution::Unbound => Target::Unbound(name),
            Resolution::With(scope) => {
                let attr = match names.scope(scope).kind {
                    ScopeKind::With { scope: set } => expr_at(&parse(db, file).root, set)
                        .and_then(|set| sets.set_of(file, set))
                        .and_then(|view| sets.lookup(&view, &name)),
                    _ => None,
                };
                Target::With { name, attr }
            }
        };
        return Some(AtCursor {
            target,
            span: reference.span,
        });
    }
    let inherited_from = |def: DefId| names.definition(def).kind.inherit() == Inherit::From;
    if let Some(def) = names
        .definition_at(offset)
        .filter(|&def| !inherited_from(def))
    {
        let span = names
            .definition(def)
            .spans
            .iter()
            .copied()
            .find(|span| span.contains(offset))
            .unwrap_or_default();
        return Some(AtCursor {
            target: Target::Local(def),
            span,
        });
    }
    let site = attr_site_at(&parse(db, file).root, offset)?;
    let name = static_name(site.name())?.to_string();
    let target = match attr_of_site(&sets, file, site) {
        Some(attr) => Target::Attr { name, attr },
        None => Target::UnknownAttr(name),
    };
    Some(AtCursor {
        target,
        span: site.name().span,
    })
}

/// The attribute an attribute name written at `site` refers to or defines.
pub fn attr_of_site<'db>(
    sets: &Sets<'db>,
    file: SourceFile,
    site: AttrSite<'db>,
) -> Option<Attr<'db>> {
    let (mut view, path): (_, Vec<&str>) = match site {
        AttrSite::Select {
            receiver,
            path,
            index,
        } => (
            sets.set_of(file, receiver)?,
            path[..=index]
                .iter()
                .map(static_name)
                .collect::<Option<_>>()?,
        ),
        AttrSite::InheritFrom { from, name } => {
            (sets.set_of(file, from)?, vec![static_name(name)?])
        }
        AttrSite::Binding {
            owner,
            binding,
            index,
        } => {
            let bindings = match &owner.kind {
                ExprKind::AttrSet { bindings, .. } | ExprKind::Let { bindings, .. } => bindings,
                _ => return None,
            };
            let path = match &binding.kind {
                BindingKind::Attr { path, .. } => path[..=index]
                    .iter()
                    .map(static_name)
                    .collect::<Option<_>>()?,
                BindingKind::Inherit { names, .. } => vec![static_name(&names[index])?],
                BindingKind::TypeDecl { .. } => return None,
            };
            (sets.bindings_view(file, bindings), path)
        }
    };
    let (last, init) = path.split_last()?;
    for name in init {
        view = sets.lookup(&view, name)?.set(sets)?;
    }
    sets.lookup(&view, last)
}

/// Where the target is defined (several places for a set built from several bindings).
pub fn definition(db: &dyn Db, file: SourceFile, target: &Target<'_>) -> Vec<FileSpan> {
    match target {
        Target::Local(def) => name_resolution(db, file)
            .definition(*def)
            .spans
            .iter()
            .map(|&span| FileSpan { file, span })
            .collect(),
        Target::Attr { attr, .. }
        | Target::With {
            attr: Some(attr), ..
        } => attr.defs.clone(),
        Target::Import(target) => vec![FileSpan {
            file: *target,
            span: Span::default(),
        }],
        Target::Global(_)
        | Target::With { attr: None, .. }
        | Target::Unbound(_)
        | Target::UnknownAttr(_) => Vec::new(),
    }
}

/// A target as the two things a name can be: a binding in this file, and an attribute.
#[derive(Clone, Debug, Default)]
pub struct Symbol<'db> {
    pub local: Option<DefId>,
    pub attr: Option<Attr<'db>>,
}

/// The symbol a target is, for finding its uses in `file`.
pub fn symbol<'db>(db: &'db dyn Db, file: SourceFile, target: &Target<'db>) -> Option<Symbol<'db>> {
    let names = name_resolution(db, file);
    match target {
        Target::Local(def) => {
            let definition = names.definition(*def);
            // Attributes of `rec` sets and pattern fields are also read as `set.name`.
            let attr =
                matches!(definition.kind, DefKind::RecAttr { .. } | DefKind::PatField).then(|| {
                    let mut attr = Attr::default();
                    attr.defs = definition
                        .spans
                        .iter()
                        .map(|&span| FileSpan { file, span })
                        .collect();
                    attr
                });
            Some(Symbol {
                local: Some(*def),
                attr,
            })
        }
        Target::Attr { attr, .. } => {
            let local = attr
                .defs
                .iter()
                .filter(|def| def.file == file)
                .find_map(|def| names.definition_at(def.span.start))
                .filter(|&def| {
                    matches!(
                        names.definition(def).kind,
                        DefKind::RecAttr { .. } | DefKind::PatField
                    )
                });
            Some(Symbol {
                local,
                attr: Some(attr.clone()),
            })
        }
        _ => None,
    }
}

/// One use of a symbol in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Use {
    pub span: Span,
    pub kind: UseKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UseKind {
    /// Where the name is defined.
    Definition,
    /// A variable that refers to it.
    Read,
    /// `inherit name;` reading it (and defining the same name again).
    Inherit,
    /// `set.name`, `set ? name`, `inherit (set) name;` or a binding path component that
    /// extends the attribute.
    Attribute,
}

/// Every use of `symbol` in `file`, in source order, definitions included.
pub fn uses(db: &dyn Db, file: SourceFile, symbol: &Symbol<'_>) -> Vec<Use> {
    let names = name_resolution(db, file);
    let mut out = Vec::new();
    if let Some(def) = symbol.local {
        for &span in &names.definition(def).spans {
            out.push(Use {
                span,
                kind: UseKind::Definition,
            });
        }
        for reference in names.references_to(def) {
            let kind = match reference.kind {
                RefKind::Var => UseKind::Read,
                RefKind::Inherit { .. } => UseKind::Inherit,
            };
            out.push(Use {
                span: reference.span,
                kind,
            });
        }
    }
    if let Some(attr) = &symbol.attr {
        let sets = Sets::new(db);
        for def in attr.defs.iter().filter(|def| def.file == file) {
            out.push(Use {
                span: def.span,
                kind: UseKind::Definition,
            });
        }
        let root: &Expr = &parse(db, file).root;
        for_each_expr(root, &mut |expr| {
            for site in attr_sites(expr) {
                let span = site.name().span;
                if out.iter().any(|u| u.span == span) {
                    continue;
                }
                if attr_of_site(&sets, file, site).is_some_and(|found| found.same_as(attr)) {
                    out.push(Use {
                        span,
                        kind: UseKind::Attribute,
                    });
                }
            }
        });
    }
    out.sort_by_key(|u| (u.span.start, u.span.end));
    out.dedup_by_key(|u| u.span);
    out
}
