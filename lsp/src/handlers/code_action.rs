//! Quick fixes: every diagnostic the client sends back that carries a fix (a `TextEdit` in
//! its `data`, put there by [`crate::convert::diagnostic`]) becomes a quick fix: "replace
//! with `x`" (did you mean), "insert `;`" (a missing token), or "remove it" (a stray `}`).

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, TextEdit, WorkspaceEdit,
};

pub fn code_actions(params: CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = params.text_document.uri;
    params
        .context
        .diagnostics
        .into_iter()
        .filter_map(|diagnostic| {
            let edit: TextEdit = serde_json::from_value(diagnostic.data.clone()?).ok()?;
            let title = if edit.range.start == edit.range.end {
                format!("insert `{}`", edit.new_text.trim())
            } else if edit.new_text.is_empty() {
                "remove it".to_string()
            } else {
                format!("replace with `{}`", edit.new_text)
            };
            let changes = HashMap::from([(uri.clone(), vec![edit])]);
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic]),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..Default::default()
                }),
                is_preferred: Some(true),
                ..Default::default()
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::Document;
    use lsp_types::{CodeActionContext, Position, Range, TextDocumentIdentifier, Url};
    use mlc::diagnostic::{codes, Diagnostic, Fix};
    use mlc_ide::Span;

    #[test]
    fn a_diagnostic_fix_round_trips_into_a_quick_fix() {
        let text = "# 😀\nimport <mlfow>";
        let doc = Document::new(text.to_string(), 1);
        let uri = Url::parse("file:///a.mlc").unwrap_or_else(|e| panic!("{e}"));
        let file: mlc::diagnostic::FileName = "a.mlc".into();
        let span = Span::new(text.len() - 7, text.len());
        let diag =
            Diagnostic::error(codes::E0211, "unknown module", file.clone(), span).with_fix(Fix {
                file,
                span,
                replacement: "<mlflow>".to_string(),
            });
        let lsp_diag = crate::convert::diagnostic(&doc, &uri, &diag, &|_, _| None);
        let actions = code_actions(CodeActionParams {
            text_document: TextDocumentIdentifier { uri: uri.clone() },
            range: lsp_diag.range,
            context: CodeActionContext {
                diagnostics: vec![lsp_diag],
                only: None,
                trigger_kind: None,
            },
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        });
        let [CodeActionOrCommand::CodeAction(action)] = actions.as_slice() else {
            panic!("expected one action: {actions:?}");
        };
        assert_eq!(action.title, "replace with `<mlflow>`");
        let edits = action
            .edit
            .as_ref()
            .and_then(|e| e.changes.as_ref())
            .and_then(|c| c.get(&uri))
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            edits,
            vec![TextEdit::new(
                Range::new(Position::new(1, 7), Position::new(1, 14)),
                "<mlflow>".to_string()
            )]
        );
    }
}
