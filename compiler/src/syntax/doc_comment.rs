//! Documentation comments: the `# ...` lines (or one `/* ... */`) directly above a binding
//! or a record type's field, with no blank line between, each starting its line. The one
//! rule for the parser (`Binding::doc`, `FieldType::doc`: what `mlc doc` and the type
//! checker show) and the editor (hover, completion).

use super::{Comment, CommentKind};

/// The doc comment of what starts at byte `at` of `text`, whose comments (in source order,
/// as the parser collects them) are `comments`: the lines joined with newlines and trimmed,
/// or `None` for none.
pub fn doc_comment(comments: &[Comment], text: &str, at: u32) -> Option<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut next_start = at as usize;
    let first_before = comments.partition_point(|c| c.span.end as usize <= next_start);
    for comment in comments[..first_before].iter().rev() {
        let gap = text.get(comment.span.end as usize..next_start)?;
        if !gap.trim().is_empty() || gap.matches('\n').count() > 1 {
            break;
        }
        if gap.matches('\n').count() == 0 && !lines.is_empty() {
            break;
        }
        // Only a comment that starts its line documents what follows.
        let line_start = text
            .get(..comment.span.start as usize)?
            .rfind('\n')
            .map_or(0, |i| i + 1);
        if !text
            .get(line_start..comment.span.start as usize)?
            .trim()
            .is_empty()
        {
            break;
        }
        match comment.kind {
            CommentKind::Line => {
                let line = comment.text.strip_prefix(' ').unwrap_or(&comment.text);
                lines.push(line.trim_end().to_string());
            }
            CommentKind::Block => {
                if lines.is_empty() {
                    lines.push(comment.text.trim_matches(['*', ' ', '\n']).to_string());
                }
                break;
            }
        }
        next_start = comment.span.start as usize;
    }
    lines.reverse();
    let joined = lines.join("\n");
    let joined = joined.trim();
    (!joined.is_empty()).then(|| joined.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, BindingKind, ExprKind, TypeExprKind};

    fn doc_of(source: &str, name: &str) -> Option<String> {
        let parse = parse(source);
        let at = source.find(name).unwrap_or_default() as u32;
        doc_comment(&parse.comments, source, at)
    }

    #[test]
    fn comment_lines_directly_above() {
        let source = "{\n  # Not this one.\n\n  # The port\n  # to listen on.\n  port = 80; # trailing\n  host = 1;\n}";
        assert_eq!(
            doc_of(source, "port ="),
            Some("The port\nto listen on.".to_string())
        );
        assert_eq!(doc_of(source, "host"), None);
        assert_eq!(
            doc_of("/* A block. */\nx = 1;", "x"),
            Some("A block.".to_string())
        );
        assert_eq!(doc_of("x = 1;", "x"), None);
    }

    #[test]
    fn the_parser_documents_bindings_and_fields_by_the_same_rule() {
        let source = "let\n  # The port\n  # to listen on.\n  port = 80;\n  /* A type. */\n  type T = {\n    #  Its name.\n    name :: String,\n  };\nin port";
        let parse = parse(source);
        let ExprKind::Let { bindings, .. } = &parse.root.kind else {
            panic!("not a let: {:?}", parse.root);
        };
        let docs: Vec<Option<&str>> = bindings.iter().map(|b| b.doc.as_deref()).collect();
        assert_eq!(docs, [Some("The port\nto listen on."), Some("A type.")]);
        let BindingKind::TypeDecl { ty, .. } = &bindings[1].kind else {
            panic!("not a type declaration: {:?}", bindings[1]);
        };
        let TypeExprKind::Record { fields, .. } = &ty.kind else {
            panic!("not a record type: {ty:?}");
        };
        assert_eq!(fields[0].doc.as_deref(), Some("Its name."));
        // The editor, asking at the same place, gets the same text.
        assert_eq!(doc_of(source, "name ::"), fields[0].doc);
        assert_eq!(doc_of(source, "port ="), bindings[0].doc);
    }
}
