//! Renaming a binding or attribute, and every use of it, without changing what any name
//! means: in the file, and for an attribute in every workspace file that uses it
//! ([`rename_everywhere`]: `lib.name` in the importers, the definition in the imported file).
//!
//! Refused: global names, names that only a `with` may provide, unbound names, attributes
//! whose set is not known, keys declared by the standard library (an option of
//! `mlflow.deployment`: renaming it would break the call). Checked before any edit:
//! the new name must be an identifier, must not already be defined next to the old one, no
//! use of the renamed binding may end up under another binding of the new name, and no
//! existing use of the new name may end up referring to the renamed binding (capture).
//!
//! Renaming a pattern field also renames the key in the sets the function is called with in
//! this file (`f { port = 1; }` where `f` is bound to the function).
//!
//! `inherit x;` both reads `x` from the scope around and defines `x`: when only one of
//! the two is renamed it is rewritten to a binding (`x = y;` or `y = x;`), and
//! `inherit (s) x;` to `y = s.x;`.

use mlc::db::{name_resolution, parse, Db, SourceFile};
use mlc::names::{DefId, DefKind, NameResolution, RefKind, Resolution};
use mlc::syntax::walk::strip_parens;
use mlc::syntax::{AttrName, BindingKind, Expr, ExprKind, Span};

use super::navigation::{at_cursor, symbol, uses, Symbol, Target, UseKind};
use super::sets::Sets;
use super::tree::{attr_site_at, for_each_expr, static_name, AttrSite};

/// One replacement in the file.
pub type Edit = (Span, String);

/// The span of the name to rename at `offset`, or why it cannot be renamed.
pub fn prepare(db: &dyn Db, file: SourceFile, offset: u32) -> Result<(Span, String), String> {
    if let Some(site) = super::workspace::declared_in_stdlib(db, file, offset) {
        return Err(format!(
            "this key is declared by the standard library (`{}`), so renaming it would break the call it is passed to",
            site.file.name(db)
        ));
    }
    let cursor = at_cursor(db, file, offset).ok_or("there is no name here to rename")?;
    let text = file.source_text(db);
    let written = text
        .get(cursor.span.range())
        .unwrap_or_default()
        .to_string();
    match &cursor.target {
        Target::Local(_) => Ok((cursor.span, written)),
        Target::Attr { .. } => Ok((cursor.span, written)),
        Target::Global(name) => Err(format!(
            "`{name}` is a builtin and cannot be renamed"
        )),
        Target::With { name, .. } => Err(format!(
            "`{name}` may come from a `with` set, so renaming it here could change which value it is"
        )),
        Target::Unbound(name) => Err(format!("`{name}` is not defined anywhere")),
        Target::UnknownAttr(name) => Err(format!(
            "the set that `{name}` belongs to is not known from the source, so its uses cannot be found"
        )),
        Target::Import(_) => Err("an import path cannot be renamed".to_string()),
    }
}

/// The edits that rename what is at `offset` of `file` to `new_name`: in `file`, and, for
/// an attribute, in every file of `others` that uses it (`lib.name` in an importer, the
/// definition in the imported file).
pub fn rename_everywhere(
    db: &dyn Db,
    file: SourceFile,
    offset: u32,
    new_name: &str,
    others: &[SourceFile],
) -> Result<Vec<(SourceFile, Vec<Edit>)>, String> {
    let here = rename(db, file, offset, new_name)?;
    let mut out = vec![(file, here)];
    let cursor = at_cursor(db, file, offset).ok_or("there is no name here to rename")?;
    let Some(attr) = symbol(db, file, &cursor.target).and_then(|s| s.attr) else {
        return Ok(out);
    };
    let old_name = match &cursor.target {
        Target::Attr { name, .. } => name.clone(),
        Target::Local(def) => name_resolution(db, file).definition(*def).name.to_string(),
        _ => return Ok(out),
    };
    let attribute = Symbol {
        local: None,
        attr: Some(attr),
    };
    for &other in others.iter().filter(|&&other| other != file) {
        if uses(db, other, &attribute).is_empty() {
            continue;
        }
        check_attribute_conflicts(db, other, &attribute, new_name)?;
        let edits = file_edits(db, other, &attribute, &old_name, new_name);
        if !edits.is_empty() {
            out.push((other, edits));
        }
    }
    Ok(out)
}

/// The edits that rename what is at `offset` to `new_name`, in `file`.
pub fn rename(
    db: &dyn Db,
    file: SourceFile,
    offset: u32,
    new_name: &str,
) -> Result<Vec<Edit>, String> {
    prepare(db, file, offset)?;
    if !is_identifier(new_name) {
        return Err(format!("`{new_name}` is not a valid name"));
    }
    let cursor = at_cursor(db, file, offset).ok_or("there is no name here to rename")?;
    let symbol = symbol(db, file, &cursor.target).ok_or("this cannot be renamed")?;
    let names = name_resolution(db, file);
    let old_name = match &cursor.target {
        Target::Local(def) => names.definition(*def).name.to_string(),
        Target::Attr { name, .. } => name.clone(),
        _ => return Err("this cannot be renamed".to_string()),
    };
    if old_name == new_name {
        return Ok(Vec::new());
    }
    if let Some(def) = symbol.local {
        check_capture(names, def, new_name)?;
    }
    check_attribute_conflicts(db, file, &symbol, new_name)?;
    let mut edits = file_edits(db, file, &symbol, &old_name, new_name);
    if let Some(def) = symbol.local {
        edits.extend(call_site_edits(db, file, def, &old_name, new_name)?);
    }
    edits.sort_by_key(|(span, _)| (span.start, span.end));
    edits.dedup();
    Ok(edits)
}

/// The edits in `file` that rename the uses of `symbol` from `old_name` to `new_name`.
fn file_edits(
    db: &dyn Db,
    file: SourceFile,
    symbol: &Symbol<'_>,
    old_name: &str,
    new_name: &str,
) -> Vec<Edit> {
    let old_name = old_name.to_string();
    let text = file.source_text(db);
    let root: &Expr = &parse(db, file).root;
    let mut edits: Vec<Edit> = Vec::new();
    for found in uses(db, file, symbol) {
        let inherit = inherit_binding(root, found.span);
        let edit = match (inherit, found.kind) {
            (Some(inherit), UseKind::Definition) => {
                // `inherit x;` defining the renamed name: `y = x;` (or `y = s.x;`).
                let value = match inherit.from {
                    Some(from) => format!("{}.{old_name}", source_of(&text, from)),
                    None => old_name.clone(),
                };
                inherit.rewrite(&text, new_name, &value)
            }
            (Some(inherit), UseKind::Inherit) => inherit.rewrite(&text, &old_name, new_name),
            (Some(inherit), UseKind::Attribute) if inherit.from.is_some() => {
                // `inherit (s) x;` reading the renamed attribute `x` of `s`.
                let from = inherit
                    .from
                    .map(|from| source_of(&text, from))
                    .unwrap_or_default();
                inherit.rewrite(&text, &old_name, &format!("{from}.{new_name}"))
            }
            _ => vec![(found.span, new_name.to_string())],
        };
        edits.extend(edit);
    }
    edits.sort_by_key(|(span, _)| (span.start, span.end));
    edits.dedup();
    edits
}

/// A pattern field is also a key of the sets its function is called with: in
/// `f { port = 1; }` where `f` is (bound to) that function, `port` is renamed too.
fn call_site_edits(
    db: &dyn Db,
    file: SourceFile,
    def: DefId,
    old: &str,
    new: &str,
) -> Result<Vec<Edit>, String> {
    let names = name_resolution(db, file);
    let definition = names.definition(def);
    if definition.kind != DefKind::PatField {
        return Ok(Vec::new());
    }
    let sets = Sets::new(db);
    let Some(lambda) = sets.owner_expr(file, definition.scope) else {
        return Ok(Vec::new());
    };
    let text = file.source_text(db);
    let root: &Expr = &parse(db, file).root;
    let mut calls = Vec::new();
    for_each_expr(root, &mut |expr| {
        if let ExprKind::Apply { func, arg } = &expr.kind {
            if function_of(&sets, file, func, 0).is_some_and(|f| f.span == lambda.span) {
                calls.push(&**arg);
            }
        }
    });
    let mut edits = Vec::new();
    for arg in calls {
        let ExprKind::AttrSet { bindings, .. } = &strip_parens(arg).kind else {
            continue;
        };
        let written = |name: &AttrName| static_name(name) == Some(new);
        let conflict = bindings.iter().any(|binding| match &binding.kind {
            BindingKind::Attr { path, .. } => path.first().is_some_and(written),
            BindingKind::Inherit { names, .. } => names.iter().any(written),
            BindingKind::TypeDecl { .. } => false,
        });
        if conflict {
            return Err(format!("a call of the function already passes `{new}`"));
        }
        for binding in bindings {
            match &binding.kind {
                BindingKind::Attr { path, .. } => {
                    if let Some(first) = path.first().filter(|n| static_name(n) == Some(old)) {
                        edits.push((first.span, new.to_string()));
                    }
                }
                BindingKind::Inherit { from, names } => {
                    for name in names.iter().filter(|n| static_name(n) == Some(old)) {
                        let inherit = InheritAt {
                            from: from.as_deref(),
                            span: binding.span,
                            names: names.len(),
                            name: name.span,
                        };
                        let value = match from {
                            Some(from) => format!("{}.{old}", source_of(&text, from)),
                            None => old.to_string(),
                        };
                        edits.extend(inherit.rewrite(&text, new, &value));
                    }
                }
                BindingKind::TypeDecl { .. } => {}
            }
        }
    }
    Ok(edits)
}

/// The lambda `expr` is, or a variable bound to one by `name = lambda;` in this file.
fn function_of<'a>(
    sets: &Sets<'a>,
    file: SourceFile,
    expr: &'a Expr,
    depth: u32,
) -> Option<&'a Expr> {
    let expr = strip_parens(expr);
    match &expr.kind {
        ExprKind::Lambda { .. } => Some(expr),
        ExprKind::Var(_) if depth < 8 => {
            let names = name_resolution(sets.db, file);
            let reference = names.references.iter().find(|r| r.span == expr.span)?;
            let Resolution::Local(def) = reference.resolution else {
                return None;
            };
            let definition = names.definition(def);
            if definition.kind.inherit() != mlc::names::Inherit::No || definition.spans.len() != 1 {
                return None;
            }
            let owner = sets.owner_expr(file, definition.scope)?;
            let (ExprKind::Let { bindings, .. } | ExprKind::AttrSet { bindings, .. }) = &owner.kind
            else {
                return None;
            };
            bindings.iter().find_map(|binding| match &binding.kind {
                BindingKind::Attr { path, value }
                    if path.len() == 1 && path[0].span == definition.span() =>
                {
                    function_of(sets, file, value, depth + 1)
                }
                _ => None,
            })
        }
        _ => None,
    }
}

/// Whether renaming definition `def` to `new` keeps every name meaning what it meant.
fn check_capture(names: &NameResolution, def: DefId, new: &str) -> Result<(), String> {
    let definition = names.definition(def);
    let old = &definition.name;
    if names.scope(definition.scope).names.contains_key(new) {
        return Err(format!(
            "`{new}` is already defined in the same scope as `{old}`"
        ));
    }
    // A scope strictly inside the definition's, on the way up from `scope`, that binds `new`.
    let shadowed_between = |scope| {
        names
            .ancestors(scope)
            .take_while(|&id| id != definition.scope)
            .any(|id| names.scope(id).names.contains_key(new))
    };
    for reference in names.references_to(def) {
        let mut blocked = shadowed_between(reference.scope);
        if let RefKind::Inherit {
            defines: Some(inner),
        } = reference.kind
        {
            // Rewritten to `x = new;`, the value is read inside the `let`/`rec` itself.
            blocked |= names.scope(inner).names.contains_key(new);
        }
        if blocked {
            return Err(format!(
                "a use of `{old}` would then refer to another binding named `{new}`"
            ));
        }
    }
    for reference in names.references.iter().filter(|r| &*r.name == new) {
        let reaches_definition = names
            .ancestors(reference.scope)
            .take_while(|&id| !names.scope(id).names.contains_key(new) || id == definition.scope)
            .any(|id| id == definition.scope);
        if reaches_definition && reference.resolution != Resolution::Local(def) {
            return Err(format!(
                "`{new}` is already used inside the scope of `{old}` and would then refer to it"
            ));
        }
    }
    Ok(())
}

/// Refuses a new attribute name that the set already has next to a renamed definition.
fn check_attribute_conflicts(
    db: &dyn Db,
    file: SourceFile,
    symbol: &Symbol<'_>,
    new: &str,
) -> Result<(), String> {
    let Some(attr) = &symbol.attr else {
        return Ok(());
    };
    let sets = Sets::new(db);
    let root: &Expr = &parse(db, file).root;
    for def in attr.defs.iter().filter(|def| def.file == file) {
        let Some(AttrSite::Binding {
            owner,
            binding,
            index,
        }) = attr_site_at(root, def.span.start)
        else {
            continue;
        };
        let bindings = match &owner.kind {
            ExprKind::AttrSet { bindings, .. } | ExprKind::Let { bindings, .. } => bindings,
            _ => continue,
        };
        let mut view = Some(sets.bindings_view(file, bindings));
        if let BindingKind::Attr { path, .. } = &binding.kind {
            for name in &path[..index] {
                view = view
                    .zip(static_name(name))
                    .and_then(|(view, name)| sets.lookup(&view, name))
                    .and_then(|attr| attr.set(&sets));
            }
        }
        if view.and_then(|view| sets.lookup(&view, new)).is_some() {
            return Err(format!("the set already has an attribute `{new}`"));
        }
    }
    Ok(())
}

/// An `inherit` binding that writes a name at some span.
struct InheritAt<'a> {
    from: Option<&'a Expr>,
    /// The whole binding, `inherit` to `;`.
    span: Span,
    names: usize,
    name: Span,
}

impl InheritAt<'_> {
    /// Replaces the inherited name by the binding `name = value;`.
    fn rewrite(&self, text: &str, name: &str, value: &str) -> Vec<Edit> {
        let binding = format!("{name} = {value};");
        if self.names == 1 {
            return vec![(self.span, binding)];
        }
        // Take the name out of the list (with the space before it) and add the binding after.
        let before = text.get(..self.name.start as usize).unwrap_or_default();
        let start = before.trim_end().len();
        vec![
            (Span::new(start, self.name.end as usize), String::new()),
            (
                Span::new(self.span.end as usize, self.span.end as usize),
                format!(" {binding}"),
            ),
        ]
    }
}

fn inherit_binding(root: &Expr, name: Span) -> Option<InheritAt<'_>> {
    let (binding, from) = match attr_site_at(root, name.start)? {
        AttrSite::Binding { binding, .. } => match &binding.kind {
            BindingKind::Inherit { from, .. } => (binding, from.as_deref()),
            BindingKind::Attr { .. } | BindingKind::TypeDecl { .. } => return None,
        },
        AttrSite::InheritFrom { .. } => {
            // Find the binding itself: the smallest inherit whose span holds the name.
            let mut found = None;
            super::tree::for_each_expr(root, &mut |expr| {
                if let ExprKind::AttrSet { bindings, .. } | ExprKind::Let { bindings, .. } =
                    &expr.kind
                {
                    for binding in bindings {
                        if binding.span.contains(name.start) {
                            if let BindingKind::Inherit { from, .. } = &binding.kind {
                                found = Some((binding, from.as_deref()));
                            }
                        }
                    }
                }
            });
            found?
        }
        AttrSite::Select { .. } => return None,
    };
    let BindingKind::Inherit { names, .. } = &binding.kind else {
        return None;
    };
    Some(InheritAt {
        from,
        span: binding.span,
        names: names.len(),
        name,
    })
}

/// The source text of `expr`, in parentheses unless it is a name or a selection.
fn source_of(text: &str, expr: &Expr) -> String {
    let written = text.get(expr.span.range()).unwrap_or_default();
    match expr.kind {
        ExprKind::Var(_) | ExprKind::Select { .. } | ExprKind::Paren(_) => written.to_string(),
        _ => format!("({written})"),
    }
}

/// Whether `name` can be written as a variable: an identifier that is not a keyword.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let starts = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    starts
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '\'' | '-'))
        && !matches!(
            name,
            "if" | "then" | "else" | "assert" | "with" | "let" | "in" | "rec" | "inherit" | "or"
        )
}
