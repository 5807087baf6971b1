//! The workspace: every user file the server knows (the `.mlc` files under the workspace
//! folders, and any other file the database has read), for what crosses files: references
//! and rename of an attribute from its definition or any use, and workspace symbols.

use mlc::db::{parse, Db, RootDatabase, SourceFile};
use mlc::stdlib::is_stdlib_path;

use super::navigation::{at_cursor, symbol, uses, Symbol, Use};
use super::outline::{outline, ItemKind, OutlineItem};
use super::sets::FileSpan;

/// The user files to search: `workspace` and every file the database has, without the
/// standard library, each once, in a stable order.
pub fn files(db: &RootDatabase, workspace: &[String]) -> Vec<SourceFile> {
    let mut out: Vec<SourceFile> = workspace.iter().map(|path| db.file(path)).collect();
    for file in db.all_files() {
        let path = file.path(db);
        if !is_stdlib_path(path) && path.starts_with('/') && file.text(db).is_ok() {
            out.push(file);
        }
    }
    out.sort_by(|a, b| a.path(db).cmp(b.path(db)));
    out.dedup();
    out
}

/// Every use of what is at `offset` of `file`: in `file`, and, for an attribute, in every
/// other file of `others` too.
pub fn uses_everywhere(
    db: &dyn Db,
    file: SourceFile,
    offset: u32,
    others: &[SourceFile],
) -> Vec<(SourceFile, Use)> {
    let Some(cursor) = at_cursor(db, file, offset) else {
        return Vec::new();
    };
    let Some(found) = symbol(db, file, &cursor.target) else {
        return Vec::new();
    };
    let mut out: Vec<(SourceFile, Use)> = uses(db, file, &found)
        .into_iter()
        .map(|u| (file, u))
        .collect();
    if let Some(attr) = &found.attr {
        let attribute = Symbol {
            local: None,
            attr: Some(attr.clone()),
        };
        for &other in others.iter().filter(|&&other| other != file) {
            out.extend(uses(db, other, &attribute).into_iter().map(|u| (other, u)));
        }
    }
    out
}

/// Where the attribute at `offset` is declared outside the user's files (in the standard
/// library), if it is.
pub fn declared_in_stdlib(db: &dyn Db, file: SourceFile, offset: u32) -> Option<FileSpan> {
    if let Some(site) = super::typed::key_definition(db, file, offset) {
        if is_stdlib_path(site.file.path(db)) {
            return Some(site);
        }
    }
    let cursor = at_cursor(db, file, offset)?;
    match &cursor.target {
        super::navigation::Target::Attr { attr, .. } => attr
            .defs
            .iter()
            .find(|def| is_stdlib_path(def.file.path(db)))
            .copied(),
        _ => None,
    }
}

/// A named thing of a file, for workspace symbols.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: ItemKind,
    pub file: SourceFile,
    pub name_span: mlc::syntax::Span,
    /// The binding it is inside, if any (`server` for `server.port`).
    pub container: Option<String>,
}

/// The `let` bindings and top-level attributes of every file (two levels of the outline:
/// `let ... in { ... }` has its attributes one level down), whose name contains `query`'s
/// characters in order, case-insensitively.
pub fn workspace_symbols(db: &dyn Db, files: &[SourceFile], query: &str) -> Vec<WorkspaceSymbol> {
    let query: Vec<char> = query.to_lowercase().chars().collect();
    let mut out = Vec::new();
    for &file in files {
        let items = outline(&parse(db, file).root);
        let mut push = |item: &OutlineItem, container: Option<&str>| {
            if matches_query(&item.name, &query) && !item.name.is_empty() {
                out.push(WorkspaceSymbol {
                    name: item.name.clone(),
                    kind: item.kind,
                    file,
                    name_span: item.name_span,
                    container: container.map(str::to_string),
                });
            }
        };
        for item in &items {
            push(item, None);
            for child in &item.children {
                push(child, Some(&item.name));
            }
        }
    }
    out
}

fn matches_query(name: &str, query: &[char]) -> bool {
    let mut wanted = query.iter().peekable();
    for c in name.to_lowercase().chars() {
        if wanted.peek() == Some(&&c) {
            wanted.next();
        }
    }
    wanted.peek().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::fixture;

    #[test]
    fn uses_of_an_attribute_in_other_files() {
        let f = fixture(&[
            ("/ws/lib.mlc", "{ gr$0eet = 1; other = 2; }"),
            (
                "/ws/main.mlc",
                "let lib = import ./lib.mlc; in lib.greet + lib.other",
            ),
        ]);
        let others = files(&f.db, &[]);
        let found: Vec<String> = uses_everywhere(&f.db, f.file, f.offset, &others)
            .into_iter()
            .map(|(file, u)| format!("{}@{}", file.path(&f.db), u.span.start))
            .collect();
        assert_eq!(found, ["/ws/lib.mlc@2", "/ws/main.mlc@35"], "{found:?}");
    }

    #[test]
    fn symbols_of_every_file_filtered_by_the_query() {
        let f = fixture(&[
            ("/ws/a.mlc", "let port = 1; in { server = { host = 1; }; }"),
            ("/ws/b.mlc", "{ prometheus = 1; }"),
        ]);
        let all = files(&f.db, &[]);
        let names: Vec<String> = workspace_symbols(&f.db, &all, "pt")
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["port", "prometheus"]);
    }
}
