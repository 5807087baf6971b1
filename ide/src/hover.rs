//! Hover: what the name under the cursor is, where it is defined and the doc comment above
//! its definition; for builtins, their signature and a line of documentation. Markdown.
//!
//! A variable's inferred or declared type comes first (from `typed`); hover on a
//! key of a typed record is `typed::key_hover`.

use mlc::builtins;
use mlc::db::{name_resolution, parse, Db, SourceFile};
use mlc::names::DefKind;
use mlc::syntax::{doc_comment, Span};

use super::navigation::{at_cursor, Target};
use super::sets::FileSpan;

/// The hover text and the span of the name it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub span: Span,
    pub markdown: String,
}

pub fn hover(db: &dyn Db, file: SourceFile, offset: u32) -> Option<Hover> {
    let cursor = at_cursor(db, file, offset)?;
    let markdown = match &cursor.target {
        Target::Local(def) => {
            let names = name_resolution(db, file);
            let definition = names.definition(*def);
            let what = match definition.kind {
                DefKind::Let { .. } => "let binding",
                DefKind::RecAttr { .. } => "attribute of a `rec` set",
                DefKind::Param | DefKind::PatBind => "function argument",
                DefKind::PatField => "field of the function's argument",
            };
            let site = FileSpan {
                file,
                span: definition.binding_span,
            };
            let described = described(db, &definition.name, what, site);
            // The inferred (or declared) type first.
            match definition
                .spans
                .first()
                .and_then(|span| {
                    super::typed::definition_type(db, file, &definition.name, *span)
                })
            {
                Some(ty) => format!("{ty}\n{described}"),
                None => described,
            }
        }
        Target::Attr { name, attr } | Target::With { name, attr: Some(attr) } => {
            let site = attr.bindings.first().copied()?;
            let what = if matches!(cursor.target, Target::With { .. }) {
                "from the `with` set"
            } else {
                "attribute"
            };
            described(db, name, what, site)
        }
        Target::Global(name) => builtin(name)?,
        Target::UnknownAttr(name) => {
            let text = file.source_text(db);
            let before = text.get(..cursor.span.start as usize).unwrap_or_default();
            if before.trim_end().ends_with("builtins.") {
                builtin(name)?
            } else {
                return None;
            }
        }
        Target::With { name, attr: None } => format!(
            "```mlc\n{name}\n```\nnot bound here: may come from an enclosing `with` set when the program runs"
        ),
        Target::Import(target) => {
            let text = target.source_text(db);
            let doc = doc_comment(&parse(db, *target).comments, &text, first_code(&text));
            let mut out = format!("`{}`", target.name(db));
            if let Some(doc) = doc {
                out.push_str(&format!("\n\n{doc}"));
            }
            out
        }
        Target::Unbound(_) => return None,
    };
    Some(Hover {
        span: cursor.span,
        markdown,
    })
}

/// `name` with its definition's first line, its doc comment and where it is.
fn described(db: &dyn Db, name: &str, what: &str, site: FileSpan) -> String {
    let text = site.file.source_text(db);
    let written = text.get(site.span.range()).unwrap_or_default();
    let first_line = written.lines().next().unwrap_or_default().trim();
    let line = text
        .get(..site.span.start as usize)
        .map_or(0, |before| before.matches('\n').count())
        + 1;
    let mut out = format!(
        "```mlc\n{first_line}\n```\n{what} `{name}`, defined at `{}:{line}`",
        site.file.name(db)
    );
    let comments = &parse(db, site.file).comments;
    if let Some(doc) = doc_comment(comments, &text, site.span.start) {
        out.push_str(&format!("\n\n---\n{doc}"));
    }
    out
}

fn builtin(name: &str) -> Option<String> {
    if name == "builtins" {
        return Some("```mlc\nbuiltins\n```\nThe set of every builtin function (`builtins.map`, `builtins.toJSON`, ...).".to_string());
    }
    let (signature, text) = builtins::doc(name)?;
    Some(format!("```mlc\n{signature}\n```\nbuiltin: {text}"))
}

/// The offset of the first byte of code (after the file's leading comments).
fn first_code(text: &str) -> u32 {
    let mut at = 0;
    for line in text.lines() {
        let trimmed = line.trim();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            return (at + line.len() - line.trim_start().len()) as u32;
        }
        at += line.len() + 1;
    }
    text.len() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{fixture, single};

    fn hover_text(text: &str) -> String {
        let f = single(text);
        hover(&f.db, f.file, f.offset)
            .map(|h| h.markdown)
            .unwrap_or_default()
    }

    #[test]
    fn variables_show_their_definition_and_doc_comment() {
        let text = hover_text("let\n  # The port to listen on.\n  port = 80;\nin po$0rt");
        assert_eq!(
            text,
            "```mlc\nport :: Int\n```\n```mlc\nport = 80;\n```\nlet binding `port`, defined at `/fixture/main.mlc:3`\n\n---\nThe port to listen on."
        );
        assert!(hover_text("x$0: x").contains("function argument `x`"));
    }

    #[test]
    fn builtins_show_their_documentation() {
        assert!(hover_text("ma$0p").starts_with("```mlc\nmap f list\n```"));
        assert!(hover_text("builtins.toJS$0ON").contains("toJSON value"));
        assert!(hover_text("builtins$0").contains("every builtin"));
        assert_eq!(hover_text("unbound$0"), "");
    }

    #[test]
    fn attributes_in_other_files() {
        let f = fixture(&[
            ("/fx/main.mlc", "(import ./lib.mlc).gr$0eet"),
            (
                "/fx/lib.mlc",
                "# The library.\n{\n  # Says hello.\n  greet = x: x;\n}",
            ),
        ]);
        let text = hover(&f.db, f.file, f.offset)
            .map(|h| h.markdown)
            .unwrap_or_default();
        assert!(text.contains("defined at `/fx/lib.mlc:4`"), "{text}");
        assert!(text.ends_with("Says hello."), "{text}");
        let f = fixture(&[
            ("/fx/main.mlc", "import ./li$0b.mlc"),
            ("/fx/lib.mlc", "# The library.\n{ }"),
        ]);
        let text = hover(&f.db, f.file, f.offset)
            .map(|h| h.markdown)
            .unwrap_or_default();
        assert_eq!(text, "`/fx/lib.mlc`\n\nThe library.");
    }
}
